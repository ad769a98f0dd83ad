// Output written piece by piece, never held whole: one file, or a tree of files, staged under a temporary name
// beside the target and renamed into place only when complete, so a failure never leaves half a result.
import { open, mkdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { placeStagedTree } from './write-tree.js';

export interface StagedFile {
  write(text: string): Promise<void>;
  /** Closes the file and renames it into place. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

export interface StagedTree {
  /** Starts (or starts again, emptied) the file at this relative path; later writes go to it. */
  file(path: string): Promise<void>;
  write(text: string): Promise<void>;
  /** Renames the staged tree to the target (replacing it only with `replace`). */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const tempSuffix = () => `${randomBytes(6).toString('hex')}.tmp-gantry`;

export async function openStagedFile(path: string): Promise<StagedFile> {
  const tmp = `${path}.${tempSuffix()}`;
  const handle = await open(tmp, 'w');
  let closed = false;
  const close = async () => {
    if (!closed) await handle.close();
    closed = true;
  };
  return {
    write: async (text) => {
      await handle.writeFile(text); // writeFile loops until every byte is written; write may stop short
    },
    commit: async () => {
      await close();
      await rename(tmp, path);
    },
    abort: async () => {
      await close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

export async function openStagedTree(target: string, opts: { replace?: boolean } = {}): Promise<StagedTree> {
  const root = resolve(target);
  const staging = join(dirname(root), `.${tempSuffix()}`);
  await mkdir(staging, { recursive: true });
  let current: FileHandle | undefined;
  const closeCurrent = async () => {
    const h = current;
    current = undefined;
    await h?.close();
  };
  return {
    file: async (path) => {
      await closeCurrent();
      const p = join(staging, path);
      await mkdir(dirname(p), { recursive: true });
      current = await open(p, 'w');
    },
    write: async (text) => {
      if (!current) throw new Error('staged tree: write before file');
      await current.writeFile(text);
    },
    commit: async () => {
      await closeCurrent();
      try {
        await placeStagedTree(staging, root, opts);
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw err;
      }
    },
    abort: async () => {
      await closeCurrent().catch(() => undefined);
      await rm(staging, { recursive: true, force: true });
    },
  };
}
