// Which releases an ImageSetConfiguration's `platform` selects from the update graphs, as oc-mirror v2 selects
// them (reference §3.4, internal/pkg/release/cincinnati.go): head-only, ranges, full, shortest paths, cross-channel.
import { GantryError } from '../errors.js';
import type { ReleaseChannel, ReleasePlatform } from '../config/config-types.js';
import { compareVersions, formatVersion, tryParseVersion, type Version } from '../semver/index.js';
import { shortestPath } from './shortest-path.js';
import { channelHead, findNode, mergeGraphs, type ReleaseNode, type UpdateEdge, type UpdateGraph, type UpdateRisk } from './update-graph.js';

export type ReleaseType = 'ocp' | 'okd';

/** One graph the selection needs. Optional graphs (intermediate channels of a cross-channel path) may be missing. */
export interface GraphRequest {
  type: ReleaseType;
  channel: string;
  arch: string;
  optional: boolean;
}

/** The graphs read for a selection, by graphKey. */
export type GraphSet = ReadonlyMap<string, UpdateGraph>;

export interface SelectedRelease {
  /** Absent only for `platform.release`, whose version is read from the image by a later step. */
  version?: string;
  /** The release image: by digest from the graph, or as written in `platform.release`. */
  payload: string;
  channel?: string;
  arch?: string;
  reason: 'head' | 'range' | 'path' | 'release';
  /** For a release reached on a shortest path: the update that reaches it. */
  edge?: { from: string; to: string; conditional: boolean; risks: UpdateRisk[] };
}

export interface SelectionWarning {
  code: 'EUS_SPAN' | 'RELEASE_BOUND_NOT_IN_CHANNEL' | 'RELEASE_OVERRIDES_CHANNELS' | 'CONDITIONAL_UPDATE';
  message: string;
  channel?: string;
}

export interface ReleaseSelection {
  releases: SelectedRelease[];
  warnings: SelectionWarning[];
}

/** oc-mirror's default when neither architectures nor platforms is written. */
export const DEFAULT_ARCH = 'amd64';

export function graphKey(r: { type: ReleaseType; arch: string; channel: string }): string {
  return `${r.type}/${r.arch}/${r.channel}`;
}

/**
 * The architectures whose graphs are read: `platforms` (v2alpha1) means the multi-arch payload, as in oc-mirror v2
 * (the index is filtered when copied); else `architectures`, else amd64.
 */
export function releaseArchitectures(platform: ReleasePlatform): string[] {
  if (platform.platforms && platform.platforms.length > 0) return ['multi'];
  if (platform.architectures && platform.architectures.length > 0) return [...new Set(platform.architectures)];
  return [DEFAULT_ARCH];
}

/** The graphs selectReleases needs: every channel per architecture, and the channels a cross-channel path crosses. */
export function graphRequests(platform: ReleasePlatform): GraphRequest[] {
  if (platform.release !== undefined) return [];
  const out: GraphRequest[] = [];
  for (const arch of releaseArchitectures(platform)) {
    for (const ch of platform.channels) out.push({ type: ch.type, channel: ch.name, arch, optional: false });
    for (const channel of intermediateChannels(platform.channels)) out.push({ type: 'ocp', channel, arch, optional: true });
  }
  return out;
}

/**
 * Selects the releases. Order: by architecture (as listed), then by version; one entry per architecture and
 * version, carrying the first reason found (channels in the order written, then the cross-channel path).
 */
