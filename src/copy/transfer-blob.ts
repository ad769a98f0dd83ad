// The one blob transfer (stat → mount → push → retry) used by the copy engine and the catalog image builder.
// Requests are retried by the transport; here only what it cannot retry: a corrupt body and a cut upload stream.
import { abortError, isGantryError } from '../errors.js';
import { canMount, type BlobOpener, type Store } from '../content/store.js';
import type { Descriptor } from '../oci/manifest.js';
import { backoffDelay, sleep, type RetryPolicy } from '../transport/retry.js';
import type { BlobOutcome } from './events.js';

export type { BlobOutcome };

export interface BlobTransfer {
  descriptor: Descriptor;
  /** Opens the content afresh (called again on a retry). */
  open: BlobOpener;
  /** The store the content comes from, when it is another store's blob: a mount is tried first, and a corrupt
   * body from a remote source is worth another attempt. Absent for content made locally. */
  from?: Store;
  /** Other repositories of the destination registry known to hold the blob: mounted from before any upload. */
  mountFrom?: readonly string[];
}

export interface TransferRetry {
  attempt: number;
  delayMs: number;
  reason: string;
  /** Bytes read in the failed attempt. */
  bytesDiscarded: number;
}

export interface TransferBlobOptions {
  retry: RetryPolicy;
  signal?: AbortSignal;
  /** Runs the mount and upload (not the existence check) under the caller's concurrency limits. */
  limit?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Called once, just before the first upload attempt (not for existing or mounted blobs). */
  onStart?: () => void;
  onBytes?: (n: number) => void;
  onRetry?: (info: TransferRetry) => void;
}

/**
 * What a new upload attempt may fix that the transport could not retry itself. A digest or size mismatch from a
 * remote source can be one corrupted transfer through a flaky proxy; from local content (a layout, an archive, a
 * new layer) it is the content itself, and reading it again gives the same bytes. An upload whose request failed
 * after its body stream was consumed is marked retryable by the transport (it cannot reopen the stream).
 */
export function isTransferRetryable(err: unknown, remoteSource: boolean): boolean {
  if (isGantryError(err, 'DIGEST_MISMATCH') || isGantryError(err, 'SIZE_MISMATCH')) return remoteSource;
  return isGantryError(err) && err.retryable;
}

export async function transferBlob(dest: Store, blob: BlobTransfer, opts: TransferBlobOptions): Promise<BlobOutcome> {
  const { descriptor, from } = blob;
  const signal = opts.signal;
  const o = signal ? { signal } : {};
  if ((await dest.statBlob(descriptor.digest, o)) !== undefined) return 'exists';
  const limit = opts.limit ?? (<T>(work: () => Promise<T>) => work());
  return limit(async () => {
    if (canMount(dest)) {
      const sources: string[] = [];
      if (from && canMount(from) && from.mountKey === dest.mountKey) sources.push(from.repository);
      for (const r of blob.mountFrom ?? []) if (!sources.includes(r)) sources.push(r);
      for (const repo of sources) {
        if (repo !== dest.repository && (await dest.mountBlob(descriptor, repo, o))) return 'mounted';
      }
    }
    opts.onStart?.();
    const remoteSource = from !== undefined && canMount(from);
    for (let attempt = 0; ; attempt++) {
      let moved = 0;
      try {
        await dest.pushBlob(descriptor, blob.open, {
          ...o,
          onBytes: (n) => {
            moved += n;
            opts.onBytes?.(n);
          },
        });
        return 'copied';
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        if (!isTransferRetryable(err, remoteSource) || attempt >= opts.retry.times) throw err;
        const delayMs = backoffDelay(opts.retry, attempt + 1);
        opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: (err as Error).message, bytesDiscarded: moved });
        await sleep(delayMs, signal);
      }
    }
  });
}
