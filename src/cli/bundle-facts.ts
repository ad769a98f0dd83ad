// The CLI side of reading bundle images for catalog queries (their flags are declared with the queries): one
// lazily opened registry session, and the "read N bundle images (M from cache)" line on stderr.
import type { QueryOptions, QueryResult } from '../catalog/query/queries.js';
import { loadBundleFacts, type BundleFactsFailure, type BundleFactsLoad } from '../catalog-image/bundle-facts-cache.js';
import type { RegistrySession } from '../registry/registry-session.js';
import type { CliContext } from './context.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, openSession } from './registry-flags.js';

/** Distinct failures listed before the rest are only counted. */
const LISTED_FAILURES = 3;

/** One line per distinct message (an unreachable registry fails all its images alike), the images counted. */
function reportFailures(ctx: CliContext, failures: BundleFactsFailure[]): void {
  if (failures.length === 0) return;
  const groups = new Map<string, string[]>();
  for (const f of failures) groups.set(f.error.message, [...(groups.get(f.error.message) ?? []), f.image]);
  const list = [...groups].slice(0, LISTED_FAILURES);
  for (const [message, images] of list) {
    const which = images.length === 1 ? `bundle image ${images[0]}` : `${images.length} bundle images (${images[0]}, …)`;
    ctx.stderr.write(`warning: ${which}: ${message}\n`);
  }
  const rest = [...groups].slice(LISTED_FAILURES).reduce((n, [, images]) => n + images.length, 0);
  if (rest > 0) ctx.stderr.write(`warning: … and ${rest} more bundle image${rest === 1 ? '' : 's'} could not be read\n`);
  ctx.stderr.write('hint: check the registry flags (--tls-verify, --cert-dir, --creds, --authfile), or answer from the catalog alone with --offline\n');
}

/**
 * Runs a query again with facts read from the bundle images of the rows it had to leave out (webhooks and
 * install modes the catalog does not carry). Without such rows, or with --offline, the first answer stands.
 */
export async function answerWithBundleFacts<T>(ctx: CliContext, opts: Record<string, unknown>, first: QueryResult<T>, rerun: (o: QueryOptions) => QueryResult<T>): Promise<QueryResult<T>> {
  if (first.unknownImages.length === 0 || opts.offline) return first;
  const load = await readBundleImages(ctx, opts, first.unknownImages);
  return rerun({ bundleFacts: load.facts });
}

/**
 * Facts for bundle images, from the cache or read with the registry flags in opts; says on stderr how many were
 * read (and how many came from the cache) and which could not be.
 */
export async function readBundleImages(ctx: CliContext, opts: Record<string, unknown>, images: readonly string[]): Promise<BundleFactsLoad> {
  let session: RegistrySession | undefined;
  const access = accessFrom(opts, '');
  try {
    const load = await loadBundleFacts(images, {
      signal: ctx.signal,
      // Only a cache miss opens a session: a query answered from the cache makes no connection at all.
      open: async (image) => {
        session ??= await openSession(opts);
        const loc = await openLocation(parseImageLocation(`docker://${image}`), session, access);
        return { store: loc.store, reference: loc.reference ?? 'latest' };
      },
    });
    ctx.stderr.write(`read ${load.read} bundle image${load.read === 1 ? '' : 's'} (${load.fromCache} from cache)\n`);
    reportFailures(ctx, load.failures);
    return load;
  } finally {
    await session?.close();
  }
}
