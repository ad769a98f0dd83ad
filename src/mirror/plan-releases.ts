// The release step of mirror planning: the releases `mirror.platform` selects from the update graphs (or names),
// each read for its payload, become planned images by digest with oc-mirror's names (reference §4.7).
import { GantryError, isGantryError } from '../errors.js';
import type { ReleasePlatform } from '../config/config-types.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { BOOTIMAGES_MANIFEST, graphRequests, readGraphs, readReleaseImage, releaseKubeVirt, releaseTagArch, selectReleases, type GraphRequest, type ReleaseImage, type SelectedRelease, type UpdateGraph, type UpdateRisk } from '../release/index.js';
import type { Naming, PlanIssue } from './plan-mirror.js';
import type { StoreResolver } from './store-resolver.js';
import type { ReleaseSignatureSummary } from './release-signatures.js';

/** oc-mirror v2's repositories for releases (internal/pkg/release: releaseImagePathComponents and friends). */
export const RELEASE_IMAGES_REPO = 'openshift/release-images';
export const RELEASE_COMPONENTS_REPO = 'openshift/release';

export type GraphReader = (req: GraphRequest) => Promise<UpdateGraph>;

/** Why an image of a release is mirrored: the release (and how it was selected), and the component it is. */
export interface ReleaseImageReason {
  release: string;
  arch: string;
  channel?: string;
  selected: SelectedRelease['reason'];
  edge?: { from: string; to: string; conditional: boolean; risks: UpdateRisk[] };
  /** Absent for the release image itself. */
  component?: string;
  /** For the KubeVirt container (platform.kubeVirtContainer): the stream architecture and RHCOS build it is for. */
  kubeVirt?: { arch: string; rhcos?: string };
}

/** One selected release as plan.json and the dry run explain it. */
export interface PlannedRelease {
  version: string;
  /** The architecture as the graph names it (multi for a multi-arch payload). */
  arch: string;
  /** The release image by digest. */
  payload: string;
  channel?: string;
  reason: SelectedRelease['reason'];
  edge?: ReleaseImageReason['edge'];
  multiArch: boolean;
  components: number;
  /** The tag it gets at the destination: <version>-<arch>. */
  tag: string;
  /** Set before anything is copied: verified (how many, by which keys), skipped, or why not (release-signatures.ts). */
  signatures?: ReleaseSignatureSummary;
  /** With platform.kubeVirtContainer: the KubeVirt containers taken from the payload's coreos-bootimages ConfigMap. */
  kubeVirtContainer?: { arch: string; image: string; tag: string }[];
}

export interface ReleaseImagePlan {
  source: Reference;
  naming: Naming;
  reason: ReleaseImageReason;
}

export interface ReleasePlan {
  releases: PlannedRelease[];
  images: ReleaseImagePlan[];
  issues: PlanIssue[];
}

export interface PlanReleasesOptions {
  platform: ReleasePlatform;
  readGraph?: GraphReader;
  source: StoreResolver;
  /**
   * Delete planning: where a release image's mirrored copy is (same digest), read before the source, so a
   * disconnected site can plan from its own mirror. A release found in neither is left out with a warning:
   * there is nothing of it to delete that gantry could name.
   */
  lookup?: StoreResolver;
  signal?: AbortSignal;
}

/** Whether the platform section asks for any release. */
export function wantsReleases(platform: ReleasePlatform | undefined): platform is ReleasePlatform {
  return platform !== undefined && (platform.channels.length > 0 || platform.release !== undefined);
}

function where(s: SelectedRelease): string {
  return s.version ? `release ${s.version}${s.arch ? ` (${s.arch}${s.channel ? `, channel ${s.channel}` : ''})` : ''}` : `release ${s.payload}`;
}

/**
 * Selects the releases and reads each payload. Failing to read a graph or a release image is an error that
 * names the channel or the release: a plan without the releases the configuration asks for would be incomplete.
 */
