// Bundle facts for many bundle images: a content-addressed cache under the gantry cache directory (one small
// file per bundle image digest, written atomically), and bounded-concurrency reads for what it lacks.
import { createDigestCache } from '../files/digest-cache.js';
import { join } from 'node:path';
import type { Store } from '../content/store.js';
import { Defaults } from '../defaults.js';
import { abortError, GantryError, isGantryError } from '../errors.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { parseReference } from '../oci/reference.js';
import { BUNDLE_FACTS_FORMAT, type BundleFacts } from '../catalog/render/bundle-facts.js';
import { readBundleImageFacts } from './bundle-image-facts.js';
import { defaultCacheDir } from '../files/catalog-index-cache.js';

/** Opens the Store that holds a bundle image (the caller owns registry sessions and access flags). */
export type BundleImageOpener = (image: string) => Promise<{ store: Store; reference: string }>;

export interface LoadBundleFactsOptions {
  open: BundleImageOpener;
  cacheDir?: string;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface BundleFactsFailure {
  image: string;
  error: Error;
}

export interface BundleFactsLoad {
  /** Facts per bundle image reference, as the catalog writes it. */
  facts: Map<string, BundleFacts>;
  /** Bundle images whose facts are known now, from the cache or from the registry. */
  read: number;
  fromCache: number;
  failures: BundleFactsFailure[];
}

const isFacts = (v: unknown): v is BundleFacts => Array.isArray((v as BundleFacts | null)?.webhooks) && Array.isArray((v as BundleFacts).installModes);

/** Failures that every image of the registry would meet: the rest of its images are not tried (no retries each). */
const REGISTRY_WIDE = new Set(['REGISTRY_UNREACHABLE', 'TLS_ERROR']);

function registryOf(image: string): string | undefined {
  try {
    return parseReference(image).registry;
  } catch {
    return undefined;
  }
}

/** The digest a reference pins, if any: then the cache answers without a request. */
function pinnedDigest(image: string): Digest | undefined {
  try {
    const d = parseReference(image).digest;
    return d && isDigest(d) ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Facts for each image: from the cache when its digest is known and cached, else read from the image (a tag is
 * resolved to its digest first, with one manifest HEAD). One image failing does not stop the others, but a
 * registry that cannot be reached is not tried again for the images after it.
 */
export async function loadBundleFacts(images: readonly string[], opts: LoadBundleFactsOptions): Promise<BundleFactsLoad> {
  const cache = createDigestCache(join(opts.cacheDir ?? defaultCacheDir(), 'bundle-facts'), BUNDLE_FACTS_FORMAT, isFacts);
  const unique = [...new Set(images.filter((i) => i !== ''))];
  const result: BundleFactsLoad = { facts: new Map(), read: 0, fromCache: 0, failures: [] };
  // Two references to one digest (the same bundle in two repositories) are read once.
  const inFlight = new Map<Digest, Promise<BundleFacts>>();

  const readByDigest = (store: Store, digest: Digest, image: string): Promise<BundleFacts> => {
    let p = inFlight.get(digest);
    if (!p) {
      p = readBundleImageFacts(store, digest, image, opts.signal ? { signal: opts.signal } : {}).then(async (facts) => {
        await cache.write(digest, facts);
        return facts;
      });
      inFlight.set(digest, p);
      // A failed read may be tried again by another reference to the same digest.
      p.catch(() => inFlight.delete(digest));
    }
    return p;
  };

  const deadRegistries = new Map<string, Error>();

  /** Answers from this run (another reference to the digest: not a cache hit, not a second read) or the cache. */
  const answered = async (image: string, digest: Digest): Promise<boolean> => {
    const known = inFlight.get(digest);
    if (known) {
      result.facts.set(image, await known);
      return true;
    }
    const cached = await cache.read(digest);
    if (!cached) return false;
    result.facts.set(image, cached);
    result.fromCache++;
    return true;
  };

  const one = async (image: string): Promise<void> => {
    const pinned = pinnedDigest(image);
    if (pinned && (await answered(image, pinned))) return;
    const dead = deadRegistries.get(registryOf(image) ?? '');
    if (dead) throw dead;
    const { store, reference } = await opts.open(image);
    let digest = pinned;
    if (!digest) {
      const desc = await store.statManifest(reference, opts.signal ? { signal: opts.signal } : {});
      if (!desc) throw new GantryError('MANIFEST_UNKNOWN', `bundle image ${image} does not exist`);
      digest = desc.digest;
      if (await answered(image, digest)) return;
    }
    result.facts.set(image, await readByDigest(store, digest, image));
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      const image = unique[next++]!;
      try {
        await one(image);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        const registry = registryOf(image);
        if (registry !== undefined && isGantryError(err) && REGISTRY_WIDE.has(err.code) && !deadRegistries.has(registry)) deadRegistries.set(registry, err);
        result.failures.push({ image, error: err as Error });
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? Defaults.bundleImageConcurrency, unique.length));
  await Promise.all(Array.from({ length: workers }, worker));
  result.read = result.facts.size;
  result.failures.sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  return result;
}
