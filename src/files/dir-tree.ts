// A FileTree over a directory on disk (or a single file), walked in lexical order like Go's fs.WalkDir.
// Symbolic links to files are followed; links to directories are not descended (no cycles).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GantryError } from '../errors.js';
import { byteOrder, type FileTree } from '../catalog/fbc/file-tree.js';

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
      const out: string[] = [];
      const walk = async (rel: string): Promise<void> => {
        const entries = await readdir(join(path, rel), { withFileTypes: true });
        entries.sort((a, b) => byteOrder(a.name, b.name));
        for (const e of entries) {
          const p = rel === '' ? e.name : `${rel}/${e.name}`;
          if (e.isDirectory()) await walk(p);
          else if (e.isFile()) out.push(p);
          else if (e.isSymbolicLink() && (await stat(join(path, p)).catch(() => undefined))?.isFile()) out.push(p);
        }
      };
      await walk('');
      return out;
    },
    read: (p, o) => readFile(join(path, p), o?.signal ? { signal: o.signal } : {}),
  };
}
