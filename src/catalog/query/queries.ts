// The questions people ask of a catalog with jq today, as functions over the catalog index: packages,
// channels, bundles (with install-mode, webhook and deprecation filters), the versions in a channel.
import { GantryError } from '../../errors.js';
import { byteOrder } from '../../order.js';
import type { BundleFacts } from '../render/bundle-facts.js';
import type { QueryIndex, IndexedBundle, IndexedPackage } from './catalog-index.js';

export interface BundleFilter {
  package?: string;
  channel?: string;
  /** Keep bundles that support this install mode (AllNamespaces, OwnNamespace, SingleNamespace, MultiNamespace). */
  installMode?: string;
  /** Keep bundles known to define no webhooks; bundles whose catalog does not say are left out (and counted). */
  noWebhooks?: boolean;
  /** true: only deprecated; false: only not deprecated. */
  deprecated?: boolean;
  /** Keep bundles that OLM v1 would install (QueryOptions.olmV1 judges); bundles it cannot tell about are left out (and counted). */
  olmV1?: boolean;
}

export interface QueryOptions {
  /**
   * Facts read from bundle images, by image reference: they fill in what the catalog leaves out (olm.csv.metadata
   * carries no webhooks). What the catalog says wins.
   */
  bundleFacts?: ReadonlyMap<string, BundleFacts>;
  /** How OLM v1 judges a bundle; without it rows say null (unknown) and the olmV1 filter keeps nothing. */
  olmV1?: OlmV1Judge;
}

/**
 * Why OLM v1 would refuse a bundle ([] = it would install it), or null when it cannot tell. The rules are
 * install/check-olm-v1.ts, a floor above catalog/, so the caller passes them in: there is one reading of them.
 */
export type OlmV1Judge = (b: IndexedBundle) => string[] | null;

const NO_JUDGE: OlmV1Judge = () => null;

export interface PackageRow {
  package: string;
  defaultChannel: string;
  channels: number;
  bundles: number;
  /** Head of the default channel. */
  head: string | null;
  headVersion: string | null;
  deprecated: string | null;
}

export interface ChannelRow {
  package: string;
  channel: string;
  head: string | null;
  bundles: number;
  isDefault: boolean;
  deprecated: string | null;
}

export interface BundleRow {
  package: string;
  bundle: string;
  version: string;
  channels: string[];
  image: string;
  installModes: string[] | null;
  webhooks: boolean | null;
  /** Whether OLM v1 would install the bundle; null when unknown. */
  olmV1: boolean | null;
  /** Why OLM v1 would refuse it (empty when it would not, or when unknown). */
  olmV1Problems: string[];
  deprecated: string | null;
}

export interface QueryResult<T> {
  rows: T[];
  /** Rows left out because the catalog lacks the information a filter needs. */
  unknown: number;
  /** The bundle images that would tell what those rows lack (sorted, no duplicates, no empty references). */
  unknownImages: string[];
}

function packageOf(index: QueryIndex, name: string): IndexedPackage {
  const p = index.packages.find((x) => x.name === name);
  if (!p) {
    const close = index.packages.map((x) => x.name).filter((n) => n.includes(name) || name.includes(n)).slice(0, 5);
    throw new GantryError('NOT_FOUND', `package "${name}" is not in the catalog`, close.length ? { hint: `did you mean: ${close.join(', ')}` } : {});
  }
  return p;
}

/** The bundle with what the catalog does not say taken from its image's facts, when they were read. */
function supplement(b: IndexedBundle, o: QueryOptions): IndexedBundle {
  if (b.installModes !== null && b.webhookTypes !== null) return b;
  const facts = o.bundleFacts?.get(b.image);
  if (!facts) return b;
  return { ...b, installModes: b.installModes ?? facts.installModes, webhooks: b.webhooks ?? facts.webhooks.length > 0, webhookTypes: b.webhookTypes ?? facts.webhooks };
}

function imagesOf(bundles: IndexedBundle[]): string[] {
  return [...new Set(bundles.map((b) => b.image).filter((i) => i !== ''))].sort(byteOrder);
}

/** Bundle matches the filter: true, false, or null when the catalog cannot tell. */
function matches(b: IndexedBundle, f: BundleFilter, judge: OlmV1Judge): boolean | null {
  if (f.deprecated !== undefined && (b.deprecated !== null) !== f.deprecated) return false;
  if (f.installMode !== undefined) {
    if (b.installModes === null) return null;
    if (!b.installModes.some((m) => m.toLowerCase() === f.installMode!.toLowerCase())) return false;
  }
  if (f.noWebhooks) {
    if (b.webhooks === null) return null;
    if (b.webhooks) return false;
  }
  if (f.olmV1) {
    const problems = judge(b);
    if (problems === null) return null;
    if (problems.length > 0) return false;
  }
  return true;
}

