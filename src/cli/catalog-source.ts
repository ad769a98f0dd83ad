// Where a catalog comes from on the command line: a directory, a file, "-" for stdin, or an http(s) URL
// serving JSON lines (as catalogd does), a catalog image, or a mirror archive's catalog (archive:DIR[#WHICH]).
// Turned into a FileTree for the library.
import { readdir } from 'node:fs/promises';
import { abortError, GantryError, throwIfAborted } from '../errors.js';
import { parsePartFileName } from '../archive/archive-format.js';
import { createMemoryTree, type FileTree } from '../catalog/fbc/file-tree.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { createImageTree } from '../catalog-image/image-tree.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, openSession, parseBool } from './registry-flags.js';

/** `archive:DIR[#WHICH]`: the catalog a `gantry mirror … file://DIR` archive carries. */
const ARCHIVE_SOURCE_PREFIX = 'archive:';

/** All of a stream; a cancelled run stops waiting for it (stdin left open by a shell would otherwise hold Ctrl-C). */
export async function readStream(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const read = (async () => {
    for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  })();
  if (signal) {
    throwIfAborted(signal);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([read, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  } else {
    await read;
  }
  return Buffer.concat(parts);
}

export interface CatalogSourceContext {
  stdin: NodeJS.ReadableStream;
  signal: AbortSignal;
  /** Registry flags (--tls-verify, --creds, --authfile, …) for catalog images. */
  registryFlags?: Record<string, unknown>;
}

export const isUrlSource = (ref: string): boolean => /^https?:\/\//.test(ref);
export const isImageSource = (ref: string): boolean => ref.startsWith('docker://') || ref.startsWith('oci:');

export async function openCatalogSource(ref: string, ctx: CatalogSourceContext): Promise<FileTree> {
  if (ref === '-') return createMemoryTree({ '<stdin>': await readStream(ctx.stdin, ctx.signal) });
  if (isUrlSource(ref)) {
    const { fetchUrl } = await import('./fetch-url.js');
    const flags = ctx.registryFlags ?? {};
    const bytes = await fetchUrl(ref, { signal: ctx.signal, tlsVerify: parseBool(flags.tlsVerify as string | boolean | undefined), ...(typeof flags.certDir === 'string' ? { certDir: flags.certDir } : {}) });
    // catalogd serves JSON lines at /api/v1/all (no extension); the loader reads content whatever the name.
    return createMemoryTree({ [new URL(ref).pathname.split('/').pop() || 'catalog.json']: bytes });
  }
  if (ref.startsWith('docker://') || ref.startsWith('oci:')) {
    const session = await openSession(ctx.registryFlags ?? {});
    try {
      const loc = await openLocation(parseImageLocation(ref), session, accessFrom(ctx.registryFlags ?? {}, ''));
      if (!loc.reference) throw new GantryError('USAGE', `${ref} names no tag or digest`);
      return await createImageTree(loc.store, loc.reference, { signal: ctx.signal });
    } finally {
      await session.close();
    }
  }
  if (ref.startsWith(ARCHIVE_SOURCE_PREFIX)) return openArchiveCatalog(ref.slice(ARCHIVE_SOURCE_PREFIX.length), ctx.signal);
  // A mirror archive's directory would read as tar files that are not catalogs: say what it is and how to read it.
  const names = await readdir(ref).catch(() => [] as string[]);
  if (names.some((n) => parsePartFileName(n) !== undefined)) {
    throw new GantryError('USAGE', `${ref} is a mirror archive, not a catalog directory`, { hint: `read the catalog it carries with archive:${ref}` });
  }
  return createDirectoryTree(ref);
}

/** The catalog image a mirror archive carries, verified part by part first, read through the archive's Store. */
async function openArchiveCatalog(spec: string, signal: AbortSignal): Promise<FileTree> {
  const [{ parseArchiveSource, pickArchivedCatalog }, { verifyArchive }, { createArchiveStore }] = await Promise.all([
    import('../archive/archive-catalog.js'),
    import('../archive/read-parts.js'),
    import('../archive/archive-store.js'),
  ]);
  const { dir, which } = parseArchiveSource(spec);
  const contents = await verifyArchive(dir, { signal });
  const image = pickArchivedCatalog(contents.manifests.at(-1)?.images ?? [], which, dir);
  return createImageTree(createArchiveStore(contents), image.digest, { signal });
}
