// The questions people ask of a catalog with jq today, as functions over the catalog index: packages,
// channels, bundles (with install-mode, webhook and deprecation filters), the versions in a channel.
import { GantryError } from '../../errors.js';
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
}

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
  deprecated: string | null;
}

export interface QueryResult<T> {
  rows: T[];
  /** Rows left out because the catalog lacks the information a filter needs. */
  unknown: number;
}

function packageOf(index: QueryIndex, name: string): IndexedPackage {
  const p = index.packages.find((x) => x.name === name);
  if (!p) {
    const close = index.packages.map((x) => x.name).filter((n) => n.includes(name) || name.includes(n)).slice(0, 5);
    throw new GantryError('NOT_FOUND', `package "${name}" is not in the catalog`, close.length ? { hint: `did you mean: ${close.join(', ')}` } : {});
  }
  return p;
}

/** Bundle matches the filter: true, false, or null when the catalog cannot tell. */
function matches(b: IndexedBundle, f: BundleFilter): boolean | null {
  if (f.deprecated !== undefined && (b.deprecated !== null) !== f.deprecated) return false;
  if (f.installMode !== undefined) {
    if (b.installModes === null) return null;
    if (!b.installModes.some((m) => m.toLowerCase() === f.installMode!.toLowerCase())) return false;
  }
  if (f.noWebhooks) {
    if (b.webhooks === null) return null;
    if (b.webhooks) return false;
  }
  return true;
}

function bundleRow(p: IndexedPackage, b: IndexedBundle): BundleRow {
  return { package: p.name, bundle: b.name, version: b.version, channels: b.channels, image: b.image, installModes: b.installModes, webhooks: b.webhooks, deprecated: b.deprecated };
}

export function listBundles(index: QueryIndex, f: BundleFilter = {}): QueryResult<BundleRow> {
  const rows: BundleRow[] = [];
  let unknown = 0;
  const pkgs = f.package ? [packageOf(index, f.package)] : index.packages;
  for (const p of pkgs) {
    if (f.channel && !p.channels.some((c) => c.name === f.channel)) {
      if (f.package) throw new GantryError('NOT_FOUND', `package "${p.name}" has no channel "${f.channel}"`, { hint: `channels: ${p.channels.map((c) => c.name).join(', ')}` });
      continue;
    }
    for (const b of p.bundles) {
      if (f.channel && !b.channels.includes(f.channel)) continue;
      const m = matches(b, f);
      if (m === null) unknown++;
      if (m) rows.push(bundleRow(p, b));
    }
  }
  return { rows, unknown };
}

/** A package matches when the head of its default channel does (what an install would pick). */
export function listPackages(index: QueryIndex, f: BundleFilter = {}): QueryResult<PackageRow> {
  const rows: PackageRow[] = [];
  let unknown = 0;
  for (const p of index.packages) {
    const def = p.channels.find((c) => c.name === p.defaultChannel);
    const head = def?.head ? p.bundles.find((b) => b.name === def.head) : undefined;
    if (f.deprecated !== undefined && (p.deprecated !== null) !== f.deprecated) continue;
    if (f.installMode !== undefined || f.noWebhooks) {
      const m = head ? matches(head, { ...f, deprecated: undefined }) : null;
      if (m === null) unknown++;
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
  return { rows, unknown };
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
  return { rows, unknown: 0 };
}

/** The versions in a channel, oldest first (semver order). */
export function channelVersions(index: QueryIndex, pkg: string, channel?: string): BundleRow[] {
  const p = packageOf(index, pkg);
  const ch = channel ?? p.defaultChannel;
  if (!p.channels.some((c) => c.name === ch)) {
    throw new GantryError('NOT_FOUND', `package "${pkg}" has no channel "${ch}"`, { hint: `channels: ${p.channels.map((c) => c.name).join(', ')}` });
  }
  return p.bundles.filter((b) => b.channels.includes(ch)).map((b) => bundleRow(p, b));
}

export function showPackage(index: QueryIndex, pkg: string): IndexedPackage {
  return packageOf(index, pkg);
}
