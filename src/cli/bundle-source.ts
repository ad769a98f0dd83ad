// Opens a registry+v1 bundle given on the command line: a bundle directory, a docker:// image or an oci: layout
// image, into its BundleContent. Images go through the digest-keyed cache; a registry session opens only on a miss.
import { stat } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { readBundleContent } from '../install/bundle-content.js';
import type { BundleContent } from '../install/manifests.js';
import { loadBundleImageContent } from '../catalog-image/bundle-content-image.js';
import type { RegistrySession } from '../registry/registry-session.js';
import type { CliContext } from './context.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, openSession } from './registry-flags.js';

export interface OpenedBundle {
  content: BundleContent;
  /** How messages name the bundle: the directory or the image as given. */
  where: string;
  /** For an image: its manifest digest and whether the cache answered. */
  image?: { digest: string; fromCache: boolean };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The bundle's content from SOURCE. `registryFlags` are the command's parsed options (the access and common
 * registry flags of registry-flags.ts); only a docker:// image that the cache cannot answer uses them.
 */
export async function openBundleContent(ctx: CliContext, source: string, registryFlags: Record<string, unknown>): Promise<OpenedBundle> {
  const signalOpt = { signal: ctx.signal };
  if (!source.startsWith('docker://') && !source.startsWith('oci:')) {
    if (!(await isDirectory(source))) {
      throw new GantryError('NOT_FOUND', `bundle directory ${source} does not exist`, { hint: 'give a registry+v1 bundle directory (manifests/, metadata/), docker://IMAGE or oci:PATH[:TAG]' });
    }
    return { content: await readBundleContent(await createDirectoryTree(source), signalOpt), where: source };
  }
  const loc = parseImageLocation(source);
  let session: RegistrySession | undefined;
  try {
    const loaded = await loadBundleImageContent({
      where: source,
      ...(loc.transport === 'docker' && loc.ref.digest ? { pinned: loc.ref.digest } : {}),
      ...(loc.transport === 'oci' && loc.reference?.includes(':') ? { pinned: loc.reference } : {}),
      signal: ctx.signal,
      open: async () => {
        if (loc.transport === 'docker') session ??= await openSession(registryFlags);
        const opened = await openLocation(loc, session as RegistrySession, accessFrom(registryFlags, ''));
        return { store: opened.store, reference: opened.reference ?? 'latest' };
      },
    });
    return { content: loaded.content, where: source, image: { digest: loaded.digest, fromCache: loaded.fromCache } };
  } finally {
    await session?.close();
  }
}