function bundleRow(p: IndexedPackage, b: IndexedBundle, judge: OlmV1Judge): BundleRow {
  const problems = judge(b);
  return {
    package: p.name,
    bundle: b.name,
    version: b.version,
    channels: b.channels,
    image: b.image,
    installModes: b.installModes,
    webhooks: b.webhooks,
    olmV1: problems === null ? null : problems.length === 0,
    olmV1Problems: problems ?? [],
    deprecated: b.deprecated,
  };
}

export function listBundles(index: QueryIndex, f: BundleFilter = {}, o: QueryOptions = {}): QueryResult<BundleRow> {
  const rows: BundleRow[] = [];
  const unknowns: IndexedBundle[] = [];
  const pkgs = f.package ? [packageOf(index, f.package)] : index.packages;
  for (const p of pkgs) {
    if (f.channel && !p.channels.some((c) => c.name === f.channel)) {
      if (f.package) throw new GantryError('NOT_FOUND', `package "${p.name}" has no channel "${f.channel}"`, { hint: `channels: ${p.channels.map((c) => c.name).join(', ')}` });
      continue;
    }
    for (const indexed of p.bundles) {
      if (f.channel && !indexed.channels.includes(f.channel)) continue;
      const b = supplement(indexed, o);
      const m = matches(b, f, o.olmV1 ?? NO_JUDGE);
      if (m === null) unknowns.push(b);
      if (m) rows.push(bundleRow(p, b, o.olmV1 ?? NO_JUDGE));
    }
  }
  return { rows, unknown: unknowns.length, unknownImages: imagesOf(unknowns) };
}

/** A package matches when the head of its default channel does (what an install would pick). */
export function listPackages(index: QueryIndex, f: BundleFilter = {}, o: QueryOptions = {}): QueryResult<PackageRow> {
  const rows: PackageRow[] = [];
  let unknown = 0;
  const unknowns: IndexedBundle[] = [];
  for (const p of index.packages) {
    const def = p.channels.find((c) => c.name === p.defaultChannel);
    const indexedHead = def?.head ? p.bundles.find((b) => b.name === def.head) : undefined;
    const head = indexedHead && supplement(indexedHead, o);
    if (f.deprecated !== undefined && (p.deprecated !== null) !== f.deprecated) continue;
    if (f.installMode !== undefined || f.noWebhooks || f.olmV1) {
      const m = head ? matches(head, { ...f, deprecated: undefined }, o.olmV1 ?? NO_JUDGE) : null;
      if (m === null) unknown++;
      if (m === null && head) unknowns.push(head);
      if (!m) continue;
    }
    rows.push({
      package: p.name,
      defaultChannel: p.defaultChannel,
      channels: p.channels.length,
      bundles: p.bundles.length,
      head: def?.head ?? null,
      headVersion: head?.version ?? null,
      deprecated: p.deprecated,
    });
  }
  return { rows, unknown, unknownImages: imagesOf(unknowns) };
}

export function listChannels(index: QueryIndex, f: { package?: string; deprecated?: boolean } = {}): QueryResult<ChannelRow> {
  const pkgs = f.package ? [packageOf(index, f.package)] : index.packages;
  const rows: ChannelRow[] = [];
  for (const p of pkgs) {
    for (const c of p.channels) {
      if (f.deprecated !== undefined && (c.deprecated !== null) !== f.deprecated) continue;
      rows.push({ package: p.name, channel: c.name, head: c.head, bundles: c.entries.length, isDefault: c.name === p.defaultChannel, deprecated: c.deprecated });
    }
  }
  return { rows, unknown: 0, unknownImages: [] };
}

/** The versions in a channel, oldest first (semver order). */
export function channelVersions(index: QueryIndex, pkg: string, channel?: string, o: QueryOptions = {}): BundleRow[] {
  const p = packageOf(index, pkg);
  const ch = channel ?? p.defaultChannel;
  if (!p.channels.some((c) => c.name === ch)) {
    throw new GantryError('NOT_FOUND', `package "${pkg}" has no channel "${ch}"`, { hint: `channels: ${p.channels.map((c) => c.name).join(', ')}` });
  }
  return p.bundles.filter((b) => b.channels.includes(ch)).map((b) => bundleRow(p, b, o.olmV1 ?? NO_JUDGE));
}

export function showPackage(index: QueryIndex, pkg: string): IndexedPackage {
  return packageOf(index, pkg);
}
