// The copy engine: copies images (manifest trees) between any two Stores. One code path for registry→registry,
// registry→layout and layout→registry; blobs deduplicated per destination, limited per endpoint, verified.
import { setMaxListeners } from 'node:events';
import { Defaults } from '../defaults.js';
import { GantryError, abortError, isGantryError, throwIfAborted } from '../errors.js';
import { canMount, type FetchedManifest, type Store } from '../content/store.js';
import { isDigest, sha256, type Digest } from '../oci/digest.js';
import { manifestBlobs, parseManifest, type Descriptor, type ImageIndex, type Manifest } from '../oci/manifest.js';
import { formatPlatform, platformMatches, type Platform } from '../oci/platform.js';
import { defaultRetryPolicy, type RetryPolicy } from '../transport/retry.js';
import type { BlobOutcome, CopyEventListener } from './events.js';
import { EndpointLimiter, Semaphore } from './limiter.js';
import { transferBlob } from './transfer-blob.js';

export interface CopyJob {
  source: Store;
  /** Tag or digest in the source. */
  sourceRef: string;
  dest: Store;
  /** Tag or digest at the destination. */
  destRef: string;
  /** Platforms to keep for this image, overriding the run's `platforms`. */
  platforms?: Platform[];
}

export interface CopyRunOptions {
  /** Only these platforms of a multi-platform source (the index is rewritten, so its digest changes). Default: all. */
  platforms?: Platform[];
  blobConcurrency?: number;
  perRegistryConcurrency?: number;
  imageConcurrency?: number;
  retry?: RetryPolicy;
  onEvent?: CopyEventListener;
  signal?: AbortSignal;
}

export interface CopyResult {
  job: CopyJob;
  ok: boolean;
  digest?: Digest;
  /** Media type of the manifest copied (an index or an image manifest). */
  mediaType?: string;
  /** True when the destination already had the image. */
  skipped?: boolean;
  error?: unknown;
}

export interface CopyManyOptions {
  /** Stop at the first failed image (default: go on and report every failure). */
  failFast?: boolean;
}

export interface CopyRun {
  copyImage(job: CopyJob): Promise<CopyResult>;
  copyMany(jobs: CopyJob[], opts?: CopyManyOptions): Promise<CopyResult[]>;
}

function endpointOf(store: Store): string {
  return canMount(store) ? `registry:${store.mountKey}` : store.location;
}

