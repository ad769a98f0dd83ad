// Mirror planning: from an ImageSetConfiguration to the list of images to move and catalogs to rebuild, each
// image with why it is included. Catalogs are read through the injected source resolver (or an OCI layout); nothing is copied.
import { GantryError } from '../errors.js';
import type { ImageSetConfig, OperatorCatalog } from '../config/config-types.js';
import { compileBlockedImages } from '../config/blocked-images.js';
import { loadCatalog } from '../catalog/fbc/load.js';
import { validateCatalog } from '../catalog/model/validate.js';
import type { DeclarativeConfig } from '../catalog/fbc/types.js';
import { byteOrder } from '../order.js';
import { collectCatalogImages, selectOperators, type ImageReason, type OperatorFilter } from '../plan/index.js';
import type { BundleExplanation, SelectionIssue } from '../plan/index.js';
import { mirrorDestination, type MirrorTarget } from '../generate/destination.js';
import { createImageTree } from '../catalog-image/image-tree.js';
import { filesOf, neededPackages, scanDependencies } from '../plan/needed-packages.js';
import { createLayoutStore } from '../layout/index.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import type { Platform } from '../oci/platform.js';
import { openCatalogOrigin, type CatalogOrigin, type StoreResolver } from './store-resolver.js';
import { planReleases, wantsReleases, type GraphReader, type PlannedRelease, type ReleaseImageReason } from './plan-releases.js';
import { graphImagePlatforms, planGraphImage, type GraphImageSettings, type PlannedGraphImage } from './plan-graph-image.js';

/** Overrides of the destination name (additionalImages targetRepo/targetTag, operators targetCatalog/targetTag). */
export interface Naming {
  targetRepo?: string;
  targetTag?: string;
}

export interface PlannedImage {
  source: Reference;
  /** Where it goes; absent when the plan has no destination yet (mirror to disk names it when the archive is pushed). */
  dest?: Reference;
  /** Kept so a destination given later (disk to mirror) is named the same way. */
  naming: Naming;
  kind: 'operator' | 'generic' | 'release';
  reasons: (ImageReason | { additionalImage: string } | ReleaseImageReason)[];
  /** Only these platforms of a multi-platform image (tag references only: a filtered index has a new digest). */
  platforms?: Platform[];
}

export interface PlannedCatalog {
  catalog: string;
  /** Where the catalog image was read (and its base layers are copied from when it is rebuilt). */
  origin: CatalogOrigin;
  /** The catalog image as the configuration names it (its destination is derived from it). */
  source: Reference;
  naming: Naming;
  /** Absent when the plan has no destination yet, as for images. */
  dest?: Reference;
  selected: DeclarativeConfig;
  explanations: BundleExplanation[];
}

export interface PlanIssue {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  catalog?: string;
  hint?: string;
}

/** Plain data: references, selections and reasons; no store and no stand-in destination. */
export interface MirrorPlan {
  /** The destination the names were made for; absent for mirror to disk. */
  target?: MirrorTarget;
  images: PlannedImage[];
  catalogs: PlannedCatalog[];
  blocked: { image: string; pattern: string }[];
  issues: PlanIssue[];
  /** The releases mirror.platform selects, each explained (their images are in `images`, kind release). */
  releases?: PlannedRelease[];
  /** platform.graph: the graph image to build (not in `images`: it has no upstream twin to copy). */
  graph?: PlannedGraphImage;
}

export interface PlanOptions {
  config: ImageSetConfig;
  /** The destination; undefined for mirror to disk, where it is chosen later (names are then provisional). */
  target?: MirrorTarget;
  /** Source repositories (catalog images are read through it). */
  source: StoreResolver;
  maxNestedPaths?: number;
  /** Which platform of a multi-platform catalog image to read the catalog from (default linux/amd64). */
  catalogPlatform?: Platform;
  /** Reads the update graphs mirror.platform needs (an update service or saved files). */
  readGraph?: GraphReader;
  /** Delete planning: release images are read from their mirrored copy first (plan-releases.ts `lookup`). */
  releaseLookup?: StoreResolver;
  /** platform.graph: where the graph data comes from and the base image (defaults: oc-mirror's). */
  graphImage?: GraphImageSettings;
  signal?: AbortSignal;
}

