// The history of an archive directory: which blobs each earlier sequence carried, so the next archive for the same
// destination carries only new ones. One directory per disconnected site; the file never goes into an archive.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';

export interface HistoryEntry {
  sequence: number;
  archiveId: string;
  created: string;
  partial: boolean;
  /** digest → size of every blob (manifests too) this sequence carried. */
  blobs: Record<string, number>;
}

export interface History {
  sequences: HistoryEntry[];
}

export const HISTORY_FILE = join('.gantry', 'history.json');

export async function readHistory(dir: string): Promise<History> {
  const path = join(dir, HISTORY_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { sequences: [] };
    throw new GantryError('IO_ERROR', `cannot read ${path}`, { cause: err });
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new GantryError('ARCHIVE_INVALID', `${path} is not valid JSON`, { hint: 'restore it from a backup, or delete it (the next archive is then a full one)' });
  }
  const seqs = (v as { version?: unknown; sequences?: unknown }).sequences;
  if ((v as { version?: unknown }).version !== 1 || !Array.isArray(seqs)) {
    throw new GantryError('ARCHIVE_INVALID', `${path} is not a gantry archive history (version 1)`, { hint: 'delete it to make the next archive a full one' });
  }
  return { sequences: seqs as HistoryEntry[] };
}

export function nextSequence(h: History): number {
  return h.sequences.reduce((max, s) => Math.max(max, s.sequence), 0) + 1;
}

/** Every blob earlier sequences carried, with the sequence that first carried it. */
export function shippedBlobs(h: History): Map<string, { size: number; sequence: number }> {
  const out = new Map<string, { size: number; sequence: number }>();
  for (const s of [...h.sequences].sort((a, b) => a.sequence - b.sequence)) {
    for (const [digest, size] of Object.entries(s.blobs)) if (!out.has(digest)) out.set(digest, { size, sequence: s.sequence });
  }
  return out;
}

export async function appendHistory(dir: string, h: History, entry: HistoryEntry): Promise<void> {
  await mkdir(join(dir, '.gantry'), { recursive: true });
  const next = { version: 1, sequences: [...h.sequences.filter((s) => s.sequence !== entry.sequence), entry] };
  await writeFileAtomic(join(dir, HISTORY_FILE), `${JSON.stringify(next)}\n`);
}
