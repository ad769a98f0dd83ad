// The CLI side of reading bundle images for catalog queries: --offline and the registry flags, one lazily
// opened registry session, and the "read N bundle images (M from cache)" line on stderr.
import type { Command } from 'commander';
import type { QueryOptions, QueryResult } from '../catalog/query/queries.js';
import { loadBundleFacts } from '../files/bundle-facts-cache.js';
import type { RegistrySession } from '../registry/registry-session.js';
import type { CliContext } from './context.js';
import { openLocation, parseImageLocation } from './locations.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession } from './registry-flags.js';

/** Failures listed one by one before the rest are only counted. */
const LISTED_FAILURES = 3;

/** --offline plus the registry flags, for queries that may read bundle images. */
export function addBundleReadFlags(cmd: Command): Command {
  return addCommonRegistryFlags(addAccessFlags(cmd, '', 'bundle image')).option('--offline', 'never read bundle images: answer from the catalog alone');
}

/**
 * Runs a query again with facts read from the bundle images of the rows it had to leave out (webhooks and
 * install modes the catalog does not carry). Without such rows, or with --offline, the first answer stands.
 */
export async function answerWithBundleFacts<T>(ctx: CliContext, opts: Record<string, unknown>, first: QueryResult<T>, rerun: (o: QueryOptions) => QueryResult<T>): Promise<QueryResult<T>> {
  if (first.unknownImages.length === 0 || opts.offline) return first;
  let session: RegistrySession | undefined;
  const access = accessFrom(opts, '');
  try {
    const load = await loadBundleFacts(first.unknownImages, {
      signal: ctx.signal,
      // Only a cache miss opens a session: a query answered from the cache makes no connection at all.
      open: async (image) => {
        session ??= await openSession(opts);
        const loc = await openLocation(parseImageLocation(`docker://${image}`), session, access);
        return { store: loc.store, reference: loc.reference ?? 'latest' };
      },
    });
    ctx.stderr.write(`read ${load.read} bundle image${load.read === 1 ? '' : 's'} (${load.fromCache} from cache)\n`);
    for (const f of load.failures.slice(0, LISTED_FAILURES)) ctx.stderr.write(`warning: bundle image ${f.image}: ${f.error.message}\n`);
    if (load.failures.length > LISTED_FAILURES) ctx.stderr.write(`warning: … and ${load.failures.length - LISTED_FAILURES} more bundle images could not be read\n`);
    return rerun({ bundleFacts: load.facts });
  } finally {
    await session?.close();
  }
}
