// Sigstore/cosign attachments and OCI 1.1 referrers travel with each mirrored image: found next to the image at the
// source (cosign's tags, the referrers fallback tag, or the referrers API) and copied under the same tag or digest.
import { GantryError, isGantryError } from '../errors.js';
import { canListReferrers, type Store } from '../content/store.js';
import type { CopyJob, CopyRun } from '../copy/copy-run.js';
import { attachmentTags, referrersTag, type AttachmentKind } from '../oci/attachment-tags.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';

/** HEAD requests for attachment discovery in flight at once (4 per image: three cosign tags and the fallback tag). */
export const ATTACHMENT_DISCOVERY_CONCURRENCY = 8;

export interface FoundAttachments {
  /** Tags present at the source: cosign's (.sig, .att, .sbom) and the referrers fallback index. */
  tags: { tag: string; kind: AttachmentKind; digest: Digest }[];
  /** Referrers listed by the source's referrers API (only asked when it has no fallback tag). */
  referrers: Descriptor[];
}

/** One attachment copied (or found already there), by the tag that names it at the destination. */
export interface CopiedAttachment {
  /** The digest the attachment is about: the image's, or one of its platforms' manifests. */
  subject: Digest;
  tag: string;
  kind: AttachmentKind;
  digest: Digest;
  /** Pushed by digest only: the image itself holds the tag at the destination (see taggable). */
  untagged?: true;
}

/**
 * Whether an attachment can take its tag where the image went. An image pinned by digest is tagged sha256-<hex>
 * at the destination (oc-mirror's naming), which is also the referrers fallback tag of that digest: the image
 * keeps the tag, and the referrers index goes by digest only (registries with the referrers API still list them).
 */
export function taggable(tag: string, imageRef: string): boolean {
  return tag !== imageRef;
}

export async function findAttachments(source: Store, digest: Digest, opts: { signal?: AbortSignal } = {}): Promise<FoundAttachments> {
  const o = opts.signal ? { signal: opts.signal } : {};
  const tags: FoundAttachments['tags'] = [];
  for (const t of attachmentTags(digest)) {
    const found = await source.statManifest(t.tag, o);
    if (found) tags.push({ ...t, digest: found.digest });
  }
  let referrers: Descriptor[] = [];
  // A registry that has the API keeps no fallback tag; one without it (distribution 2.8) has only the tag.
  if (!tags.some((t) => t.kind === 'referrers') && canListReferrers(source)) {
    referrers = (await source.referrers(digest, o)).filter((d) => d.digest !== digest);
  }
  return { tags, referrers };
}

export function hasAttachments(found: FoundAttachments): boolean {
  return found.tags.length > 0 || found.referrers.length > 0;
}

export interface CopyAttachmentsOptions {
  run: CopyRun;
  source: Store;
  /** Where an attachment tag goes: the store the image went to and the reference to push under. */
  placeTag: (tag: string) => { store: Store; ref: string };
  /** Names the image in error messages. */
  image: string;
  /** The image's own reference where it went: an attachment tag equal to it is not pushed as a tag. */
  imageRef: string;
  signal?: AbortSignal;
}

/**
 * Copies what findAttachments found. Referrers listed only by the API are copied by digest, and a fallback index
 * naming them is written under `sha256-<hex>` so that a destination without the referrers API still lists them.
 */
export async function copyAttachments(digest: Digest, found: FoundAttachments, opts: CopyAttachmentsOptions): Promise<CopiedAttachment[]> {
  const fallback = referrersTag(digest);
  const jobs: { job: CopyJob; tag: string; kind: AttachmentKind; untagged?: true }[] = found.tags.map((t) => {
    const to = opts.placeTag(t.tag);
    if (!taggable(to.ref, opts.imageRef)) return { job: { source: opts.source, sourceRef: t.digest, dest: to.store, destRef: t.digest }, tag: t.tag, kind: t.kind, untagged: true };
    return { job: { source: opts.source, sourceRef: t.tag, dest: to.store, destRef: to.ref }, tag: t.tag, kind: t.kind };
  });
  const apiTarget = found.referrers.length > 0 ? opts.placeTag(fallback) : undefined;
  for (const r of found.referrers) {
    jobs.push({ job: { source: opts.source, sourceRef: r.digest, dest: apiTarget!.store, destRef: r.digest }, tag: fallback, kind: 'referrers' });
  }
  const results = await opts.run.copyMany(jobs.map((j) => j.job));
  const copied: CopiedAttachment[] = [];
  results.forEach((r, n) => {
    const j = jobs[n]!;
    if (!r.ok || !r.digest) {
      const what = j.job.sourceRef === j.tag || j.untagged ? `its ${j.kind} tag ${j.tag}` : `its referrer ${j.job.sourceRef}`;
      throw new GantryError(isGantryError(r.error) ? r.error.code : 'COPY_FAILED', `${opts.image}: ${what} could not be copied: ${r.error instanceof Error ? r.error.message : String(r.error)}`, {
        cause: r.error,
        hint: 'the image itself was copied; run again to copy its signatures, or pass --remove-signatures to mirror without them',
      });
    }
    if (j.job.sourceRef === j.tag || j.untagged) copied.push({ subject: digest, tag: j.tag, kind: j.kind, digest: r.digest, ...(j.untagged ? { untagged: true as const } : {}) });
  });
  if (apiTarget && taggable(apiTarget.ref, opts.imageRef)) {
    const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: found.referrers };
    const pushed = await apiTarget.store.pushManifest(Buffer.from(JSON.stringify(index)), MediaType.ociIndex, apiTarget.ref, opts.signal ? { signal: opts.signal } : {});
    copied.push({ subject: digest, tag: fallback, kind: 'referrers', digest: pushed.digest });
  }
  return copied;
}

/** How the output names a copied attachment: its tag, or why it went by digest only. */
export function describeAttachment(a: { tag: string; untagged?: true }): string {
  return a.untagged ? `${a.tag} (by digest: the image holds that tag)` : a.tag;
}
