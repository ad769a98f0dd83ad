// The catalog inside a catalog image as a FileTree: the directory its configs label names, read from the
// image's layers in order (whiteouts honoured) straight from the Store, without unpacking to disk.
import { createDeflateRaw, createGunzip, createInflateRaw, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { GantryError, isGantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import { collectBytes } from '../content/chunks.js';
import { verifyStream } from '../oci/digest.js';
import { endTarLikeGo } from './tar-ending.js';
import { parseManifest, type Descriptor } from '../oci/manifest.js';
import { formatPlatform, platformMatches, type Platform } from '../oci/platform.js';
import { byteOrder, createMemoryTree, type FileTree } from '../catalog/fbc/file-tree.js';
import { BUNDLE_PACKAGE_LABEL as BUNDLE_LABEL, CONFIGS_LABEL, INDEX_DATABASE_LABEL as DATABASE_LABEL } from '../catalog/image/defaults.js';

const MAX_CONFIG = 16 * 1024 * 1024;

async function resolveImage(store: Store, reference: string, platform: Platform, signal?: AbortSignal): Promise<{ config: Descriptor; layers: Descriptor[] }> {
  let fetched = await store.fetchManifest(reference, signal ? { signal } : {});
  let m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  if (m.kind === 'index') {
    const child = m.manifests.find((d) => platformMatches(platform, d.platform)) ?? m.manifests[0];
    if (!child) throw new GantryError('MANIFEST_INVALID', `${store.location}:${reference} is an empty index`);
    fetched = await store.fetchManifest(child.digest, signal ? { signal } : {});
    m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
    if (m.kind === 'index') throw new GantryError('MANIFEST_UNSUPPORTED', `nested index in ${store.location}:${reference} for ${formatPlatform(platform)}`);
  }
  return { config: m.config, layers: m.layers };
}

/** A tar entry name as a clean relative path: no leading './' or '/', no trailing '/'. */
function cleanPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/** Relative path inside the root dir ('' = the whole file system), or undefined when the entry lies elsewhere. */
function underRoot(name: string, root: string): string | undefined {
  const clean = cleanPath(name);
  if (root !== '' && (clean === root || !clean.startsWith(`${root}/`))) return undefined;
  const rel = root === '' ? clean : clean.slice(root.length + 1);
  if (rel === '' || rel.split('/').some((p) => p === '..')) return undefined;
  return rel;
}

/**
 * Whether hiding `target` (a clean path; '' is the file system's root) hides the whole catalog root: the root
 * itself or any directory above it. oc-mirror v1 filters a catalog image exactly so (a layer with `.wh.configs`
 * and the new /configs), so this must empty the tree, not be mistaken for a path outside it.
 */
function hidesRoot(target: string, root: string): boolean {
  return target === '' || target === root || root.startsWith(`${target}/`);
}

/**
 * What a whiteout hides among the files read so far: every file (the root or a parent of it), the files at or
 * below one path, or nothing (elsewhere in the image). `opaque` hides a directory's content, not the directory.
 */
function hiddenBy(target: string, root: string): ((file: string) => boolean) | undefined {
  if (hidesRoot(target, root)) return () => true;
  const rel = underRoot(target, root);
  if (rel === undefined) return undefined;
  return (file) => file === rel || file.startsWith(`${rel}/`);
}

const inflate = promisify(inflateRaw);

/** Files kept deflated: a 200 MB catalog holds ~25 MB in memory and is inflated file by file as it is read. */
function compactTree(files: Map<string, Uint8Array>): FileTree & Required<Pick<FileTree, 'stream'>> {
  const paths = [...files.keys()].sort(byteOrder);
  return {
    async list() {
      return paths;
    },
    async read(path) {
      const f = files.get(path);
      if (f === undefined) throw new Error(`no file ${path}`);
      return inflate(f);
    },
    stream(path) {
      const f = files.get(path);
      if (f === undefined) throw new Error(`no file ${path}`);
      // 256 KiB pieces: fewer re-joins of an object split across pieces than zlib's 16 KiB, little memory.
      const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
      inflater.end(f);
      return inflater;
    },
  };
}

async function applyLayer(store: Store, layer: Descriptor, root: string, files: Map<string, Uint8Array>, signal?: AbortSignal, compact = false): Promise<void> {
  const raw = verifyStream(await store.fetchBlob(layer, signal ? { signal } : {}), layer.digest, layer.size);
  const source = Readable.from(raw);
  const gz = layer.mediaType.endsWith('gzip') || layer.mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip';
  const input = gz ? source.pipe(createGunzip()) : source;
  const tar = endTarLikeGo(input);
  const ex = extract();
  const thisLayer = new Set<string>();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      tar.noteEntry(header);
      const name = header.name;
      const base = name.slice(name.lastIndexOf('/') + 1);
      const dir = name.slice(0, name.lastIndexOf('/') + 1);
      const finish = () => {
        stream.resume();
        stream.on('end', next);
      };
      if (base.startsWith('.wh.')) {
        // An opaque whiteout hides what lower layers put in its directory, a plain one the named path. Both hide
        // only lower layers: what this layer adds (before or after the marker) stays (OCI image-spec, layer.md).
        const target = cleanPath(base === '.wh..wh..opq' ? dir : dir + base.slice(4));
        const hidden = hiddenBy(target, root);
        if (hidden) for (const k of [...files.keys()]) if (hidden(k) && !thisLayer.has(k)) files.delete(k);
        return finish();
      }
      const rel = underRoot(name, root);
      if (rel === undefined || (header.type !== 'file' && header.type !== 'contiguous-file')) return finish();
      const parts: Buffer[] = [];
      const store = (bytes: Buffer) => {
        files.set(rel, bytes);
        thisLayer.add(rel);
        next();
      };
      if (compact) {
        // Deflated as it streams: a 60 MB file never sits in memory whole, raw.
        const deflater = createDeflateRaw({ level: 1 });
        deflater.on('data', (c: Buffer) => parts.push(c));
        deflater.on('end', () => store(Buffer.concat(parts)));
        deflater.on('error', (err) => ex.destroy(err));
        stream.pipe(deflater);
        return;
      }
      stream.on('data', (c: unknown) => {
        parts.push(c as Buffer);
      });
      stream.on('end', () => store(Buffer.concat(parts)));
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    input.on('error', reject);
    tar.stream.on('error', reject);
  });
  tar.stream.pipe(ex);
  try {
    await done;
    tar.checkEnd();
  } catch (err) {
    if (isGantryError(err) || signal?.aborted) throw err;
    throw new GantryError('LAYER_INVALID', `layer ${layer.digest} (${layer.mediaType}) cannot be read: ${(err as Error).message}`, {
      hint: 'the layer is not the tar archive its media type says; rebuild or re-push the image',
      cause: err,
    });
  } finally {
    // On any failure (a corrupt layer, a bad tar) stop reading the blob: an unread response body would keep its
    // connection busy and the session could never close.
    source.destroy();
    if (input !== source) input.destroy();
    tar.stream.destroy();
  }
}

