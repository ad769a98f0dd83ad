// A bundle image's registry+v1 content (BundleContent), read from a Store without unpacking to disk and cached
// by manifest digest under the gantry cache directory (content-addressed, written atomically).
import { join } from 'node:path';
import type { Store } from '../content/store.js';
import { GantryError } from '../errors.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { BUNDLE_PACKAGE_LABEL } from '../catalog/image-defaults.js';
import { readBundleContent } from '../install/bundle-content.js';
import type { BundleContent } from '../install/manifests.js';
import { defaultCacheDir } from '../files/catalog-index-cache.js';
import { createDigestCache } from '../files/digest-cache.js';
import { readImageFiles } from './image-tree.js';

/** Bumped when BundleContent or its reading changes, so older entries are read again. */
const CACHE_FORMAT = 2;
const CACHE_SUBDIR = 'bundle-content';

export interface LoadBundleContentOptions {
  /** Opens the Store that holds the image and the reference (tag or digest) in it; only called on a cache miss. */
  open: () => Promise<{ store: Store; reference: string }>;
  /** The digest the user's reference pins, if any: a cached entry then answers without opening the store. */
  pinned?: string;
  /** How messages name the image. */
  where: string;
  cacheDir?: string;
  signal?: AbortSignal;
}

export interface LoadedBundleContent {
  content: BundleContent;
  digest: Digest;
  fromCache: boolean;
}

const isContent = (v: unknown): v is BundleContent => typeof (v as BundleContent | null)?.csv === 'object' && Array.isArray((v as BundleContent).objects);

/** Reads a bundle image's files (the whole, small, file system) and builds its content; labels stand in for a missing annotations file. */
export async function readBundleImageContent(store: Store, reference: string, where: string, opts: { signal?: AbortSignal } = {}): Promise<BundleContent> {
  const { labels, tree } = await readImageFiles(store, reference, () => '', opts.signal ? { signal: opts.signal } : {});
  if (labels[BUNDLE_PACKAGE_LABEL] === undefined) {
    throw new GantryError('MANIFEST_INVALID', `${where} is not a bundle image (no ${BUNDLE_PACKAGE_LABEL} label)`, { hint: 'render-manifests reads registry+v1 bundle images' });
  }
  const bundleLabels = Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('operators.operatorframework.io.bundle.')));
  return readBundleContent(tree, { fallbackAnnotations: bundleLabels, ...(opts.signal ? { signal: opts.signal } : {}) });
}

/**
 * A bundle image's content: from the cache when its digest is known (pinned by the reference, or after resolving
 * a tag with one manifest HEAD; a tag is never a cache key), else read from the image and cached.
 */
export async function loadBundleImageContent(opts: LoadBundleContentOptions): Promise<LoadedBundleContent> {
  const cache = createDigestCache(join(opts.cacheDir ?? defaultCacheDir(), CACHE_SUBDIR), CACHE_FORMAT, isContent);
  const signalOpt = opts.signal ? { signal: opts.signal } : {};
  if (opts.pinned !== undefined && isDigest(opts.pinned)) {
    const cached = await cache.read(opts.pinned);
    if (cached) return { content: cached, digest: opts.pinned, fromCache: true };
  }
  const { store, reference } = await opts.open();
  let digest: Digest;
  if (isDigest(reference)) {
    digest = reference;
  } else {
    const desc = await store.statManifest(reference, signalOpt);
    if (!desc) throw new GantryError('MANIFEST_UNKNOWN', `bundle image ${opts.where} does not exist`);
    digest = desc.digest;
    const cached = await cache.read(digest);
    if (cached) return { content: cached, digest, fromCache: true };
  }
  const content = await readBundleImageContent(store, digest, opts.where, signalOpt);
  await cache.write(digest, content);
  return { content, digest, fromCache: false };
}
