// The tags that carry an image's attachments in its own repository: cosign's tag-based scheme
// (sha256-<hex>.sig|.att|.sbom) and the OCI 1.1 referrers tag-schema fallback (sha256-<hex>, an index).
import { digestAlgorithm, digestHex, type Digest } from './digest.js';

/** What a tag-based attachment holds, by cosign's suffix; `referrers` is the OCI 1.1 fallback index. */
export type AttachmentKind = 'signature' | 'attestation' | 'sbom' | 'referrers';

/** cosign's suffixes (sigstore/cosign pkg/oci/remote: SignatureTagSuffix, AttestationTagSuffix, SBOMTagSuffix). */
const COSIGN_SUFFIXES: readonly [string, AttachmentKind][] = [
  ['sig', 'signature'],
  ['att', 'attestation'],
  ['sbom', 'sbom'],
];

/** The OCI 1.1 referrers tag schema (distribution-spec §"Referrers Tag Schema"): `<alg>-<ref>`, truncated to 128. */
export function referrersTag(digest: Digest): string {
  return `${digestAlgorithm(digest)}-${digestHex(digest)}`.slice(0, 128);
}

/** cosign's tags for an image digest: signature, attestation and SBOM, in that order. */
export function cosignTags(digest: Digest): { tag: string; kind: AttachmentKind }[] {
  return COSIGN_SUFFIXES.map(([suffix, kind]) => ({ tag: `${referrersTag(digest)}.${suffix}`, kind }));
}

/** Every tag that may hold an attachment of `digest`, cosign's first, then the referrers fallback. */
export function attachmentTags(digest: Digest): { tag: string; kind: AttachmentKind }[] {
  return [...cosignTags(digest), { tag: referrersTag(digest), kind: 'referrers' }];
}

/** The kind of attachment a tag carries for `digest`, or undefined when it is not one of its attachment tags. */
export function attachmentKindOf(tag: string, digest: Digest): AttachmentKind | undefined {
  return attachmentTags(digest).find((t) => t.tag === tag)?.kind;
}

/** Whether a tag looks like any image's attachment tag (sha256-<64 hex>, optionally .sig/.att/.sbom). */
export function isAttachmentTag(tag: string): boolean {
  return /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/.test(tag);
}
