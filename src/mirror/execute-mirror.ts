// Mirror to mirror: copies every planned image straight to the destination registry, rebuilds each filtered
// catalog there, and turns what landed into mirror records (for cluster resources and mapping.txt).
import type { MirrorEventListener } from './mirror-events.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import { formatReference, type Reference } from '../oci/reference.js';
import type { StoreResolver } from './store-resolver.js';
import { copyPlan, type CopiedItem, type CopyFailure } from './copy-plan.js';
import { placedAt, type MirrorPlan, type PlannedCatalog, type PlannedImage } from './plan-mirror.js';
import { describeGraphImage, type GraphImageBuild } from './plan-graph-image.js';
import type { PlanMeasures } from './measure-plan.js';

export interface ExecuteOptions {
  source: StoreResolver;
  destination: StoreResolver;
  onEvent?: MirrorEventListener;
  failFast?: boolean;
  removeSignatures?: boolean;
  /** platform.graph: the graph image with its data read, built at the destination. */
  graph?: GraphImageBuild;
  signal?: AbortSignal;
}

export interface MirrorResult {
  mirrored: MirroredImage[];
  failed: CopyFailure[];
}

export async function executeMirror(plan: MirrorPlan, opts: ExecuteOptions): Promise<MirrorResult> {
  const storeFor = (dest: Reference) => ({ store: opts.destination(dest), ref: dest.tag ?? 'latest' });
  const { copied, failed } = await copyPlan(plan, {
    source: opts.source,
    sink: { image: (i) => storeFor(placedAt(i)), catalog: (c) => storeFor(placedAt(c)), graph: (g) => storeFor(placedAt({ ...g, source: g.base })) },
    ...(opts.graph ? { graph: opts.graph } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.failFast ? { failFast: true } : {}),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { mirrored: copied.map((c) => mirroredRecord(c)), failed };
}

/** A rebuilt catalog has no upstream twin: its record's source is the mirror copy itself (CatalogSources name it). */
export function rebuiltCatalogSource(dest: Reference): Reference {
  return { registry: dest.registry, repository: dest.repository, ...(dest.tag ? { tag: dest.tag } : {}) };
}

/** The mirror record of a copied item. */
export function mirroredRecord(item: CopiedItem): MirroredImage {
  if ('catalog' in item) return { source: rebuiltCatalogSource(placedAt(item.catalog)), dest: placedAt(item.catalog), digest: item.digest, kind: 'catalog' };
  if ('graph' in item) {
    const dest = placedAt({ ...item.graph, source: item.graph.base });
    return { source: rebuiltCatalogSource(dest), dest, digest: item.digest, kind: 'graph' };
  }
  return { source: item.image.source, dest: placedAt(item.image), digest: item.digest, kind: item.image.kind };
}

/** plan.json: every image with why it is included, and every catalog with what was kept and why. */
export interface DescribeOptions {
  measures?: PlanMeasures;
  /** Where each image and catalog goes, when not a registry (mirror to disk names archive keys). */
  imageDestination?: (i: PlannedImage) => string;
  catalogDestination?: (c: PlannedCatalog) => string;
  graphDestination?: string;
}

export function describePlan(plan: MirrorPlan, opts: DescribeOptions = {}): unknown {
  const { measures } = opts;
  const measured = (i: PlannedImage) => {
    const m = measures?.images.get(i);
    return m ? { size: m.size, bytesToMove: m.toMove, complete: m.complete, ...(m.error ? { error: m.error } : {}) } : {};
  };
  return {
    ...(measures ? { totals: { images: plan.images.length, size: measures.totals.size, bytesToMove: measures.totals.toMove } } : {}),
    images: plan.images.map((i) => ({ source: formatReference(i.source), destination: opts.imageDestination?.(i) ?? (i.dest ? formatReference(i.dest) : undefined), kind: i.kind, ...measured(i), reasons: i.reasons })),
    catalogs: plan.catalogs.map((c) => ({ catalog: c.catalog, destination: opts.catalogDestination?.(c) ?? (c.dest ? formatReference(c.dest) : undefined), bundles: c.explanations })),
    ...(plan.releases ? { releases: plan.releases } : {}),
    ...(plan.graph ? { graphImage: describeGraphImage(plan.graph, opts.graphDestination) } : {}),
    blocked: plan.blocked,
    issues: plan.issues,
  };
}

/** mapping.txt for a plan (dry run): sources as the catalog names them, destinations by tag. */
export function planMapping(plan: MirrorPlan): string {
  return plan.images.map((i) => `docker://${formatReference(i.source)}=docker://${formatReference(placedAt(i))}\n`).join('');
}

/** missing.txt: the images the destination does not have complete yet (or that could not be read), one per line. */
export function missingList(plan: MirrorPlan, measures: PlanMeasures): string {
  return plan.images.filter((i) => !measures.images.get(i)?.complete).map((i) => `docker://${formatReference(i.source)}\n`).join('');
}