function filterOf(op: OperatorCatalog): OperatorFilter {
  const pick = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return pick({
    full: op.full,
    skipDependencies: op.skipDependencies,
    packages: op.packages.length
      ? op.packages.map((p) =>
          pick({
            name: p.name,
            defaultChannel: p.defaultChannel,
            minVersion: p.minVersion,
            maxVersion: p.maxVersion,
            minBundle: p.minBundle,
            channels: p.channels.length ? p.channels.map((c) => pick({ name: c.name, minVersion: c.minVersion, maxVersion: c.maxVersion, minBundle: c.minBundle })) : undefined,
            bundles: p.bundles?.map((b) => b.name),
          }),
        )
      : undefined,
  });
}

async function locateCatalog(op: OperatorCatalog): Promise<{ origin: CatalogOrigin; ref: Reference }> {
  if (op.source.transport === 'oci') {
    const tags = await createLayoutStore({ path: op.source.path }).listTags();
    if (tags.length !== 1) throw new GantryError('USAGE', `${op.catalog}: an oci:// catalog must hold exactly one tagged image (found ${tags.length})`);
    const ref: Reference = { registry: 'localhost', repository: op.source.path.split('/').filter(Boolean).pop() ?? 'catalog', tag: 'latest' };
    return { origin: { registry: ref.registry, repository: ref.repository, reference: tags[0]!, layout: op.source.path }, ref };
  }
  const ref = op.source.reference;
  return { origin: { registry: ref.registry, repository: ref.repository, reference: ref.digest ?? ref.tag ?? 'latest' }, ref };
}

