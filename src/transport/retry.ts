// Retry policy: which failures are worth another attempt, and how long to wait (exponential backoff with
// jitter, Retry-After honoured). Used for every registry request and every blob transfer.
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { Defaults } from '../defaults.js';
import { GantryError, abortError } from '../errors.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  times: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy = (times: number = Defaults.retryTimes): RetryPolicy => ({
  times,
  baseDelayMs: Defaults.retryBaseDelayMs,
  maxDelayMs: Defaults.retryMaxDelayMs,
});

/** Delay before attempt `attempt` (1-based retry number): half fixed, half random, so workers spread out. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, Defaults.retryAfterCapMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Retry-After as seconds or an HTTP date → milliseconds; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

const NON_RETRYABLE_NET = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'ENOTFOUND',
  'ERR_INVALID_URL',
]);

/** True for failures another attempt may fix: dropped connections, timeouts, retryable statuses, corrupt transfers. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof GantryError) return err.retryable;
  const e = err as { code?: string; name?: string; cause?: { code?: string } } | undefined;
  if (!e) return false;
  if (e.name === 'AbortError') return false;
  const code = e.code ?? e.cause?.code;
  if (code && NON_RETRYABLE_NET.has(code)) return false;
  return true;
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepTimer(ms, undefined, signal ? { signal } : undefined);
  } catch {
    throw abortError(signal);
  }
}
