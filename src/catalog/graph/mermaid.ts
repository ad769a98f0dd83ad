// The upgrade graph of a catalog as Mermaid text, byte for byte what `opm alpha render-graph` prints
// (OR:alpha/declcfg/write.go MermaidWriter.WriteChannels, filterChannel, getBundleVersions, getMinEdgePackage).
import { byteOrder } from '../../order.js';
import type { Channel, ChannelEntry, DeclarativeConfig } from '../fbc/types.js';
import { compareVersions, parseRange, quoteGoString, type Version, type VersionRange } from '../../semver/index.js';
import { BundleVersionError, readBundlePackage } from './bundle-version.js';
import { GraphError } from './graph-error.js';
import { sortSliceGo, type XorshiftVariant } from './go-sort.js';

export interface MermaidOptions {
  /** Draw only these packages (`-p/--package-name`; opm takes one). Absent or empty: every package. */
  packages?: string[];
  /**
   * `--minimum-edge`: a bundle name used as the floor of the graph. Edges from bundles below it are dropped,
   * and only the package whose channel holds it (the first such channel by name) is drawn.
   */
  minimumEdge?: string;
  /**
   * `--draw-v0-semantics`: mark bundles that a newer entry skips (class `skipped`) and the links into them.
   * `opm alpha render-graph` defaults to false; `opm alpha render-template -o mermaid` draws with true.
   */
  drawV0Semantics?: boolean;
  /** Receives opm's warning for each invalid skipRange (opm prints it on stderr and draws on). */
  onWarning?: (message: string) => void;
  /**
   * Which Go's sort.Slice to mimic where equal keys meet (same-named channels of different packages, entries of
   * equal version): 'go1.24' (opm v1.73, built with Go 1.26; the default) or 'go1.19' (opm built with Go ≤ 1.23).
   */
  goSortVariant?: XorshiftVariant;
}

const ZERO_VERSION: Version = { major: 0, minor: 0, patch: 0, pre: [], build: [] };

const DECORATION_CLASSES = ['deprecated', 'deprecatedskipped', 'skipped'] as const;
type Decoration = (typeof DECORATION_CLASSES)[number];

/** What a channel entry keeps after the filters: a copy, so that the caller's config is never changed. */
interface DrawnChannel {
  name: string;
  package: string;
  entries: ChannelEntry[];
}

/**
 * Renders the channels of `config` as a Mermaid flowchart. Throws GraphError (with opm's message) when a
 * bundle has no valid version or the minimum edge is unknown.
 */
