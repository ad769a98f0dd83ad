// Retry policy: which failures are worth another attempt, and how long to wait (exponential backoff with
// jitter, Retry-After honoured). Requests are retried by the transport only; see isRetryable for what is not.
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
  'EPROTO',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function netCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code ?? e?.cause?.code;
}

/** A TLS handshake that cannot succeed by trying again: a certificate problem or the other side not speaking TLS. */
export function isTlsFailure(err: unknown): boolean {
  const code = netCode(err) ?? '';
  const text = `${code} ${(err as Error | undefined)?.message ?? ''} ${(err as { cause?: Error } | undefined)?.cause?.message ?? ''}`;
  return /^ERR_SSL_|^ERR_TLS_|CERT|^UNABLE_TO_|SELF_SIGNED|^EPROTO$/.test(code) || /wrong version number|SSL routines|packet length too long/i.test(text);
}

/** A deadline passed: the registry accepted the connection but did not answer (or stopped sending) in time. */
export function isTimeout(err: unknown): boolean {
  return TIMEOUT_CODES.has(netCode(err) ?? '');
}

/**
 * True for failures another attempt may fix: dropped connections, retryable statuses. Not retried: certificate
 * and TLS/plain-HTTP mismatches, unknown hosts, and timeouts (the deadline already waited as long as a user will;
 * another attempt would multiply the wait). A GantryError says itself whether its caller may retry.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof GantryError) return err.retryable;
  const e = err as { name?: string } | undefined;
  if (!e) return false;
  if (e.name === 'AbortError') return false;
  const code = netCode(err);
  if (code && NON_RETRYABLE_NET.has(code)) return false;
  if (isTlsFailure(err) || isTimeout(err)) return false;
  return true;
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepTimer(ms, undefined, signal ? { signal } : undefined);
  } catch {
    throw abortError(signal);
  }
}
