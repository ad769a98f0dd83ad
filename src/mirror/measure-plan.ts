// Dry-run figures for plan.json and missing.txt: each planned image's size (its manifests and unique blobs, after
// platform filtering) and the bytes still to move to this destination. Manifests only are fetched; no blob is.
import type { Store } from '../content/store.js';
import { Semaphore } from '../copy/limiter.js';
import { isGantryError } from '../errors.js';
import { manifestBlobs, parseManifest, type Manifest } from '../oci/manifest.js';
import { platformMatches } from '../oci/platform.js';
import type { StoreResolver } from './store-resolver.js';
import type { MirrorPlan, PlannedImage } from './plan-mirror.js';

export interface ImageMeasure {
  /** Bytes of the image: its manifests and its distinct blobs. */
  size: number;
  /** Bytes of blobs the destination does not have yet. */
  toMove: number;
  /** The destination already has this image complete (a re-run would skip it). */
  complete: boolean;
  /** Why it could not be measured (the source could not be read). */
  error?: string;
}

export interface MeasureOptions {
  source: StoreResolver;
  /** Whether the destination has a blob already. */
  hasBlob(image: PlannedImage, digest: string): Promise<boolean>;
  /** Whether the destination has this image complete (default: when no blob is missing). */
  hasImage?(image: PlannedImage, digest: string): Promise<boolean>;
  signal?: AbortSignal;
}

const MEASURE_CONCURRENCY = 8;

export interface PlanMeasures {
  images: Map<PlannedImage, ImageMeasure>;
  /** Over distinct blobs (images sharing layers count them once). */
  totals: { size: number; toMove: number };
}

export async function measurePlan(plan: MirrorPlan, opts: MeasureOptions): Promise<PlanMeasures> {
  const out = new Map<PlannedImage, ImageMeasure>();
  const seen = new Map<string, { size: number; missing: boolean }>();
  const gate = new Semaphore(MEASURE_CONCURRENCY);
  await Promise.all(
    plan.images.map((img) =>
      gate.run(async () => {
        try {
          out.set(img, await measureImage(img, opts, seen));
        } catch (err) {
          const message = isGantryError(err) ? `${err.code}: ${err.message}` : (err as Error).message;
          out.set(img, { size: 0, toMove: 0, complete: false, error: message });
        }
      }, opts.signal),
    ),
  );
  const totals = { size: 0, toMove: 0 };
  for (const b of seen.values()) {
    totals.size += b.size;
    if (b.missing) totals.toMove += b.size;
  }
  return { images: out, totals };
}

async function measureImage(img: PlannedImage, opts: MeasureOptions, seen: Map<string, { size: number; missing: boolean }>): Promise<ImageMeasure> {
  const source: Store = opts.source(img.source);
  const o = opts.signal ? { signal: opts.signal } : {};
  const top = await source.fetchManifest(img.source.digest ?? img.source.tag ?? 'latest', o);
  let size = top.descriptor.size;
  const blobs = new Map<string, number>();
  const add = (m: Manifest) => {
    if (m.kind === 'manifest') for (const b of manifestBlobs(m)) blobs.set(b.digest, b.size);
  };
  const parsed = parseManifest(top.bytes, top.descriptor.mediaType);
  if (parsed.kind === 'index') {
    const children = img.platforms ? parsed.manifests.filter((d) => img.platforms!.some((p) => platformMatches(p, d.platform))) : parsed.manifests;
    for (const child of children) {
      const f = await source.fetchManifest(child.digest, o);
      size += f.descriptor.size;
      add(parseManifest(f.bytes, f.descriptor.mediaType));
    }
  } else add(parsed);
  let toMove = 0;
  for (const [digest, n] of blobs) {
    size += n;
    const missing = !(await opts.hasBlob(img, digest));
    if (missing) toMove += n;
    seen.set(digest, { size: n, missing: missing || (seen.get(digest)?.missing ?? false) });
  }
  // A platform-filtered index gets a new digest, so only its blobs can tell whether it is there.
  const complete = opts.hasImage && !img.platforms ? await opts.hasImage(img, top.descriptor.digest) : toMove === 0;
  return { size, toMove, complete };
}
