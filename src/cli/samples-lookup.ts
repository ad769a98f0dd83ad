// The registry side of `gantry samples config` and `samples check`: a MirrorLookup over gantry's registry session
// (--ca doubling as the mirror's TLS trust), and what mirror digests are compared with (workspace records, sources).
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../oci/digest.js';
import type { RegistryAccess, RegistrySession } from '../registry/registry-session.js';
import { isAbsent, type DigestExpectation, type MirrorLookup } from '../samples/mirror-presence.js';
import { GantryError } from '../errors.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import { readMirrored, RECORDS_DIR } from '../mirror/destination-records.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { accessFrom, openSession } from './registry-flags.js';

export function createMirrorLookup(session: RegistrySession, access: RegistryAccess): MirrorLookup {
  return {
    async manifest(registry, repository, reference, opts) {
      try {
        const m = await session.store(registry, repository, access).fetchManifest(reference, opts);
        return { digest: m.descriptor.digest, mediaType: m.descriptor.mediaType, bytes: m.bytes };
      } catch (err) {
        if (isAbsent(err)) return undefined;
        throw err;
      }
    },
    async hasManifest(registry, repository, digest: Digest, opts) {
      try {
        return (await session.store(registry, repository, access).statManifest(digest, opts)) !== undefined;
      } catch (err) {
        if (isAbsent(err)) return false;
        throw err;
      }
    },
  };
}

/**
 * Runs `work` with a lookup made from the command's registry flags. The CA given for the registry-config ConfigMap
 * is the CA the cluster will trust the mirror with, so it is also the one gantry verifies the mirror with, unless
 * --cert-dir says otherwise (a certs.d directory of one ca.crt, removed afterwards).
 */
export async function withMirrorLookup<T>(opts: Record<string, unknown>, caFile: string | undefined, work: (lookup: MirrorLookup) => Promise<T>): Promise<T> {
  const access = accessFrom(opts, '');
  let certDir: string | undefined;
  if (caFile !== undefined && access.certDir === undefined) {
    certDir = await mkdtemp(join(tmpdir(), 'gantry-samples-ca-'));
    await copyFile(caFile, join(certDir, 'ca.crt'));
    access.certDir = certDir;
  }
  const session = await openSession(opts);
  try {
    return await work(createMirrorLookup(session, access));
  } finally {
    await session.close();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  }
}

/** Where a tag record is keyed: registry/repository:tag (records of digest-pinned images are never asked). */
const tagKey = (r: Reference) => `${r.registry}/${r.repository}:${r.tag ?? 'latest'}`;

/**
 * The digests gantry mirror / gantry samples mirror recorded in a workspace (.gantry/mirrored/*.json, one file per
 * destination): a tag at the mirror must name the digest recorded for it, mirrored from the same source.
 */
export async function workspaceExpectation(dir: string): Promise<DigestExpectation> {
  const recordsDir = join(dir, RECORDS_DIR);
  const names = (await readdir(recordsDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) {
    throw new GantryError('NOT_FOUND', `${dir} holds no record of mirrored images (${RECORDS_DIR}/*.json)`, {
      hint: 'give the --workspace that gantry samples mirror or gantry mirror wrote to that mirror',
    });
  }
  const byDest = new Map<string, MirroredImage>();
  for (const name of names) for (const image of await readMirrored(join(recordsDir, name))) byDest.set(tagKey(image.dest), image);
  return {
    describe: `the digests recorded in ${dir} when the images were mirrored`,
    async expect(image, pullSpec) {
      const record = byDest.get(tagKey(parseReference(pullSpec)));
      if (!record) return { none: `no record of mirroring to ${pullSpec} in ${dir}` };
      const source = parseReference(image);
      const same = record.source.tag === undefined ? `${source.registry}/${source.repository}` === `${record.source.registry}/${record.source.repository}` : tagKey(source) === tagKey(record.source);
      if (!same) {
        return { none: `recorded as mirrored from ${formatReference(record.source)}, not ${image}` };
      }
      return { digest: record.digest, from: `recorded when ${formatReference(record.source)} was mirrored` };
    },
  };
}

/** The source registries now: a tag at the mirror must name the digest the source's tag names. */
export function sourceExpectation(lookup: MirrorLookup): DigestExpectation {
  return {
    describe: 'the source registries now',
    async expect(image, _pullSpec, opts) {
      const ref = parseReference(image);
      const found = await lookup.manifest(ref.registry, ref.repository, ref.digest ?? ref.tag ?? 'latest', opts);
      if (!found) return { none: `the source has no ${image}` };
      return { digest: found.digest, from: `${image} at the source` };
    },
  };
}

/** Records first, the source for what they do not cover (either may be absent). */
export function combineExpectations(list: readonly DigestExpectation[]): DigestExpectation | undefined {
  if (list.length <= 1) return list[0];
  return {
    describe: list.map((e) => e.describe).join(', then '),
    async expect(image, pullSpec, opts) {
      const reasons: string[] = [];
      for (const e of list) {
        const a = await e.expect(image, pullSpec, opts);
        if (!('none' in a)) return a;
        reasons.push(a.none);
      }
      return { none: reasons.join('; ') };
    },
  };
}
