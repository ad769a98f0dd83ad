// The injected bundle renderer and how templates call it: a few images at a time, results in template order,
// and on failure the first failing image in template order (what opm's one-by-one loop would report).
import { throwIfAborted } from '../../errors.js';
import type { Bundle } from '../fbc/types.js';

/** Supplied by the caller: turns a bundle image reference into its olm.bundle blob (opm: RefBundleImage). */
export interface TemplateDeps {
  renderBundle(image: string, opts?: { signal?: AbortSignal }): Promise<Bundle>;
}

export interface ExpandOptions {
  signal?: AbortSignal;
  /** Bundle images rendered at once. */
  concurrency?: number;
}

/** Rendering a bundle image pulls it: a few in parallel hide latency without flooding a registry. */
export const DEFAULT_RENDER_CONCURRENCY = 4;

/** Renders every image; throws `onError(index, cause)` for the first failure in input order. */
export async function renderBundles(
  images: readonly string[],
  deps: TemplateDeps,
  opts: ExpandOptions,
  onError: (index: number, cause: unknown) => Error,
): Promise<Bundle[]> {
  const results: Bundle[] = new Array(images.length);
  const failures = new Map<number, unknown>();
  let next = 0;
  const worker = async () => {
    // Indexes are taken in order, so when one fails every lower index has already started.
    while (next < images.length && failures.size === 0) {
      const i = next++;
      throwIfAborted(opts.signal);
      try {
        results[i] = await deps.renderBundle(images[i]!, opts.signal ? { signal: opts.signal } : {});
      } catch (err) {
        failures.set(i, err);
      }
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_RENDER_CONCURRENCY, images.length));
  await Promise.all(Array.from({ length: width }, worker));
  throwIfAborted(opts.signal);
  if (failures.size > 0) {
    const first = Math.min(...failures.keys());
    throw onError(first, failures.get(first));
  }
  return results;
}
