// The lock of a workspace or archive directory: one run at a time, so two runs cannot interleave archive parts,
// wipe each other's staging or lose each other's mirror records. A lock left by a dead process is taken over.
import { hostname } from 'node:os';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';

export const LOCK_FILE = join('.gantry', 'lock');

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  /** What holds it, for the message a second run prints ("mirror to disk"). */
  what: string;
}

export interface DirectoryLock {
  readonly file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<{ text: string; holder?: LockHolder } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GantryError('IO_ERROR', `cannot read the lock ${file}`, { cause: err });
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? { text, holder: h } : { text };
  } catch {
    // A lock cut short by a crash between create and write: nobody can be holding it.
    return { text };
  }
}

/**
 * Takes DIR's lock or refuses with WORKSPACE_LOCKED naming the holder. Only a holder on this host whose process is
 * gone is taken over: on another host (a shared mount) its pid says nothing, so the lock stands.
 */
export async function lockDirectory(dir: string, what: string): Promise<DirectoryLock> {
  const file = join(dir, LOCK_FILE);
  await mkdir(join(dir, '.gantry'), { recursive: true });
  const mine: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), what };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(text);
      } finally {
        await fh.close();
      }
      return { file, release: () => releaseLock(file, text) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new GantryError('IO_ERROR', `cannot create the lock ${file}`, { cause: err });
    }
    const seen = await readHolder(file);
    if (!seen) continue;
    const h = seen.holder;
    if (h && (h.host !== mine.host || alive(h.pid))) {
      throw new GantryError('WORKSPACE_LOCKED', `${dir} is in use by another gantry run (${h.what}, pid ${h.pid}${h.host !== mine.host ? ` on ${h.host}` : ''}, since ${h.started})`, {
        hint: `wait for it to finish; if no such run exists any more, delete ${file}`,
      });
    }
    // Stale: removed only if it is still the lock we judged (another run may have taken it over meanwhile).
    const again = await readHolder(file);
    if (again?.text === seen.text) await unlink(file).catch(() => undefined);
  }
  throw new GantryError('WORKSPACE_LOCKED', `${dir} is in use: its lock ${file} keeps changing`, { hint: 'another gantry run is starting there; try again when it has finished' });
}

async function releaseLock(file: string, text: string): Promise<void> {
  const seen = await readHolder(file).catch(() => undefined);
  if (seen?.text === text) await unlink(file).catch(() => undefined);
}

/** Runs fn holding DIR's lock. */
export async function withDirectoryLock<T>(dir: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await lockDirectory(dir, what);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