export async function planMirror(opts: PlanOptions): Promise<MirrorPlan> {
  const set = opts.config.mirror;
  if (!set) throw new GantryError('USAGE', 'the configuration has no mirror: section');
  const issues: PlanIssue[] = [];
  const images = new Map<string, PlannedImage>();
  const catalogs: PlannedCatalog[] = [];
  const nested = opts.maxNestedPaths ? { maxNestedPaths: opts.maxNestedPaths } : {};
  // Without a destination (mirror to disk) nothing is named yet: disk to mirror names each image from its naming.
  const { target } = opts;
  const destOf = (ref: Reference, naming: Naming = {}) => (target ? { dest: mirrorDestination(ref, target, { ...nested, ...naming }) } : {});

  for (const op of set.operators) {
    const { origin, ref } = await locateCatalog(op);
    const signal = opts.signal ? { signal: opts.signal } : {};
    const tree = await createImageTree(openCatalogOrigin(origin, opts.source), origin.reference, { ...signal, compact: true, ...(opts.catalogPlatform ? { platform: opts.catalogPlatform } : {}) });
    // With packages listed, only they and what could satisfy their dependencies are loaded: the same selection
    // as from the whole catalog, without holding thousands of unrelated bundles in memory.
    const listed = op.packages.map((p) => p.name);
    const deps = listed.length === 0 ? undefined : await scanDependencies(tree, signal);
    const needed = deps && (op.skipDependencies ? new Set(listed) : neededPackages(listed, deps));
    const slice = deps && needed ? { keepPackage: (n: string) => needed.has(n), keepFile: filesOf(needed, deps) } : {};
    const loaded = await loadCatalog(tree, { ...signal, ...slice });
    for (const i of loaded.issues) issues.push({ severity: i.severity === 'warning' ? 'warning' : 'error', code: 'CATALOG_INVALID', catalog: op.catalog, message: `${i.file}:${i.line ?? ''}: ${i.message}` });
    const sel = selectOperators(loaded.config, filterOf(op));
    for (const i of sel.issues as SelectionIssue[]) {
      issues.push({ severity: i.severity, code: i.code, catalog: op.catalog, message: i.message, ...(i.hint ? { hint: i.hint } : {}) });
    }
    // The rebuilt catalog must be one OLM serves: check it before anything is copied (a catalog that fails here
    // would crash-loop its CatalogSource pod).
    for (const i of validateCatalog(sel.catalog)) {
      if (i.severity === 'warning') continue;
      const where = [i.package, i.channel, i.bundle].filter(Boolean).join('/');
      issues.push({ severity: 'error', code: 'CATALOG_INVALID', catalog: op.catalog, message: `the filtered catalog is not valid: ${where ? `${where}: ` : ''}${i.message}`, ...(i.hint ? { hint: i.hint } : {}) });
    }
    const collected = collectCatalogImages(sel.catalog, op.catalog);
    for (const i of collected.issues) issues.push({ severity: 'error', code: i.code, catalog: op.catalog, message: i.message });
    for (const img of collected.images) {
      const key = formatReference(img.ref);
      const existing = images.get(key);
      if (existing) existing.reasons.push(...img.reasons);
      else images.set(key, { source: img.ref, ...destOf(img.ref), naming: {}, kind: 'operator', reasons: [...img.reasons] });
    }
    const naming: Naming = { ...(op.targetCatalog ? { targetRepo: op.targetCatalog } : {}), ...(op.targetTag ? { targetTag: op.targetTag } : {}) };
    catalogs.push({
      catalog: op.catalog,
      origin,
      source: ref,
      naming,
      ...destOf(ref, naming),
      selected: sel.catalog,
      explanations: sel.explanations,
    });
  }

  for (const a of set.additionalImages) {
    const ref = parseReference(a.name);
    const key = formatReference(ref);
    const naming: Naming = { ...(a.targetRepo ? { targetRepo: a.targetRepo } : {}), ...(a.targetTag ? { targetTag: a.targetTag } : {}) };
    const existing = images.get(key);
    if (existing) {
      existing.reasons.push({ additionalImage: a.name });
      continue;
    }
    const planned: PlannedImage = { source: ref, ...destOf(ref, naming), naming, kind: 'generic', reasons: [{ additionalImage: a.name }] };
    if (a.platforms?.length) {
      if (ref.digest) {
        issues.push({ severity: 'warning', code: 'PLATFORMS_IGNORED', message: `${a.name}: platforms are ignored for an image pinned by digest (a filtered index would have another digest)`, hint: 'reference the image by tag to copy only some platforms' });
      } else {
        planned.platforms = a.platforms.map((p) => ({ os: p.os, architecture: p.architecture }));
      }
    }
    images.set(key, planned);
  }

  // Releases: the release image and its components, one planned image per name (the same component image is
  // tagged once for every release that lists it, as oc-mirror does).
  let releases: PlannedRelease[] | undefined;
  if (wantsReleases(set.platform)) {
    const planned = await planReleases({ platform: set.platform, source: opts.source, ...(opts.readGraph ? { readGraph: opts.readGraph } : {}), ...(opts.releaseLookup ? { lookup: opts.releaseLookup } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    issues.push(...planned.issues);
    releases = planned.releases;
    for (const r of planned.images) {
      const key = `${formatReference(r.source)} as ${r.naming.targetRepo}:${r.naming.targetTag}`;
      const existing = images.get(key);
      if (existing) existing.reasons.push(r.reason);
      else images.set(key, { source: r.source, ...destOf(r.source, r.naming), naming: r.naming, kind: 'release', reasons: [r.reason] });
    }
  }

  // blockedImages: regexes on the source reference (oc-mirror v2); matching images are left out and listed.
  const blocked: { image: string; pattern: string }[] = [];
  const blockedImages = compileBlockedImages(set.blockedImages.map((b) => b.name));
  for (const [key, img] of images) {
    const pattern = blockedImages.match(formatReference(img.source), ...(img.dest ? [formatReference(img.dest)] : []));
    if (pattern === undefined) continue;
    blocked.push({ image: formatReference(img.source), pattern });
    images.delete(key);
  }
  const list = [...images.values()].sort((a, b) => byteOrder(formatReference(a.source), formatReference(b.source)));
  const graph = set.platform?.graph ? planGraphImage(opts.graphImage ?? {}, destOf, graphImagePlatforms(set.platform)) : undefined;
  return { ...(target ? { target } : {}), images: list, catalogs, blocked, issues, ...(releases ? { releases } : {}), ...(graph ? { graph } : {}) };
}

/** A planned image of a plan made for a destination. */
export type PlacedImage = PlannedImage & { dest: Reference };

/** The images of a plan made with a target, typed as placed. */
export function placedImages(plan: MirrorPlan): PlacedImage[] {
  return plan.images.map((i) => ({ ...i, dest: placedAt(i) }));
}

/** The destination of a planned image or catalog, for operations that need one (the plan was made with a target). */
export function placedAt(item: { dest?: Reference; source: Reference }): Reference {
  if (!item.dest) throw new GantryError('INTERNAL', `${formatReference(item.source)} was planned without a destination`);
  return item.dest;
}
