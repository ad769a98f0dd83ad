// Cancellation plumbing shared by stores: racing awaits against an AbortSignal, iterating sources so that
// a stalled producer cannot block past an abort, and mapping low-level errors to GantryError at the API edge.
import { GantryError, abortError, isGantryError } from '../errors.js';

/** Settles like `p`, or rejects with ABORTED as soon as `signal` aborts, whichever comes first. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Yields the chunks of `source`, rejecting with ABORTED the moment `signal` aborts, even while the source is
 * waiting for its next chunk. Sync iterables (e.g. `[bytes]`) are accepted too, since openers often return them.
 */
export async function* iterateAbortable(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  let finished = false;
  try {
    for (;;) {
      const r = await raceAbort(Promise.resolve(it.next()), signal);
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } catch (err) {
    // A source that threw is done; only an abort leaves it mid-read and in need of return().
    finished = !isGantryError(err, 'ABORTED');
    throw err;
  } finally {
    // Do not await: a producer stuck in a pending read must not keep the caller waiting after an abort.
    if (!finished) Promise.resolve(it.return?.()).catch(() => {});
  }
}

const IO_HINTS: Record<string, string> = {
  ENOSPC: 'the disk is full: free space or choose another directory',
  EDQUOT: 'the disk quota is exhausted: free space or choose another directory',
  EACCES: 'permission denied: check the ownership and mode of the directory',
  EPERM: 'operation not permitted: check the ownership and mode of the directory',
  EROFS: 'the file system is read-only',
};

/**
 * The error a store operation throws: GantryErrors pass through, cancellation becomes ABORTED, file system
 * errors (ENOSPC, EACCES, …) become IO_ERROR naming the operation, anything else INTERNAL; the original is the cause.
 */
export function toStoreError(err: unknown, operation: string, signal: AbortSignal | undefined): GantryError {
  if (err instanceof GantryError) return err;
  if (signal?.aborted) return abortError(signal);
  if (err instanceof Error && err.name === 'AbortError') return new GantryError('ABORTED', 'operation cancelled', { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  const code = errnoCode(err);
  if (code !== undefined && /^E[A-Z]+$/.test(code)) {
    const hint = IO_HINTS[code];
    return new GantryError('IO_ERROR', `${operation}: ${message}`, { cause: err, ...(hint ? { hint } : {}) });
  }
  return new GantryError('INTERNAL', `${operation}: ${message}`, { cause: err });
}

/** Node's fs error code, if any. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}
