// Registry access flags shared by commands (skopeo's spelling): --tls-verify=false, --cert-dir, --creds,
// --authfile, --retry-times, --timeout; turned into RegistryAccess values (naming the flags for hints) and a session.
import type { Command } from 'commander';
import { GantryError } from '../errors.js';
import { loadCredentialStore, parseCredentialsFlag } from '../transport/auth-file.js';
import { defaultRetryPolicy } from '../transport/retry.js';
import type { RetryInfo } from '../transport/registry-client.js';
import { createRegistrySession, type RegistryAccess, type RegistrySession } from '../registry/registry-session.js';
import { Defaults } from '../defaults.js';

export function parseBool(value: string | boolean | undefined): boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  const v = value.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new GantryError('USAGE', `expected true or false, got "${value}"`);
}

export function parseCount(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new GantryError('USAGE', `${name} must be a whole number ≥ 0, got "${value}"`);
    return n;
  };
}

/** Adds --PREFIXtls-verify, --PREFIXcert-dir, --PREFIXcreds, --PREFIXplain-http for one side. */
export function addAccessFlags(cmd: Command, prefix: '' | 'src-' | 'dest-', who: string): Command {
  return cmd
    .option(`--${prefix}tls-verify [bool]`, `verify TLS certificates of the ${who} registry; false also allows plain HTTP`, true)
    .option(`--${prefix}plain-http`, `talk plain HTTP to the ${who} registry`)
    .option(`--${prefix}cert-dir <dir>`, `certs.d-style directory (ca.crt, client.cert/key) for the ${who} registry`)
    .option(`--${prefix}creds <user:password>`, `credentials for the ${who} registry (else the auth files)`);
}

/** "30s", "2m", "1500ms", or a bare number of seconds → milliseconds (at least 1 ms). */
export function parseDuration(name: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
    const ms = m ? Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000)) : NaN;
    if (!Number.isFinite(ms) || ms < 1) throw new GantryError('USAGE', `${name} must be a duration such as 30s, 2m or 500ms, got "${value.slice(0, 40)}"`);
    return ms;
  };
}

export function addCommonRegistryFlags(cmd: Command): Command {
  return cmd
    .option('--authfile <path>', 'auth file (containers auth.json / docker config.json); default: the standard search path')
    .option('--retry-times <n>', `retries for failed requests and transfers (default ${Defaults.retryTimes})`, parseCount('--retry-times'))
    .option(
      '--timeout <duration>',
      `give up on a registry that does not answer (connect, headers, or a pause in a body) within this; not retried (default ${Defaults.requestTimeoutMs / 1000}s)`,
      parseDuration('--timeout'),
      Defaults.requestTimeoutMs,
    );
}

export function accessFrom(opts: Record<string, unknown>, prefix: '' | 'src' | 'dest'): RegistryAccess {
  const key = (name: string) => (prefix === '' ? name : `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}`);
  const access: RegistryAccess = { tlsVerify: parseBool(opts[key('tlsVerify')] as string | boolean | undefined) };
  // Hints may name only flags this command has; commander sets --tls-verify's default, so its key shows it exists.
  const flag = (name: string) => `--${prefix === '' ? '' : `${prefix}-`}${name}`;
  if (key('tlsVerify') in opts) access.flags = { tlsVerify: flag('tls-verify'), certDir: flag('cert-dir'), creds: flag('creds') };
  if (opts[key('plainHttp')]) access.plainHttp = true;
  const certDir = opts[key('certDir')];
  if (typeof certDir === 'string') access.certDir = certDir;
  const creds = opts[key('creds')];
  if (typeof creds === 'string') access.credentials = parseCredentialsFlag(creds);
  return access;
}

export async function openSession(opts: Record<string, unknown>, onRetry?: (i: RetryInfo) => void): Promise<RegistrySession> {
  const credentialStore = await loadCredentialStore(typeof opts.authfile === 'string' ? { authFile: opts.authfile } : {});
  const retryTimes = typeof opts.retryTimes === 'number' ? opts.retryTimes : Defaults.retryTimes;
  // --timeout has a default, so its key is present exactly when the command has the common flags (--authfile too).
  const timeout = typeof opts.timeout === 'number' ? { timeoutMs: opts.timeout, timeoutFlag: '--timeout', authfileFlag: '--authfile' } : {};
  return createRegistrySession({ credentialStore, retry: defaultRetryPolicy(retryTimes), ...timeout, ...(onRetry ? { onRetry } : {}) });
}
