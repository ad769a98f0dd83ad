// The catalogs a mirror archive carries, read back as file trees: `archive:DIR` (the only catalog) or
// `archive:DIR#WHICH` (by source image, key or destination), from the newest sequence, after every part is verified.
import { GantryError } from '../errors.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import { createImageTree } from '../catalog-image/image-tree.js';
import type { ArchivedImage } from './archive-format.js';
import { createArchiveStore } from './archive-store.js';
import { verifyArchive } from './read-parts.js';

/** `DIR` and `DIR#WHICH` (a path may hold '#' only before the last one). */
export function parseArchiveSource(spec: string): { dir: string; which?: string } {
  const hash = spec.lastIndexOf('#');
  return hash < 0 ? { dir: spec } : { dir: spec.slice(0, hash), which: spec.slice(hash + 1) };
}

const names = (i: ArchivedImage): string[] => {
  const out = [i.source, i.key];
  if (i.targetRepo) out.push(i.targetTag ? `${i.targetRepo}:${i.targetTag}` : i.targetRepo);
  // The repository's last element without tag or digest: what `gantry serve` names a catalog after.
  out.push(i.source.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^:/]*$/, '').split('/').pop()!);
  return out;
};

/** Picks one catalog image among the archived ones; pure, so the selection rules unit-test without an archive. */
export function pickArchivedCatalog(images: readonly ArchivedImage[], which: string | undefined, where: string): ArchivedImage {
  const catalogs = images.filter((i) => i.kind === 'catalog');
  const list = catalogs.map((c) => c.source).join(', ');
  if (catalogs.length === 0) throw new GantryError('CATALOG_INVALID', `the archive in ${where} carries no catalog image`, { hint: 'it was made from an ImageSetConfiguration without mirror.operators' });
  if (which === undefined) {
    if (catalogs.length === 1) return catalogs[0]!;
    throw new GantryError('USAGE', `the archive in ${where} carries ${catalogs.length} catalogs: say which with archive:DIR#CATALOG`, { hint: `catalogs: ${list}` });
  }
  const found = catalogs.filter((c) => names(c).includes(which));
  if (found.length === 1) return found[0]!;
  throw new GantryError('USAGE', `${found.length === 0 ? 'no' : 'more than one'} catalog in the archive in ${where} is "${which}"`, { hint: `catalogs: ${list}` });
}

export async function openArchiveCatalog(spec: string, opts: { signal?: AbortSignal } = {}): Promise<FileTree> {
  const { dir, which } = parseArchiveSource(spec);
  const contents = await verifyArchive(dir, opts.signal ? { signal: opts.signal } : {});
  const newest = contents.manifests.at(-1);
  const image = pickArchivedCatalog(newest?.images ?? [], which, dir);
  return createImageTree(createArchiveStore(contents), image.digest, opts.signal ? { signal: opts.signal } : {});
}
