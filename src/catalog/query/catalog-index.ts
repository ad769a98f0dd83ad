// The query index: a compact, cacheable form of the catalog model for queries: packages, channels (with heads
// and entries) and bundles (version, image, install modes, webhooks, deprecation, sizes).
import { byteOrder } from '../../order.js';
import { supportedInstallModes, webhookTypesOf } from '../render/csv-spec.js';
import type { Bundle, DeclarativeConfig } from '../fbc/types.js';
import { buildCatalogModel, bundleVersionText, type CatalogModel } from '../model/catalog-model.js';
import { compareChannelNames, sortChannelNames } from '../model/channel-order.js';
import { compareVersions, type Version } from '../../semver/index.js';

// 3: heads by the model's one rule, channels in channel order; webhook types and dependencies per bundle.
// 4: the entry has a sidecar of the files holding each package (package-files.ts); ctime in the key.
export const INDEX_FORMAT = 4;

export interface IndexedBundle {
  name: string;
  version: string;
  image: string;
  /** Install modes the bundle supports (from olm.csv.metadata or the CSV in olm.bundle.object). */
  installModes: string[] | null;
  /** Whether the CSV defines webhooks; null when the catalog does not say (olm.csv.metadata omits them). */
  webhooks: boolean | null;
  /** The type of each webhook the CSV defines (ConversionWebhook, …); null when the catalog does not say. */
  webhookTypes: string[] | null;
  /** The dependency properties the bundle carries (olm.package.required, olm.gvk.required, olm.constraint). */
  dependencies: string[];
  deprecated: string | null;
  relatedImages: number;
  displayName: string | null;
  channels: string[];
}

export interface IndexedChannel {
  name: string;
  head: string | null;
  entries: { name: string; replaces?: string; skips?: string[]; skipRange?: string }[];
  deprecated: string | null;
}

export interface IndexedPackage {
  name: string;
  defaultChannel: string;
  description: string | null;
  deprecated: string | null;
  channels: IndexedChannel[];
  bundles: IndexedBundle[];
}

/** The query index: a compact, cacheable form of the catalog model (CatalogModel), one JSON document. */
export interface QueryIndex {
  format: number;
  packages: IndexedPackage[];
}

function csvFromObjects(b: Bundle): Record<string, unknown> | undefined {
  for (const p of b.properties ?? []) {
    if (p.type !== 'olm.bundle.object') continue;
    const data = (p.value as { data?: string } | null)?.data;
    if (typeof data !== 'string') continue;
    try {
      const obj = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { kind?: string };
      if (obj.kind === 'ClusterServiceVersion') return obj as Record<string, unknown>;
    } catch {
      // not JSON: not a CSV
    }
  }
  return undefined;
}

const DEPENDENCY_TYPES = new Set(['olm.package.required', 'olm.gvk.required', 'olm.constraint']);

/** What the catalog says of one bundle: version, install modes and webhooks (olm.csv.metadata or a CSV object), dependencies. */
export function describeBundle(b: Bundle): Pick<IndexedBundle, 'version' | 'installModes' | 'webhooks' | 'webhookTypes' | 'dependencies' | 'displayName'> {
  const version = bundleVersionText(b);
  let installModes: string[] | null = null;
  let webhooks: boolean | null = null;
  let webhookTypes: string[] | null = null;
  let displayName: string | null = null;
  const dependencies = new Set<string>();
  for (const p of b.properties ?? []) {
    const v = p.value as Record<string, unknown> | null;
    if (DEPENDENCY_TYPES.has(p.type)) dependencies.add(p.type);
    if (p.type === 'olm.csv.metadata' && v) {
      installModes = supportedInstallModes(v.installModes);
      if (typeof v.displayName === 'string') displayName = v.displayName;
    }
  }
  const csv = csvFromObjects(b);
  if (csv) {
    const spec = (csv.spec ?? {}) as { installModes?: unknown; webhookdefinitions?: unknown[]; displayName?: string };
    installModes ??= supportedInstallModes(spec.installModes);
    webhooks = Array.isArray(spec.webhookdefinitions) && spec.webhookdefinitions.length > 0;
    webhookTypes = webhookTypesOf(spec.webhookdefinitions);
    displayName ??= spec.displayName ?? null;
  }
  return { version, installModes, webhooks, webhookTypes, dependencies: [...dependencies].sort(byteOrder), displayName };
}

/**
 * The compact form of the catalog model: heads, deprecations and versions are the model's (one head rule,
 * catalog/model/channel-head.ts); channels are listed in channel order (`stable-3.6` before `stable-3.10`).
 */
export function buildQueryIndex(config: DeclarativeConfig): QueryIndex {
  return compactModel(buildCatalogModel(config));
}

export function compactModel(model: CatalogModel): QueryIndex {
  const list: IndexedPackage[] = [];
  for (const p of model.packages.values()) {
    const bundleChannels = new Map<string, string[]>();
    const channels: IndexedChannel[] = [];
    for (const [name, c] of p.channels) {
      const entries = [...c.entries.values()].map((e) => ({
        name: e.name,
        ...(e.replaces ? { replaces: e.replaces } : {}),
        ...(e.skips?.length ? { skips: e.skips } : {}),
        ...(e.skipRange ? { skipRange: e.skipRange } : {}),
      }));
      channels.push({ name, head: c.head ?? null, entries, deprecated: c.deprecated ?? null });
      for (const e of entries) {
        const names = bundleChannels.get(e.name);
        if (names) names.push(name);
        else bundleChannels.set(e.name, [name]);
      }
    }
    const bundles: IndexedBundle[] = [];
    for (const b of p.bundles.values()) {
      bundles.push({
        name: b.name,
        image: b.image,
        ...describeBundle(b),
        deprecated: p.deprecatedBundles.get(b.name) ?? null,
        relatedImages: b.relatedImages?.length ?? 0,
        channels: sortChannelNames(bundleChannels.get(b.name) ?? []),
      });
    }
    channels.sort((a, b) => compareChannelNames(a.name, b.name));
    // The versions the model parsed once, not a parse per comparison.
    bundles.sort((a, b) => compareParsed(p.versions.get(a.name), p.versions.get(b.name)) || byteOrder(a.name, b.name));
    list.push({ name: p.pkg.name, defaultChannel: p.pkg.defaultChannel, description: p.pkg.description ?? null, deprecated: p.deprecated ?? null, channels, bundles });
  }
  list.sort((a, b) => byteOrder(a.name, b.name));
  return { format: INDEX_FORMAT, packages: list };
}

/** Semver order where both parse; unparseable versions last. */
function compareParsed(va: Version | undefined, vb: Version | undefined): number {
  if (va && vb) return compareVersions(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return 0;
}
