// What has been mirrored to each destination so far, kept in the workspace, so cluster resources cover every run's
// images rather than only the last run's (oc-mirror's IDMS covers one run; users merge by hand).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { MirrorTarget } from '../generate/destination.js';
import { mergeMirrored, parseMirrored, serializeMirrored } from '../generate/mirrored-record.js';

export const RECORDS_DIR = join('.gantry', 'mirrored');

/** The file name a destination's record has in a records directory: its registry and namespace, made safe. */
export function destinationRecordName(target: MirrorTarget): string {
  return `${`${target.registry}${target.namespace ? `/${target.namespace}` : ''}`.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`;
}

export function recordFile(workspace: string, target: MirrorTarget): string {
  return join(workspace, RECORDS_DIR, destinationRecordName(target));
}

/** A workspace record's text, or undefined when there is none yet (any other read failure is an error). */
export async function readRecordText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GantryError('IO_ERROR', `cannot read ${file}`, { cause: err });
  }
}

export async function readMirrored(file: string): Promise<MirroredImage[]> {
  const text = await readRecordText(file);
  if (text === undefined) return [];
  const parsed = parseMirrored(text, file);
  if (!parsed.images) {
    const first = parsed.issues[0];
    throw new GantryError('CONFIG_INVALID', `${file}: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'not a gantry mirror record'}`, {
      hint: 'delete it: the next run records what it mirrors afresh (cluster resources then cover that run only)',
    });
  }
  return parsed.images;
}

/** Adds this run's images to the destination's record and returns everything mirrored there so far. */
export async function recordMirrored(workspace: string, target: MirrorTarget, current: MirroredImage[]): Promise<MirroredImage[]> {
  const file = recordFile(workspace, target);
  const all = mergeMirrored(await readMirrored(file), current);
  await mkdir(join(workspace, RECORDS_DIR), { recursive: true });
  await writeFileAtomic(file, serializeMirrored(all));
  return all;
}
