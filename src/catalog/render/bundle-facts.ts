// The facts a catalog query needs from a bundle's ClusterServiceVersion but olm.csv.metadata leaves out:
// its webhook definitions (by type) and its supported install modes, read from the bundle's manifests.
import { GantryError } from '../../errors.js';
import { type FileTree } from '../fbc/file-tree.js';
import { byteOrder } from '../../order.js';
import { decodeFirstDocument, DocumentError } from './decode-document.js';
import { supportedInstallModes, webhookTypesOf } from './csv-spec.js';

/** Bumped when the cached shape changes, so older cache entries are read again instead of misread. */
export const BUNDLE_FACTS_FORMAT = 2;

export interface BundleFacts {
  /** One entry per `spec.webhookdefinitions` item: its type (ValidatingAdmissionWebhook, ConversionWebhook, …). */
  webhooks: string[];
  /** The install modes the CSV marks `supported: true`, sorted. */
  installModes: string[];
}

export function factsFromCsv(csv: Record<string, unknown>): BundleFacts {
  const spec = (csv.spec ?? {}) as { installModes?: unknown; webhookdefinitions?: unknown };
  return { webhooks: webhookTypesOf(spec.webhookdefinitions), installModes: supportedInstallModes(spec.installModes) ?? [] };
}

const decoder = new TextDecoder('utf-8');

/**
 * Facts from the manifests directory of a bundle (`tree` rooted there). Like opm, only top-level files are
 * read, in name order, one document each, and the first ClusterServiceVersion counts.
 */
export async function readBundleFacts(tree: FileTree, where: string, opts: { signal?: AbortSignal } = {}): Promise<BundleFacts> {
  const files = (await tree.list(opts)).filter((p) => !p.includes('/') && !p.startsWith('.')).sort(byteOrder);
  for (const file of files) {
    let value: unknown;
    try {
      value = decodeFirstDocument(decoder.decode(await tree.read(file, opts))).value;
    } catch (err) {
      if (err instanceof DocumentError) continue; // opm skips what it cannot decode
      throw err;
    }
    if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'ClusterServiceVersion') {
      return factsFromCsv(value as Record<string, unknown>);
    }
  }
  throw new GantryError('CATALOG_INVALID', `${where} has no ClusterServiceVersion in its manifests`, { hint: 'is it a registry+v1 bundle image?' });
}
