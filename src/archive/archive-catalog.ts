// Which catalog of a mirror archive a catalog argument means: `archive:DIR` (the only one) or `archive:DIR#WHICH`
// (by source image, key, destination or repository name), from the newest sequence. cli/ opens it as a file tree.
import { GantryError } from '../errors.js';
import type { ArchivedImage } from './archive-format.js';

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
