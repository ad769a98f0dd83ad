// The release signature flags `gantry mirror` and `gantry release verify` share (--key, --signature-url; mirror adds
// --ignore-release-signature), the key file read with its documented default, and the policy a mirror run is given.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Defaults } from '../defaults.js';
import { GantryError } from '../errors.js';
import type { ReleaseSignaturePolicy } from '../mirror/release-signatures.js';
import { DEFAULT_KEY_FILE, KEY_FILE_ENV, SIGNATURE_URL_ENV, readVerificationKeys, signatureStoreUrl, type FetchBytes, type ReleaseType } from '../release/index.js';
import { httpGet } from '../transport/http-get.js';
import { parseBool } from './registry-flags.js';

/** Where users get the key gantry cannot ship: said in the error when no key file is found. */
export const KEY_HINT =
  `give the release key with --key FILE or ${KEY_FILE_ENV}: on RHEL it is ${DEFAULT_KEY_FILE}; Red Hat publishes it at ` +
  'https://access.redhat.com/security/team/key and openshift/cluster-update-keys has it as keys/verifier-public-key-redhat-release ' +
  '(OKD: keys/verifier-public-key-openshift-ci-4)';

export const KEY_FLAG_HELP = `the release key (armored or binary OpenPGP; default: ${'$'}${KEY_FILE_ENV}, else ${DEFAULT_KEY_FILE})`;
export const SIGNATURE_URL_HELP = `the release signature store (default: ${'$'}${SIGNATURE_URL_ENV}, else OpenShift's public store, OKD's for okd releases)`;

/** --key, else OCP_SIGNATURE_VERIFICATION_PK, else Red Hat's key where RHEL keeps it. */
export function keyPath(opts: Record<string, unknown>): string {
  return typeof opts.key === 'string' ? opts.key : process.env[KEY_FILE_ENV] || DEFAULT_KEY_FILE;
}

export async function readKeyFile(opts: Record<string, unknown>): Promise<Uint8Array> {
  const path = keyPath(opts);
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new GantryError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read the release key ${path}: ${err.message}`, { hint: KEY_HINT });
  });
}

/** The signature store GET over http-get, with the command's TLS and timeout flags. */
export function signatureFetch(opts: Record<string, unknown>): FetchBytes {
  const tlsVerify = parseBool(opts.tlsVerify as string | boolean | undefined);
  const timeoutMs = typeof opts.timeout === 'number' ? opts.timeout : Defaults.requestTimeoutMs;
  return async (url, o) => {
    const res = await httpGet(url, { ...o, binary: true, tlsVerify, timeoutMs, env: process.env, ...(typeof opts.certDir === 'string' ? { certDir: opts.certDir } : {}) });
    return { status: res.status, bytes: res.bytes ?? new Uint8Array() };
  };
}

export function addReleaseSignatureFlags(cmd: Command): Command {
  return cmd
    .option('--key <file>', `${KEY_FLAG_HELP}; releases are verified with it before anything is copied (disk to mirror: verified again only when given)`)
    .option('--signature-url <url>', SIGNATURE_URL_HELP)
    .option('--ignore-release-signature', 'mirror releases without fetching or verifying their signatures (no signature ConfigMap for them)');
}

/**
 * The run's release signature policy. The key is read only when the plan has releases (a catalog-only run needs
 * none). Disk to mirror reads signatures from the archive and verifies them again only with an explicit key.
 */
export function releaseSignaturePolicy(opts: Record<string, unknown>, workflow: 'source' | 'archive'): ReleaseSignaturePolicy {
  if (opts.ignoreReleaseSignature) {
    if (typeof opts.key === 'string') throw new GantryError('USAGE', '--key and --ignore-release-signature cannot be used together');
    return { mode: 'ignore' };
  }
  const readKeys = async () => readVerificationKeys(await readKeyFile(opts), keyPath(opts));
  if (workflow === 'archive') return { mode: 'verify', ...(typeof opts.key === 'string' || process.env[KEY_FILE_ENV] ? { readKeys } : {}) };
  const signatureUrl = typeof opts.signatureUrl === 'string' ? opts.signatureUrl : undefined;
  return {
    mode: 'verify',
    readKeys,
    storeUrl: (type: ReleaseType) => signatureStoreUrl(type, { ...(signatureUrl ? { signatureUrl } : {}), env: process.env }),
    fetchBytes: signatureFetch(opts),
  };
}
