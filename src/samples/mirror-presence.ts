// Which sample images are really at the mirror: each pull spec as the operator will import it (after samplesRegistry),
// looked up through an injected lookup, confirmed down to an index's platform manifests, and compared by digest.
import { isGantryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import { parseManifest } from '../oci/manifest.js';
import { parseReference } from '../oci/reference.js';
import { operatorPullSpec } from './samples-registry.js';

/** The registry access `samples config` and `samples check` need; the CLI makes one from its registry session. */
export interface MirrorLookup {
  /** The manifest by tag or digest, or undefined when the registry has none (unknown repository or manifest). */
  manifest(registry: string, repository: string, reference: string, opts?: { signal?: AbortSignal }): Promise<{ digest: Digest; mediaType: string; bytes: Uint8Array } | undefined>;
  /** True when a manifest with this digest is in the repository. */
  hasManifest(registry: string, repository: string, digest: Digest, opts?: { signal?: AbortSignal }): Promise<boolean>;
}

/** One imagestream tag's image, as the plan lists it (`samples plan -o json`). */
export interface SampleTagImage {
  imagestream: string;
  tag: string;
  /** The source pull spec (`from.name` of a DockerImage tag). */
  image: string;
}

export interface TagPresence extends SampleTagImage {
  /** The pull spec the operator imports: `image` rewritten for samplesRegistry. */
  pullSpec: string;
  present: boolean;
  /** The manifest digest found at the mirror. */
  digest?: Digest;
  /** Why the image counts as missing. */
  reason?: string;
  /** With an expectation: the digest the mirror's tag must name (recorded, or the source's), when one is known. */
  expected?: Digest;
  /** With an expectation: why this tag's digest could not be compared (it still counts as present). */
  uncompared?: string;
}

/**
 * What a tag at the mirror must name so that it is the source's image, not a stale or foreign one: the digest
 * gantry recorded when it mirrored the source there, or the source registry's digest now. A pull spec by digest
 * needs none (the digest is the comparison).
 */
export interface DigestExpectation {
  /** For the output: what the mirror's digests are compared with. */
  describe: string;
  /** The expected digest of `image` (the source pull spec) at `pullSpec`, or why there is none. */
  expect(image: string, pullSpec: string, opts?: { signal?: AbortSignal }): Promise<{ digest: Digest; from: string } | { none: string }>;
}

/** Lookups in flight at once: enough to hide round trips, few enough not to look like a flood to a small registry. */
export const PRESENCE_CONCURRENCY = 8;

/** Samples-operator architecture names (Config spec.architectures) → OCI platform architectures. */
const OCI_ARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', ppc64le: 'ppc64le', s390x: 's390x' };

export function ociArchitecture(samplesArch: string): string {
  return OCI_ARCH[samplesArch] ?? samplesArch;
}

interface PullSpecPresence {
  present: boolean;
  digest?: Digest;
  reason?: string;
}

async function presenceOf(pullSpec: string, architectures: readonly string[], lookup: MirrorLookup, signal?: AbortSignal): Promise<PullSpecPresence> {
  let ref;
  try {
    ref = parseReference(pullSpec);
  } catch (err) {
    return { present: false, reason: `not an image reference: ${err instanceof Error ? err.message : String(err)}` };
  }
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const found = await lookup.manifest(ref.registry, ref.repository, reference, { signal });
  if (!found) return { present: false, reason: ref.digest ? `no manifest ${ref.digest}` : `no tag ${reference}` };
  if (ref.digest && found.digest !== ref.digest) return { present: false, reason: `manifest digest ${found.digest} is not ${ref.digest}` };
  // A tag names content only through its digest: the image is there when the digest is (a tag can outlive a deleted manifest in some registries' caches).
  if (!ref.digest && !(await lookup.hasManifest(ref.registry, ref.repository, found.digest, { signal }))) {
    return { present: false, digest: found.digest, reason: `tag ${reference} names ${found.digest}, which is not there` };
  }
  const manifest = parseManifest(found.bytes, found.mediaType);
  if (manifest.kind === 'index') {
    // Legacy import mode takes the cluster architecture's manifest; PreserveOriginal takes them all: each wanted one must be there.
    for (const arch of architectures) {
      const want = ociArchitecture(arch);
      const child = manifest.manifests.find((d) => d.platform?.os === 'linux' && d.platform.architecture === want);
      if (!child) return { present: false, digest: found.digest, reason: `the index has no linux/${want} manifest (architecture ${arch})` };
      if (!(await lookup.hasManifest(ref.registry, ref.repository, child.digest, { signal }))) {
        return { present: false, digest: found.digest, reason: `the linux/${want} manifest ${child.digest} is not there` };
      }
    }
  }
  return { present: true, digest: found.digest };
}

export interface CheckPresenceOptions {
  /** The samplesRegistry value; '' checks the pull specs as they are. */
  samplesRegistry: string;
  /** Samples-operator architecture names; an index must hold a linux manifest for each. */
  architectures: readonly string[];
  lookup: MirrorLookup;
  signal?: AbortSignal;
  concurrency?: number;
  /** Compare each present tag's digest with this; without it a tag that names another image counts as mirrored. */
  expectation?: DigestExpectation;
}

/**
 * Looks up each tag's image at samplesRegistry, each distinct pull spec once. Registry errors other than "not there"
 * (unreachable, unauthorized) propagate: a mirror that cannot be asked must not turn every imagestream into a skip.
 */
export async function checkPresence(tags: readonly SampleTagImage[], opts: CheckPresenceOptions): Promise<TagPresence[]> {
  const bySpec = new Map<string, Promise<PullSpecPresence>>();
  const specs = tags.map((t) => operatorPullSpec(t.image, opts.samplesRegistry));
  const unique = [...new Set(specs)];
  let next = 0;
  const results = new Map<string, PullSpecPresence>();
  const worker = async () => {
    while (next < unique.length) {
      const spec = unique[next++]!;
      opts.signal?.throwIfAborted();
      let p = bySpec.get(spec);
      if (!p) bySpec.set(spec, (p = presenceOf(spec, opts.architectures, opts.lookup, opts.signal)));
      results.set(spec, await p);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? PRESENCE_CONCURRENCY, unique.length) }, worker));
  const out: TagPresence[] = tags.map((t, i) => {
    const r = results.get(specs[i]!)!;
    return { ...t, pullSpec: specs[i]!, present: r.present, ...(r.digest ? { digest: r.digest } : {}), ...(r.reason ? { reason: r.reason } : {}) };
  });
  if (opts.expectation) await compareDigests(out, opts.expectation, opts.concurrency ?? PRESENCE_CONCURRENCY, opts.signal);
  return out;
}

