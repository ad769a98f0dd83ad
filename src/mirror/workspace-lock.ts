// The lock of a workspace or archive directory: one run at a time, so two runs cannot interleave archive parts,
// wipe each other's staging or lose each other's mirror records. A lock left by a dead process is taken over.
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
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
    if (await createLock(file, text)) return { file, release: () => releaseLock(file, text) };
    const seen = await readHolder(file);
    if (!seen) continue;
    const h = seen.holder;
    if (h && (h.host !== mine.host || alive(h.pid))) {
      throw new GantryError('WORKSPACE_LOCKED', `${dir} is in use by another gantry run (${h.what}, pid ${h.pid}${h.host !== mine.host ? ` on ${h.host}` : ''}, since ${h.started})`, {
        hint: `wait for it to finish; if no such run exists any more, delete ${file}`,
      });
    }
    // Unreadable: a crash between create and write, or (where hard links are not supported) a run writing it now.
    if (!h && (await ageMs(file)) < PARTIAL_LOCK_GRACE_MS) {
      throw new GantryError('WORKSPACE_LOCKED', `${dir} is in use: another gantry run is taking its lock`, { hint: 'try again when that run has finished' });
    }
    // Stale: removed only if it is still the lock we judged (another run may have taken it over meanwhile).
    const again = await readHolder(file);
    if (again?.text === seen.text) await unlink(file).catch(() => undefined);
  }
  throw new GantryError('WORKSPACE_LOCKED', `${dir} is in use: its lock ${file} keeps changing`, { hint: 'another gantry run is starting there; try again when it has finished' });
}

/** An unreadable lock younger than this may still be being written. */
const PARTIAL_LOCK_GRACE_MS = 10_000;

async function ageMs(file: string): Promise<number> {
  const st = await stat(file).catch(() => undefined);
  return st ? Date.now() - st.mtimeMs : Number.POSITIVE_INFINITY;
}

/**
 * Creates the lock with its content in one step: written to a private name, then hard-linked to the lock name
 * (which fails if it exists), so no other run ever reads a lock half written. Without hard links, create-exclusive.
 */
async function createLock(file: string, text: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    try {
      await link(tmp, file);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    }
    const fh = await open(file, 'wx');
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new GantryError('IO_ERROR', `cannot create the lock ${file}`, { cause: err });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
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
