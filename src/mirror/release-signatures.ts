// Release signatures in mirroring: each selected release verified against the release key before anything is copied
// (or skipped on request), carried in archives, and the accumulated ConfigMap + ClusterImagePolicy example per destination.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Key } from 'openpgp';
import { stringify } from 'yaml';
import { GantryError, isGantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';
import type { GeneratedFile } from '../generate/cluster-resources.js';
import type { MirrorTarget } from '../generate/destination.js';
import type { ReleasePlatform } from '../config/config-types.js';
import type { ArchiveManifest, ArchivedRelease } from '../archive/archive-format.js';
import { readMember, type ArchiveContents } from '../archive/read-parts.js';
import {
  KEY_FILE_ENV,
  SIGNATURE_URL_ENV,
  clusterImagePolicyExample,
  fetchReleaseSignatures,
  releaseSignatureConfigMap,
  verifyEachSignature,
  verifyReleaseSignatures,
  type FetchBytes,
  type FetchedSignature,
  type ReleaseType,
  type VerifiedSignature,
} from '../release/index.js';
import type { PlannedRelease } from './plan-releases.js';
import { destinationRecordName, readRecordText } from './destination-records.js';
import type { MirrorPlan, PlanIssue } from './plan-mirror.js';
import { byteOrder } from '../order.js';

/**
 * How a run treats release signatures. verify: fetch from the store of each release's type and verify with the keys
 * (read only when the plan has releases, so catalog-only runs need no key); ignore: --ignore-release-signature.
 * For disk to mirror only `readKeys` matters, and is optional: the signatures come from the archive.
 */
export type ReleaseSignaturePolicy =
  | { mode: 'ignore' }
  | {
      mode: 'verify';
      storeUrl?: (type: ReleaseType) => string;
      fetchBytes?: FetchBytes;
      /** The release key(s); undefined in disk to mirror when no key was given (the archive's signatures are trusted). */
      readKeys?: () => Promise<Key[]>;
    };

/** What plan.json and the dry run say about one release's signatures. */
export type ReleaseSignatureSummary =
  | { verified: number; keyIds: string[]; fingerprints: string[]; store?: string }
  | 'skipped'
  | { failed: string };

/** One release's verified signatures, by its payload digest: what the archive carries and the ConfigMap lists. */
export interface SignedRelease {
  version: string;
  arch: string;
  digest: string;
  signatures: VerifiedSignature[];
}

export interface ReleaseSignatureCheck {
  /** Releases with at least one verifying signature (empty when skipped). */
  signed: SignedRelease[];
  skipped: boolean;
}

/** The payload digest of a planned release (its payload is HOST/REPO@sha256:…). */
export function payloadDigest(r: PlannedRelease): string {
  return r.payload.slice(r.payload.lastIndexOf('@') + 1);
}

/** A release's type: its channel's; a release named by image (platform.release) is okd only when every channel is. */
export function releaseType(r: PlannedRelease, platform: ReleasePlatform | undefined): ReleaseType {
  const channels = platform?.channels ?? [];
  const own = r.channel ? channels.find((c) => c.name === r.channel) : undefined;
  if (own) return own.type;
  return channels.length > 0 && channels.every((c) => c.type === 'okd') ? 'okd' : 'ocp';
}

const describe = (r: { version: string; arch: string; digest: string }) => `release ${r.version} (${r.arch}, ${r.digest})`;

/**
 * Every planned release's signatures fetched and verified before anything is copied: the summary is set on each
 * plan.releases entry (plan.json shows it). Releases that do not verify are all collected and then refused in one
 * SIGNATURE_INVALID naming each (version, arch, digest); a store that cannot be reached is an error at once.
 * With mode ignore nothing is fetched, and a warning says so.
 */
export async function checkReleaseSignatures(plan: MirrorPlan, opts: { policy: ReleaseSignaturePolicy | undefined; platform: ReleasePlatform | undefined; signal?: AbortSignal }): Promise<ReleaseSignatureCheck & { refused?: GantryError }> {
  const releases = plan.releases ?? [];
  // A selection with errors is refused first: its releases are not fetched for nothing.
  if (releases.length === 0 || plan.issues.some((i) => i.severity === 'error')) return { signed: [], skipped: false };
  const { policy } = opts;
  if (!policy) throw new GantryError('INTERNAL', 'the plan has releases but the run was given no release signature policy');
  if (policy.mode === 'ignore') {
    for (const r of releases) r.signatures = 'skipped';
    const issue: PlanIssue = {
      severity: 'warning',
      code: 'RELEASE_SIGNATURE_SKIPPED',
      message: `release signatures were not checked (--ignore-release-signature): ${releases.map((r) => `${r.version} (${r.arch})`).join(', ')}; no signature ConfigMap is written for them`,
    };
    plan.issues.push(issue);
    return { signed: [], skipped: true };
  }
  if (!policy.readKeys || !policy.storeUrl || !policy.fetchBytes) throw new GantryError('INTERNAL', 'release signature verification needs a key, a store and a fetch');
  const keys = await policy.readKeys();
  const signed: SignedRelease[] = [];
  const failures: string[] = [];
  for (const r of releases) {
    const digest = payloadDigest(r);
    const store = policy.storeUrl(releaseType(r, opts.platform));
    const who = describe({ version: r.version, arch: r.arch, digest });
    let fetched: FetchedSignature[];
    try {
      fetched = await fetchReleaseSignatures(digest, { store, fetchBytes: policy.fetchBytes, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      if (opts.signal?.aborted || !isGantryError(err)) throw err;
      if (err.code === 'SIGNATURE_NOT_FOUND') {
        const why = err.message.replace(` for release ${digest}`, '');
        r.signatures = { failed: why };
        failures.push(`${who}: ${why}`);
        continue;
      }
      // The store cannot be reached (or answers wrongly): every other release would fail the same way.
      throw new GantryError(err.code, `${who}: ${err.message}`, { cause: err, hint: err.hint ?? `check --signature-url (or ${SIGNATURE_URL_ENV})` });
    }
    // Each signature on its own: the release verifies when one does (as the cluster-version operator accepts it).
    const { verified, rejected } = await verifyEachSignature(digest, fetched, keys);
    const reasons = rejected.map((x) => x.reason.replace(` of release ${digest}`, ''));
    if (verified.length === 0) {
      const why = `none of its ${fetched.length} signature${fetched.length === 1 ? '' : 's'} verifies with the key: ${reasons.join('; ')}`;
      r.signatures = { failed: why };
      failures.push(`${who}: ${why}`);
      continue;
    }
    r.signatures = summary(verified, keys, store);
    signed.push({ version: r.version, arch: r.arch, digest, signatures: verified });
  }
  if (failures.length === 0) return { signed, skipped: false };
  const refused = new GantryError(
    'SIGNATURE_INVALID',
    `${failures.length} release${failures.length === 1 ? '' : 's'} without a verifying signature; nothing was copied:\n  ${failures.join('\n  ')}`,
    { hint: `check --key (or ${KEY_FILE_ENV}) and --signature-url (or ${SIGNATURE_URL_ENV}); --ignore-release-signature mirrors them unchecked` },
  );
  return { signed, skipped: false, refused };
}

function summary(verified: VerifiedSignature[], keys: Key[], store?: string): ReleaseSignatureSummary {
  const keyIds = [...new Set(verified.map((v) => v.keyId))].sort(byteOrder);
  const fingerprints = keyIds.map((id) => keys.find((k) => k.getKeyIDs().some((k2) => k2.toHex() === id))?.getFingerprint() ?? id);
  return { verified: verified.length, keyIds, fingerprints: [...new Set(fingerprints)].sort(byteOrder), ...(store ? { store } : {}) };
}

// ---- archives ----------------------------------------------------------------------------------------------------

/** gantry/signatures/sha256-<hex>-<n>: one release signature, as the ConfigMap key names it. */
export const signatureMemberName = (digest: string, index: number) => `gantry/signatures/${digest.replace(':', '-')}-${index}`;

/** The archive's record of the releases it carries and their signature members (the bytes are separate members). */
export function archivedReleases(plan: MirrorPlan, check: ReleaseSignatureCheck): { releases: ArchivedRelease[]; members: { name: string; bytes: Uint8Array }[] } {
  const releases: ArchivedRelease[] = [];
  const members: { name: string; bytes: Uint8Array }[] = [];
  for (const r of plan.releases ?? []) {
    const digest = payloadDigest(r);
    const signed = check.signed.find((s) => s.digest === digest);
    if (!signed) {
      if (check.skipped) releases.push({ version: r.version, arch: r.arch, digest, signatures: 'skipped' });
      continue;
    }
    releases.push({
      version: r.version,
      arch: r.arch,
      digest,
      signatures: signed.signatures.map((s, n) => {
        const name = signatureMemberName(digest, n + 1);
        members.push({ name, bytes: s.bytes });
        return { member: name, keyId: s.keyId, dockerReference: s.dockerReference, ...(s.created ? { created: s.created } : {}) };
      }),
    });
  }
  releases.sort((a, b) => byteOrder(a.digest, b.digest));
  return { releases, members };
}

/**
 * The signatures an archive directory carries for these release digests, newest sequence first (an incremental
 * archive that still lists a release carries them again; one that no longer does leaves them to the earlier
 * sequence's files). With keys, each is verified again before anything is pushed; without, they are trusted as
 * verified when the archive was made (the archive's members are checksummed).
 */
export async function readArchivedSignatures(contents: ArchiveContents, opts: { digests: ReadonlySet<string>; keys?: Key[]; signal?: AbortSignal }): Promise<{ signed: SignedRelease[]; skipped: ArchivedRelease[] }> {
  const byDigest = new Map<string, ArchivedRelease>();
  const manifests: ArchiveManifest[] = [...contents.manifests].reverse();
  for (const m of manifests) for (const r of m.releases ?? []) if (opts.digests.has(r.digest) && !byDigest.has(r.digest)) byDigest.set(r.digest, r);
  const signed: SignedRelease[] = [];
  const skipped: ArchivedRelease[] = [];
  for (const r of [...byDigest.values()].sort((a, b) => byteOrder(a.digest, b.digest))) {
    if (r.signatures === 'skipped') {
      skipped.push(r);
      continue;
    }
    const sigs: VerifiedSignature[] = [];
    for (const [n, s] of r.signatures.entries()) {
      const loc = contents.members.get(s.member);
      if (!loc) throw new GantryError('ARCHIVE_INVALID', `${describe(r)}: the archive lists signature ${s.member} but does not hold it`, { hint: 'copy every mirror_seq*.tar file of the archive directory' });
      const bytes = await readMember(loc, opts.signal);
      sigs.push({ index: n + 1, url: `archive:${contents.dir}/${s.member}`, dockerReference: s.dockerReference, keyId: s.keyId, ...(s.created ? { created: s.created } : {}), bytes: new Uint8Array(bytes) });
    }
    if (opts.keys) {
      try {
        await verifyReleaseSignatures(r.digest, sigs, opts.keys);
      } catch (err) {
        if (!isGantryError(err)) throw err;
        throw new GantryError(err.code, `${describe(r)}: its signatures in the archive do not verify with the given key; nothing was pushed: ${err.message}`, {
          cause: err,
          hint: 'give the key the archive was made with, or push without --key to trust the archive as verified when it was made',
        });
      }
    }
    signed.push({ version: r.version, arch: r.arch, digest: r.digest, signatures: sigs });
  }
  return { signed, skipped };
}

// ---- records and cluster resources -------------------------------------------------------------------------------

export const SIGNATURE_RECORDS_DIR = join('.gantry', 'release-signatures');
const RECORD_FORMAT = 'gantry.release-signatures/v1';

interface RecordFile {
  format: typeof RECORD_FORMAT;
  releases: { version: string; arch: string; digest: string; signatures: string[] }[];
}

export function signatureRecordFile(workspace: string, target: MirrorTarget): string {
  return join(workspace, SIGNATURE_RECORDS_DIR, destinationRecordName(target));
}

async function readRecord(file: string): Promise<RecordFile['releases']> {
  const text = await readRecordText(file);
  if (text === undefined) return [];
  try {
    const v = JSON.parse(text) as RecordFile;
    if (v.format !== RECORD_FORMAT || !Array.isArray(v.releases)) throw new Error('unknown format');
    return v.releases;
  } catch {
    throw new GantryError('CONFIG_INVALID', `${file} is not a gantry release signature record`, { hint: 'delete it: the next run records the signatures of the releases it mirrors afresh' });
  }
}

/**
 * Adds the signatures of the releases that landed this run to the destination's record, and returns the cluster
 * resources for every release mirrored there so far: signature-configmap.json/.yaml (oc-mirror v2's
 * mirrored-release-signatures ConfigMap) and the ClusterImagePolicy example. Nothing when no release was ever mirrored.
 */
export async function releaseSignatureResources(workspace: string, target: MirrorTarget, landed: SignedRelease[], opts: { anyRelease: boolean }): Promise<GeneratedFile[]> {
  const file = signatureRecordFile(workspace, target);
  const all = new Map((await readRecord(file)).map((r) => [r.digest, r] as const));
  for (const r of landed) all.set(r.digest, { version: r.version, arch: r.arch, digest: r.digest, signatures: r.signatures.map((s) => Buffer.from(s.bytes).toString('base64')) });
  const releases = [...all.values()].sort((a, b) => byteOrder(a.digest, b.digest));
  if (landed.length > 0) {
    await mkdir(join(workspace, SIGNATURE_RECORDS_DIR), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify({ format: RECORD_FORMAT, releases } satisfies RecordFile, null, 2)}\n`);
  }
  const files: GeneratedFile[] = [];
  if (releases.length > 0) {
    const cm = releaseSignatureConfigMap(releases.map((r) => ({ digest: r.digest, signatures: r.signatures.map((s) => new Uint8Array(Buffer.from(s, 'base64'))) })));
    files.push({ path: 'signature-configmap.json', content: `${JSON.stringify(cm, null, 2)}\n` }, { path: 'signature-configmap.yaml', content: stringify(cm) });
  }
  if (releases.length > 0 || opts.anyRelease) files.push({ path: 'cluster-image-policy-example.yaml', content: clusterImagePolicyExample() });
  return files;
}

/** The signed releases whose release image landed (by digest) in this run. */
export function landedReleases(signed: SignedRelease[], mirrored: { digest: string; kind: string }[]): SignedRelease[] {
  const digests = new Set(mirrored.filter((m) => m.kind === 'release').map((m) => m.digest));
  return signed.filter((s) => digests.has(s.digest));
}

/**
 * After `gantry delete`: the releases whose release image (by digest) is gone from the destination leave its
 * record, and the signature ConfigMap files in WORKSPACE/cluster-resources are written again from what remains
 * (removed when no release remains), so the ConfigMap a cluster applies lists only releases it can still pull.
 * Nothing happens without a record for this destination. Returns the releases forgotten.
 */
export async function forgetReleaseSignatures(workspace: string, target: MirrorTarget, gone: ReadonlySet<string>): Promise<{ version: string; arch: string; digest: string }[]> {
  const file = signatureRecordFile(workspace, target);
  const releases = await readRecord(file);
  const forgotten = releases.filter((r) => gone.has(r.digest));
  if (forgotten.length === 0) return [];
  const remaining = releases.filter((r) => !gone.has(r.digest));
  await writeFileAtomic(file, `${JSON.stringify({ format: RECORD_FORMAT, releases: remaining } satisfies RecordFile, null, 2)}\n`);
  const dir = join(workspace, 'cluster-resources');
  const paths = ['signature-configmap.json', 'signature-configmap.yaml'].map((p) => join(dir, p));
  if (remaining.length === 0) {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  } else {
    const cm = releaseSignatureConfigMap(remaining.map((r) => ({ digest: r.digest, signatures: r.signatures.map((s) => new Uint8Array(Buffer.from(s, 'base64'))) })));
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(paths[0]!, `${JSON.stringify(cm, null, 2)}\n`);
    await writeFileAtomic(paths[1]!, stringify(cm));
  }
  return forgotten.map(({ version, arch, digest }) => ({ version, arch, digest }));
}
