// The catalog layer: the FBC files as a reproducible tar under configs/ (sorted entries, fixed modes, owners and
// times), gzip-compressed with a fixed header; its diffID is the sha256 of the tar, its digest that of the blob.
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { pack as tarPack, type Header } from 'tar-stream';
import { GantryError, abortError, throwIfAborted } from '../errors.js';
import { createDigester, type Digest } from '../oci/digest.js';
import { type FileTree } from '../catalog/fbc/file-tree.js';
import { byteOrder } from '../order.js';
import { CATALOG_IMAGE_DEFAULTS, CONFIGS_DIR } from '../catalog/image-defaults.js';

export type LayerCompression = 'gzip' | 'none';

export interface CatalogLayerOptions {
  /** The absolute directory the files go to. Default /configs (the catalog); the graph-data image uses its own. */
  root?: string;
  /** Add an opaque whiteout so a base image's own /configs (a full catalog being filtered) does not show through. */
  opaque?: boolean;
  /**
   * Seconds since the Unix epoch written as every entry's mtime (SOURCE_DATE_EPOCH semantics). Default 0.
   */
  sourceDateEpoch?: number;
  /**
   * 'gzip' (default) or 'none'. The gzip bytes are stable for one zlib build; Node's bundled zlib picks its
   * match-finder hash by CPU feature and differs from system zlib, so only 'none' is byte-identical everywhere.
   */
  compression?: LayerCompression;
  signal?: AbortSignal;
}

export interface CatalogLayer {
  /** The blob as pushed: the gzip'd tar, or the tar itself with compression 'none'. */
  bytes: Uint8Array;
  digest: Digest;
  size: number;
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: Digest;
  compression: LayerCompression;
  /** Files written (directories not counted). */
  files: number;
}

/** One tar entry of the layer: a directory (name ends in '/') or a file read from the tree at `source`. */
export interface CatalogTarEntry {
  name: string;
  type: 'directory' | 'file';
  source?: string;
}

/** The OCI opaque-whiteout marker: hides whatever lower layers have under configs/ (a base catalog's files). */
const OPAQUE_MARKER = '.wh..wh..opq';

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;
const DEFAULT_ROOT = CONFIGS_DIR.replace(/^\/+/, '');

/** `/var/lib/x/` → `var/lib/x`: tar names are relative. */
function layerRoot(root: string | undefined): string {
  return root === undefined ? DEFAULT_ROOT : root.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The problems of a catalog path that would make a bad or ambiguous tar entry; undefined when it is fine. */
function pathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/')) return 'is absolute';
  if (path.includes('\\')) return "contains '\\' (paths use '/')";
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return "has an empty, '.' or '..' segment";
  return undefined;
}

/**
 * The tar entries for catalog files (relative paths), byte-wise sorted: configs/ and every directory on the
 * way to a file (so extractors create them with our mode, not theirs), then the files. Pure.
 */
export function catalogTarEntries(paths: readonly string[], opts: { opaque?: boolean; root?: string } = {}): CatalogTarEntry[] {
  const ROOT = layerRoot(opts.root);
  const problems: string[] = [];
  const files = new Set<string>();
  // Every directory on the way to the root too (var/, var/lib/, …), so an extractor creates them with our mode.
  const rootParts = ROOT.split('/');
  const dirs = new Set<string>(rootParts.map((_, i) => `${rootParts.slice(0, i + 1).join('/')}/`));
  for (const p of paths) {
    const problem = pathProblem(p);
    if (problem) {
      problems.push(`"${p}" ${problem}`);
      continue;
    }
    files.add(p);
    const segments = p.split('/');
    for (let i = 1; i < segments.length; i++) dirs.add(`${ROOT}/${segments.slice(0, i).join('/')}/`);
  }
  for (const f of files) if (dirs.has(`${ROOT}/${f}/`)) problems.push(`"${f}" is both a file and a directory`);
  if (problems.length > 0) {
    throw new GantryError('USAGE', `catalog has paths that cannot go into an image layer: ${problems.join('; ')}`);
  }
  if (files.size === 0) {
    throw new GantryError('USAGE', 'catalog has no files', { hint: 'point at a file-based catalog directory (one directory per package)' });
  }
  const entries: CatalogTarEntry[] = [
    ...[...dirs].map((name): CatalogTarEntry => ({ name, type: 'directory' })),
    ...[...files].map((source): CatalogTarEntry => ({ name: `${ROOT}/${source}`, type: 'file', source })),
    // An empty file with no source: written as a zero-length regular file.
    ...(opts.opaque ? [{ name: `${ROOT}/${OPAQUE_MARKER}`, type: 'file' as const }] : []),
  ];
  // Go's byte order on the full names; a directory "a/" is a prefix of its children, so it always comes first.
  return entries.sort((a, b) => byteOrder(a.name, b.name));
}

