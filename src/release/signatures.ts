// Release signatures: OpenPGP signed messages whose JSON ("atomic container signature") names the release digest,
// verified against a key ring; and what a cluster needs from them (oc-mirror v2's ConfigMap, a ClusterImagePolicy example).
import { readKeys, readMessage, verify, type Key } from 'openpgp';
import { GantryError, isGantryError } from '../errors.js';
import { checkReleaseDigest, fetchReleaseSignatures, type FetchBytes, type FetchedSignature } from './signature-store.js';

/** The environment variable oc-mirror reads for the verification key file (OCP_SIGNATURE_VERIFICATION_PK). */
export const KEY_FILE_ENV = 'OCP_SIGNATURE_VERIFICATION_PK';
/**
 * Where RHEL keeps Red Hat's release key (the key the release signatures are made with; openshift/cluster-update-keys
 * keys/verifier-public-key-redhat-release holds the same key). gantry ships no key: it is the default path when there.
 */
export const DEFAULT_KEY_FILE = '/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release';

export interface VerifiedSignature {
  index: number;
  url: string;
  /** The release image the signer named (critical.identity.docker-reference). */
  dockerReference: string;
  /** Key ID (hex) that made the signature. */
  keyId: string;
  /** When it was made, ISO 8601. */
  created?: string;
  bytes: Uint8Array;
}

export interface RejectedSignature {
  index: number;
  url: string;
  reason: string;
}

export interface ReleaseVerification {
  digest: string;
  verified: VerifiedSignature[];
  rejected: RejectedSignature[];
}