export function renderMermaidGraph(config: DeclarativeConfig, opts: MermaidOptions = {}): string {
  const minimumEdge = opts.minimumEdge ?? '';
  const packageFilter = new Set(opts.packages ?? []);
  const drawV0 = opts.drawV0Semantics ?? false;
  const warn = opts.onWarning ?? (() => undefined);

  // opm sorts with sort.Slice, which is not stable: same-named channels of different packages keep Go's order.
  const variant = opts.goSortVariant ?? 'go1.24';
  const channels = sortSliceGo([...config.channels], (a, b) => byteOrder(a.name, b.name) < 0, variant);
  const versions = bundleVersions(config);
  // A name without a bundle reads as version 0.0.0 (Go's zero value from a map miss).
  const versionOf = (name: string): Version => versions.get(name) ?? ZERO_VERSION;

  let minVersion = ZERO_VERSION;
  if (minimumEdge !== '') {
    const v = versions.get(minimumEdge);
    if (v === undefined) throw new GraphError('GRAPH_MINIMUM_EDGE_UNKNOWN', `unknown minimum edge name: ${quoteGoString(minimumEdge)}`);
    minVersion = v;
  }
  const minEdgePackage = minimumEdge === '' ? '' : (channels.find((c) => (c.entries ?? []).some((e) => e.name === minimumEdge))?.package ?? '');

  // Deprecations are matched by name only, across packages, as opm does.
  const deprecatedPackages = new Set<string>();
  const deprecatedChannels = new Set<string>();
  const deprecatedBundles = new Set<string>();
  for (const d of config.deprecations) {
    for (const e of d.entries) {
      if (e.reference.schema === 'olm.package') deprecatedPackages.add(d.package);
      else if (e.reference.schema === 'olm.channel') deprecatedChannels.add(e.reference.name ?? '');
      else if (e.reference.schema === 'olm.bundle') deprecatedBundles.add(e.reference.name ?? '');
    }
  }

  const filter: ChannelFilter = { minimumEdge, packageFilter, minVersion, minEdgePackage, versionOf };
  const byPackage = new Map<string, string[]>();
  let deprecatedPackage = '';
  const deprecatedChannelIds: string[] = [];
  const decorated: Record<Decoration, string[]> = { deprecated: [], deprecatedskipped: [], skipped: [] };
  let linkId = 0;
  const skippedLinkIds: string[] = [];

  for (const c of channels) {
    const drawn = filterChannel(c, filter);
    if (drawn === undefined) continue;
    let out = byPackage.get(c.package);
    if (out === undefined) byPackage.set(c.package, (out = []));

    const channelId = `${drawn.package}-${drawn.name}`;
    out.push(`    %% channel ${quoteGoString(drawn.name)}`);
    out.push(`    subgraph ${channelId}[${quoteGoString(drawn.name)}]`);
    if (deprecatedPackages.has(drawn.package)) deprecatedPackage = drawn.package;
    if (deprecatedChannels.has(drawn.name)) deprecatedChannelIds.push(channelId);

    // Newest first; entries of equal version stay where Go's unstable sort puts them.
    const sorted = sortSliceGo([...drawn.entries], (a, b) => compareVersions(versionOf(a.name), versionOf(b.name)) > 0, variant);
    const skipped = new Set<string>();
    // The skip target is remembered on first sight; a second edge into it, or any edge out of it, is a
    // "skipped" link (v0 semantics: OLM never upgrades from a bundle that something newer skips).
    const noteNewSkip = (target: string, id: number) => {
      if (!drawV0) return;
      if (skipped.has(target)) skippedLinkIds.push(String(id));
      else skipped.add(target);
    };
    const noteExisting = (target: string, id: number) => {
      if (drawV0 && skipped.has(target)) skippedLinkIds.push(String(id));
    };

    for (const ce of sorted) {
      const entryId = `${channelId}-${ce.name}`;
      const node = `${entryId}[${quoteGoString(ce.name)}]`;
      out.push(`      ${node}`);
      // Mermaid takes one class per node, so the combination is a class of its own.
      const isDeprecated = deprecatedBundles.has(ce.name);
      const isSkipped = skipped.has(ce.name);
      if (isDeprecated && isSkipped) decorated.deprecatedskipped.push(entryId);
      else if (isDeprecated) decorated.deprecated.push(entryId);
      else if (isSkipped) decorated.skipped.push(entryId);

      for (const s of ce.skips ?? []) {
        out.push(`      ${channelId}-${s}[${quoteGoString(s)}]-- skip --> ${node}`);
        noteNewSkip(s, linkId);
        linkId++;
      }
      if (ce.skipRange) {
        const range = compileSkipRange(ce.skipRange, (reason) =>
          warn(`warning: ignoring invalid SkipRange for package/edge ${quoteGoString(c.package)}/${quoteGoString(ce.name)}: ${reason}`),
        );
        if (range !== undefined) {
          // The range is tested against the channel's entries in their original order.
          for (const other of drawn.entries) {
            if (!range(versionOf(other.name))) continue;
            out.push(`      ${channelId}-${other.name}[${quoteGoString(other.name)}]-- "skipRange(${ce.skipRange})" --> ${node}`);
            noteExisting(ce.name, linkId);
            linkId++;
          }
        }
      }
      // Replaces last: whether it is a skipped link depends on the skips above.
      if (ce.replaces) {
        out.push(`      ${channelId}-${ce.replaces}[${quoteGoString(ce.replaces)}]-- replace --> ${node}`);
        noteExisting(ce.name, linkId);
        linkId++;
      }
    }
    out.push('    end');
  }

  const lines = [
    'graph LR',
    '  classDef deprecated fill:#E8960F',
    '  classDef skipped stroke:#FF0000,stroke-width:4px',
    '  classDef deprecatedskipped fill:#E8960F,stroke:#FF0000,stroke-width:4px',
  ];
  for (const pkg of [...byPackage.keys()].sort(byteOrder)) {
    lines.push(`  %% package ${quoteGoString(pkg)}`, `  subgraph ${quoteGoString(pkg)}`, ...byPackage.get(pkg)!, '  end');
  }
  // Only one package is ever styled: opm keeps a single name, the last deprecated package drawn.
  if (deprecatedPackage !== '') lines.push(`style ${deprecatedPackage} fill:#989695`);
  for (const id of deprecatedChannelIds) lines.push(`style ${id} fill:#DCD0FF`);
  for (const cls of DECORATION_CLASSES) {
    const ids = decorated[cls];
    if (ids.length > 0) lines.push(`class ${[...ids].sort(byteOrder).join(',')} ${cls}`);
  }
  if (skippedLinkIds.length > 0) lines.push(`linkStyle ${skippedLinkIds.join(',')} stroke:#FF0000,stroke-width:3px,stroke-dasharray:5;`);
  return lines.join('\n') + '\n';
}

