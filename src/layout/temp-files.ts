// Temp files of the layout store: naming them, remembering which ones this process is still writing, and
// removing the stale ones a killed run left behind (readers never see them: they only open final paths).
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../errors.js';
import type { OpOptions } from '../content/store.js';
import { TEMP_MARK } from './defaults.js';
import { errnoCode } from '../content/abortable.js';

/** Absolute paths of temp files being written by this process, across every store instance. */
const live = new Set<string>();

/** A fresh temp path in `dir` (`<prefix>.tmp-<random>`), registered as live until released. */
export function claimTempPath(dir: string, prefix = ''): string {
  const p = join(dir, `${prefix}${TEMP_MARK}${randomBytes(12).toString('hex')}`);
  live.add(p);
  return p;
}

export function releaseTempPath(p: string): void {
  live.delete(p);
}

export function isTempName(name: string, prefix = ''): boolean {
  return name.startsWith(`${prefix}${TEMP_MARK}`);
}

export interface CleanTempFilesOptions extends OpOptions {
  /**
   * Only remove temp files at least this old. Default 0: right for a layout no other process is writing;
   * pass e.g. an hour when another gantry process may be writing to the same layout.
   */
  minAgeMs?: number;
}

/**
 * Removes stale temp files under `root` (index.json.tmp-* and blobs/<alg>/.tmp-*), sparing those this process
 * is still writing. Returns the removed paths, sorted.
 */
export async function removeStaleTempFiles(root: string, opts: CleanTempFilesOptions = {}): Promise<string[]> {
  const minAgeMs = opts.minAgeMs ?? 0;
  const candidates: string[] = [];
  for (const name of await listDir(root)) {
    if (isTempName(name, 'index.json')) candidates.push(join(root, name));
  }
  const blobs = join(root, 'blobs');
  for (const alg of await listDir(blobs)) {
    for (const name of await listDir(join(blobs, alg))) {
      if (isTempName(name)) candidates.push(join(blobs, alg, name));
    }
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const p of candidates.sort()) {
    throwIfAborted(opts.signal);
    if (live.has(p)) continue;
    if (minAgeMs > 0) {
      const st = await stat(p).catch(() => undefined);
      if (st === undefined || now - st.mtimeMs < minAgeMs) continue;
    }
    await rm(p, { force: true });
    removed.push(p);
  }
  return removed;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return [];
    throw err;
  }
}
