// The MicroShift blueprint of a plan, before anything is mirrored (dry run): each planned image's digest and index
// platforms read from its source, and the relatedImages names the catalogs give it (for excluding architectures).
import type { Store } from '../content/store.js';
import { Semaphore } from '../copy/limiter.js';
import { isGantryError } from '../errors.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import { parseManifest } from '../oci/manifest.js';
import { formatReference, manifestSelector, type Reference } from '../oci/reference.js';
import type { MirrorPlan, PlannedImage } from './plan-mirror.js';

const LOOKUP_CONCURRENCY = 8;

/** relatedImages names by formatReference(source); the bundle image itself carries none. */
export function relatedNamesOf(images: readonly PlannedImage[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of images) {
    const names = i.reasons.flatMap((r) => ('as' in r && r.as !== 'bundle' ? [r.as] : []));
    if (names.length > 0) out.set(formatReference(i.source), names);
  }
  return out;
}

export interface ReadBlueprint {
  images: BlueprintImage[];
  /** Images whose manifest could not be read: kept as the manifests name them, without platform information. */
  unreadable: { image: string; error: string }[];
}

export interface PlannedBlueprint extends ReadBlueprint {
  /** Catalogs: rebuilt when mirrored, so their digest (and blueprint entry) exists only after a real run. */
  pendingCatalogs: string[];
}

/** Reads each image's manifest where it is named: a tag becomes the digest it points to, an index gives its platforms. */
export async function readBlueprintImages(images: BlueprintImage[], opts: { storeFor: (ref: Reference) => Store; signal?: AbortSignal }): Promise<ReadBlueprint> {
  const gate = new Semaphore(LOOKUP_CONCURRENCY);
  const unreadable: ReadBlueprint['unreadable'] = [];
  const read = await Promise.all(
    images.map((image) =>
      gate.run(async (): Promise<BlueprintImage> => {
        try {
          const { bytes, descriptor } = await opts.storeFor(image.source).fetchManifest(image.digest ?? manifestSelector(image.source), opts.signal ? { signal: opts.signal } : {});
          const m = parseManifest(bytes, descriptor.mediaType);
          const architectures = m.kind === 'index' ? m.manifests.flatMap((d) => (d.platform ? [d.platform.architecture] : [])) : [];
          return { ...image, digest: descriptor.digest, ...(architectures.length ? { architectures } : {}) };
        } catch (err) {
          if (!isGantryError(err)) throw err;
          unreadable.push({ image: formatReference(image.source), error: `${err.code}: ${err.message}` });
          return image;
        }
      }, opts.signal),
    ),
  );
  return { images: read, unreadable };
}

/** A dry run's blueprint images: the plan's, read from their sources (the destination may not have them yet). */
export async function planBlueprintImages(
  plan: MirrorPlan,
  opts: { sourceStore: (i: PlannedImage) => Store; withMirror?: boolean; signal?: AbortSignal },
): Promise<PlannedBlueprint> {
  const names = relatedNamesOf(plan.images);
  const byRef = new Map(plan.images.map((i) => [formatReference(i.source), i]));
  const images = plan.images.map((i): BlueprintImage => {
    const n = names.get(formatReference(i.source));
    return { source: i.source, ...(i.source.digest ? { digest: i.source.digest } : {}), ...(opts.withMirror ? { mirror: i.dest } : {}), ...(n ? { names: n } : {}) };
  });
  const read = await readBlueprintImages(images, { storeFor: (ref) => opts.sourceStore(byRef.get(formatReference(ref))!), ...(opts.signal ? { signal: opts.signal } : {}) });
  return { ...read, pendingCatalogs: plan.catalogs.map((c) => c.catalog) };
}