export async function planReleases(opts: PlanReleasesOptions): Promise<ReleasePlan> {
  const { platform, signal } = opts;
  const issues: PlanIssue[] = [];
  if (platform.release === undefined && !opts.readGraph) throw new GantryError('INTERNAL', 'mirror.platform selects releases from update graphs, but no graph reader was given');
  const graphs = opts.readGraph ? await readGraphs(graphRequests(platform), opts.readGraph) : new Map();
  const selection = selectReleases(platform, graphs);
  for (const w of selection.warnings) issues.push({ severity: 'warning', code: w.code, message: w.message });

  const releases: PlannedRelease[] = [];
  const images: ReleaseImagePlan[] = [];
  for (const s of selection.releases) {
    let ref: Reference;
    try {
      ref = parseReference(s.payload);
    } catch (err) {
      throw new GantryError('RELEASE_INVALID', `${where(s)}: the payload "${s.payload}" is not an image reference: ${(err as Error).message}`);
    }
    const reference = ref.digest ?? ref.tag ?? 'latest';
    let read: ReleaseImage;
    const readOpts = { ...(signal ? { signal } : {}), ...(platform.kubeVirtContainer ? { manifests: [BOOTIMAGES_MANIFEST] } : {}) };
    try {
      read = await readMirroredFirst(opts, ref, reference, readOpts);
    } catch (err) {
      if (signal?.aborted || !isGantryError(err)) throw err;
      if (opts.lookup) {
        issues.push({ severity: 'warning', code: 'RELEASE_NOT_FOUND', message: `${where(s)}: not at the destination, and the source ${formatReference(ref)} cannot be read (${err.message}); nothing of it is listed` });
        continue;
      }
      throw new GantryError(err.code, `${where(s)}: cannot read the release image ${formatReference(ref)}: ${err.message}`, { cause: err, ...(err.hint ? { hint: err.hint } : {}) });
    }
    const first = read.payloads[0]!;
    const version = s.version ?? first.version;
    if (s.version && first.version !== s.version) {
      issues.push({ severity: 'warning', code: 'RELEASE_VERSION_MISMATCH', message: `${where(s)}: the image ${formatReference(ref)} says it is ${first.version}` });
    }
    const arch = read.multiArch ? 'multi' : (s.arch ?? first.arch);
    // The tag takes the graph's architecture (as oc-mirror's does); a payload of another one would be mirrored
    // under a name that says what it is not, so that is said.
    const actual = read.multiArch ? 'multi' : first.arch;
    if (s.arch && s.arch !== actual) {
      issues.push({ severity: 'warning', code: 'RELEASE_ARCH_MISMATCH', message: `${where(s)}: the update graph lists it for ${s.arch}, but the image ${formatReference(ref)} is ${actual === 'multi' ? 'a multi-arch release' : `built for ${actual}`}` });
    }
    const tag = `${version}-${releaseTagArch(arch)}`;
    // A multi-arch payload lists the same (multi-arch) component images in every architecture; any that differ
    // would make one name two images, so that is refused rather than guessed.
    const components = new Map<string, string>();
    for (const p of read.payloads) {
      for (const [name, image] of p.components) {
        const had = components.get(name);
        if (had !== undefined && had !== image) throw new GantryError('RELEASE_INVALID', `${where(s)}: component ${name} is ${had} for one architecture and ${image} for another`);
        components.set(name, image);
      }
    }
    const reason: ReleaseImageReason = { release: version, arch, ...(s.channel ? { channel: s.channel } : {}), selected: s.reason, ...(s.edge ? { edge: s.edge } : {}) };
    // By digest, as read: the tag (platform.release) is kept for the mapping, but what is copied cannot move.
    const source: Reference = { ...ref, digest: read.digest as Digest };
    images.push({ source, naming: { targetRepo: RELEASE_IMAGES_REPO, targetTag: tag }, reason });
    for (const [name, image] of components) {
      const c = parseReference(image);
      if (!c.digest || !isDigest(c.digest)) throw new GantryError('RELEASE_INVALID', `${where(s)}: component ${name} is not pinned by digest (${image})`);
      images.push({ source: c, naming: { targetRepo: RELEASE_COMPONENTS_REPO, targetTag: `${tag}-${name}` }, reason: { ...reason, component: name } });
    }
    const kubeVirt = platform.kubeVirtContainer ? planKubeVirt(read, s.version ? `${where(s)} (${formatReference(ref)})` : where(s), tag, reason, images, issues, platform.platforms) : undefined;
    releases.push({
      version,
      arch,
      payload: `${formatReference({ registry: ref.registry, repository: ref.repository })}@${read.digest}`,
      ...(s.channel ? { channel: s.channel } : {}),
      reason: s.reason,
      ...(s.edge ? { edge: s.edge } : {}),
      multiArch: read.multiArch,
      components: components.size,
      tag,
      ...(kubeVirt ? { kubeVirtContainer: kubeVirt } : {}),
    });
  }
  return { releases, images, issues };
}

/** With a lookup, the mirrored copy by digest (the graph pins payloads by digest), then the source. */
async function readMirroredFirst(opts: PlanReleasesOptions, ref: Reference, reference: string, readOpts: Parameters<typeof readReleaseImage>[2]): Promise<ReleaseImage> {
  if (opts.lookup && ref.digest) {
    try {
      return await readReleaseImage(opts.lookup(ref), ref.digest, readOpts);
    } catch (err) {
      if (opts.signal?.aborted || !isGantryError(err)) throw err;
    }
  }
  return readReleaseImage(opts.source(ref), reference, readOpts);
}

/**
 * The KubeVirt containers of one release as release components (oc-mirror v2 lists them with the payload's, so
 * they land at openshift/release:<version>-<arch>-kube-virt-container). A release without one is warned about,
 * naming it: HyperShift's KubeVirt platform would find no boot image in the mirror.
 */
function planKubeVirt(read: ReleaseImage, where: string, tag: string, reason: ReleaseImageReason, images: ReleaseImagePlan[], issues: PlanIssue[], platforms: ReleasePlatform['platforms']): NonNullable<PlannedRelease['kubeVirtContainer']> {
  // platform.platforms narrows the multi-arch payload to those architectures, and so the KubeVirt containers taken.
  const kv = releaseKubeVirt(read, where, platforms?.length ? { architectures: platforms.map((p) => p.architecture) } : {});
  const out: NonNullable<PlannedRelease['kubeVirtContainer']> = [];
  for (const k of kv.images) {
    const name = `${tag}-${k.name}`;
    images.push({ source: parseReference(k.image), naming: { targetRepo: RELEASE_COMPONENTS_REPO, targetTag: name }, reason: { ...reason, component: k.name, kubeVirt: { arch: k.arch, ...(k.rhcos ? { rhcos: k.rhcos } : {}) } } });
    out.push({ arch: k.arch, image: k.image, tag: name });
  }
  if (kv.images.length === 0) {
    const why = kv.missingFile ? `its payload has no ${BOOTIMAGES_MANIFEST}` : `its coreos-bootimages stream has no KubeVirt image for ${kv.missingArchs.join(', ')}`;
    issues.push({ severity: 'warning', code: 'RELEASE_KUBEVIRT_MISSING', message: `${where}: platform.kubeVirtContainer is set but ${why}; no KubeVirt container is mirrored for it` });
  }
  return out;
}