export function createCopyRun(opts: CopyRunOptions = {}): CopyRun {
  const emit: CopyEventListener = opts.onEvent ?? (() => undefined);
  const retry = opts.retry ?? defaultRetryPolicy();
  const limiter = new EndpointLimiter(opts.blobConcurrency ?? Defaults.blobConcurrency, opts.perRegistryConcurrency ?? Defaults.perRegistryConcurrency);
  const images = new Semaphore(opts.imageConcurrency ?? Defaults.imageConcurrency);
  // One controller for the run: the caller's signal and --fail-fast both stop every transfer.
  const controller = new AbortController();
  if (opts.signal?.aborted) controller.abort(opts.signal.reason);
  opts.signal?.addEventListener('abort', () => controller.abort(opts.signal?.reason), { once: true });
  const signal = controller.signal;
  // Every in-flight request listens on this one signal; hundreds at once are expected, not a leak.
  setMaxListeners(0, signal);
  const sourceManifests = new Map<string, Promise<FetchedManifest>>();
  // In-flight and finished work, per destination: each blob and manifest moves at most once per run.
  const blobWork = new Map<string, Promise<void>>();
  const manifestWork = new Map<string, Promise<void>>();
  // Per destination registry: repositories known to hold a blob (placed or found there in this run), so the same
  // layer going to another repository of that registry is mounted, not uploaded again.
  const placed = new Map<string, string[]>();
  const firstTransfers = new Map<string, Promise<void>>();
  const notePlaced = (dest: Store, digest: Digest) => {
    if (!canMount(dest)) return;
    const key = `${dest.mountKey}\n${digest}`;
    const repos = placed.get(key) ?? [];
    if (!repos.includes(dest.repository)) repos.push(dest.repository);
    placed.set(key, repos);
  };
  let nextId = 1;

  /** Child manifests are fetched once per run (progress totals and the copy both need them). */
  function fetchChild(job: CopyJob, digest: Digest): Promise<FetchedManifest> {
    const key = `${job.source.location}\n${digest}`;
    let p = sourceManifests.get(key);
    if (!p) {
      p = job.source.fetchManifest(digest, { signal });
      sourceManifests.set(key, p);
      p.catch(() => sourceManifests.delete(key));
    }
    return p;
  }

  function once(map: Map<string, Promise<void>>, key: string, work: () => Promise<void>): Promise<void> {
    let p = map.get(key);
    if (!p) {
      p = work();
      map.set(key, p);
      // A failed transfer is forgotten so a later image (or a re-run in the same process) can try again.
      p.catch(() => map.delete(key));
    }
    return p;
  }

  function transferOne(job: CopyJob, desc: Descriptor): Promise<BlobOutcome> {
    const { source, dest } = job;
    return transferBlob(
      dest,
      {
        descriptor: desc,
        open: () => source.fetchBlob(desc, { signal }),
        from: source,
        ...(canMount(dest) ? { mountFrom: placed.get(`${dest.mountKey}\n${desc.digest}`) ?? [] } : {}),
      },
      {
        retry,
        signal,
        limit: (work) => limiter.run([endpointOf(source), endpointOf(dest)], work, signal),
        onStart: () => emit({ type: 'blob-start', digest: desc.digest, size: desc.size }),
        onBytes: (n) => emit({ type: 'blob-progress', digest: desc.digest, bytes: n }),
        onRetry: (r) => emit({ type: 'blob-retry', digest: desc.digest, ...r }),
      },
    );
  }

  function copyBlob(job: CopyJob, desc: Descriptor): Promise<void> {
    return once(blobWork, `${job.dest.location}\n${desc.digest}`, async () => {
      // The first transfer of a blob to a registry goes ahead; the same blob for another repository of that
      // registry waits for it and then mounts, instead of uploading the same bytes twice at the same time.
      const registryKey = canMount(job.dest) ? `${job.dest.mountKey}\n${desc.digest}` : undefined;
      const first = registryKey ? firstTransfers.get(registryKey) : undefined;
      if (first) await first.catch(() => undefined);
      const transfer = transferOne(job, desc);
      if (registryKey && !first) {
        const done = transfer.then(() => undefined);
        firstTransfers.set(registryKey, done);
        done.catch(() => firstTransfers.delete(registryKey));
      }
      const outcome = await transfer;
      notePlaced(job.dest, desc.digest);
      emit({ type: 'blob-done', digest: desc.digest, size: desc.size, outcome });
    });
  }

  /** Copies everything a manifest references (recursively), then the manifest itself by digest. */
  async function copyChildManifest(job: CopyJob, desc: Descriptor): Promise<void> {
    return once(manifestWork, `${job.dest.location}\n${desc.digest}`, async () => {
      if (await job.dest.statManifest(desc.digest, { signal })) return;
      const fetched = await fetchChild(job, desc.digest);
      const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
      await copyReferenced(job, m);
      await job.dest.pushManifest(fetched.bytes, fetched.descriptor.mediaType, desc.digest, { signal });
    });
  }

  async function copyReferenced(job: CopyJob, m: Manifest): Promise<void> {
    throwIfAborted(signal);
    if (m.kind === 'index') {
      await settleAll(m.manifests.map((child) => copyChildManifest(job, child)));
    } else {
      await settleAll(manifestBlobs(m).map((b) => copyBlob(job, b)));
    }
  }

  /** Every blob an image needs, for progress totals; fetches child manifests of an index (cheap, small). */
  async function listBlobs(job: CopyJob, m: Manifest): Promise<{ digest: Digest; size: number }[]> {
    if (m.kind === 'manifest') return manifestBlobs(m).map((b) => ({ digest: b.digest, size: b.size }));
    const nested = await Promise.all(
      m.manifests.map(async (child) => {
        const f = await fetchChild(job, child.digest);
        return listBlobs(job, parseManifest(f.bytes, f.descriptor.mediaType));
      }),
    );
    return nested.flat();
  }

  async function copyImageInner(job: CopyJob, id: number): Promise<CopyResult> {
    const fetched = await job.source.fetchManifest(job.sourceRef, { signal });
    let bytes: Uint8Array = fetched.bytes;
    let mediaType = fetched.descriptor.mediaType;
    let manifest = parseManifest(bytes, mediaType);
    const platforms = job.platforms ?? opts.platforms;
    if (manifest.kind === 'index' && platforms && platforms.length > 0) {
      manifest = filterIndex(manifest, platforms, job.source.location);
      bytes = Buffer.from(JSON.stringify(stripKind(manifest)));
      mediaType = manifest.mediaType;
    }
    const digest = bytes === fetched.bytes ? fetched.descriptor.digest : sha256(bytes);
    // An image is only ever tagged after all its content is in place, so a matching tag means nothing is missing.
    const existing = await job.dest.statManifest(job.destRef, { signal });
    if (existing?.digest === digest) {
      emit({ type: 'image-done', id, digest, skipped: true });
      return { job, ok: true, digest, mediaType, skipped: true };
    }
    emit({ type: 'image-resolved', id, digest, mediaType, blobs: await listBlobs(job, manifest) });
    await copyReferenced(job, manifest);
    await job.dest.pushManifest(bytes, mediaType, job.destRef, { signal });
    emit({ type: 'image-done', id, digest, skipped: false });
    return { job, ok: true, digest, mediaType, skipped: false };
  }

  async function copyImage(job: CopyJob): Promise<CopyResult> {
    const id = nextId++;
    return images.run(async () => {
      emit({ type: 'image-start', id, source: locationOf(job.source, job.sourceRef), dest: locationOf(job.dest, job.destRef) });
      try {
        return await copyImageInner(job, id);
      } catch (err) {
        const error = signal.aborted && !isGantryError(err, 'ABORTED') ? abortError(signal) : err;
        emit({ type: 'image-failed', id, error });
        return { job, ok: false, error };
      }
    }, signal).catch((error: unknown) => ({ job, ok: false, error }));
  }

  async function copyMany(jobs: CopyJob[], manyOpts: CopyManyOptions = {}): Promise<CopyResult[]> {
    return Promise.all(
      jobs.map(async (job) => {
        const r = await copyImage(job);
        if (!r.ok && manyOpts.failFast && !signal.aborted) {
          controller.abort(new GantryError('ABORTED', 'stopped because another image failed (--fail-fast)', { cause: r.error }));
        }
        return r;
      }),
    );
  }

  return { copyImage, copyMany };
}

/** repo:tag or repo@digest, for messages. */
export function locationOf(store: Store, reference: string): string {
  return `${store.location}${isDigest(reference) ? '@' : ':'}${reference}`;
}

/** Waits for all, then throws the first failure: sibling transfers are not left running unobserved. */
async function settleAll(work: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function filterIndex(index: ImageIndex, platforms: Platform[], where: string): ImageIndex {
  const manifests = index.manifests.filter((d) => platforms.some((p) => platformMatches(p, d.platform)));
  if (manifests.length === 0) {
    const available = index.manifests.map((d) => formatPlatform(d.platform)).join(', ');
    throw new GantryError('PLATFORM_NOT_FOUND', `${where}: no manifest for ${platforms.map(formatPlatform).join(', ')}`, {
      hint: `the image has: ${available}`,
    });
  }
  return { ...index, manifests };
}

function stripKind(m: Manifest): Record<string, unknown> {
  const { kind: _kind, ...rest } = m;
  return rest;
}
