// Putting blobs into the destination of a catalog image: the base's layers (mounted within one registry,
// otherwise streamed from the base store) and the new layer and configs, through the copy engine's one transfer.
import { Semaphore } from '../../copy/limiter.js';
import { transferBlob, type BlobOutcome, type BlobTransfer } from '../../copy/transfer-blob.js';
import type { Store } from '../../content/store.js';
import { defaultRetryPolicy, type RetryPolicy } from '../../transport/retry.js';

export type { BlobOutcome };
export type BlobPut = BlobTransfer;

export interface PutBlobsOptions {
  concurrency: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
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
      slots.run(async () => {
        outcomes.set(p.descriptor.digest, await transferBlob(dest, p, { retry, ...(opts.signal ? { signal: opts.signal } : {}) }));
      }, opts.signal),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes;
}
