// One channel's upgrade graph laid out for drawing: one row per bundle in version order (newest first), and each
// bundle's replaces/skips edges as a vertical "bus" in a lane beside the rows, lanes packed so buses never overlap.
import { byteOrder } from '../../order.js';
import type { ModelChannel, ModelPackage } from '../../catalog/model/catalog-model.js';
import { bundleVersionText } from '../../catalog/model/catalog-model.js';
import { compareVersions, parseRange } from '../../semver/index.js';
import type { ChannelLayout, GraphBus, GraphRow } from './ui-api-types.js';

export type { ChannelLayout, GraphBus, GraphRow };

/** Lays out `channel` of `pkg`: rows by version (unparseable versions last, then by name), buses in lanes. */
export function layoutChannel(pkg: ModelPackage, channel: ModelChannel): ChannelLayout {
  const names = [...channel.entries.keys()];
  names.sort((a, b) => {
    const va = pkg.versions.get(a);
    const vb = pkg.versions.get(b);
    if (va && vb) return compareVersions(vb, va) || byteOrder(a, b);
    if (va || vb) return va ? -1 : 1;
    return byteOrder(a, b);
  });
  const rowOf = new Map(names.map((n, i) => [n, i]));
  const headCandidates = new Set(channel.heads);
  const rows: GraphRow[] = names.map((name) => {
    const e = channel.entries.get(name)!;
    const bundle = pkg.bundles.get(name);
    const targets = [...(e.replaces ? [e.replaces] : []), ...(e.skips ?? [])];
    return {
      name,
      version: bundle ? bundleVersionText(bundle) : '',
      head: channel.head === name,
      otherHead: channel.head !== name && headCandidates.has(name),
      deprecated: pkg.deprecatedBundles.get(name) ?? null,
      ...(e.replaces ? { replaces: e.replaces } : {}),
      ...(e.skips?.length ? { skips: e.skips } : {}),
      ...(e.skipRange ? { skipRange: e.skipRange } : {}),
      skipRangeRows: e.skipRange ? rangeRows(e.skipRange, names, pkg) : [],
      outside: [...new Set(targets.filter((t) => !rowOf.has(t) || t === name))],
      missingBundle: bundle === undefined,
    };
  });
  const buses: GraphBus[] = [];
  rows.forEach((row, from) => {
    const add = (kind: GraphBus['kind'], list: string[]) => {
      const targets = [...new Set(list.map((t) => rowOf.get(t)).filter((r): r is number => r !== undefined && r !== from))].sort((a, b) => a - b);
      if (targets.length > 0) buses.push({ from, kind, targets, lane: 0 });
    };
    if (row.replaces) add('replaces', [row.replaces]);
    if (row.skips) add('skips', row.skips);
  });
  return {
    package: pkg.pkg.name,
    channel: channel.channel.name,
    head: channel.head ?? null,
    deprecated: channel.deprecated ?? null,
    rows,
    buses,
    lanes: assignLanes(buses),
  };
}

const span = (b: GraphBus): [number, number] => [Math.min(b.from, ...b.targets), Math.max(b.from, ...b.targets)];

/**
 * Interval partitioning: buses sorted by their top row take the lowest lane that is free from there down. Buses
 * meeting at a row end to end (a replaces chain) share a lane, so a plain chain is one straight line.
 */
export function assignLanes(buses: GraphBus[]): number {
  const order = buses.map((b, i) => ({ b, i, s: span(b) })).sort((x, y) => x.s[0] - y.s[0] || x.s[1] - y.s[1] || x.i - y.i);
  const laneEnds: number[] = [];
  for (const { b, s } of order) {
    let lane = laneEnds.findIndex((end) => end <= s[0]);
    if (lane === -1) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = s[1];
    b.lane = lane;
  }
  return laneEnds.length;
}

function rangeRows(range: string, names: string[], pkg: ModelPackage): number[] {
  let matches;
  try {
    matches = parseRange(range);
  } catch {
    return []; // opm warns and ignores an invalid skipRange; validate reports it
  }
  const out: number[] = [];
  names.forEach((n, i) => {
    const v = pkg.versions.get(n);
    if (v && matches(v)) out.push(i);
  });
  return out;
}
