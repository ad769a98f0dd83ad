// What `gantry catalog render` and templates accept, resolved to catalog content: file-based catalogs
// (directory, file, stdin, URL, catalog image), registry+v1 bundle directories and bundle images.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { emptyConfig, type Bundle, type CatalogIssue } from '../catalog/fbc/types.js';
import type { CatalogInput } from '../catalog/fbc/write-stream.js';
import { renderBundleDir, type RenderBundleDirOptions } from '../catalog/render/index.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { isBundleImage, readImageFiles } from '../files/image-tree.js';
import { CONFIGS_LABEL, INDEX_DATABASE_LABEL as DATABASE_LABEL } from '../catalog/image/defaults.js';
import { openCatalogSource, type CatalogSourceContext } from './catalog-source.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, openSession } from './registry-flags.js';

export type MigrateLevel = NonNullable<RenderBundleDirOptions['migrateLevel']>;

export interface RenderContext extends CatalogSourceContext {
  migrateLevel?: MigrateLevel;
}

async function isBundleDir(path: string): Promise<boolean> {
  const [m, d] = await Promise.all([stat(join(path, 'manifests')).catch(() => undefined), stat(join(path, 'metadata')).catch(() => undefined)]);
  return Boolean(m?.isDirectory() && d?.isDirectory());
}

/** The image text opm records for a bundle image: the reference as the user wrote it, without transport. */
function imageName(ref: string): string {
  return ref.replace(/^docker:\/\//, '');
}

/** Renders a bundle image (docker://…, oci:…, or a bare reference as templates give them). */
export async function renderBundleImage(ref: string, ctx: RenderContext): Promise<Bundle> {
  const text = ref.startsWith('oci:') || ref.startsWith('docker://') ? ref : `docker://${ref}`;
  const flags = ctx.registryFlags ?? {};
  const session = await openSession(flags);
  try {
    const loc = await openLocation(parseImageLocation(text), session, accessFrom(flags, ''));
    if (!loc.reference) throw new GantryError('USAGE', `${ref} names no tag or digest`);
    const { labels, tree } = await readImageFiles(loc.store, loc.reference, () => '', { signal: ctx.signal });
    if (!isBundleImage(labels)) throw new GantryError('CATALOG_INVALID', `${ref} is not a bundle image (no operators.operatorframework.io.bundle.package.v1 label)`);
    return await renderBundleDir(tree, { image: imageName(ref), ...(ctx.migrateLevel ? { migrateLevel: ctx.migrateLevel } : {}), signal: ctx.signal });
  } finally {
    await session.close();
  }
}

/**
 * One render input, opened but not loaded: a catalog's files (read twice by the streaming writer, one package at
 * a time) or, for bundle directories and bundle images, the rendered bundle.
 */
export async function openRenderInput(ref: string, ctx: RenderContext): Promise<CatalogInput> {
  const bundleConfig = (bundle: Bundle): CatalogInput => {
    const config = emptyConfig();
    config.bundles.push(bundle);
    return { config };
  };
  if (!/^(docker:\/\/|oci:|https?:\/\/)/.test(ref) && ref !== '-' && (await isBundleDir(ref))) {
    return bundleConfig(await renderBundleDir(await createDirectoryTree(ref), { ...(ctx.migrateLevel ? { migrateLevel: ctx.migrateLevel } : {}), signal: ctx.signal }));
  }
  if (ref.startsWith('docker://') || ref.startsWith('oci:')) {
    const flags = ctx.registryFlags ?? {};
    const session = await openSession(flags);
    try {
      const loc = await openLocation(parseImageLocation(ref), session, accessFrom(flags, ''));
      if (!loc.reference) throw new GantryError('USAGE', `${ref} names no tag or digest`);
      let kind = 'catalog' as 'catalog' | 'bundle';
      const { tree } = await readImageFiles(
        loc.store,
        loc.reference,
        (labels) => {
          if (labels[CONFIGS_LABEL]) return labels[CONFIGS_LABEL];
          if (isBundleImage(labels)) {
            kind = 'bundle';
            return '';
          }
          throw new GantryError('CATALOG_INVALID', `${ref} is neither a catalog image nor a bundle image`, { hint: `found labels: ${Object.keys(labels).sort().join(', ') || 'none'}` });
        },
        { signal: ctx.signal },
      );
      if (kind === 'bundle') return bundleConfig(await renderBundleDir(tree, { image: imageName(ref), ...(ctx.migrateLevel ? { migrateLevel: ctx.migrateLevel } : {}), signal: ctx.signal }));
      return { tree };
    } finally {
      await session.close();
    }
  }
  const tree = await openCatalogSource(ref, ctx);
  return { tree };
}

/**
 * A directory with manifests/ but no usable metadata/ is not a bundle to opm either, so it is read as a catalog
 * and every manifest "is missing root schema field". Say what is really missing instead.
 */
export function throwIfBundleWithoutMetadata(ref: string, issues: readonly CatalogIssue[]): void {
  const manifests = issues.filter((i) => i.rule === 'missing-schema' && i.file?.startsWith('manifests/'));
  if (manifests.length === 0 || manifests.length !== issues.filter((i) => i.severity !== 'warning').length) return;
  throw new GantryError('MANIFEST_INVALID', `${ref} looks like a bundle directory (it has manifests/) but has no metadata/annotations.yaml`, {
    hint: 'a registry+v1 bundle needs metadata/annotations.yaml naming its package, channels and default channel',
  });
}

/** The SQLite database inside an index image (the file its database label names, e.g. /database/index.db). */
export async function indexDatabaseFromImage(ref: string, ctx: { signal: AbortSignal; registryFlags?: Record<string, unknown> }): Promise<Uint8Array> {
  const flags = ctx.registryFlags ?? {};
  const session = await openSession(flags);
  try {
    const loc = await openLocation(parseImageLocation(ref), session, accessFrom(flags, ''));
    if (!loc.reference) throw new GantryError('USAGE', `${ref} names no tag or digest`);
    let dbFile = '';
    const { tree } = await readImageFiles(
      loc.store,
      loc.reference,
      (labels) => {
        const path = labels[DATABASE_LABEL];
        if (!path) {
          throw new GantryError('CATALOG_INVALID', `${ref} is not a SQLite index image (no ${DATABASE_LABEL} label)`, {
            hint: labels[CONFIGS_LABEL] ? 'it is a file-based catalog image already: use gantry catalog render' : undefined,
          });
        }
        const clean = path.replace(/^\/+/, '');
        dbFile = clean.slice(clean.lastIndexOf('/') + 1);
        return clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '';
      },
      { signal: ctx.signal },
    );
    if (!(await tree.list()).includes(dbFile)) throw new GantryError('CATALOG_INVALID', `${ref} has no ${dbFile} where its database label points`);
    return tree.read(dbFile);
  } finally {
    await session.close();
  }
}
