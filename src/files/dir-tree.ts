// A FileTree over a directory on disk (or a single file), walked in lexical order like Go's fs.WalkDir.
// Symbolic links are followed (a dangling link or a loop is an error naming it); `..`-prefixed names are skipped.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GantryError } from '../errors.js';
import { type FileTree } from '../catalog/fbc/file-tree.js';
import { byteOrder } from '../order.js';

/**
 * Kubernetes mounts a ConfigMap as `..<timestamp>/` (the files), `..data -> ..<timestamp>` and one top-level
 * link per key into `..data/`. Names starting with `..` are that writer's internals: skipping them reads each
 * file once, through the key's link.
 */
function isAtomicWriterInternal(name: string): boolean {
  return name.startsWith('..');
}

/** What a symbolic link leads to: a file, a directory (with its real path, to catch loops), or an error. */
async function followLink(full: string, shown: string): Promise<{ kind: 'file' } | { kind: 'dir'; real: string } | { kind: 'other' }> {
  let st;
  try {
    st = await stat(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new GantryError('CATALOG_INVALID', `${shown} is a symbolic link loop`, { hint: 'remove or fix the link; opm refuses it too', cause: err });
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new GantryError('CATALOG_INVALID', `${shown} is a dangling symbolic link (its target does not exist)`, { hint: 'remove or fix the link; opm refuses it too', cause: err });
    }
    throw err;
  }
  if (st.isFile()) return { kind: 'file' };
  if (st.isDirectory()) return { kind: 'dir', real: await realpath(full) };
  return { kind: 'other' };
}

export async function createDirectoryTree(path: string): Promise<FileTree> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw new GantryError('NOT_FOUND', `catalog ${path} does not exist`, { cause: err });
  }
  if (st.isFile()) {
    const name = basename(path);
    const dir = dirname(path);
    return { list: async () => [name], read: (p, o) => readFile(join(dir, p), o?.signal ? { signal: o.signal } : {}) };
  }
  return {
    async list() {
      // Real paths of the directories being walked: a link back to one of them would never end. A plain
      // directory's real path is its parent's joined with its name, so only links cost a realpath call.
      // Sibling directories are read concurrently (a 332-package catalog: 45 ms → 10 ms); the order stays the walk's.
      const walk = async (rel: string, ancestors: readonly string[]): Promise<string[]> => {
        const entries = await readdir(join(path, rel), { withFileTypes: true });
        entries.sort((a, b) => byteOrder(a.name, b.name));
        const settled = await Promise.allSettled(
          entries.map(async (e): Promise<string[]> => {
            if (isAtomicWriterInternal(e.name)) return [];
            const p = rel === '' ? e.name : `${rel}/${e.name}`;
            if (e.isDirectory()) return walk(p, [...ancestors, join(ancestors[ancestors.length - 1]!, e.name)]);
            if (e.isFile()) return [p];
            if (!e.isSymbolicLink()) return [];
            const target = await followLink(join(path, p), join(path, p));
            if (target.kind === 'file') return [p];
            if (target.kind !== 'dir') return [];
            if (ancestors.includes(target.real)) throw new GantryError('CATALOG_INVALID', `${join(path, p)} is a symbolic link loop (it leads back to a directory that contains it)`, { hint: 'remove or fix the link; opm refuses it too' });
            return walk(p, [...ancestors, target.real]);
          }),
        );
        // The first problem in walk order, whichever finished first: the same catalog gives the same error.
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        return settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      };
      return walk('', [await realpath(path)]);
    },
    read: (p, o) => readFile(join(path, p), o?.signal ? { signal: o.signal } : {}),
  };
}
