// Delete phase 2: deletes the manifests of a reviewed DeleteImageList by digest. A manifest already gone is not an
// error; one failure does not stop the others unless failFast. Blobs stay until the registry's garbage collection.
import { GantryError } from '../errors.js';
import type { CheckedDeleteItem } from '../config/delete-image-list.js';
import { canDeleteManifests, type Store } from '../content/store.js';
import { Semaphore } from '../copy/limiter.js';
import { Defaults } from '../defaults.js';
import type { Reference } from '../oci/reference.js';

/** absent: not at the destination (deleted before); would-delete: present, --dry-run; not-attempted: after a --fail-fast stop. */
export type DeleteStatus = 'deleted' | 'absent' | 'would-delete' | 'failed' | 'not-attempted';

export interface DeleteOutcome {
  item: CheckedDeleteItem;
  status: DeleteStatus;
  error?: unknown;
}

export interface ExecuteDeleteOptions {
  /** The store for a destination repository. */
  storeFor: (dest: Reference) => Store;
  /** Only ask whether each manifest is there. */
  dryRun?: boolean;
  /** Start no further deletes after the first failure. */
  failFast?: boolean;
  concurrency?: number;
  /** Called as each item settles (in completion order). */
  onOutcome?: (outcome: DeleteOutcome) => void;
  signal?: AbortSignal;
}

export interface DeleteResult {
  /** In the order of the items. */
  outcomes: DeleteOutcome[];
  counts: Record<DeleteStatus, number>;
}

export async function executeDelete(items: readonly CheckedDeleteItem[], opts: ExecuteDeleteOptions): Promise<DeleteResult> {
  const limit = new Semaphore(opts.concurrency ?? Defaults.deleteConcurrency);
  const signal = opts.signal ? { signal: opts.signal } : {};
  // Two items may name one manifest (two tags on one digest): it is deleted once and both share the answer.
  const inFlight = new Map<string, Promise<DeleteStatus>>();
  let stopped = false;

  const act = async (dest: CheckedDeleteItem['dest']): Promise<DeleteStatus> => {
    const store = opts.storeFor(dest);
    if (opts.dryRun) return (await store.statManifest(dest.digest, signal)) ? 'would-delete' : 'absent';
    if (!canDeleteManifests(store)) throw new GantryError('USAGE', `${store.location} cannot delete manifests`);
    return (await store.deleteManifest(dest.digest, signal)) ? 'deleted' : 'absent';
  };

  const outcomes = await Promise.all(
    items.map((item) =>
      limit.run(async (): Promise<DeleteOutcome> => {
        const key = `${item.dest.registry}/${item.dest.repository}@${item.dest.digest}`;
        let pending = inFlight.get(key);
        if (!pending) {
          if (stopped) return settle({ item, status: 'not-attempted' });
          pending = act(item.dest);
          inFlight.set(key, pending);
        }
        try {
          return settle({ item, status: await pending });
        } catch (error) {
          if (opts.signal?.aborted) throw error;
          if (opts.failFast) stopped = true;
          return settle({ item, status: 'failed', error });
        }
      }, opts.signal),
    ),
  );
  const counts: Record<DeleteStatus, number> = { deleted: 0, absent: 0, 'would-delete': 0, failed: 0, 'not-attempted': 0 };
  for (const o of outcomes) counts[o.status]++;
  return { outcomes, counts };

  function settle(o: DeleteOutcome): DeleteOutcome {
    opts.onOutcome?.(o);
    return o;
  }
}