/** opm's getBundleVersions: the first bundle of each name decides, and any bad bundle fails the graph. */
function bundleVersions(config: DeclarativeConfig): Map<string, Version> {
  const out = new Map<string, Version>();
  for (const b of config.bundles) {
    if (out.has(b.name)) continue;
    try {
      out.set(b.name, readBundlePackage(b).version);
    } catch (err) {
      if (err instanceof BundleVersionError) throw new GraphError('GRAPH_BUNDLE_VERSION_INVALID', err.message, { bundle: b.name, cause: err });
      throw err;
    }
  }
  return out;
}

/**
 * A skipRange as blang reads it; undefined (after a warning) when it does not parse. A range with an empty
 * alternative (`a || || b`) makes opm panic when evaluated; here it is reported and ignored instead.
 */
function compileSkipRange(text: string, onInvalid: (reason: string) => void): VersionRange | undefined {
  let range: VersionRange;
  try {
    range = parseRange(text);
  } catch (err) {
    onInvalid((err as Error).message);
    return undefined;
  }
  let failed = false;
  return (v) => {
    if (failed) return false;
    try {
      return range(v);
    } catch (err) {
      failed = true;
      onInvalid((err as Error).message);
      return false;
    }
  };
}

interface ChannelFilter {
  minimumEdge: string;
  packageFilter: Set<string>;
  minVersion: Version;
  minEdgePackage: string;
  versionOf: (name: string) => Version;
}

const atLeast = (v: Version, floor: Version) => compareVersions(v, floor) >= 0;

/** opm's filterChannel: the channel as drawn, or undefined when the filters leave nothing of it. */
function filterChannel(c: Channel, f: ChannelFilter): DrawnChannel | undefined {
  const entries = c.entries ?? [];
  // Without filters the channel is drawn as is, even when it has no entries at all.
  if (f.minimumEdge === '' && f.packageFilter.size === 0) return { name: c.name, package: c.package, entries };
  if (f.packageFilter.size > 0 && !f.packageFilter.has(c.package)) return undefined;
  if (f.minEdgePackage !== '' && c.package !== f.minEdgePackage) return undefined;

  const out: ChannelEntry[] = [];
  for (const ce of entries) {
    const hadEdges = Boolean(ce.replaces) || (ce.skips?.length ?? 0) > 0 || Boolean(ce.skipRange);
    if (f.minimumEdge === '') {
      out.push(copyEdges(ce));
      continue;
    }
    // The floor itself is drawn without its edges: every edge points backwards, below the floor.
    if (ce.name === f.minimumEdge) {
      out.push({ name: ce.name });
      continue;
    }
    const kept: ChannelEntry = { name: ce.name };
    if (ce.replaces && atLeast(f.versionOf(ce.replaces), f.minVersion)) kept.replaces = ce.replaces;
    const skips = (ce.skips ?? []).filter((s) => atLeast(f.versionOf(s), f.minVersion));
    if (skips.length > 0) kept.skips = skips;
    // A skipRange stays when it covers the floor; one that does not parse is not used to filter.
    if (ce.skipRange && rangeCovers(ce.skipRange, f.minVersion)) kept.skipRange = ce.skipRange;
    if (kept.replaces || kept.skips || kept.skipRange) out.push(kept);
    else if (!hadEdges && atLeast(f.versionOf(ce.name), f.minVersion)) out.push(kept);
  }
  return out.length > 0 ? { name: c.name, package: c.package, entries: out } : undefined;
}

function copyEdges(ce: ChannelEntry): ChannelEntry {
  const e: ChannelEntry = { name: ce.name };
  if (ce.replaces) e.replaces = ce.replaces;
  if (ce.skips && ce.skips.length > 0) e.skips = [...ce.skips];
  if (ce.skipRange) e.skipRange = ce.skipRange;
  return e;
}

function rangeCovers(text: string, v: Version): boolean {
  try {
    return parseRange(text)(v);
  } catch {
    return false;
  }
}
