// The catalog model: package → channel → bundle with heads, upgrade edges, versions, GVK providers and
// deprecations, built once from the declarative config. Pure; query, graph, selection and validate read it.
import { byteOrder } from '../fbc/file-tree.js';
import type { Bundle, Channel, ChannelEntry, DeclarativeConfig, Package } from '../fbc/types.js';
import { tryParseVersion, type Version } from '../semver/index.js';
import { chooseChannelHead } from './channel-head.js';
import { decodeGvk, decodePackageProperty } from './properties.js';

/** One channel's upgrade graph (replaces and skips; skipRange is kept on the entries but adds no edge here). */
export interface ChannelGraph {
  /** Entries by name; the first of duplicated names wins, as in opm's model. */
  entries: Map<string, ChannelEntry>;
  /** name → the entries that replace or skip it (the bundles it upgrades to in one step), byte order. */
  parents: Map<string, string[]>;
}

export interface ModelChannel extends ChannelGraph {
  /** The channel blob as written (the first of duplicated names). */
  channel: Channel;
  /** The head by the one rule (channel-head.ts); undefined only when every entry is replaced or skipped. */
  head?: string;
  /** opm's head candidates, byte order; more than one means opm would refuse the channel. */
  heads: string[];
  /** The deprecation message of the channel, if any. */
  deprecated?: string;
}

export interface ModelPackage {
  pkg: Package;
  /** Channels by name (the first of duplicated names), in the catalog's order. */
  channels: Map<string, ModelChannel>;
  /** Bundles by name (the first of duplicated names). */
  bundles: Map<string, Bundle>;
  /** Bundles whose olm.package version blang parses strictly. */
  versions: Map<string, Version>;
  deprecated?: string;
  /** Deprecated bundles → message. */
  deprecatedBundles: Map<string, string>;
}

export interface CatalogModel {
  packages: Map<string, ModelPackage>;
  /** "group/version/kind" → providing bundles as [package, bundle], byte order (indexed on first use). */
  readonly gvkProviders: Map<string, [string, string][]>;
}

export function gvkKey(g: { group: string; version: string; kind: string }): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

/** The version text of a bundle's olm.package property ('' when it has none that decodes). */
export function bundleVersionText(b: Bundle): string {
  let version = '';
  for (const prop of b.properties ?? []) {
    if (prop.type !== 'olm.package') continue;
    try {
      version = decodePackageProperty(prop.value).version;
    } catch {
      // A property that does not decode gives no version; validateCatalog reports it.
    }
  }
  return version;
}

export function buildChannelGraph(entries: readonly ChannelEntry[]): ChannelGraph {
  const byName = new Map<string, ChannelEntry>();
  for (const e of entries) if (!byName.has(e.name)) byName.set(e.name, e);
  const parents = new Map<string, string[]>();
  const link = (child: string, parent: string) => {
    if (!byName.has(child) || child === parent) return;
    const list = parents.get(child) ?? [];
    if (!list.includes(parent)) list.push(parent);
    parents.set(child, list);
  };
  for (const e of byName.values()) {
    if (e.replaces) link(e.replaces, e.name);
    for (const s of e.skips ?? []) link(s, e.name);
  }
  for (const list of parents.values()) list.sort(byteOrder);
  return { entries: byName, parents };
}

/**
 * Builds the model. Blobs that opm rejects outright (no name, unknown package, a duplicate name: the first one
 * wins) are left out; validateCatalog says what is wrong with them.
 */
export function buildCatalogModel(config: DeclarativeConfig): CatalogModel {
  const packages = new Map<string, ModelPackage>();
  for (const pkg of config.packages) {
    if (pkg.name !== '' && !packages.has(pkg.name)) packages.set(pkg.name, { pkg, channels: new Map(), bundles: new Map(), versions: new Map(), deprecatedBundles: new Map() });
  }
  for (const b of config.bundles) {
    const p = packages.get(b.package);
    if (!p || p.bundles.has(b.name)) continue;
    p.bundles.set(b.name, b);
    const v = tryParseVersion(bundleVersionText(b));
    if (v) p.versions.set(b.name, v);
  }
  for (const ch of config.channels) {
    const p = packages.get(ch.package);
    if (!p || ch.name === '' || p.channels.has(ch.name)) continue;
    const graph = buildChannelGraph(ch.entries ?? []);
    p.channels.set(ch.name, { channel: ch, ...graph, ...chooseChannelHead(graph.entries.values(), (n) => p.versions.get(n)) });
  }
  for (const d of config.deprecations) {
    const p = packages.get(d.package);
    if (!p) continue;
    for (const e of d.entries) {
      const name = e.reference.name ?? '';
      if (e.reference.schema === 'olm.package') p.deprecated = e.message;
      else if (e.reference.schema === 'olm.channel') {
        const ch = p.channels.get(name);
        if (ch) ch.deprecated = e.message;
      } else if (e.reference.schema === 'olm.bundle' && p.bundles.has(name)) p.deprecatedBundles.set(name, e.message);
    }
  }
  // Only dependency resolution asks for providers: validate and queries do not pay for decoding every GVK.
  let gvkProviders: Map<string, [string, string][]> | undefined;
  return {
    packages,
    get gvkProviders() {
      return (gvkProviders ??= indexProviders(packages));
    },
  };
}

function indexProviders(packages: Map<string, ModelPackage>): Map<string, [string, string][]> {
  const providers = new Map<string, [string, string][]>();
  for (const p of packages.values()) {
    for (const b of p.bundles.values()) {
      for (const prop of b.properties ?? []) {
        if (prop.type !== 'olm.gvk') continue;
        try {
          const key = gvkKey(decodeGvk(prop.value));
          const list = providers.get(key);
          if (list) list.push([b.package, b.name]);
          else providers.set(key, [[b.package, b.name]]);
        } catch {
          // A property that does not decode provides nothing; validateCatalog reports it.
        }
      }
    }
  }
  for (const list of providers.values()) list.sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]));
  return providers;
}
