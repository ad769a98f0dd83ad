// Putting blobs into the destination of a catalog image: the base's layers (mounted within one registry,
// otherwise streamed from the base store) and the new layer and configs, each skipped when already present.
import { abortError, isGantryError } from '../../errors.js';
import { canMount, type BlobOpener, type Store } from '../../content/store.js';
import { Semaphore } from '../../copy/limiter.js';
import type { Descriptor } from '../../oci/manifest.js';
import { backoffDelay, defaultRetryPolicy, isRetryable, sleep, type RetryPolicy } from '../../transport/retry.js';

export type BlobOutcome = 'exists' | 'mounted' | 'copied';

export interface BlobPut {
  descriptor: Descriptor;
  /** Opens the content afresh (called again on a retry). */
  open: BlobOpener;
  /** The store the content comes from, when it is another store's blob: a mount is tried first. */
  from?: Store;
}

export interface PutBlobsOptions {
  concurrency: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

async function putOne(dest: Store, put: BlobPut, retry: RetryPolicy, signal?: AbortSignal): Promise<BlobOutcome> {
  const { descriptor, from } = put;
  const o = signal ? { signal } : {};
  if ((await dest.statBlob(descriptor.digest, o)) !== undefined) return 'exists';
  if (from && canMount(from) && canMount(dest) && from.mountKey === dest.mountKey && from.repository !== dest.repository) {
    if (await dest.mountBlob(descriptor, from.repository, o)) return 'mounted';
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await dest.pushBlob(descriptor, put.open, o);
      return 'copied';
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      // As in the copy engine: a mismatch can be one corrupted transfer through a flaky proxy.
      const again = isRetryable(err) || isGantryError(err, 'DIGEST_MISMATCH') || isGantryError(err, 'SIZE_MISMATCH');
      if (!again || attempt >= retry.times) throw err;
      await sleep(backoffDelay(retry, attempt + 1), signal);
    }
  }
}

/**
 * Puts every blob into `dest` (each digest once), at most `concurrency` at a time. Waits for all before
 * reporting the first failure, so no transfer is left running unobserved.
 */
export async function putBlobs(dest: Store, puts: BlobPut[], opts: PutBlobsOptions): Promise<Map<string, BlobOutcome>> {
  const retry = opts.retry ?? defaultRetryPolicy();
  const slots = new Semaphore(opts.concurrency);
  const unique = new Map<string, BlobPut>();
  for (const p of puts) if (!unique.has(p.descriptor.digest)) unique.set(p.descriptor.digest, p);
  const outcomes = new Map<string, BlobOutcome>();
  const results = await Promise.allSettled(
    [...unique.values()].map((p) =>
      slots.run(async () => outcomes.set(p.descriptor.digest, await putOne(dest, p, retry, opts.signal)), opts.signal),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes;
}
