// The graph image of `platform.graph: true` (reference §3.4, §4.7): planned as oc-mirror names it
// (<dest>/openshift/graph-image:latest), its graph data fetched before anything is copied, then built on the base.
import { GantryError, isGantryError } from '../errors.js';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { buildGraphDataImage, type CatalogImageResult } from '../catalog-image/index.js';
import type { Store } from '../content/store.js';
import type { ReleasePlatform } from '../config/config-types.js';
import { formatPlatform, type Platform } from '../oci/platform.js';
import { formatReference, parseReference, type Reference } from '../oci/reference.js';
import { GRAPH_BASE_IMAGE, GRAPH_DATA_URL, readGraphData } from '../release/index.js';
import type { Naming } from './plan-mirror.js';
import type { StoreResolver } from './store-resolver.js';

/** oc-mirror v2 release/const.go graphImageName, pushed as :latest. */
export const GRAPH_IMAGE_REPO = 'openshift/graph-image';
export const GRAPH_IMAGE_TAG = 'latest';
/** The graph image's key in a mirror archive (it has no upstream reference: it is built). */
export const GRAPH_ARCHIVE_KEY = `gantry-graph/${GRAPH_IMAGE_REPO}:${GRAPH_IMAGE_TAG}`;

/** Where the graph data comes from and what the image is built on (--graph-data-url, --graph-base-image). */
export interface GraphImageSettings {
  /** http(s) URL, file: URL or path. Default oc-mirror's. */
  dataUrl?: string;
  /** Default oc-mirror's ubi9. */
  baseImage?: string;
}

/** Reads the graph data at a URL or path (the CLI's: http GET with the TLS flags, or a file). */
export type GraphDataReader = (url: string, opts: { signal?: AbortSignal }) => Promise<Uint8Array>;

export interface PlannedGraphImage {
  dataUrl: string;
  /** The base image, read through the source resolver; its layers go to the destination with the image. */
  base: Reference;
  naming: Required<Naming>;
  /** Only these platforms of a multi-platform base; absent: all of them (as oc-mirror builds it). */
  platforms?: Platform[];
  /** Absent when the plan has no destination yet (mirror to disk). */
  dest?: Reference;
}

/** The graph image with its data read: what the copy step builds. */
export interface GraphImageBuild {
  image: PlannedGraphImage;
  files: ReadonlyMap<string, Uint8Array>;
}

/**
 * The platforms of the base to build on: the release platforms the configuration names (`platforms`, or
 * `architectures` without `multi`), since the OSUS pods run on that cluster; otherwise all of the base's, as
 * oc-mirror does (its own TODO is to filter). Carrying ubi9 for four architectures costs ~300 MB an archive.
 */
export function graphImagePlatforms(platform: Pick<ReleasePlatform, 'architectures' | 'platforms'>): Platform[] | undefined {
  if (platform.platforms && platform.platforms.length > 0) return platform.platforms.map((p) => ({ os: p.os, architecture: p.architecture }));
  const archs = platform.architectures ?? [];
  if (archs.length === 0 || archs.includes('multi')) return undefined;
  return [...new Set(archs)].map((architecture) => ({ os: 'linux', architecture }));
}

export function planGraphImage(settings: GraphImageSettings, destOf: (ref: Reference, naming: Naming) => { dest?: Reference }, platforms?: Platform[]): PlannedGraphImage {
  const baseImage = settings.baseImage ?? GRAPH_BASE_IMAGE;
  let base: Reference;
  try {
    base = parseReference(baseImage);
  } catch (err) {
    throw new GantryError('USAGE', `--graph-base-image "${baseImage}" is not an image reference: ${(err as Error).message}`, {
      hint: 'a base with /bin/sh and cp, e.g. registry.access.redhat.com/ubi9/ubi:latest (scratch cannot run the copy)',
    });
  }
  const naming = { targetRepo: GRAPH_IMAGE_REPO, targetTag: GRAPH_IMAGE_TAG };
  return { dataUrl: settings.dataUrl ?? GRAPH_DATA_URL, base, naming, ...(platforms ? { platforms } : {}), ...destOf(base, naming) };
}

/**
 * Fetches and reads the graph data before any image is copied: a graph-data URL that cannot be read fails the run
 * up front (GRAPH_DATA_UNREACHABLE naming it), not after gigabytes of payloads have moved.
 */
export async function loadGraphData(image: PlannedGraphImage, read: GraphDataReader | undefined, signal?: AbortSignal): Promise<GraphImageBuild> {
  if (!read) throw new GantryError('INTERNAL', 'platform.graph is set, but no graph-data reader was given');
  let bytes: Uint8Array;
  try {
    bytes = await read(image.dataUrl, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new GantryError('GRAPH_DATA_UNREACHABLE', `cannot fetch the graph data for the graph image from ${image.dataUrl}: ${detail}`, {
      cause: err,
      hint: 'check --graph-data-url; without network access, download it where there is and give --graph-data-url file:PATH; nothing was copied',
    });
  }
  const data = await readGraphData(bytes, image.dataUrl);
  return { image, files: data.files };
}

/** Builds the graph image into `dest` under `tag`, on the base read from the sources. */
export function buildGraphImage(build: GraphImageBuild, opts: { source: StoreResolver; dest: Store; tag: string; signal?: AbortSignal }): Promise<CatalogImageResult> {
  const { base } = build.image;
  return buildGraphDataImage({
    files: createMemoryTree(Object.fromEntries(build.files)),
    base: { store: opts.source(base), reference: base.digest ?? base.tag ?? 'latest' },
    dest: opts.dest,
    tag: opts.tag,
    ...(build.image.platforms ? { platforms: build.image.platforms } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  }).catch((err: unknown) => {
    if (opts.signal?.aborted || !isGantryError(err)) throw err;
    throw new GantryError(err.code, `graph image on ${formatReference(base)}: ${err.message}`, { cause: err, ...(err.hint ? { hint: err.hint } : {}) });
  });
}

/** How plan.json and the dry run describe it. */
export function describeGraphImage(g: PlannedGraphImage, destination?: string): Record<string, string | string[] | undefined> {
  return {
    graphData: g.dataUrl,
    base: formatReference(g.base),
    destination: destination ?? (g.dest ? formatReference(g.dest) : undefined),
    name: `${g.naming.targetRepo}:${g.naming.targetTag}`,
    ...(g.platforms ? { platforms: g.platforms.map(formatPlatform) } : {}),
  };
}
