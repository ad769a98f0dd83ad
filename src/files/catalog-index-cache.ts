// The catalog index cache: a compact index per catalog directory, stored under the user's cache directory and
// keyed by every file's path, size, mtime and inode (like git's stat cache), so a repeated query reads one small
// file instead of parsing the whole catalog. Written atomically; a damaged entry is rebuilt.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createDirectoryTree } from './dir-tree.js';
import { writeFileAtomic } from './write-tree.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CatalogIssue } from '../catalog/fbc/types.js';
import { INDEX_FORMAT, type QueryIndex } from '../catalog/query/catalog-index.js';

export interface IndexLoadResult {
  index: QueryIndex;
  fromCache: boolean;
  /** Problems met while loading (only when the index was built now). */
  issues: CatalogIssue[];
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GANTRY_CACHE_DIR) return env.GANTRY_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'gantry');
}

/**
 * Identity of every file below `root` (or of `root` itself when it is a file): the files the catalog loader
 * reads, found by the same walk (links followed, a dangling link or a loop an error), so no change hides.
 */
async function fileIdentity(root: string): Promise<string> {
  const st = await stat(root);
  if (st.isFile()) return `${root}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  const files = await (await createDirectoryTree(root)).list();
  const parts = await Promise.all(
    files.map(async (p) => {
      const s = await stat(join(root, p));
      return `${p}\0${s.size}\0${s.mtimeMs}\0${s.ino}`;
    }),
  );
  return parts.join('\n');
}

export async function loadCatalogIndex(path: string, opts: { cacheDir?: string; useCache?: boolean; signal?: AbortSignal } = {}): Promise<IndexLoadResult> {
  const root = resolve(path);
  const useCache = opts.useCache ?? true;
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'catalog-index');
  let file: string | undefined;
  if (useCache) {
    const key = createHash('sha256').update(`gantry-index-${INDEX_FORMAT}\n${root}\n`).update(await fileIdentity(root)).digest('hex');
    file = join(dir, `${key}.json`);
    try {
      const index = JSON.parse(await readFile(file, 'utf8')) as QueryIndex;
      if (index.format === INDEX_FORMAT) return { index, fromCache: true, issues: [] };
    } catch {
      // absent or damaged: build it
    }
  }
  // Only a cache miss needs the loader and the model: loaded on demand, keeping warm queries light.
  const [{ loadCatalog }, { buildQueryIndex }] = await Promise.all([import('../catalog/fbc/load.js'), import('../catalog/query/catalog-index.js')]);
  const loaded = await loadCatalog(await createDirectoryTree(root), opts.signal ? { signal: opts.signal } : {});
  const index = buildQueryIndex(loaded.config);
  if (file) {
    try {
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(index));
    } catch {
      // a read-only or full cache directory only costs speed
    }
  }
  return { index, fromCache: false, issues: loaded.issues };
}
