// Which sample images are really at the mirror: each pull spec as the operator will import it (after samplesRegistry),
// looked up through an injected registry lookup and confirmed by digest, down to the platform manifests an index needs.
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
  return tags.map((t, i) => {
    const r = results.get(specs[i]!)!;
    return { ...t, pullSpec: specs[i]!, present: r.present, ...(r.digest ? { digest: r.digest } : {}), ...(r.reason ? { reason: r.reason } : {}) };
  });
}

/** For lookups: registry answers that mean "not there" (the CLI's lookup turns these into undefined / false). */
export function isAbsent(err: unknown): boolean {
  return isGantryError(err, 'MANIFEST_UNKNOWN') || isGantryError(err, 'NOT_FOUND');
}