export function checkSourceDateEpoch(value: number | undefined): number {
  const epoch = value ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > CATALOG_IMAGE_DEFAULTS.maxSourceDateEpoch) {
    throw new GantryError('USAGE', `invalid source date epoch ${String(value)}`, {
      hint: 'give whole seconds since 1970-01-01T00:00:00Z, as SOURCE_DATE_EPOCH does',
    });
  }
  return epoch;
}

/** The tar stream of `entries`, one chunk at a time; headers hold nothing that depends on the host. */
async function* catalogTar(tree: FileTree, entries: readonly CatalogTarEntry[], mtime: Date, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const pack = tarPack();
  let failed = false;
  const produce = (async () => {
    for (const e of entries) {
      if (failed) return;
      throwIfAborted(signal);
      // uid/gid 0 and empty uname/gname: tar-stream writes no names when they are empty. It switches to a PAX
      // header (path record) only when a name does not fit ustar's 100+155 bytes or is not ASCII.
      const header: Partial<Header> & { name: string } = { name: e.name, type: e.type, mode: e.type === 'directory' ? DIR_MODE : FILE_MODE, uid: 0, gid: 0, uname: '', gname: '', mtime };
      const body = e.type === 'directory' ? undefined : e.source === undefined ? Buffer.alloc(0) : Buffer.from(await tree.read(e.source, signal ? { signal } : {}));
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error | null): void => (err ? reject(err) : resolve());
        if (body === undefined) pack.entry(header, done);
        else pack.entry(header, body, done);
      });
    }
    pack.finalize();
  })();
  // A failed read ends the pack with that error, so the consumer below sees it instead of waiting forever.
  produce.catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  let complete = false;
  try {
    for await (const chunk of pack as AsyncIterable<Uint8Array>) yield chunk;
    await produce;
    complete = true;
  } finally {
    // The consumer stopped early (an error downstream, a cancelled build): stop producing too.
    if (!complete) {
      failed = true;
      pack.destroy();
    }
  }
}

/**
 * Builds the catalog layer from `tree`. Identical files and options give an identical tar (and, for one zlib
 * build, identical gzip bytes): entries sorted byte-wise, mode 0755/0644, uid/gid 0, no user or group names,
 * every mtime the source date epoch, and a gzip header with mtime 0 and OS "unknown".
 */
export async function buildCatalogLayer(tree: FileTree, opts: CatalogLayerOptions = {}): Promise<CatalogLayer> {
  const { signal } = opts;
  const compression = opts.compression ?? 'gzip';
  const mtime = new Date(checkSourceDateEpoch(opts.sourceDateEpoch) * 1000);
  throwIfAborted(signal);
  const entries = catalogTarEntries(await tree.list(signal ? { signal } : {}), { opaque: opts.opaque ?? false, ...(opts.root !== undefined ? { root: opts.root } : {}) });
  const diff = createDigester('sha256');
  const tar = catalogTar(tree, entries, mtime, signal);
  let bytes: Buffer;
  if (compression === 'none') {
    const parts: Uint8Array[] = [];
    for await (const chunk of tar) {
      diff.update(chunk);
      parts.push(chunk);
    }
    bytes = Buffer.concat(parts);
  } else {
    bytes = await gzipChunks(tar, (chunk) => diff.update(chunk), signal);
  }
  throwIfAborted(signal);
  return {
    bytes,
    digest: `sha256:${createDigester('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
    diffId: `sha256:${diff.digest('hex')}`,
    compression,
    files: entries.filter((e) => e.type === 'file').length,
  };
}

/** gzips a stream at the fixed level, calling `tap` on every uncompressed chunk, and fixes the header bytes. */
async function gzipChunks(source: AsyncIterable<Uint8Array>, tap: (chunk: Uint8Array) => void, signal?: AbortSignal): Promise<Buffer> {
  const gz = createGzip({ level: CATALOG_IMAGE_DEFAULTS.gzipLevel });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = once(gz, 'end');
  ended.catch(() => undefined);
  try {
    for await (const chunk of source) {
      if (signal?.aborted) throw abortError(signal);
      tap(chunk);
      if (!gz.write(chunk)) await once(gz, 'drain');
    }
    gz.end();
    await ended;
  } catch (err) {
    gz.destroy();
    throw err;
  }
  return fixGzipHeader(Buffer.concat(out));
}

/**
 * RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS. zlib writes FLG 0 (no name, comment or header CRC, so the
 * header may be edited), MTIME 0 and XFL from the level alone; only OS depends on the host, so it is pinned.
 */
export function fixGzipHeader(gz: Buffer): Buffer {
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8 || gz[3] !== 0) {
    throw new GantryError('INTERNAL', 'zlib wrote an unexpected gzip header');
  }
  gz.fill(0, 4, 8);
  gz[9] = CATALOG_IMAGE_DEFAULTS.gzipOs;
  return gz;
}
