// The answers of opm's api.Registry (OR:pkg/cache/pkgs.go, json.go; reference §4.4) over gantry's catalog model,
// without sockets: each RPC is a method returning plain objects or throwing RegistryError with opm's text.
import { byteOrder } from '../../order.js';
import type { CatalogModel, ModelChannel, ModelPackage } from '../../catalog/model/catalog-model.js';
import { bundleCsv, bundleFacts, toApiBundle, type ApiBundle, type ApiDeprecation, type BundleFacts } from './api-bundle.js';

/** An RPC failure: opm returns plain Go errors, so clients see status UNKNOWN with this text. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

export interface ApiChannel {
  name: string;
  csvName: string;
  deprecation?: ApiDeprecation;
}

export interface ApiPackage {
  name: string;
  channels: ApiChannel[];
  defaultChannelName: string;
  deprecation?: ApiDeprecation;
}

export interface ApiChannelEntry {
  packageName: string;
  channelName: string;
  bundleName: string;
  replaces: string;
}

export interface GvkRequest {
  group?: string;
  version?: string;
  kind?: string;
}

export interface RegistryAnswers {
  listPackages(): string[];
  getPackage(name: string): ApiPackage;
  getBundle(pkgName: string, channelName: string, csvName: string): ApiBundle;
  getBundleForChannel(pkgName: string, channelName: string): ApiBundle;
  getChannelEntriesThatReplace(csvName: string): ApiChannelEntry[];
  getBundleThatReplaces(csvName: string, pkgName: string, channelName: string): ApiBundle;
  getChannelEntriesThatProvide(req: GvkRequest): ApiChannelEntry[];
  getLatestChannelEntriesThatProvide(req: GvkRequest): ApiChannelEntry[];
  getDefaultBundleThatProvides(req: GvkRequest): ApiBundle;
  /** Every (channel, bundle) pair; csvJson and object left empty where the bundle has an image, as opm does. */
  listBundles(): Iterable<ApiBundle>;
}

const q = (s: string) => JSON.stringify(s);

/**
 * Builds the answers for one catalog. Orders are deterministic where opm's are Go map order: packages,
 * channels and bundles in byte order. Per-bundle facts are computed on first use and kept.
 */
