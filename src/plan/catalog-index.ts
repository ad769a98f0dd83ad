// The lookups selection needs over a loaded catalog: packages, channels and bundles by name, each bundle's
// version and the GVKs it provides, built once so every later step is a map read.
import { byteOrder } from '../catalog/fbc/file-tree.js';
import type { Bundle, Channel, DeclarativeConfig, Package } from '../catalog/fbc/types.js';
import { decodeGvk, decodePackageProperty } from '../catalog/model/properties.js';
import { compareVersions, tryParseVersion, type Version } from '../catalog/semver/index.js';
import { buildChannelGraph, findHeads, type ChannelGraph } from './channel-graph.js';

export interface PackageIndex {
  pkg: Package;
  /** Channels by name (the first of duplicated names). */
  channels: Map<string, Channel>;
  graphs: Map<string, ChannelGraph>;
  bundles: Map<string, Bundle>;
  /** Bundles whose olm.package version blang parses strictly. */
  versions: Map<string, Version>;
}

export interface CatalogIndex {
  packages: Map<string, PackageIndex>;
  /** "group/version/kind" → providing bundles as [package, bundle], byte order. */
  gvkProviders: Map<string, [string, string][]>;
}

export function gvkKey(g: { group: string; version: string; kind: string }): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

export function indexCatalog(catalog: DeclarativeConfig): CatalogIndex {
  const packages = new Map<string, PackageIndex>();
  for (const pkg of catalog.packages) {
    if (!packages.has(pkg.name)) packages.set(pkg.name, { pkg, channels: new Map(), graphs: new Map(), bundles: new Map(), versions: new Map() });
  }
  for (const ch of catalog.channels) {
    const p = packages.get(ch.package);
    if (!p || p.channels.has(ch.name)) continue;
    p.channels.set(ch.name, ch);
    p.graphs.set(ch.name, buildChannelGraph(ch.entries ?? []));
  }
  const gvkProviders = new Map<string, [string, string][]>();
  for (const b of catalog.bundles) {
    const p = packages.get(b.package);
    if (!p || p.bundles.has(b.name)) continue;
    p.bundles.set(b.name, b);
    for (const prop of b.properties ?? []) {
      try {
        if (prop.type === 'olm.package') {
          const v = tryParseVersion(decodePackageProperty(prop.value).version);
          if (v) p.versions.set(b.name, v);
        } else if (prop.type === 'olm.gvk') {
          const key = gvkKey(decodeGvk(prop.value));
          gvkProviders.set(key, [...(gvkProviders.get(key) ?? []), [b.package, b.name]]);
        }
      } catch {
        // A property that does not decode provides nothing; validateCatalog reports it.
      }
    }
  }
  for (const list of gvkProviders.values()) list.sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]));
  return { packages, gvkProviders };
}

/**
 * The channel's head as selection uses it: opm's single head; when a broken channel has several, the one
 * with the highest version (then byte order), so the choice is still predictable.
 */
export function channelHead(p: PackageIndex, channel: string): { head?: string; heads: string[] } {
  const graph = p.graphs.get(channel);
  if (!graph) return { heads: [] };
  const heads = findHeads(graph.entries.values());
  const ranked = [...heads].sort((a, b) => {
    const va = p.versions.get(a);
    const vb = p.versions.get(b);
    if (va && vb) {
      const c = compareVersionsDesc(va, vb);
      if (c !== 0) return c;
    } else if (va || vb) return va ? -1 : 1;
    return byteOrder(a, b);
  });
  return ranked.length > 0 ? { head: ranked[0]!, heads } : { heads };
}

function compareVersionsDesc(a: Version, b: Version): number {
  return -compareVersions(a, b);
}
