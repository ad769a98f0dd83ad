// The MicroShift blueprint of a plan, before anything is mirrored (dry run): each planned image's digest and index
// platforms read from its source, and the relatedImages names the catalogs give it (for excluding architectures).
import type { Store } from '../content/store.js';
import { Semaphore } from '../copy/limiter.js';
import { isGantryError } from '../errors.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import { parseManifest } from '../oci/manifest.js';
import { formatReference, manifestSelector } from '../oci/reference.js';
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

export interface PlannedBlueprint {
  images: BlueprintImage[];
  /** Images whose source could not be read: not in the blueprint. */
  unreadable: { image: string; error: string }[];
  /** Catalogs: rebuilt when mirrored, so their digest (and blueprint entry) exists only after a real run. */
  pendingCatalogs: string[];
}

export async function planBlueprintImages(
  plan: MirrorPlan,
  opts: { sourceStore: (i: PlannedImage) => Store; withMirror?: boolean; signal?: AbortSignal },
): Promise<PlannedBlueprint> {
  const names = relatedNamesOf(plan.images);
  const gate = new Semaphore(LOOKUP_CONCURRENCY);
  const unreadable: PlannedBlueprint['unreadable'] = [];
  const read = await Promise.all(
    plan.images.map((i) =>
      gate.run(async (): Promise<BlueprintImage | undefined> => {
        try {
          const { bytes, descriptor } = await opts.sourceStore(i).fetchManifest(manifestSelector(i.source), opts.signal ? { signal: opts.signal } : {});
          const m = parseManifest(bytes, descriptor.mediaType);
          const architectures = m.kind === 'index' ? m.manifests.flatMap((d) => (d.platform ? [d.platform.architecture] : [])) : [];
          const n = names.get(formatReference(i.source));
          return {
            source: i.source,
            digest: descriptor.digest,
            ...(opts.withMirror ? { mirror: i.dest } : {}),
            ...(n ? { names: n } : {}),
            ...(architectures.length ? { architectures } : {}),
          };
        } catch (err) {
          if (!isGantryError(err)) throw err;
          unreadable.push({ image: formatReference(i.source), error: `${err.code}: ${err.message}` });
          return undefined;
        }
      }, opts.signal),
    ),
  );
  return { images: read.filter((x): x is BlueprintImage => x !== undefined), unreadable, pendingCatalogs: plan.catalogs.map((c) => c.catalog) };
}