export function selectReleases(platform: ReleasePlatform, graphs: GraphSet): ReleaseSelection {
  const warnings: SelectionWarning[] = [];
  if (platform.release !== undefined) {
    // oc-mirror v2 mirrors only the named release when `release` is set (GetReleaseReferenceImages returns early).
    if (platform.channels.length > 0) {
      warnings.push({ code: 'RELEASE_OVERRIDES_CHANNELS', message: `platform.release is set: the ${platform.channels.length} channel(s) listed are not read (oc-mirror v2 does the same)` });
    }
    return { releases: [{ payload: platform.release, reason: 'release' }], warnings };
  }
  const eus = platform.channels.find(isEusSpan);
  if (eus) {
    warnings.push({
      code: 'EUS_SPAN',
      channel: eus.name,
      message: `EUS channel "${eus.name}" spans two or more minor versions (${eus.minVersion} to ${eus.maxVersion}): check the update path at https://access.redhat.com/labs/ocpupgradegraph/update_path`,
    });
  }
  const releases: SelectedRelease[] = [];
  for (const arch of releaseArchitectures(platform)) {
    const found = new Map<string, SelectedRelease>();
    const add = (r: SelectedRelease & { version: string }) => {
      if (!found.has(r.version)) found.set(r.version, r);
    };
    const bounds: { channel: ReleaseChannel; min: ReleaseNode; max: ReleaseNode; graph: UpdateGraph }[] = [];
    for (const ch of platform.channels) {
      const graph = channelGraph(graphs, { type: ch.type, arch, channel: ch.name });
      const picked = selectInChannel(ch, graph, warnings);
      for (const r of picked.releases) add(r);
      bounds.push({ channel: ch, min: picked.min, max: picked.max, graph });
    }
    const ocp = bounds.filter((b) => b.channel.type === 'ocp');
    if (ocp.length > 1) {
      for (const r of crossChannelPath(ocp, graphs, arch, warnings)) add(r);
    }
    releases.push(...[...found.values()].sort((a, b) => compareVersions(parse(a.version!), parse(b.version!))));
  }
  const seen = new Set<string>();
  return { releases, warnings: warnings.filter((w) => !seen.has(w.message) && !!seen.add(w.message)) };
}

/** One channel: resolve min and max as oc-mirror's resolveChannelVersions does, then take the range or the path. */
function selectInChannel(ch: ReleaseChannel, graph: UpdateGraph, warnings: SelectionWarning[]): { releases: (SelectedRelease & { version: string })[]; min: ReleaseNode; max: ReleaseNode } {
  const arch = graph.origin.arch;
  const head = channelHead(graph)!;
  const min = ch.minVersion !== undefined ? bound(ch, 'minVersion', ch.minVersion) : undefined;
  const max = ch.maxVersion !== undefined ? bound(ch, 'maxVersion', ch.maxVersion) : undefined;
  if (min && max && compareVersions(min, max) > 0) {
    throw new GantryError('RELEASE_RANGE_INVALID', `channel "${ch.name}": minVersion ${ch.minVersion} is above maxVersion ${ch.maxVersion}`, { hint: 'swap them, or remove one' });
  }
  const base = { channel: ch.name, arch };
  // Heads-only (no range, not full): only the head. No max: up to the head. No min: from the first release.
  if (!min && !max && !ch.full) return { releases: [{ ...base, version: head.version, payload: head.payload, reason: 'head' }], min: head, max: head };
  const lo = min ?? graph.nodes[0]!.parsed;
  const hi = max ?? head.parsed;
  if (ch.shortestPath) {
    const from = nodeOf(ch, graph, lo, 'minVersion');
    const to = nodeOf(ch, graph, hi, 'maxVersion');
    const path = shortestPath(graph, from.version, to.version);
    if (!path) {
      throw new GantryError('RELEASE_NO_PATH', `channel "${ch.name}" (${arch}) has no update path from ${from.version} to ${to.version} in ${graph.origin.source}`, {
        hint: 'choose versions with an update between them, or drop shortestPath to take the whole range',
      });
    }
    return { releases: pathReleases(path.nodes, path.edges, base, warnings), min: from, max: to };
  }
  const inRange = graph.nodes.filter((n) => compareVersions(n.parsed, lo) >= 0 && compareVersions(n.parsed, hi) <= 0);
  if (inRange.length === 0) {
    throw new GantryError('RELEASE_VERSION_NOT_FOUND', `channel "${ch.name}" (${arch}) has no release from ${formatVersion(lo)} to ${formatVersion(hi)}; it has ${span(graph)}`, {
      hint: 'check minVersion and maxVersion against the channel (gantry release graph --channel NAME lists it)',
    });
  }
  for (const [field, v] of [['minVersion', min], ['maxVersion', max]] as const) {
    if (v && !findNode(graph, formatVersion(v))) {
      warnings.push({ code: 'RELEASE_BOUND_NOT_IN_CHANNEL', channel: ch.name, message: `channel "${ch.name}" (${arch}): ${field} ${formatVersion(v)} is not a release of the channel; the range is taken as written (${span(graph)})` });
    }
  }
  return { releases: inRange.map((n) => ({ ...base, version: n.version, payload: n.payload, reason: 'range' as const })), min: inRange[0]!, max: inRange[inRange.length - 1]! };
}

