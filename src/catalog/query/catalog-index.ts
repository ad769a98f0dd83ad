// A compact index of a catalog for queries: packages, channels (with heads and entries) and bundles (version,
// image, install modes, webhooks, deprecation, sizes). Built once from the loaded catalog, small enough to cache.
import { byteOrder } from '../fbc/file-tree.js';
import type { Bundle, DeclarativeConfig } from '../fbc/types.js';
import { compareVersions, tryParseVersion } from '../semver/index.js';

export const INDEX_FORMAT = 2;

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

export interface CatalogIndex {
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

function supportedModes(modes: unknown): string[] | null {
  if (!Array.isArray(modes)) return null;
  return modes
    .filter((m): m is { type: string; supported: boolean } => typeof m === 'object' && m !== null && (m as { supported?: unknown }).supported === true)
    .map((m) => m.type)
    .sort(byteOrder);
}

const DEPENDENCY_TYPES = new Set(['olm.package.required', 'olm.gvk.required', 'olm.constraint']);

function describeBundle(b: Bundle): Pick<IndexedBundle, 'version' | 'installModes' | 'webhooks' | 'webhookTypes' | 'dependencies' | 'displayName'> {
  let version = '';
  let installModes: string[] | null = null;
  let webhooks: boolean | null = null;
  let webhookTypes: string[] | null = null;
  let displayName: string | null = null;
  const dependencies = new Set<string>();
  for (const p of b.properties ?? []) {
    const v = p.value as Record<string, unknown> | null;
    if (DEPENDENCY_TYPES.has(p.type)) dependencies.add(p.type);
    if (p.type === 'olm.package' && v && typeof v.version === 'string') version = v.version;
    if (p.type === 'olm.csv.metadata' && v) {
      installModes = supportedModes(v.installModes);
      if (typeof v.displayName === 'string') displayName = v.displayName;
    }
  }
  const csv = csvFromObjects(b);
  if (csv) {
    const spec = (csv.spec ?? {}) as { installModes?: unknown; webhookdefinitions?: unknown[]; displayName?: string };
    installModes ??= supportedModes(spec.installModes);
    webhooks = Array.isArray(spec.webhookdefinitions) && spec.webhookdefinitions.length > 0;
    webhookTypes = Array.isArray(spec.webhookdefinitions) ? spec.webhookdefinitions.map((h) => String((h as { type?: unknown } | null)?.type ?? '')).sort(byteOrder) : [];
    displayName ??= spec.displayName ?? null;
  }
  return { version, installModes, webhooks, webhookTypes, dependencies: [...dependencies].sort(byteOrder), displayName };
}

/** The channel head: the entry nothing replaces or skips (the first such, when the channel is invalid). */
export function channelHead(entries: { name: string; replaces?: string; skips?: string[] }[]): string | null {
  const incoming = new Set<string>();
  for (const e of entries) {
    if (e.replaces) incoming.add(e.replaces);
    for (const s of e.skips ?? []) incoming.add(s);
  }
  return entries.find((e) => !incoming.has(e.name))?.name ?? null;
}

export function buildCatalogIndex(config: DeclarativeConfig): CatalogIndex {
  const packages = new Map<string, IndexedPackage>();
  for (const p of config.packages) {
    if (packages.has(p.name)) continue;
    packages.set(p.name, { name: p.name, defaultChannel: p.defaultChannel, description: p.description ?? null, deprecated: null, channels: [], bundles: [] });
  }
  const bundleChannels = new Map<string, string[]>();
  for (const c of config.channels) {
    const pkg = packages.get(c.package);
    if (!pkg) continue;
    const entries = (c.entries ?? []).map((e) => ({
      name: e.name,
      ...(e.replaces ? { replaces: e.replaces } : {}),
      ...(e.skips?.length ? { skips: e.skips } : {}),
      ...(e.skipRange ? { skipRange: e.skipRange } : {}),
    }));
    pkg.channels.push({ name: c.name, head: channelHead(entries), entries, deprecated: null });
    for (const e of entries) {
      const key = `${c.package}\n${e.name}`;
      bundleChannels.set(key, [...(bundleChannels.get(key) ?? []), c.name]);
    }
  }
  for (const b of config.bundles) {
    const pkg = packages.get(b.package);
    if (!pkg) continue;
    pkg.bundles.push({
      name: b.name,
      image: b.image,
      ...describeBundle(b),
      deprecated: null,
      relatedImages: b.relatedImages?.length ?? 0,
      channels: (bundleChannels.get(`${b.package}\n${b.name}`) ?? []).sort(byteOrder),
    });
  }
  for (const d of config.deprecations) {
    const pkg = packages.get(d.package);
    if (!pkg) continue;
    for (const e of d.entries) {
      if (e.reference.schema === 'olm.package') pkg.deprecated = e.message;
      if (e.reference.schema === 'olm.channel') {
        const ch = pkg.channels.find((c) => c.name === e.reference.name);
        if (ch) ch.deprecated = e.message;
      }
      if (e.reference.schema === 'olm.bundle') {
        const b = pkg.bundles.find((x) => x.name === e.reference.name);
        if (b) b.deprecated = e.message;
      }
    }
  }
  const list = [...packages.values()].sort((a, b) => byteOrder(a.name, b.name));
  for (const p of list) {
    p.channels.sort((a, b) => byteOrder(a.name, b.name));
    p.bundles.sort((a, b) => compareBundleVersions(a, b) || byteOrder(a.name, b.name));
  }
  return { format: INDEX_FORMAT, packages: list };
}

/** Semver order where both parse, then by name; unparseable versions last. */
export function compareBundleVersions(a: { version: string }, b: { version: string }): number {
  const va = tryParseVersion(a.version);
  const vb = tryParseVersion(b.version);
  if (va && vb) return compareVersions(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return 0;
}
