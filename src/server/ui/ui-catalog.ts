// A served catalog as the web UI reads it: gantry's catalog model built once from the served blobs, and the
// package list summary (head facts, filters' fields) precomputed at start so the first page is one lookup.
import { byteOrder } from '../../order.js';
import type { Bundle } from '../../catalog/fbc/types.js';
import type { CatalogModel, ModelPackage } from '../../catalog/model/catalog-model.js';
import { decodeGvk } from '../../catalog/model/properties.js';
import { describeBundle } from '../../catalog/query/catalog-index.js';
import { catalogCheckInput } from '../../install/catalog-check.js';
import { checkOlmV1Install } from '../../install/check-olm-v1.js';
import { DEFAULT_OLM_VERSION, parseOlmVersion, type OlmTarget } from '../../install/olm-versions.js';
import { isGantryError } from '../../errors.js';
import type { PackageSummary } from './ui-api-types.js';

export type { PackageSummary };

export interface UiCatalog {
  name: string;
  model: CatalogModel;
  packages: PackageSummary[];
  bundleCount: number;
}

export function buildUiCatalog(name: string, model: CatalogModel): UiCatalog {
  const olmVersion = parseOlmVersion(DEFAULT_OLM_VERSION);
  const packages: PackageSummary[] = [];
  let bundleCount = 0;
  for (const p of model.packages.values()) {
    bundleCount += p.bundles.size;
    packages.push(summarize(p, olmVersion));
  }
  packages.sort((a, b) => byteOrder(a.name, b.name));
  return { name, model, packages, bundleCount };
}

/** The head of the default channel (else of the first channel that has one). */
export function defaultHead(p: ModelPackage): Bundle | undefined {
  const channels = [p.channels.get(p.pkg.defaultChannel), ...p.channels.values()];
  for (const c of channels) if (c?.head && p.bundles.has(c.head)) return p.bundles.get(c.head);
  return undefined;
}

export function csvMetadata(b: Bundle | undefined): Record<string, unknown> | undefined {
  const prop = b?.properties?.find((x) => x.type === 'olm.csv.metadata');
  return prop && typeof prop.value === 'object' && prop.value !== null ? (prop.value as Record<string, unknown>) : undefined;
}

function providedApis(b: Bundle | undefined): string[] {
  const out = new Set<string>();
  for (const prop of b?.properties ?? []) {
    if (prop.type !== 'olm.gvk') continue;
    try {
      const g = decodeGvk(prop.value);
      out.add(`${g.kind} (${g.group ? `${g.group}/` : ''}${g.version})`);
    } catch {
      // validate reports it
    }
  }
  return [...out].sort(byteOrder);
}

/** The install check of the head; manifests in the catalog that do not read are a refusal, not a failed start. */
function checkHead(head: Bundle, olmVersion: OlmTarget): { installable: boolean | null; reasons: { message: string }[] } {
  try {
    return checkOlmV1Install(catalogCheckInput(head.name, head, { olmVersion, featureGates: [] }));
  } catch (err) {
    if (!isGantryError(err)) throw err;
    return { installable: false, reasons: [{ message: err.message }] };
  }
}

function summarize(p: ModelPackage, olmVersion: OlmTarget): PackageSummary {
  const head = defaultHead(p);
  const facts = head ? describeBundle(head) : undefined;
  const meta = csvMetadata(head);
  const annotations = (meta?.annotations ?? {}) as Record<string, unknown>;
  const check = head ? checkHead(head, olmVersion) : undefined;
  const summary = typeof annotations.description === 'string' ? annotations.description : (p.pkg.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return {
    name: p.pkg.name,
    displayName: facts?.displayName ?? null,
    summary: summary.trim().slice(0, 240),
    defaultChannel: p.pkg.defaultChannel,
    channels: p.channels.size,
    bundles: p.bundles.size,
    head: head?.name ?? null,
    version: facts?.version || null,
    installModes: facts?.installModes ?? null,
    webhooks: facts?.webhooks ?? null,
    olmV1: check ? check.installable : null,
    olmV1Reason: check?.reasons[0]?.message ?? null,
    deprecated: p.deprecated !== undefined,
    deprecatedBundles: p.deprecatedBundles.size,
    apis: providedApis(head),
    icon: p.pkg.icon !== undefined && p.pkg.icon.base64data !== '',
  };
}