/**
 * Several OCP channels: the path from the lowest min to the highest max. oc-mirror walks channel by channel through
 * each intermediate channel's head; gantry takes the shortest path over the union of the listed channels' graphs
 * and the intermediate channels' graphs (a path through heads is one candidate, so this is never longer).
 */
function crossChannelPath(bounds: { channel: ReleaseChannel; min: ReleaseNode; max: ReleaseNode; graph: UpdateGraph }[], graphs: GraphSet, arch: string, warnings: SelectionWarning[]): (SelectedRelease & { version: string })[] {
  const low = bounds.reduce((a, b) => (compareVersions(b.min.parsed, a.min.parsed) < 0 ? b : a));
  const high = bounds.reduce((a, b) => (compareVersions(b.max.parsed, a.max.parsed) > 0 ? b : a));
  const crossed = intermediateChannels(bounds.map((b) => b.channel)).flatMap((channel) => {
    const g = graphs.get(graphKey({ type: 'ocp', arch, channel }));
    return g ? [g] : [];
  });
  const used = [...bounds.map((b) => b.graph), ...crossed];
  const names = used.map((g) => g.origin.channel);
  const merged = mergeGraphs(used, { source: used.map((g) => g.origin.source).filter((s, i, all) => all.indexOf(s) === i).join(', '), channel: names.join('+'), arch });
  if (low.min.version === high.max.version) return [];
  const path = shortestPath(merged, low.min.version, high.max.version);
  if (!path) {
    throw new GantryError('RELEASE_NO_PATH', `no update path from ${low.min.version} (channel "${low.channel.name}") to ${high.max.version} (channel "${high.channel.name}") for ${arch} across channels ${names.join(', ')}`, {
      hint: 'list the channels in between, or check the versions: an update between minor versions is published in the newer channel',
    });
  }
  // A release on the path is attributed to the first channel (listed, then crossed) that publishes the update
  // reaching it; the start to its own channel.
  const channelOf = (r: SelectedRelease & { version: string }) =>
    r.edge ? used.find((g) => g.edges.some((e) => e.from === r.edge!.from && e.to === r.edge!.to))!.origin.channel : low.channel.name;
  return pathReleases(path.nodes, path.edges, { arch }, warnings).map((r) => ({ ...r, channel: channelOf(r) }));
}

function pathReleases(nodes: ReleaseNode[], edges: UpdateEdge[], base: { channel?: string; arch: string }, warnings: SelectionWarning[]): (SelectedRelease & { version: string })[] {
  return nodes.map((n, i) => {
    const e = i === 0 ? undefined : edges[i - 1]!;
    if (e?.conditional) {
      warnings.push({
        code: 'CONDITIONAL_UPDATE',
        ...(base.channel ? { channel: base.channel } : {}),
        message: `the path takes the conditional update ${e.from} → ${e.to} (${base.arch}); risks: ${e.risks.map((r) => r.name).join(', ') || 'unnamed'}`,
      });
    }
    return { ...base, version: n.version, payload: n.payload, reason: 'path' as const, ...(e ? { edge: { from: e.from, to: e.to, conditional: e.conditional, risks: e.risks } } : {}) };
  });
}

