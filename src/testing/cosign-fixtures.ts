// Test attachments in the shapes cosign and OCI 1.1 tools push (made-up payloads, no cosign binary): tag-based
// signature/attestation/SBOM manifests and a referrer artifact with its tag-schema fallback index.
import { generateBytes, makeBlob, descriptorOf, pushImagesRaw, type BuiltBlob, type RawPushItem, type TestImage, type TestIndex } from './images.js';
import { cosignTags, referrersTag } from '../oci/attachment-tags.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';

/** cosign's layer media types and annotation keys (sigstore/cosign pkg/types, pkg/oci/static). */
export const CosignMediaType = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  spdx: 'text/spdx+json',
} as const;
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

function manifestOf(config: BuiltBlob, layers: { blob: BuiltBlob; annotations?: Record<string, string> }[], extra: Record<string, unknown> = {}): TestImage {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    ...(extra.artifactType ? { artifactType: extra.artifactType } : {}),
    config: descriptorOf(config),
    layers: layers.map((l) => descriptorOf(l.blob, l.annotations ? { annotations: l.annotations } : {})),
    ...(extra.subject ? { subject: extra.subject } : {}),
  };
  return { manifest: makeBlob(Buffer.from(JSON.stringify(manifest)), MediaType.ociManifest), config, layers: layers.map((l) => l.blob), platform: { os: 'linux', architecture: 'amd64' } };
}

/** cosign's image config for attachments: an OCI config with no rootfs content. */
function attachmentConfig(seed: string): BuiltBlob {
  return makeBlob(Buffer.from(JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [] }, author: `gantry-test ${seed}` })), MediaType.ociConfig);
}

/** A `sha256-<hex>.sig` manifest: one simple-signing payload naming the image, a made-up signature annotation. */
export function cosignSignature(subject: Digest, dockerReference: string, seed = 'sig'): TestImage {
  const payload = { critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': subject }, type: 'cosign container image signature' }, optional: null };
  const layer = makeBlob(Buffer.from(JSON.stringify(payload)), CosignMediaType.simpleSigning);
  const signature = generateBytes(`gantry-test/cosign/${seed}/${subject}`, 64).toString('base64');
  return manifestOf(attachmentConfig(seed), [{ blob: layer, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature } }]);
}

/** A `sha256-<hex>.att` manifest: one DSSE envelope (in-toto statement about the image). */
export function cosignAttestation(subject: Digest, seed = 'att'): TestImage {
  const statement = { _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://slsa.dev/provenance/v0.2', subject: [{ name: 'image', digest: { sha256: subject.slice(7) } }], predicate: { seed } };
  const envelope = { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(JSON.stringify(statement)).toString('base64'), signatures: [{ sig: generateBytes(`gantry-test/att/${seed}`, 64).toString('base64') }] };
  return manifestOf(attachmentConfig(seed), [{ blob: makeBlob(Buffer.from(JSON.stringify(envelope)), CosignMediaType.dsse), annotations: { predicateType: statement.predicateType } }]);
}

/** A `sha256-<hex>.sbom` manifest: one SPDX document. */
export function cosignSbom(subject: Digest, seed = 'sbom'): TestImage {
  const doc = { spdxVersion: 'SPDX-2.3', name: `gantry-test ${seed}`, documentDescribes: [subject] };
  return manifestOf(attachmentConfig(seed), [{ blob: makeBlob(Buffer.from(JSON.stringify(doc)), CosignMediaType.spdx) }]);
}

/** An OCI 1.1 artifact whose `subject` is the image: what `cosign --registry-referrers-mode=oci-1-1` or oras pushes. */
export function referrerArtifact(subject: Descriptor, artifactType: string, seed = 'referrer'): TestImage {
  const empty = makeBlob(Buffer.from('{}'), MediaType.ociEmpty);
  const layer = makeBlob(Buffer.from(JSON.stringify({ seed, subject: subject.digest })), 'application/json');
  return manifestOf(empty, [{ blob: layer }], { artifactType, subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } });
}

/** The referrers tag-schema fallback: an index listing the referrers, tagged sha256-<hex> by the pusher. */
export function referrersIndex(referrers: { image: TestImage; artifactType: string }[]): TestIndex {
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: referrers.map((r) => descriptorOf(r.image.manifest, { artifactType: r.artifactType })) };
  return { manifest: makeBlob(Buffer.from(JSON.stringify(index)), MediaType.ociIndex), images: referrers.map((r) => r.image) };
}

export interface PushedAttachments {
  /** Tag → manifest digest, of everything pushed. */
  tags: Record<string, Digest>;
}

/**
 * Pushes, next to `subject` in `repository`, what `which` names: cosign's three tags and/or a referrer with its
 * fallback index (as a client does against a registry without the referrers API, such as distribution 2.8).
 */
export async function pushAttachments(
  registryUrl: string,
  repository: string,
  subject: BuiltBlob,
  which: { signature?: boolean; attestation?: boolean; sbom?: boolean; referrer?: boolean; dockerReference?: string },
): Promise<PushedAttachments> {
  const [sig, att, sbom] = cosignTags(subject.digest).map((t) => t.tag) as [string, string, string];
  const items: RawPushItem[] = [];
  const tags: Record<string, Digest> = {};
  const add = (tag: string, image: TestImage | TestIndex) => {
    items.push({ repository, tag, image });
    tags[tag] = image.manifest.digest;
  };
  if (which.signature) add(sig, cosignSignature(subject.digest, which.dockerReference ?? repository, `${repository}/sig`));
  if (which.attestation) add(att, cosignAttestation(subject.digest, `${repository}/att`));
  if (which.sbom) add(sbom, cosignSbom(subject.digest, `${repository}/sbom`));
  if (which.referrer) {
    const artifactType = 'application/vnd.example.sbom.v1+json';
    add(referrersTag(subject.digest), referrersIndex([{ image: referrerArtifact(descriptorOf(subject), artifactType, `${repository}/referrer`), artifactType }]));
  }
  await pushImagesRaw(registryUrl, items);
  return { tags };
}
