// Which platform of a multi-platform index image to read a catalog from, chosen by a regular expression over
// "os/architecture[/variant]" as `oc adm catalog mirror --index-filter-by-os` chooses it.
import { GantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import { parseManifest } from '../oci/manifest.js';
import { formatPlatform, type Platform } from '../oci/platform.js';

/**
 * The one platform the pattern matches; undefined for a single-platform image, which oc does not filter. No match,
 * or several, is a usage error that lists the platforms there are (oc refuses both).
 */
export async function selectIndexPlatform(store: Store, reference: string, pattern: RegExp, opts: { signal?: AbortSignal; where?: string } = {}): Promise<Platform | undefined> {
  const fetched = await store.fetchManifest(reference, opts.signal ? { signal: opts.signal } : {});
  const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  if (m.kind !== 'index' || m.manifests.length <= 1) return undefined;
  const platforms = m.manifests.flatMap((d) => (d.platform ? [d.platform] : []));
  const matching = platforms.filter((p) => pattern.test(formatPlatform(p)));
  if (matching.length === 1) return matching[0];
  const where = opts.where ?? reference;
  throw new GantryError('USAGE', `${where} holds ${platforms.length} platforms and --index-filter-by-os "${pattern.source}" matches ${matching.length === 0 ? 'none' : matching.length} of them`, {
    hint: `choose one: ${platforms.map(formatPlatform).join(', ')}`,
  });
}
