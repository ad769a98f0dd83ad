// The catalog index cache: a compact index per catalog directory and a sidecar of the files holding each package,
// stored under the user's cache directory and keyed by every file's path, size, mtime, ctime and inode (like git's
// stat cache), so a repeated query reads one small file, and install plan parses only its packages' files.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createDirectoryTree } from './dir-tree.js';
import { writeFileAtomic } from './write-tree.js';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import type { CatalogIssue, DeclarativeConfig } from '../catalog/fbc/types.js';
import { INDEX_FORMAT, type QueryIndex } from '../catalog/query/catalog-index.js';
import { buildPackageFiles, filesForPackages, slicePackages, type PackageFiles } from '../catalog/query/package-files.js';

export interface IndexLoadResult {
  index: QueryIndex;
  fromCache: boolean;
  /** Problems met while loading (only when the index was built now). */
  issues: CatalogIssue[];
}

export interface PackagesLoadResult {
  /** The blobs of the packages asked for and those of no package, as loadCatalog with keepPackage gives them. */
  config: DeclarativeConfig;
  /** Errors in the whole catalog (from the sidecar when warm), so a slice still says the catalog has problems. */
  problems: number;
  fromCache: boolean;
}

export interface IndexCacheOptions {
  cacheDir?: string;
  useCache?: boolean;
  signal?: AbortSignal;
}

/**
 * A file changed again within the file system's timestamp tick after it was stat'ed would keep its mtime: an entry
 * is written only when every file is older than this (git's "racily clean" rule). Coarse kernel clocks tick every
 * 1–10 ms; a catalog written by a script and read 50 ms later is cached.
 */
const RACY_MARGIN_MS = 50;

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GANTRY_CACHE_DIR) return env.GANTRY_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'gantry');
}

const identityOf = (p: string, s: { size: number; mtimeMs: number; ctimeMs: number; ino: number }) => `${p}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}\0${s.ino}`;

/**
 * Identity of every file below `root` (or of `root` itself when it is a file): the files the catalog loader
 * reads, found by the same walk (links followed, a dangling link or a loop an error), so no change hides.
 * ctime is in it because a rewrite that restores the mtime (cp -p, touch -r) still moves the ctime.
 */
async function fileIdentity(root: string, tree: FileTree): Promise<{ text: string; newestMs: number }> {
  const st = await stat(root);
  if (st.isFile()) return { text: identityOf(root, st), newestMs: Math.max(st.mtimeMs, st.ctimeMs) };
  const files = await tree.list();
  let newestMs = 0;
  const parts = await Promise.all(
    files.map(async (p) => {
      const s = await stat(join(root, p));
      newestMs = Math.max(newestMs, s.mtimeMs, s.ctimeMs);
      return identityOf(p, s);
    }),
  );
  return { text: parts.join('\n'), newestMs };
}

interface Entry {
  root: string;
  /** The catalog's files, listed once for the key and the load. */
  tree: FileTree;
  /** The entry's files: the index, and its sidecar under the same key in a directory beside; none without the cache. */
  paths?: { index: string; files: string };
  /** False when a file is too new to trust its stat (RACY_MARGIN_MS): the entry is read, never written. */
  writable: boolean;
}

/** The walk is the costliest part of a warm run's file-system work: the key and the load share one. */
function listOnce(tree: FileTree): FileTree {
  let listed: Promise<string[]> | undefined;
  return { ...tree, list: (o) => (listed ??= tree.list(o)) };
}

async function locateEntry(path: string, opts: IndexCacheOptions): Promise<Entry> {
  const root = resolve(path);
  const tree = listOnce(await createDirectoryTree(root));
  if (opts.useCache === false) return { root, tree, writable: false };
  const started = Date.now();
  const id = await fileIdentity(root, tree);
  const key = createHash('sha256').update(`gantry-index-${INDEX_FORMAT}\n${root}\n`).update(id.text).digest('hex');
  const dir = opts.cacheDir ?? defaultCacheDir();
  return { root, tree, paths: { index: join(dir, 'catalog-index', `${key}.json`), files: join(dir, 'catalog-files', `${key}.json`) }, writable: id.newestMs < started - RACY_MARGIN_MS };
}

async function readEntryFile<T extends { format: number }>(file: string | undefined): Promise<T | undefined> {
  if (file === undefined) return undefined;
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as T;
    return value.format === INDEX_FORMAT ? value : undefined;
  } catch {
    return undefined; // absent or damaged: built again
  }
}

/** One pass over the whole catalog: the index and the sidecar from the same load, both written to the entry. */
async function buildEntry(entry: Entry, signal: AbortSignal | undefined) {
  // Only a cache miss needs the loader and the model: loaded on demand, keeping warm runs light.
  const [{ loadCatalog }, { compactModel }, { buildCatalogModel }] = await Promise.all([
    import('../catalog/fbc/load.js'),
    import('../catalog/query/catalog-index.js'),
    import('../catalog/model/catalog-model.js'),
  ]);
  const loaded = await loadCatalog(entry.tree, signal ? { signal } : {});
  const index = compactModel(buildCatalogModel(loaded.config));
  const files = buildPackageFiles(loaded.config, loaded.issues, loaded.files, INDEX_FORMAT);
  if (entry.paths && entry.writable) {
    try {
      // Each file is written atomically on its own; one without the other is rebuilt by its reader, never misread.
      for (const [path, value] of [[entry.paths.files, files], [entry.paths.index, index]] as const) {
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(path, JSON.stringify(value));
      }
    } catch {
      // a read-only or full cache directory only costs speed
    }
  }
  return { loaded, index, files };
}

export async function loadCatalogIndex(path: string, opts: IndexCacheOptions = {}): Promise<IndexLoadResult> {
  const entry = await locateEntry(path, opts);
  const cached = await readEntryFile<QueryIndex>(entry.paths?.index);
  if (cached) return { index: cached, fromCache: true, issues: [] };
  const built = await buildEntry(entry, opts.signal);
  return { index: built.index, fromCache: false, issues: built.loaded.issues };
}

/**
 * The blobs of `packages` (and of no package) from a catalog directory or file. Warm, only the files the sidecar
 * names for them are read; cold, the whole catalog is loaded once, the index and sidecar written from that pass.
 */
export async function loadCatalogPackages(path: string, packages: readonly string[], opts: IndexCacheOptions = {}): Promise<PackagesLoadResult> {
  const names = new Set(packages);
  const entry = await locateEntry(path, opts);
  const sidecar = await readEntryFile<PackageFiles>(entry.paths?.files);
  if (sidecar) {
    const { loadCatalog } = await import('../catalog/fbc/load.js');
    const files = filesForPackages(sidecar, names);
    const loaded = await loadCatalog(entry.tree, { ...(opts.signal ? { signal: opts.signal } : {}), keepFile: (f) => files.has(f), keepPackage: (n) => names.has(n) });
    return { config: loaded.config, problems: sidecar.problems, fromCache: true };
  }
  const built = await buildEntry(entry, opts.signal);
  return { config: slicePackages(built.loaded.config, names), problems: built.files.problems, fromCache: false };
}