export function createRegistryAnswers(model: CatalogModel): RegistryAnswers {
  const packages = [...model.packages.values()].sort((a, b) => byteOrder(a.pkg.name, b.pkg.name));
  const channelsOf = (p: ModelPackage) => [...p.channels.values()].sort((a, b) => byteOrder(a.channel.name, b.channel.name));
  const entriesOf = (c: ModelChannel) => [...c.entries.values()].filter((e) => e.name !== '').sort((a, b) => byteOrder(a.name, b.name));
  const sortedChannels = new Map(packages.map((p) => [p.pkg.name, channelsOf(p)]));
  const sortedEntries = new Map<ModelChannel, ReturnType<typeof entriesOf>>();
  const entries = (c: ModelChannel) => {
    let list = sortedEntries.get(c);
    if (!list) sortedEntries.set(c, (list = entriesOf(c)));
    return list;
  };

  const facts = new Map<string, BundleFacts>();
  const factsOf = (p: ModelPackage, name: string): BundleFacts | undefined => {
    const key = `${p.pkg.name}\u0000${name}`;
    let f = facts.get(key);
    if (!f) {
      const b = p.bundles.get(name);
      if (!b) return undefined;
      facts.set(key, (f = bundleFacts(b)));
    }
    return f;
  };
  const provides = (p: ModelPackage, name: string, g: GvkRequest) =>
    factsOf(p, name)?.providedApis.some((a) => a.group === (g.group ?? '') && a.version === (g.version ?? '') && a.kind === (g.kind ?? '')) ?? false;

  const apiBundle = (p: ModelPackage, c: ModelChannel, name: string, withCsv: boolean): ApiBundle | undefined => {
    const bundle = p.bundles.get(name);
    const entry = c.entries.get(name);
    const f = factsOf(p, name);
    if (!bundle || !entry || !f) return undefined;
    const deprecation = p.deprecatedBundles.get(name);
    return toApiBundle({
      bundle,
      entry,
      channel: c.channel.name,
      facts: f,
      ...(withCsv ? { csv: bundleCsv(bundle, p.pkg, f) } : {}),
      ...(deprecation !== undefined ? { deprecation } : {}),
    });
  };

  const lookup = (pkgName: string, channelName: string) => {
    const p = model.packages.get(pkgName);
    if (!p) throw new RegistryError(`package ${q(pkgName)} not found`);
    const c = p.channels.get(channelName);
    if (!c) throw new RegistryError(`package ${q(pkgName)}, channel ${q(channelName)} not found`);
    return { p, c };
  };

  const getBundle = (pkgName: string, channelName: string, csvName: string): ApiBundle => {
    const { p, c } = lookup(pkgName, channelName);
    const b = c.entries.has(csvName) ? apiBundle(p, c, csvName, true) : undefined;
    if (!b) throw new RegistryError(`package ${q(pkgName)}, channel ${q(channelName)}, bundle ${q(csvName)} not found`);
    // opm clears these: the SQLite-era query never filled them for single-bundle answers.
    return { ...b, replaces: '', skips: [] };
  };

  const skipsOf = (e: { replaces?: string; skips?: string[] }) => (e.skips ?? []).filter((s) => s !== (e.replaces ?? ''));

  /** One entry for the bundle, plus one per skip that is not its replaces (the skipped name in `replaces`). */
  const entriesForBundle = (p: ModelPackage, c: ModelChannel, e: { name: string; replaces?: string; skips?: string[] }, anyChannel: boolean): ApiChannelEntry[] => {
    const base = { packageName: p.pkg.name, channelName: c.channel.name, bundleName: e.name };
    const out: ApiChannelEntry[] = [{ ...base, replaces: e.replaces ?? '' }];
    for (const s of skipsOf(e)) if (anyChannel || c.entries.has(s)) out.push({ ...base, replaces: s });
    return out;
  };

  const gvkText = (g: GvkRequest) => `group:${q(g.group ?? '')} version:${q(g.version ?? '')} kind:${q(g.kind ?? '')}`;

  const latestThatProvide = (g: GvkRequest): ApiChannelEntry[] => {
    const out: ApiChannelEntry[] = [];
    for (const p of packages) {
      for (const c of sortedChannels.get(p.pkg.name)!) {
        const head = c.head !== undefined ? c.entries.get(c.head) : undefined;
        if (head && provides(p, head.name, g)) out.push(...entriesForBundle(p, c, head, false));
      }
    }
    if (out.length === 0) throw new RegistryError(`no channel entries found that provide ${gvkText(g)}`);
    return out;
  };

  return {
    listPackages: () => packages.map((p) => p.pkg.name),

    getPackage(name) {
      const p = model.packages.get(name);
      if (!p) throw new RegistryError(`package ${q(name)} not found`);
      return {
        name: p.pkg.name,
        channels: sortedChannels.get(name)!.map((c) => ({
          name: c.channel.name,
          csvName: c.head ?? '',
          ...(c.deprecated !== undefined ? { deprecation: { message: c.deprecated } } : {}),
        })),
        defaultChannelName: p.pkg.defaultChannel,
        ...(p.deprecated !== undefined ? { deprecation: { message: p.deprecated } } : {}),
      };
    },

    getBundle,

    getBundleForChannel(pkgName, channelName) {
      const { c } = lookup(pkgName, channelName);
      return getBundle(pkgName, channelName, c.head ?? '');
    },

    getChannelEntriesThatReplace(csvName) {
      const out: ApiChannelEntry[] = [];
      for (const p of packages) {
        for (const c of sortedChannels.get(p.pkg.name)!) {
          for (const e of entries(c)) {
            const base = { packageName: p.pkg.name, channelName: c.channel.name, bundleName: e.name, replaces: e.replaces ?? '' };
            // A skip match keeps the bundle's own replaces here, unlike the provide queries.
            if ((e.replaces ?? '') === csvName) out.push(base);
            for (const s of skipsOf(e)) if (s === csvName) out.push(base);
          }
        }
      }
      if (out.length === 0) throw new RegistryError(`no channel entries found that replace ${csvName}`);
      return out;
    },

    getBundleThatReplaces(csvName, pkgName, channelName) {
      const p = model.packages.get(pkgName);
      // The one unquoted name among opm's errors.
      if (!p) throw new RegistryError(`package ${pkgName} not found`);
      const c = p.channels.get(channelName);
      if (!c) throw new RegistryError(`package ${q(pkgName)}, channel ${q(channelName)} not found`);
      // opm picks any of several (Go map order); gantry the first in byte order, so answers repeat.
      const e = entries(c).find((x) => (x.replaces ?? '') === csvName || (x.skips ?? []).includes(csvName));
      if (!e) throw new RegistryError(`no entry found for package ${q(pkgName)}, channel ${q(channelName)}`);
      return getBundle(pkgName, channelName, e.name);
    },

    getChannelEntriesThatProvide(g) {
      const out: ApiChannelEntry[] = [];
      for (const p of packages) {
        for (const c of sortedChannels.get(p.pkg.name)!) {
          for (const e of entries(c)) if (provides(p, e.name, g)) out.push(...entriesForBundle(p, c, e, true));
        }
      }
      if (out.length === 0) throw new RegistryError(`no channel entries found that provide ${gvkText(g)}`);
      return out;
    },

    getLatestChannelEntriesThatProvide: latestThatProvide,

    getDefaultBundleThatProvides(g) {
      // The "latest" error passes through when no head provides the GVK at all.
      for (const e of latestThatProvide(g)) {
        if (e.channelName === model.packages.get(e.packageName)?.pkg.defaultChannel) return getBundle(e.packageName, e.channelName, e.bundleName);
      }
      throw new RegistryError(`no entry found that provides ${gvkText(g)}`);
    },

    *listBundles() {
      for (const p of packages) {
        for (const c of sortedChannels.get(p.pkg.name)!) {
          for (const e of entries(c)) {
            const bundle = p.bundles.get(e.name);
            const b = apiBundle(p, c, e.name, bundle !== undefined && bundle.image === '');
            if (b) yield b;
          }
        }
      }
    },
  };
}
