// Resuming a blob download: when the connection drops mid-body, the rest is asked for from the byte reached
// (Range), within one retry budget for the whole body; a server that ignores Range resends, and we skip.
import { GantryError, abortError } from '../errors.js';
import type { Response } from './registry-client.js';
import { backoffDelay, isRetryable, isTimeout, sleep, type RetryPolicy } from './retry.js';

export interface Opened {
  res: Response;
  /** Bytes at the start of this response that were already delivered (the server sent everything again). */
  skip: number;
}

export interface ResumeBodyOptions {
  policy: RetryPolicy;
  /** What failure messages call this download, e.g. "fetch blob sha256:… from app". */
  what: string;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

/** Streams `first`; after a cut, `open(received)` is called for the rest. A reopen that fails counts as an attempt. */
export async function* resumeBody(first: Opened, open: (received: number) => Promise<Opened>, opts: ResumeBodyOptions): AsyncGenerator<Uint8Array> {
  let received = 0;
  let current: Opened | undefined = first;
  for (let attempt = 0; ; ) {
    let complete = false;
    try {
      if (!current) current = await open(received);
      let skip = current.skip;
      for await (const raw of current.res.body) {
        let chunk = raw as Uint8Array;
        if (skip > 0) {
          if (chunk.byteLength <= skip) {
            skip -= chunk.byteLength;
            continue;
          }
          chunk = chunk.subarray(skip);
          skip = 0;
        }
        received += chunk.byteLength;
        opts.onBytes?.(chunk.byteLength);
        yield chunk;
      }
      complete = true;
      return;
    } catch (err) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      attempt++;
      if (isTimeout(err)) {
        throw new GantryError('REGISTRY_TIMEOUT', `${opts.what}: the registry stopped sending after ${received} bytes`, { cause: err, hint: 'check that the registry is up and not overloaded' });
      }
      if (!isRetryable(err) || attempt > opts.policy.times) {
        if (err instanceof GantryError && err.code !== 'REGISTRY_UNREACHABLE') throw err;
        throw new GantryError('REGISTRY_UNREACHABLE', `${opts.what}: connection failed after ${received} bytes: ${(err as Error).message}`, { cause: err });
      }
      await sleep(backoffDelay(opts.policy, attempt), opts.signal);
    } finally {
      if (!complete) current?.res.body.destroy();
      if (!complete) current = undefined;
    }
  }
}
