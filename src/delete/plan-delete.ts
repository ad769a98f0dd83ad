// Delete phase 1: what a DeleteImageSetConfiguration selects, planned by the mirror planner (same selection, same
// destinations), each destination tag resolved to the digest it holds now. Catalog images are kept, as oc-mirror does.
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import type { ImageSetConfig } from '../config/config-types.js';
import { sortDeleteItems, type DeleteItem } from '../config/delete-image-list.js';
import type { StoreResolver } from '../mirror/store-resolver.js';
import { Semaphore } from '../copy/limiter.js';
import { Defaults } from '../defaults.js';
import type { Digest } from '../oci/digest.js';
import { formatReference, type Reference } from '../oci/reference.js';
import { canListTags } from '../content/store.js';
import { mirrorDestination } from '../generate/destination.js';
import { RELEASE_IMAGES_REPO } from '../mirror/plan-releases.js';
import { placedImages, planMirror, type MirrorPlan, type PlacedImage, type PlanOptions } from '../mirror/plan-mirror.js';

export interface SkippedImage {
  image: PlacedImage;
  /**
   * not-present: the destination has no such tag; digest-changed: the tag of a digest-pinned image now holds other
   * content; shared: another tag of the repository that stays (`keptBy`) holds the same manifest, which a delete
   * by digest would take with it (a z-stream shares most components with the release before it).
   */
  reason: 'not-present' | 'digest-changed' | 'shared';
  found?: Digest;
  /** For shared: the tags that keep the manifest (sorted, the first few). */
  keptBy?: string[];
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
  // Release images are read from the destination's copy first: deleting must work where the source is out of reach.
  const target = opts.target;
  const nested = opts.maxNestedPaths ? { maxNestedPaths: opts.maxNestedPaths } : {};
  const releaseLookup = target ? (ref: Reference) => storeFor(mirrorDestination(ref, target, { ...nested, targetRepo: RELEASE_IMAGES_REPO })) : undefined;
  const plan = await planMirror({ ...planOpts, ...(releaseLookup ? { releaseLookup } : {}), config: { ...opts.config, mirror: set } });
  if (plan.issues.some((i) => i.severity === 'error')) return { plan, items: [], skipped: [], failed: [] };
  const resolved = await resolveDeleteItems(placedImages(plan), { storeFor, ...(concurrency ? { concurrency } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  return { plan, ...resolved };
}

/** HEADs each destination tag: present → an item by digest; absent → skipped (not an error); failures collected. */
export async function resolveDeleteItems(images: readonly PlacedImage[], opts: ResolveOptions): Promise<ResolvedDeletes> {
  const limit = new Semaphore(opts.concurrency ?? Defaults.deleteConcurrency);
  const signal = opts.signal ? { signal: opts.signal } : {};
  const found: { image: PlacedImage; item: DeleteItem; digest: Digest }[] = [];
  const skipped: SkippedImage[] = [];
  const failed: ResolvedDeletes['failed'] = [];
  await Promise.all(
    images.map((image) =>
      limit.run(async () => {
        const tag = image.dest.tag ?? 'latest';
        try {
          const got = await opts.storeFor(image.dest).statManifest(tag, signal);
          if (!got) return void skipped.push({ image, reason: 'not-present' });
          // mirror keeps digests, so a digest-pinned image's tag (sha256-<hex>) holding anything else was not put there by it.
          if (image.source.digest && got.digest !== image.source.digest) return void skipped.push({ image, reason: 'digest-changed', found: got.digest });
          found.push({ image, digest: got.digest, item: { imageName: formatReference(image.source), imageReference: `docker://${image.dest.registry}/${image.dest.repository}@${got.digest}`, tag } });
        } catch (error) {
          if (opts.signal?.aborted) throw error;
          failed.push({ image, error });
        }
      }, opts.signal),
    ),
  );
  const kept = await keepShared(found, opts, limit, skipped, failed);
  const bySource = (a: { image: PlacedImage }, b: { image: PlacedImage }) => byteOrder(formatReference(a.image.source), formatReference(b.image.source));
  return { items: sortDeleteItems(kept.map((f) => f.item)), skipped: skipped.sort(bySource), failed: failed.sort(bySource) };
}

/** How many of the tags that keep a manifest a skipped image names. */
const KEPT_BY_SHOWN = 3;

/**
 * A registry deletes a manifest by digest from its repository with every tag on it. So for each repository the
 * list touches, the tags it does not delete are read; a listed manifest one of them also holds stays (skipped as
 * shared), or deleting one release would break the release that stays. A repository whose tags cannot be listed
 * fails its images: the list would otherwise be unsafe to run.
 */
async function keepShared<T extends { image: PlacedImage; item: DeleteItem; digest: Digest }>(
  found: T[],
  opts: ResolveOptions,
  limit: Semaphore,
  skipped: SkippedImage[],
  failed: ResolvedDeletes['failed'],
): Promise<T[]> {
  const signal = opts.signal ? { signal: opts.signal } : {};
  const byRepo = new Map<string, T[]>();
  for (const f of found) {
    const key = `${f.image.dest.registry}/${f.image.dest.repository}`;
    byRepo.set(key, [...(byRepo.get(key) ?? []), f]);
  }
  const keptBy = new Map<T, string[]>();
  const unlisted = new Set<T>();
  await Promise.all(
    [...byRepo.values()].map(async (group) => {
      const store = opts.storeFor(group[0]!.image.dest);
      if (!canListTags(store)) return;
      const deleting = new Set(group.map((g) => g.item.tag));
      const digests = new Set(group.map((g) => g.digest));
      let others: string[];
      try {
        others = (await limit.run(() => store.listTags(signal), opts.signal)).filter((t) => !deleting.has(t));
      } catch (error) {
        if (opts.signal?.aborted) throw error;
        for (const g of group) failed.push({ image: g.image, error });
        for (const g of group) unlisted.add(g);
        return;
      }
      const holders = new Map<Digest, string[]>();
      await Promise.all(
        others.map((tag) =>
          limit.run(async () => {
            try {
              const d = (await store.statManifest(tag, signal))?.digest;
              if (d && digests.has(d)) holders.set(d, [...(holders.get(d) ?? []), tag]);
            } catch (error) {
              if (opts.signal?.aborted) throw error;
              // A tag that cannot be read may hold a listed manifest: none of this repository's images is listed.
              for (const g of group) if (!unlisted.has(g)) (unlisted.add(g), failed.push({ image: g.image, error }));
            }
          }, opts.signal),
        ),
      );
      for (const g of group) {
        const tags = holders.get(g.digest);
        if (tags) keptBy.set(g, tags.sort(byteOrder));
      }
    }),
  );
  const out: T[] = [];
  for (const f of found) {
    if (unlisted.has(f)) continue;
    const tags = keptBy.get(f);
    if (tags) skipped.push({ image: f.image, reason: 'shared', found: f.digest, keptBy: tags.slice(0, KEPT_BY_SHOWN) });
    else out.push(f);
  }
  return out;
}
