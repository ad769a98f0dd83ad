// Delete phase 1: what a DeleteImageSetConfiguration selects, planned by the mirror planner (same selection, same
// destinations), each destination tag resolved to the digest it holds now. Catalog images are kept, as oc-mirror does.
import { GantryError } from '../errors.js';
import { byteOrder } from '../catalog/fbc/file-tree.js';
import type { ImageSetConfig } from '../config/config-types.js';
import { sortDeleteItems, type DeleteItem } from '../config/delete-image-list.js';
import type { StoreResolver } from '../mirror/store-resolver.js';
import { Semaphore } from '../copy/limiter.js';
import { Defaults } from '../defaults.js';
import type { Digest } from '../oci/digest.js';
import { formatReference } from '../oci/reference.js';
import { placedImages, planMirror, type MirrorPlan, type PlacedImage, type PlanOptions } from '../mirror/plan-mirror.js';

export interface SkippedImage {
  image: PlacedImage;
  /** not-present: the destination has no such tag; digest-changed: the tag of a digest-pinned image now holds other content. */
  reason: 'not-present' | 'digest-changed';
  found?: Digest;
}

export interface ResolvedDeletes {
  /** Sorted as the list file is. */
  items: DeleteItem[];
  skipped: SkippedImage[];
  failed: { image: PlacedImage; error: unknown }[];
}

export interface DeletePlan extends ResolvedDeletes {
  /** The mirror plan the selection came from: its issues and blocked images are the caller's to report. */
  plan: MirrorPlan;
}

export interface ResolveOptions {
  /** The store for a destination repository. */
  storeFor: StoreResolver;
  concurrency?: number;
  signal?: AbortSignal;
}

export type PlanDeleteOptions = Omit<PlanOptions, 'config'> & Omit<ResolveOptions, 'signal'> & { config: ImageSetConfig };

export async function planDelete(opts: PlanDeleteOptions): Promise<DeletePlan> {
  const set = opts.config.delete;
  if (!set) throw new GantryError('USAGE', 'the configuration has no delete: section', { hint: 'gantry delete --generate reads a DeleteImageSetConfiguration' });
  // oc-mirror turns the DISC into an ISC to reuse its collectors (cli/delete.go); so do we, with the mirror planner.
  const { storeFor, concurrency, ...planOpts } = opts;
  const plan = await planMirror({ ...planOpts, config: { ...opts.config, mirror: set } });
  if (plan.issues.some((i) => i.severity === 'error')) return { plan, items: [], skipped: [], failed: [] };
  const resolved = await resolveDeleteItems(placedImages(plan), { storeFor, ...(concurrency ? { concurrency } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  return { plan, ...resolved };
}

/** HEADs each destination tag: present → an item by digest; absent → skipped (not an error); failures collected. */
export async function resolveDeleteItems(images: readonly PlacedImage[], opts: ResolveOptions): Promise<ResolvedDeletes> {
  const limit = new Semaphore(opts.concurrency ?? Defaults.deleteConcurrency);
  const signal = opts.signal ? { signal: opts.signal } : {};
  const items: DeleteItem[] = [];
  const skipped: SkippedImage[] = [];
  const failed: ResolvedDeletes['failed'] = [];
  await Promise.all(
    images.map((image) =>
      limit.run(async () => {
        const tag = image.dest.tag ?? 'latest';
        try {
          const found = await opts.storeFor(image.dest).statManifest(tag, signal);
          if (!found) return void skipped.push({ image, reason: 'not-present' });
          // mirror keeps digests, so a digest-pinned image's tag (sha256-<hex>) holding anything else was not put there by it.
          if (image.source.digest && found.digest !== image.source.digest) return void skipped.push({ image, reason: 'digest-changed', found: found.digest });
          items.push({ imageName: formatReference(image.source), imageReference: `docker://${image.dest.registry}/${image.dest.repository}@${found.digest}`, tag });
        } catch (error) {
          if (opts.signal?.aborted) throw error;
          failed.push({ image, error });
        }
      }, opts.signal),
    ),
  );
  const bySource = (a: { image: PlacedImage }, b: { image: PlacedImage }) => byteOrder(formatReference(a.image.source), formatReference(b.image.source));
  return { items: sortDeleteItems(items), skipped: skipped.sort(bySource), failed: failed.sort(bySource) };
}