export interface ImageFiles {
  labels: Record<string, string>;
  /** The files below `root` of the image's file system, layers applied in order. */
  tree: FileTree;
}

/** Reads an image's labels and the files below a directory (chosen from the labels) without unpacking to disk. */
export async function readImageFiles(
  store: Store,
  reference: string,
  pickRoot: (labels: Record<string, string>) => string,
  opts: { platform?: Platform; signal?: AbortSignal; compact?: boolean } = {},
): Promise<ImageFiles> {
  const platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  const { config, layers } = await resolveImage(store, reference, platform, opts.signal);
  const cfg = JSON.parse(
    (await collectBytes(verifyStream(await store.fetchBlob(config, opts.signal ? { signal: opts.signal } : {}), config.digest, config.size), MAX_CONFIG, 'image config')).toString('utf8'),
  ) as { config?: { Labels?: Record<string, string> } };
  const labels = cfg.config?.Labels ?? {};
  const root = pickRoot(labels).replace(/^\/+|\/+$/g, '');
  const files = new Map<string, Uint8Array>();
  for (const layer of layers) await applyLayer(store, layer, root, files, opts.signal, opts.compact);
  return { labels, tree: opts.compact ? compactTree(files) : createMemoryTree(Object.fromEntries(files)) };
}

export function isBundleImage(labels: Record<string, string>): boolean {
  return labels[BUNDLE_LABEL] !== undefined;
}

/** The catalog inside a catalog image: the directory its configs label names. */
export async function createImageTree(store: Store, reference: string, opts: { platform?: Platform; signal?: AbortSignal; compact?: boolean } = {}): Promise<FileTree> {
  const where = `${store.location}:${reference}`;
  const { tree } = await readImageFiles(
    store,
    reference,
    (labels) => {
      const configs = labels[CONFIGS_LABEL];
      if (configs) return configs;
      if (labels[DATABASE_LABEL]) {
        throw new GantryError('CATALOG_INVALID', `${where} is a SQLite-based index image`, { hint: 'convert it with gantry catalog migrate, or use the file-based catalog of a newer release' });
      }
      if (labels[BUNDLE_LABEL]) throw new GantryError('CATALOG_INVALID', `${where} is a bundle image, not a catalog image`);
      throw new GantryError('CATALOG_INVALID', `catalog image ${where} is missing the required label ${CONFIGS_LABEL}`, {
        hint: `found labels: ${Object.keys(labels).sort().join(', ') || 'none'}`,
      });
    },
    opts,
  );
  return tree;
}
