// Disk to mirror: checks every archive part in a directory first (nothing is pushed from a damaged archive), then
// copies the newest sequence's images to the destination, blobs streamed straight from the tar files.
import { createArchiveStore } from '../archive/archive-store.js';
import type { Key } from 'openpgp';
import type { ArchiveManifest, ArchivedImage, ArchivedRelease } from '../archive/archive-format.js';
import { verifyArchive, type VerifiedPart } from '../archive/read-parts.js';
import type { MirrorEventListener } from './mirror-events.js';
import { createCopyRun, type CopyRun } from '../copy/copy-run.js';
import type { Store } from '../content/store.js';
import { GantryError } from '../errors.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import { mirrorDestination, type MirrorTarget } from '../generate/destination.js';
import { catalogTemplateKey } from '../generate/catalog-source-template.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { compileBlockedImages } from '../config/blocked-images.js';
import type { Digest } from '../oci/digest.js';
import type { StoreResolver } from './store-resolver.js';
import type { CopyFailure } from './copy-plan.js';
import { checkArchivedImages } from './check-archived-images.js';
import { rebuiltCatalogSource } from './execute-mirror.js';
import { describeAttachment, taggable } from './image-attachments.js';
import { readArchivedSignatures, type SignedRelease } from './release-signatures.js';

export interface DiskToMirrorOptions {
  dir: string;
  target: MirrorTarget;
  maxNestedPaths?: number;
  destination: StoreResolver;
  onEvent?: MirrorEventListener;
  /** Push the images without the signatures, attestations, SBOMs and referrers the archive carries. */
  removeSignatures?: boolean;
  onVerified?: (part: VerifiedPart) => void;
  onVerifyBytes?: (file: string, done: number, total: number) => void;
  failFast?: boolean;
  /** Check the archive and say where each image would go; push nothing. */
  dryRun?: boolean;
  /** The release key: the archive's release signatures are verified again before anything is pushed. */
  releaseKeys?: Key[];
  signal?: AbortSignal;
}

export interface DiskToMirrorResult {
  archive: ArchiveManifest;
  planned: { key: string; dest: Reference }[];
  /** Images left out because their destination name matches a blockedImages pattern. */
  blocked: { image: string; pattern: string }[];
  /** CatalogSource templates the archive carried, by catalogTemplateKey(destination). */
  templates: Map<string, { file: string; text: string }>;
  mirrored: MirroredImage[];
  failed: CopyFailure[];
  /** The release signatures the archive carries for the releases it pushes (and those made without a check). */
  releaseSignatures: { signed: SignedRelease[]; skipped: ArchivedRelease[] };
}

/** Where an archived image goes at this destination: the same naming rules as mirror to mirror. */
export function archivedDestination(i: ArchivedImage, target: MirrorTarget, maxNestedPaths?: number): { source: Reference; dest: Reference } {
  const source = parseReference(i.source);
  const dest = mirrorDestination(source, target, {
    ...(maxNestedPaths ? { maxNestedPaths } : {}),
    ...(i.targetRepo ? { targetRepo: i.targetRepo } : {}),
    ...(i.targetTag ? { targetTag: i.targetTag } : {}),
  });
  // Built images (rebuilt catalogs, the graph image) have no upstream twin: their mirror copy is their source.
  return { source: i.kind === 'catalog' || i.kind === 'graph' ? rebuiltCatalogSource(dest) : source, dest };
}

/** The attachments the archive carries for each landed image, pushed next to it under their own tags. */
async function pushAttachments(landed: { image: ArchivedImage; dest: Reference }[], store: Store, run: CopyRun, opts: DiskToMirrorOptions): Promise<CopyFailure[]> {
  const failed: CopyFailure[] = [];
  await Promise.all(
    landed.map(async ({ image, dest }) => {
      const list = image.attachments ?? [];
      const destStore = opts.destination(dest);
      const imageRef = dest.tag ?? 'latest';
      const results = await run.copyMany(list.map((a) => ({ source: store, sourceRef: a.digest, dest: destStore, destRef: taggable(a.tag, imageRef) ? a.tag : a.digest })));
      const bad = results.find((r) => !r.ok);
      if (bad) failed.push({ what: `docker://${image.source} (signatures)`, ...(image.neededBy ? { neededBy: image.neededBy } : {}), error: bad.error });
      else opts.onEvent?.({ type: 'attachments-copied', image: `docker://${image.source}`, tags: list.map((a) => describeAttachment({ tag: a.tag, ...(taggable(a.tag, imageRef) ? {} : { untagged: true as const }) })) });
    }),
  );
  return failed;
}

export async function diskToMirror(opts: DiskToMirrorOptions): Promise<DiskToMirrorResult> {
  const contents = await verifyArchive(opts.dir, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onVerified ? { onPart: opts.onVerified } : {}), ...(opts.onVerifyBytes ? { onBytes: opts.onVerifyBytes } : {}) });
  const archive = contents.manifests.at(-1);
  if (!archive) throw new GantryError('INTERNAL', 'verified archive has no manifest');
  checkArchivedImages(archive, `${opts.dir} (sequence ${archive.sequence})`);
  const store = createArchiveStore(contents);
  const blocked: { image: string; pattern: string }[] = [];
  const blockedImages = compileBlockedImages(archive.blockedImages ?? []);
  const placed = archive.images
    .map((i) => ({ image: i, ...archivedDestination(i, opts.target, opts.maxNestedPaths) }))
    .filter((x) => {
      const pattern = blockedImages.match(formatReference(x.dest));
      if (pattern !== undefined) blocked.push({ image: formatReference(x.dest), pattern });
      return pattern === undefined;
    });
  const planned = placed.map((p) => ({ key: p.image.key, dest: p.dest }));
  const templates = new Map(placed.flatMap((p) => (p.image.catalogSourceTemplate ? [[catalogTemplateKey(p.dest), p.image.catalogSourceTemplate] as const] : [])));
  const releaseDigests = new Set(placed.filter((p) => p.image.kind === 'release').map((p) => p.image.digest));
  const releaseSignatures = await readArchivedSignatures(contents, { digests: releaseDigests, ...(opts.releaseKeys ? { keys: opts.releaseKeys } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  if (opts.dryRun) return { archive, planned, blocked, templates, mirrored: [], failed: [], releaseSignatures };
  const run = createCopyRun({ ...(opts.onEvent ? { onEvent: opts.onEvent } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const results = await run.copyMany(
    placed.map((p) => ({ source: store, sourceRef: p.image.digest, dest: opts.destination(p.dest), destRef: p.dest.tag ?? 'latest' })),
    { failFast: Boolean(opts.failFast) },
  );
  const mirrored: MirroredImage[] = [];
  const failed: CopyFailure[] = [];
  results.forEach((r, n) => {
    const p = placed[n]!;
    if (r.ok) mirrored.push({ source: p.source, dest: p.dest, digest: p.image.digest as Digest, kind: p.image.kind });
    else failed.push({ what: p.image.kind === 'catalog' ? p.image.source : `docker://${p.image.source}`, ...(p.image.neededBy ? { neededBy: p.image.neededBy } : {}), error: r.error });
  });
  if (!opts.removeSignatures && !(opts.failFast && failed.length > 0)) {
    const landed = placed.filter((_p, n) => results[n]!.ok && placed[n]!.image.attachments?.length);
    // Without progress events, as in copyPlan: the summary counts images; attachments are said per image.
    failed.push(...(await pushAttachments(landed, store, createCopyRun(opts.signal ? { signal: opts.signal } : {}), opts)));
  }
  return { archive, planned, blocked, templates, mirrored, failed, releaseSignatures };
}
