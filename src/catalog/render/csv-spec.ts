// Two facts read from a ClusterServiceVersion's spec, shared by the query index (CSVs inside a catalog) and the
// bundle-facts reader (CSVs in bundle images). No parser imports: the query index loads on every warm query.
import { byteOrder } from '../../order.js';

/** The types of a CSV's install modes marked `supported: true`, sorted; null when `installModes` is not a list. */
export function supportedInstallModes(modes: unknown): string[] | null {
  if (!Array.isArray(modes)) return null;
  return modes
    .filter((m): m is { type: string } => (m as { supported?: unknown } | null)?.supported === true && typeof (m as { type?: unknown }).type === 'string')
    .map((m) => m.type)
    .sort(byteOrder);
}

/** The type of each of a CSV's `spec.webhookdefinitions`, sorted ([] when there is no list). */
export function webhookTypesOf(definitions: unknown): string[] {
  return Array.isArray(definitions) ? definitions.map((h) => String((h as { type?: unknown } | null)?.type ?? '')).sort(byteOrder) : [];
}