/** The verification keys from a key file (armored or binary, one key or a ring). */
export async function readVerificationKeys(content: Uint8Array, source: string): Promise<Key[]> {
  const text = Buffer.from(content).toString('utf8');
  try {
    return text.includes('-----BEGIN PGP') ? await readKeys({ armoredKeys: text }) : await readKeys({ binaryKeys: content });
  } catch (err) {
    throw new GantryError('SIGNATURE_KEY_INVALID', `${source} holds no OpenPGP public key: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
      hint: "give the release key as exported by gpg --export (armored or binary), e.g. Red Hat's release key",
    });
  }
}

interface SignedClaims {
  critical?: { type?: unknown; image?: { 'docker-manifest-digest'?: unknown }; identity?: { 'docker-reference'?: unknown } };
}

/** One signature: made by one of `keys`, over JSON that names `digest`. Throws SIGNATURE_INVALID saying why not. */
export async function verifyReleaseSignature(sig: FetchedSignature, digest: string, keys: Key[]): Promise<VerifiedSignature> {
  const fail = (why: string, cause?: unknown) =>
    new GantryError('SIGNATURE_INVALID', `signature-${sig.index} of release ${digest} does not verify: ${why}`, { ...(cause ? { cause } : {}), hint: `read from ${sig.url}` });
  let data: Uint8Array;
  let keyId: string;
  let created: string | undefined;
  try {
    const message = await readMessage({ binaryMessage: sig.bytes });
    // expectSigned: openpgp throws unless a signature by one of the keys verifies.
    const result = await verify({ message, verificationKeys: keys, expectSigned: true, format: 'binary' });
    data = result.data;
    const good = result.signatures[0]!;
    keyId = good.keyID.toHex();
    const packet = (await good.signature).packets[0];
    created = packet?.created ? packet.created.toISOString() : undefined;
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  let claims: SignedClaims;
  try {
    claims = JSON.parse(Buffer.from(data).toString('utf8')) as SignedClaims;
  } catch {
    throw fail('the signed content is not JSON');
  }
  const c = claims?.critical;
  if (c?.type !== 'atomic container signature') throw fail(`the signed content is not an "atomic container signature" (type ${JSON.stringify(c?.type ?? null)})`);
  const signedDigest = c.image?.['docker-manifest-digest'];
  if (signedDigest !== digest) throw fail(`it signs ${typeof signedDigest === 'string' ? signedDigest : 'no digest'}, not ${digest}`);
  const ref = c.identity?.['docker-reference'];
  if (typeof ref !== 'string' || ref === '') throw fail('it names no docker-reference');
  return { index: sig.index, url: sig.url, dockerReference: ref, keyId, ...(created ? { created } : {}), bytes: sig.bytes };
}

/** Each signature verified on its own: those that verify, and why each other one does not (never throws for a bad one). */
export async function verifyEachSignature(digest: string, sigs: FetchedSignature[], keys: Key[]): Promise<{ verified: VerifiedSignature[]; rejected: RejectedSignature[] }> {
  const verified: VerifiedSignature[] = [];
  const rejected: RejectedSignature[] = [];
  for (const s of sigs) {
    try {
      verified.push(await verifyReleaseSignature(s, digest, keys));
    } catch (err) {
      if (!isGantryError(err, 'SIGNATURE_INVALID')) throw err;
      rejected.push({ index: s.index, url: s.url, reason: err.message });
    }
  }
  return { verified, rejected };
}

/**
 * Every fetched signature checked; the release verifies when at least one does (as the cluster-version operator
 * accepts a release). None verifying is SIGNATURE_INVALID naming the release digest and each reason.
 */
export async function verifyReleaseSignatures(digest: string, sigs: FetchedSignature[], keys: Key[]): Promise<ReleaseVerification> {
  checkReleaseDigest(digest);
  const { verified, rejected } = await verifyEachSignature(digest, sigs, keys);
  if (verified.length === 0) {
    throw new GantryError('SIGNATURE_INVALID', `release ${digest}: none of its ${sigs.length} signature${sigs.length === 1 ? '' : 's'} verifies with the given key`, {
      hint: `${rejected.map((r) => r.reason).join('; ')}. A release whose signature does not verify is not mirrored; check --key (or ${KEY_FILE_ENV}) and --signature-url`,
    });
  }
  return { digest, verified, rejected };
}

/**
 * One release, end to end: its signatures fetched from the store and verified (release verify). Release mirroring
 * uses the same two steps separately (mirror/release-signatures.ts) to name each failing release in one error.
 */
export async function fetchAndVerifyRelease(digest: string, opts: { store: string; fetchBytes: FetchBytes; keys: Key[]; signal?: AbortSignal }): Promise<ReleaseVerification & { fetched: number }> {
  const sigs = await fetchReleaseSignatures(digest, { store: opts.store, fetchBytes: opts.fetchBytes, ...(opts.signal ? { signal: opts.signal } : {}) });
  return { ...(await verifyReleaseSignatures(digest, sigs, opts.keys)), fetched: sigs.length };
}

/** oc-mirror v2's names for the ConfigMap the cluster-version operator reads mirrored signatures from. */
export const SIGNATURE_CONFIGMAP = {
  name: 'mirrored-release-signatures',
  namespace: 'openshift-config-managed',
  label: 'release.openshift.io/verification-signatures',
} as const;

export interface SignatureConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  binaryData: Record<string, string>;
}

/**
 * One ConfigMap for every verified release: keys sha256-<hex>-<n> (n counts each release's signatures from 1, the
 * form the cluster-version operator reads), base64 values, sorted so the same input gives the same bytes.
 */
export function releaseSignatureConfigMap(releases: { digest: string; signatures: Uint8Array[] }[]): SignatureConfigMap {
  const entries: [string, string][] = [];
  for (const r of releases) {
    checkReleaseDigest(r.digest);
    r.signatures.forEach((bytes, i) => entries.push([`${r.digest.replace(':', '-')}-${i + 1}`, Buffer.from(bytes).toString('base64')]));
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: SIGNATURE_CONFIGMAP.name, namespace: SIGNATURE_CONFIGMAP.namespace, labels: { [SIGNATURE_CONFIGMAP.label]: '' } },
    binaryData: Object.fromEntries(entries),
  };
}

/** The release repositories OpenShift's own ClusterImagePolicy covers (openshift/cluster-update-keys, manifests.rhel). */
export const RELEASE_SCOPES = ['quay.io/openshift-release-dev/ocp-release', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev'];

/**
 * A ClusterImagePolicy (config.openshift.io/v1) example for mirrored release images, as YAML text with comments: the
 * scopes stay the source names (IDMS sends pulls to the mirror, the policy applies to the names pods use), and the
 * cosign .sig tags gantry copies next to each image are what the nodes find there. The key is left for the user.
 */
export function clusterImagePolicyExample(opts: { scopes?: string[] } = {}): string {
  const scopes = opts.scopes ?? RELEASE_SCOPES;
  return [
    '# Example only: review before applying. OpenShift 4.20+ verifies release images with sigstore (cosign)',
    '# signatures; gantry copies the sha256-<hex>.sig tags next to each mirrored image, so nodes pulling through',
    '# the ImageDigestMirrorSet find them in the mirror. keyData is the base64 of the PEM public key that signs the',
    "# releases: on a connected cluster it is in the ClusterImagePolicy named openshift (oc get clusterimagepolicy",
    '# openshift -o yaml); it is not the OpenPGP release key used for the ConfigMap of release signatures.',
    'apiVersion: config.openshift.io/v1',
    'kind: ClusterImagePolicy',
    'metadata:',
    '  name: mirrored-release-images',
    'spec:',
    '  scopes:',
    ...scopes.map((s) => `  - ${s}`),
    '  policy:',
    '    rootOfTrust:',
    '      policyType: PublicKey',
    '      publicKey:',
    '        keyData: REPLACE-WITH-BASE64-OF-THE-RELEASE-COSIGN-PUBLIC-KEY-PEM',
    '    signedIdentity:',
    '      matchPolicy: MatchRepoDigestOrExact',
    '',
  ].join('\n');
}
