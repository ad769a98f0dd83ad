// The copy step every workflow shares: copies each planned image to where a sink puts it (a registry, an archive's
// staging layout), then rebuilds each filtered catalog there. Per-image failures are collected, not thrown.
import { GantryError } from '../errors.js';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { writeCatalogFiles } from '../catalog/fbc/write.js';
import { buildCatalogImage } from '../catalog-image/index.js';
import type { Store } from '../content/store.js';
import { createCopyRun, type CopyJob, type CopyRun } from '../copy/copy-run.js';
import { Semaphore } from '../copy/limiter.js';
import type { Digest } from '../oci/digest.js';
import { formatReference } from '../oci/reference.js';
import { parseManifest } from '../oci/manifest.js';
import { isIndexMediaType } from '../oci/media-types.js';
import { openCatalogOrigin, type StoreResolver } from './store-resolver.js';
import type { MirrorPlan, PlannedCatalog, PlannedImage } from './plan-mirror.js';
import type { MirrorEventListener } from './mirror-events.js';
import { buildGraphImage, type GraphImageBuild, type PlannedGraphImage } from './plan-graph-image.js';
import { ATTACHMENT_DISCOVERY_CONCURRENCY, copyAttachments, describeAttachment, findAttachments, hasAttachments, type CopiedAttachment } from './image-attachments.js';

/** Where the copy step writes: a store and the tag (or key) for each image and each rebuilt catalog. */
export interface ImageSink {
  image(img: PlannedImage): { store: Store; ref: string };
  catalog(c: PlannedCatalog): { store: Store; ref: string };
  /** Where a signature/attestation/SBOM tag of an image goes (default: the image's store, under the same tag). */
  attachment?(img: PlannedImage, tag: string): { store: Store; ref: string };
  /** Where the graph image is built (platform.graph). */
  graph?(g: PlannedGraphImage): { store: Store; ref: string };
}

export type CopiedItem =
  | { image: PlannedImage; digest: Digest; mediaType?: string; attachments?: CopiedAttachment[] }
  | { catalog: PlannedCatalog; digest: Digest; mediaType: string }
  | { graph: PlannedGraphImage; digest: Digest; mediaType: string };

export interface CopyFailure {
  /** The source image (docker://…) or the catalog that failed. */
  what: string;
  image?: PlannedImage;
  catalog?: string;
  /** Bundles that need the image, when no planned image is at hand (disk to mirror). */
  neededBy?: string[];
  error: unknown;
}

export interface CopyPlanOptions {
  source: StoreResolver;
  sink: ImageSink;
  onEvent?: MirrorEventListener;
  failFast?: boolean;
  /** Leave cosign signatures, attestations, SBOMs and OCI referrers behind (--remove-signatures). */
  removeSignatures?: boolean;
  /** platform.graph: the graph image with its data already read (loadGraphData), built after the catalogs. */
  graph?: GraphImageBuild;
  signal?: AbortSignal;
}