function channelGraph(graphs: GraphSet, key: { type: ReleaseType; arch: string; channel: string }): UpdateGraph {
  const graph = graphs.get(graphKey(key));
  if (!graph || graph.nodes.length === 0) {
    const source = graph ? ` in ${graph.origin.source}` : '';
    throw new GantryError('RELEASE_CHANNEL_UNKNOWN', `channel "${key.channel}" has no releases for ${key.arch}${source}`, {
      hint: `check the channel name and architecture (e.g. stable-4.16, fast-4.16, eus-4.16${key.type === 'okd' ? ', or an OKD channel such as 4-stable' : ''})`,
    });
  }
  return graph;
}

/** oc-mirror's warnEUSChannel: both bounds written, "eus" in the name, two or more minor versions apart. */
function isEusSpan(ch: ReleaseChannel): boolean {
  if (ch.minVersion === undefined || ch.maxVersion === undefined || !ch.name.includes('eus')) return false;
  const min = tryParseVersion(ch.minVersion);
  const max = tryParseVersion(ch.maxVersion);
  return !!min && !!max && Number(max.minor) - Number(min.minor) >= 2;
}

/**
 * Channels named PREFIX-MAJOR.MINOR between the lowest and highest listed OCP channel of the same prefix and major
 * (stable-4.14 and stable-4.16 cross stable-4.15), as oc-mirror's calculate() steps through them.
 */
export function intermediateChannels(channels: readonly ReleaseChannel[]): string[] {
  const named = channels.filter((c) => c.type === 'ocp').map((c) => ({ name: c.name, m: /^(.*)-(\d+)\.(\d+)$/.exec(c.name) }));
  if (named.length < 2) return [];
  const listed = new Set(channels.map((c) => c.name));
  const out = new Set<string>();
  const groups = new Map<string, number[]>();
  for (const { m } of named) {
    if (!m) continue;
    const key = `${m[1]}-${m[2]}`;
    groups.set(key, [...(groups.get(key) ?? []), Number(m[3])]);
  }
  for (const [key, minors] of groups) {
    for (let minor = Math.min(...minors) + 1; minor < Math.max(...minors); minor++) {
      const name = `${key}.${minor}`;
      if (!listed.has(name)) out.add(name);
    }
  }
  return [...out].sort();
}

function bound(ch: ReleaseChannel, field: 'minVersion' | 'maxVersion', value: string): Version {
  const v = tryParseVersion(value.trim());
  if (!v) throw new GantryError('RELEASE_RANGE_INVALID', `channel "${ch.name}": ${field} "${value.slice(0, 80)}" is not a version`, { hint: 'write MAJOR.MINOR.PATCH, e.g. 4.16.3' });
  return v;
}

function nodeOf(ch: ReleaseChannel, graph: UpdateGraph, v: Version, field: 'minVersion' | 'maxVersion'): ReleaseNode {
  const node = findNode(graph, formatVersion(v));
  if (!node) {
    throw new GantryError('RELEASE_VERSION_NOT_FOUND', `channel "${ch.name}" (${graph.origin.arch}) has no release ${formatVersion(v)} (${field}); it has ${span(graph)}`, {
      hint: 'a shortest path starts and ends at releases of the channel: gantry release graph --channel NAME lists them',
    });
  }
  return node;
}

function span(graph: UpdateGraph): string {
  const n = graph.nodes.length;
  return n === 0 ? 'no releases' : `${n} release${n === 1 ? '' : 's'}, ${graph.nodes[0]!.version} to ${graph.nodes[n - 1]!.version}`;
}

function parse(version: string): Version {
  return tryParseVersion(version)!;
}
