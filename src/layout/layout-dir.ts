// The files of an OCI image layout directory (image-spec image-layout.md): opening or creating it, validating
// oci-layout and index.json, blob paths, and the atomic index.json write (temp file, fsync, rename).
import { link, mkdir, open, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GantryError, throwIfAborted } from '../errors.js';
import { digestAlgorithm, digestHex, type Digest } from '../oci/digest.js';
import type { OpOptions } from '../content/store.js';
import { errnoCode } from '../content/abortable.js';
import { createEmptyLayoutIndex, parseLayoutIndex, serializeLayoutIndex, type LayoutIndex } from './layout-index.js';
import { claimTempPath, releaseTempPath } from './temp-files.js';
import { TEMP_MARK } from './defaults.js';

export const OCI_LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const LAYOUT_VERSION = '1.0.0';

export function blobPath(root: string, digest: Digest): string {
  return join(root, 'blobs', digestAlgorithm(digest), digestHex(digest));
}

export interface OpenLayoutDirOptions extends OpOptions {
  path: string;
  /** Create the directory, oci-layout, index.json and blobs/ when absent. */
  create?: boolean;
}

/**
 * Checks (or with `create`, initialises) a layout and returns its real absolute path. `create` initialises a
 * missing or empty directory only, and never overwrites a file: a non-empty directory without oci-layout, or
 * with a broken oci-layout or index.json, is LAYOUT_INVALID either way (a typo must not turn $HOME into a layout).
 */
export async function openLayoutDir(opts: OpenLayoutDirOptions): Promise<string> {
  const dir = resolve(opts.path);
  throwIfAborted(opts.signal);
  const st = await stat(dir).catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (st === undefined) {
    if (!opts.create) {
      throw new GantryError('NOT_FOUND', `OCI layout ${dir} does not exist`, {
        hint: 'check the path; a layout used as a destination is created when absent',
      });
    }
    await mkdir(dir, { recursive: true });
  } else if (!st.isDirectory()) {
    throw new GantryError('LAYOUT_INVALID', `${dir} is not a directory`, { hint: 'an OCI layout is a directory' });
  }
  const root = await realpath(dir);
  // Temp files count as empty: another process may be creating the same layout right now.
  const empty = (await readdir(root)).every((name) => name.includes(TEMP_MARK));
  await ensureLayoutFile(root, opts.create === true && empty);
  const indexFile = join(root, INDEX_FILE);
  const text = await readFile(indexFile, 'utf8').catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) {
    if (!opts.create) {
      throw new GantryError('LAYOUT_INVALID', `${indexFile} is missing`, {
        hint: 'every OCI layout has an index.json (image-spec image-layout.md)',
      });
    }
    await createFileExclusive(indexFile, serializeLayoutIndex(createEmptyLayoutIndex()));
  }
  parseLayoutIndex(text ?? (await readFile(indexFile, 'utf8')), indexFile);
  if (opts.create) await mkdir(join(root, 'blobs'), { recursive: true });
  return root;
}

async function ensureLayoutFile(root: string, create: boolean): Promise<void> {
  const file = join(root, OCI_LAYOUT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    if (!create) {
      throw new GantryError('LAYOUT_INVALID', `${file} is missing: ${root} is not an OCI image layout`, {
        hint: 'an OCI layout holds an oci-layout file, index.json and blobs/ (image-spec image-layout.md); gantry creates one only in a missing or empty directory',
      });
    }
    await createFileExclusive(file, JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
    return ensureLayoutFile(root, false);
  }
  let version: unknown;
  try {
    version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
  } catch {
    throw new GantryError('LAYOUT_INVALID', `${file} is not valid JSON`);
  }
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new GantryError('LAYOUT_INVALID', `${file}: unsupported imageLayoutVersion ${JSON.stringify(version)}`, {
      hint: `gantry reads image layouts of version 1.x (${LAYOUT_VERSION})`,
    });
  }
}

/**
 * Writes a complete file at `file` unless one exists. link(2) is atomic and fails with EEXIST, so two processes
 * creating the same layout do not clobber each other, and a reader never sees a half-written file.
 */
async function createFileExclusive(file: string, content: string): Promise<void> {
  const tmp = claimTempPath(dirname(file), basename(file));
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(tmp, file).catch((err: unknown) => {
      if (errnoCode(err) !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { force: true });
    releaseTempPath(tmp);
  }
}

/** Reads and validates index.json as it is on disk now (another process may have changed it). */
export async function readLayoutIndex(root: string, opts: OpOptions): Promise<LayoutIndex> {
  const file = join(root, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new GantryError('LAYOUT_INVALID', `${file} is missing`);
    throw err;
  }
  return parseLayoutIndex(text, file);
}

export interface WriteLayoutIndexOptions extends OpOptions {
  fsync?: boolean;
}

/** Replaces index.json atomically: readers see the old or the new file, never a partial one. */
export async function writeLayoutIndex(root: string, index: LayoutIndex, opts: WriteLayoutIndexOptions): Promise<void> {
  const tmp = claimTempPath(root, INDEX_FILE);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(serializeLayoutIndex(index), 'utf8');
      if (opts.fsync ?? true) await handle.sync();
    } finally {
      await handle.close();
    }
    throwIfAborted(opts.signal);
    await rename(tmp, join(root, INDEX_FILE));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    releaseTempPath(tmp);
  }
}