export async function copyPlan(plan: MirrorPlan, opts: CopyPlanOptions): Promise<{ copied: CopiedItem[]; failed: CopyFailure[] }> {
  const jobs: CopyJob[] = plan.images.map((i) => {
    const to = opts.sink.image(i);
    return {
      source: opts.source(i.source),
      sourceRef: i.source.digest ?? i.source.tag ?? 'latest',
      dest: to.store,
      destRef: to.ref,
      ...(i.platforms ? { platforms: i.platforms } : {}),
    };
  });
  const run = createCopyRun({ ...(opts.onEvent ? { onEvent: opts.onEvent } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const results = await run.copyMany(jobs, { failFast: Boolean(opts.failFast) });
  const copied: CopiedItem[] = [];
  const failed: CopyFailure[] = [];
  results.forEach((r, n) => {
    const image = plan.images[n]!;
    if (r.ok && r.digest) copied.push({ image, digest: r.digest, ...(r.mediaType ? { mediaType: r.mediaType } : {}) });
    else failed.push({ what: `docker://${formatReference(image.source)}`, image, error: r.error });
  });
  if (!opts.removeSignatures && !(opts.failFast && failed.length > 0)) {
    // A run of their own, without progress events: the run's image counts and bytes stay the images'; what was
    // copied is said per image by the attachments-copied event.
    const attachmentRun = createCopyRun(opts.signal ? { signal: opts.signal } : {});
    failed.push(...(await copyImageAttachments(copied, jobs, plan, attachmentRun, opts)));
  }

  // A catalog is rebuilt only when every image it needs landed: a catalog pointing at missing images installs nothing.
  for (const c of plan.catalogs) {
    if (opts.signal?.aborted || (opts.failFast && failed.length > 0)) break;
    const missing = failed.filter((f) => f.image?.reasons.some((r) => 'catalog' in r && r.catalog === c.catalog)).length;
    if (missing > 0) {
      // A normal outcome of a run with failures, not a bug: say why, and what a re-run does.
      const error = new GantryError('COPY_FAILED', `not rebuilt: ${missing} of the images it needs failed to mirror`, {
        hint: 'run the same command again once they can be copied; the catalog is rebuilt when all of its images are there',
      });
      failed.push({ what: c.catalog, catalog: c.catalog, error });
      continue;
    }
    try {
      const to = opts.sink.catalog(c);
      const built = await buildCatalogImage({
        catalog: createMemoryTree(Object.fromEntries(writeCatalogFiles(c.selected))),
        base: { store: openCatalogOrigin(c.origin, opts.source), reference: c.origin.reference },
        dest: to.store,
        tag: to.ref,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      copied.push({ catalog: c, digest: built.digest, mediaType: built.mediaType });
      // Its digest changed, so no signature of the catalog it was filtered from applies to it (oc-mirror alike).
      opts.onEvent?.({ type: 'catalog-unsigned', catalog: c.catalog });
    } catch (error) {
      failed.push({ what: c.catalog, catalog: c.catalog, error });
    }
  }
  const graph = opts.graph;
  if (graph && !opts.signal?.aborted && !(opts.failFast && failed.length > 0)) {
    const what = `graph image (${graph.image.naming.targetRepo}:${graph.image.naming.targetTag})`;
    try {
      if (!opts.sink.graph) throw new GantryError('INTERNAL', 'the sink has no place for the graph image');
      const to = opts.sink.graph(graph.image);
      const built = await buildGraphImage(graph, { source: opts.source, dest: to.store, tag: to.ref, ...(opts.signal ? { signal: opts.signal } : {}) });
      copied.push({ graph: graph.image, digest: built.digest, mediaType: built.mediaType });
      opts.onEvent?.({ type: 'graph-image-built', destination: graph.image.dest ? formatReference(graph.image.dest) : to.ref, digest: built.digest, files: built.layer.files });
    } catch (error) {
      failed.push({ what, error });
    }
  }
  return { copied, failed };
}

async function childDigests(source: Store, digest: Digest, o: { signal?: AbortSignal }): Promise<Digest[]> {
  const f = await source.fetchManifest(digest, o);
  const m = parseManifest(f.bytes, f.descriptor.mediaType);
  return m.kind === 'index' ? m.manifests.map((d) => d.digest) : [];
}

/**
 * The attachments of every copied image, copied next to it. An image filtered to some platforms has a new digest
 * that nothing signed, so it has none. A failure is the image's: it landed, but unsigned.
 */
async function copyImageAttachments(copied: CopiedItem[], jobs: CopyJob[], plan: MirrorPlan, run: CopyRun, opts: CopyPlanOptions): Promise<CopyFailure[]> {
  const failed: CopyFailure[] = [];
  const limit = new Semaphore(ATTACHMENT_DISCOVERY_CONCURRENCY);
  const o = opts.signal ? { signal: opts.signal } : {};
  await Promise.all(
    copied.map(async (item) => {
      if (!('image' in item) || item.image.platforms) return;
      const image = item.image;
      const job = jobs[plan.images.indexOf(image)]!;
      const name = `docker://${formatReference(image.source)}`;
      try {
        // cosign sign --recursive signs each platform's manifest too: they are digests the mirror copied.
        const subjects = [item.digest, ...(isIndexMediaType(item.mediaType) ? await childDigests(job.source, item.digest, o) : [])];
        const to = opts.sink.image(image);
        const placeTag = (tag: string) => opts.sink.attachment?.(image, tag) ?? { store: to.store, ref: tag };
        const all: CopiedAttachment[] = [];
        for (const subject of subjects) {
          const found = await limit.run(() => findAttachments(job.source, subject, o), opts.signal);
          if (hasAttachments(found)) all.push(...(await copyAttachments(subject, found, { run, source: job.source, placeTag, image: name, imageRef: to.ref, ...o })));
        }
        if (all.length === 0) return;
        item.attachments = all;
        opts.onEvent?.({ type: 'attachments-copied', image: name, tags: all.map(describeAttachment) });
      } catch (error) {
        failed.push({ what: `${name} (signatures)`, image, error });
      }
    }),
  );
  return failed;
}