/** Pull specs by tag: a digest reference was already compared by the lookup itself. */
function byTag(pullSpec: string): boolean {
  try {
    return parseReference(pullSpec).digest === undefined;
  } catch {
    return false;
  }
}

/**
 * Each present tag's digest against the expectation, each (image, pull spec) pair once: a different digest is a
 * stale (or foreign) tag and counts as missing; no expectation leaves it present, saying why it was not compared.
 */
async function compareDigests(presence: TagPresence[], expectation: DigestExpectation, concurrency: number, signal?: AbortSignal): Promise<void> {
  const todo = presence.filter((p) => p.present && p.digest !== undefined && byTag(p.pullSpec));
  const answers = new Map<string, Promise<{ digest: Digest; from: string } | { none: string }>>();
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const p = todo[next++]!;
      signal?.throwIfAborted();
      const key = `${p.image}\u0000${p.pullSpec}`;
      let answer = answers.get(key);
      if (!answer) answers.set(key, (answer = expectation.expect(p.image, p.pullSpec, signal ? { signal } : {})));
      const a = await answer;
      if ('none' in a) {
        p.uncompared = a.none;
        continue;
      }
      p.expected = a.digest;
      if (a.digest !== p.digest) {
        p.present = false;
        p.reason = `stale: tag names ${p.digest}, not ${a.digest} (${a.from})`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
}

/** For lookups: registry answers that mean "not there" (the CLI's lookup turns these into undefined / false). */
export function isAbsent(err: unknown): boolean {
  return isGantryError(err, 'MANIFEST_UNKNOWN') || isGantryError(err, 'NOT_FOUND');
}
