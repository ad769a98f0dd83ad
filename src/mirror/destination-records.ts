// What has been mirrored to each destination so far, kept in the workspace, so cluster resources cover every run's
// images rather than only the last run's (oc-mirror's IDMS covers one run; users merge by hand).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { MirrorTarget } from '../generate/destination.js';
import { formatReference } from '../oci/reference.js';

export const RECORDS_DIR = join('.gantry', 'mirrored');

export function recordFile(workspace: string, target: MirrorTarget): string {
  const key = `${target.registry}${target.namespace ? `/${target.namespace}` : ''}`.replace(/[^A-Za-z0-9.-]+/g, '_');
  return join(workspace, RECORDS_DIR, `${key}.json`);
}

/** Union by destination reference; the newer record wins (a catalog tag now pointing at a new digest). */
export function mergeMirrored(previous: MirroredImage[], current: MirroredImage[]): MirroredImage[] {
  const byDest = new Map<string, MirroredImage>();
  for (const m of [...previous, ...current]) byDest.set(formatReference(m.dest), m);
  return [...byDest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
}

export async function readMirrored(file: string): Promise<MirroredImage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GantryError('IO_ERROR', `cannot read ${file}`, { cause: err });
  }
  try {
    const v = JSON.parse(text) as { version?: unknown; images?: unknown };
    if (v.version !== 1 || !Array.isArray(v.images)) throw new Error('not version 1');
    return v.images as MirroredImage[];
  } catch {
    throw new GantryError('CONFIG_INVALID', `${file} is not a gantry mirror record`, { hint: 'delete it: the next run records what it mirrors afresh' });
  }
}

/** Adds this run's images to the destination's record and returns everything mirrored there so far. */
export async function recordMirrored(workspace: string, target: MirrorTarget, current: MirroredImage[]): Promise<MirroredImage[]> {
  const file = recordFile(workspace, target);
  const all = mergeMirrored(await readMirrored(file), current);
  await mkdir(join(workspace, RECORDS_DIR), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, images: all }, null, 1)}\n`);
  return all;
}
