// Disk to mirror: checks every archive part in a directory first (nothing is pushed from a damaged archive), then
// copies the newest sequence's images to the destination, blobs streamed straight from the tar files.
import { createArchiveStore } from '../archive/archive-store.js';
import type { ArchiveManifest, ArchivedImage } from '../archive/archive-format.js';
import { verifyArchive, type VerifiedPart } from '../archive/read-parts.js';
import type { CopyEventListener } from '../copy/events.js';
import { createCopyRun } from '../copy/copy-run.js';
import { GantryError } from '../errors.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import { mirrorDestination, type MirrorTarget } from '../generate/destination.js';
import { catalogTemplateKey } from '../generate/catalog-source-template.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { compileGoRegex } from '../config/go-regex.js';
import type { Digest } from '../oci/digest.js';
import type { StoreResolver } from './store-resolver.js';
import type { CopyFailure } from './copy-plan.js';
import { checkArchivedImages } from './check-archived-images.js';
import { rebuiltCatalogSource } from './execute-mirror.js';

export interface DiskToMirrorOptions {
  dir: string;
  target: MirrorTarget;
  maxNestedPaths?: number;
  destination: StoreResolver;
  onEvent?: CopyEventListener;
  onVerified?: (part: VerifiedPart) => void;
  onVerifyBytes?: (file: string, done: number, total: number) => void;
  failFast?: boolean;
  /** Check the archive and say where each image would go; push nothing. */
  dryRun?: boolean;
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
}

/** Where an archived image goes at this destination: the same naming rules as mirror to mirror. */
export function archivedDestination(i: ArchivedImage, target: MirrorTarget, maxNestedPaths?: number): { source: Reference; dest: Reference } {
  const source = parseReference(i.source);
  const dest = mirrorDestination(source, target, {
    ...(maxNestedPaths ? { maxNestedPaths } : {}),
    ...(i.targetRepo ? { targetRepo: i.targetRepo } : {}),
    ...(i.targetTag ? { targetTag: i.targetTag } : {}),
  });
  return { source: i.kind === 'catalog' ? rebuiltCatalogSource(dest) : source, dest };
}

export async function diskToMirror(opts: DiskToMirrorOptions): Promise<DiskToMirrorResult> {
  const contents = await verifyArchive(opts.dir, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onVerified ? { onPart: opts.onVerified } : {}), ...(opts.onVerifyBytes ? { onBytes: opts.onVerifyBytes } : {}) });
  const archive = contents.manifests.at(-1);
  if (!archive) throw new GantryError('INTERNAL', 'verified archive has no manifest');
  checkArchivedImages(archive, `${opts.dir} (sequence ${archive.sequence})`);
  const store = createArchiveStore(contents);
  const blocked: { image: string; pattern: string }[] = [];
  const patterns = (archive.blockedImages ?? []).flatMap((p) => {
    const re = compileGoRegex(p);
    return re instanceof RegExp ? [{ p, re }] : [];
  });
  const placed = archive.images
    .map((i) => ({ image: i, ...archivedDestination(i, opts.target, opts.maxNestedPaths) }))
    .filter((x) => {
      const hit = patterns.find(({ re }) => re.test(formatReference(x.dest)));
      if (hit) blocked.push({ image: formatReference(x.dest), pattern: hit.p });
      return !hit;
    });
  const planned = placed.map((p) => ({ key: p.image.key, dest: p.dest }));
  const templates = new Map(placed.flatMap((p) => (p.image.catalogSourceTemplate ? [[catalogTemplateKey(p.dest), p.image.catalogSourceTemplate] as const] : [])));
  if (opts.dryRun) return { archive, planned, blocked, templates, mirrored: [], failed: [] };
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
  return { archive, planned, blocked, templates, mirrored, failed };
}
