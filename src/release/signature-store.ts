// Release signature stores: where OpenShift (and OKD) publish the OpenPGP signatures of each release digest, and
// fetching signature-1..n of one digest. The HTTP GET is injected (cli/ passes transport/http-get), so this stays pure.
import { GantryError, isGantryError } from '../errors.js';
import type { ReleaseType } from './select-releases.js';

/** OpenShift's store (openshift/cluster-update-keys stores/store-openshift-official-release-mirror; oc-mirror v2's SignatureURL). */
export const OCP_SIGNATURE_URL = 'https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/';
/** OKD's store, as oc-mirror's documentation tells OKD users to set OCP_SIGNATURE_URL. */
export const OKD_SIGNATURE_URL = 'https://storage.googleapis.com/openshift-ci-release/releases/signatures/openshift/release/';
/** The environment variable oc-mirror reads for another store (both types: it is how OKD users point at theirs). */
export const SIGNATURE_URL_ENV = 'OCP_SIGNATURE_URL';
/** A store lists no signatures: signature-<n> is read until the first 404, at most this many. */
export const MAX_SIGNATURES = 16;
/** Largest signature accepted: real ones are well under 2 KiB. */
export const MAX_SIGNATURE_BYTES = 64 * 1024;

export type FetchBytes = (url: string, opts: { signal?: AbortSignal }) => Promise<{ status: number; bytes: Uint8Array }>;

export interface FetchedSignature {
  /** 1-based, as the store names it (signature-<n>). */
  index: number;
  url: string;
  bytes: Uint8Array;
}

const SHA256 = /^sha256:[0-9a-f]{64}$/;

export function checkReleaseDigest(digest: string): void {
  if (!SHA256.test(digest)) throw new GantryError('DIGEST_INVALID', `"${digest.slice(0, 80)}" is not a sha256 release digest`, { hint: 'name the release by digest: IMAGE@sha256:<64 hex>' });
}

/** --signature-url wins; else OCP_SIGNATURE_URL; else the type's public store. */
export function signatureStoreUrl(type: ReleaseType, opts: { signatureUrl?: string; env?: Record<string, string | undefined> }): string {
  return opts.signatureUrl ?? opts.env?.[SIGNATURE_URL_ENV] ?? (type === 'okd' ? OKD_SIGNATURE_URL : OCP_SIGNATURE_URL);
}

/** `<store>/sha256=<hex>/signature-<n>` (the layout the cluster-version operator and oc-mirror read). */
export function signatureUrl(store: string, digest: string, index: number): string {
  let base: URL;
  try {
    base = new URL(store.endsWith('/') ? store : `${store}/`);
  } catch {
    throw new GantryError('USAGE', `signature store URL "${store.slice(0, 200)}" is not a URL`, { hint: `e.g. ${OCP_SIGNATURE_URL}` });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new GantryError('USAGE', `signature store URL "${store.slice(0, 200)}" is not http(s)`);
  return new URL(`${digest.replace(':', '=')}/signature-${index}`, base).href;
}

/** Every signature the store has for `digest`; none at all is SIGNATURE_NOT_FOUND, naming the digest and the URL. */
export async function fetchReleaseSignatures(digest: string, opts: { store: string; fetchBytes: FetchBytes; signal?: AbortSignal }): Promise<FetchedSignature[]> {
  checkReleaseDigest(digest);
  const out: FetchedSignature[] = [];
  for (let index = 1; index <= MAX_SIGNATURES; index++) {
    const url = signatureUrl(opts.store, digest, index);
    let res: { status: number; bytes: Uint8Array };
    try {
      res = await opts.fetchBytes(url, opts.signal ? { signal: opts.signal } : {});
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const code = isGantryError(err, 'TLS_ERROR') ? 'TLS_ERROR' : 'SIGNATURE_STORE_UNREACHABLE';
      throw new GantryError(code, `cannot fetch the signatures of release ${digest} from ${url}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
        hint: isGantryError(err) && err.hint ? err.hint : `check --signature-url (or ${SIGNATURE_URL_ENV}) and the network; a disconnected site verifies from an archive instead`,
      });
    }
    if (res.status === 404 || res.status === 403) {
      // Object stores answer 403 for a missing key when listing is not allowed (Google Cloud Storage does).
      if (index === 1) throw new GantryError('SIGNATURE_NOT_FOUND', `the signature store has no signature for release ${digest} (${url} answered ${res.status})`, { hint: `is the digest right, and is ${opts.store} the store of this release type (OKD's differs: --type okd)?` });
      break;
    }
    if (res.status !== 200) throw new GantryError('SIGNATURE_STORE_UNREACHABLE', `${url} answered HTTP ${res.status} for a signature of release ${digest}`, { retryable: res.status >= 500 });
    if (res.bytes.byteLength > MAX_SIGNATURE_BYTES) throw new GantryError('SIGNATURE_INVALID', `${url}: ${res.bytes.byteLength} bytes is too large for a release signature of ${digest}`);
    out.push({ index, url, bytes: res.bytes });
  }
  return out;
}
