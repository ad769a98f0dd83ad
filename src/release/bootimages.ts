// The CoreOS boot images a release payload names: the installer's coreos-bootimages ConfigMap
// (release-manifests/0000_50_installer_coreos-bootimages.yaml, data.stream = CoreOS stream JSON) and its KubeVirt containers.
import { parseDocument } from 'yaml';
import { GantryError } from '../errors.js';
import { isDigest } from '../oci/digest.js';
import { parseReference } from '../oci/reference.js';
import { byteOrder } from '../order.js';
import type { ReleaseImage } from './payload.js';

export const BOOTIMAGES_MANIFEST = 'release-manifests/0000_50_installer_coreos-bootimages.yaml';
/** oc-mirror v2's component name for the image (internal/pkg/release getKubeVirtImages); multi-arch adds -<stream arch>. */
export const KUBEVIRT_COMPONENT = 'kube-virt-container';

/** CoreOS stream JSON keys architectures as the kernel does (x86_64, aarch64), not as Go does (amd64, arm64). */
const STREAM_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', ppc64le: 'ppc64le', s390x: 's390x' };

export function streamArch(arch: string): string {
  return STREAM_ARCH[arch] ?? arch;
}

export interface KubeVirtImage {
  /** The architecture as the stream names it (x86_64, aarch64, ppc64le, s390x). */
  arch: string;
  /** The container disk by digest (architectures.<arch>.images.kubevirt.digest-ref). */
  image: string;
  /** The RHCOS build it carries (images.kubevirt.release), when given. */
  rhcos?: string;
}

export interface BootImages {
  /** The stream's name (e.g. rhcos-4.16), when given. */
  stream?: string;
  /** data.releaseVersion of the ConfigMap, when given. */
  releaseVersion?: string;
  /** Stream architecture → its KubeVirt container; architectures without one are absent. */
  kubevirt: Map<string, KubeVirtImage>;
}

const invalid = (where: string, message: string) =>
  new GantryError('RELEASE_INVALID', `${where}: ${BOOTIMAGES_MANIFEST} ${message}`, {
    hint: 'the payload\'s coreos-bootimages ConfigMap is malformed; mirror the release without kubeVirtContainer, or add the KubeVirt image to additionalImages by digest',
  });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the ConfigMap and its stream JSON. Errors name the release (`where`) and the file. */
export function parseBootImages(bytes: Uint8Array, where: string): BootImages {
  const doc = parseDocument(Buffer.from(bytes).toString('utf8'), { uniqueKeys: false });
  if (doc.errors.length > 0) throw invalid(where, `is not YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const cm = doc.toJS() as unknown;
  if (!isObject(cm) || cm.kind !== 'ConfigMap' || !isObject(cm.data) || typeof cm.data.stream !== 'string') {
    throw invalid(where, 'is not a ConfigMap with data.stream');
  }
  let stream: unknown;
  try {
    stream = JSON.parse(cm.data.stream);
  } catch (err) {
    throw invalid(where, `data.stream is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(stream) || !isObject(stream.architectures)) throw invalid(where, 'data.stream has no "architectures" object (not CoreOS stream JSON)');
  const kubevirt = new Map<string, KubeVirtImage>();
  for (const arch of Object.keys(stream.architectures).sort(byteOrder)) {
    const entry = stream.architectures[arch];
    const kv = isObject(entry) && isObject(entry.images) ? entry.images.kubevirt : undefined;
    if (kv === undefined) continue;
    const at = `data.stream architectures.${arch}.images.kubevirt`;
    if (!isObject(kv)) throw invalid(where, `${at} is not an object`);
    const ref = kv['digest-ref'];
    // An empty digest-ref is how the stream says "no KubeVirt image for this architecture".
    if (ref === undefined || ref === '') continue;
    if (typeof ref !== 'string') throw invalid(where, `${at}.digest-ref is not a string`);
    let digest: string | undefined;
    try {
      digest = parseReference(ref).digest;
    } catch (err) {
      throw invalid(where, `${at}.digest-ref "${ref.slice(0, 200)}" is not an image reference: ${(err as Error).message}`);
    }
    if (!digest || !isDigest(digest)) throw invalid(where, `${at}.digest-ref "${ref.slice(0, 200)}" is not pinned by digest`);
    kubevirt.set(arch, { arch, image: ref, ...(typeof kv.release === 'string' && kv.release !== '' ? { rhcos: kv.release } : {}) });
  }
  return {
    ...(typeof stream.stream === 'string' ? { stream: stream.stream } : {}),
    ...(typeof cm.data.releaseVersion === 'string' ? { releaseVersion: cm.data.releaseVersion } : {}),
    kubevirt,
  };
}

export interface ReleaseKubeVirt {
  /** The images to mirror, each with oc-mirror's component name. */
  images: (KubeVirtImage & { name: string })[];
  /** Why nothing (or not everything) was found, for a warning: no ConfigMap, or architectures without an image. */
  missingFile: boolean;
  missingArchs: string[];
}

/**
 * The KubeVirt containers of a release read with BOOTIMAGES_MANIFEST: for a single-arch release the one of its
 * architecture; for a multi-arch release the one of every architecture of its index (or only of `architectures`,
 * Go spelling, when platform.platforms narrows the mirror). Named kube-virt-container, with -<stream arch> when
 * more than one architecture is considered, as oc-mirror names them.
 */
export function releaseKubeVirt(read: ReleaseImage, where: string, opts: { architectures?: readonly string[] } = {}): ReleaseKubeVirt {
  const images: ReleaseKubeVirt['images'] = [];
  const missingArchs: string[] = [];
  let missingFile = false;
  const seen = new Set<string>();
  const considered = read.payloads.filter((p) => !read.multiArch || !opts.architectures?.length || opts.architectures.includes(p.arch));
  const suffix = new Set(considered.map((p) => p.arch)).size > 1;
  for (const p of considered) {
    const bytes = p.manifests?.get(BOOTIMAGES_MANIFEST);
    if (!bytes) {
      missingFile = true;
      continue;
    }
    const arch = streamArch(p.arch);
    if (seen.has(arch)) continue;
    seen.add(arch);
    const found = parseBootImages(bytes, where).kubevirt.get(arch);
    if (!found) {
      missingArchs.push(arch);
      continue;
    }
    images.push({ ...found, name: suffix ? `${KUBEVIRT_COMPONENT}-${arch}` : KUBEVIRT_COMPONENT });
  }
  return { images, missingFile, missingArchs };
}
