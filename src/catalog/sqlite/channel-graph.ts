// Upgrade edges of a SQLite index: from channel_entry rows to one (replaces, skips) per bundle per channel,
// with the semantics of opm's ListBundles query (OR@v1.73.0:pkg/sqlite/query.go, listBundlesQuery).
import { byteOrder } from '../../order.js';
import type { ChannelEntryRow } from './index-tables.js';

/** A bundle's place in one channel, as opm's api.Bundle carried it into the model. */
export interface ChannelMembership {
  bundleName: string;
  packageName: string | null;
  channelName: string | null;
  /** The lowest entry_id of the bundle in this channel (opm's row identity; used here only for order). */
  entryId: number;
  /** '' when the bundle replaces nothing. */
  replaces: string;
  /** undefined when nothing is skipped (SQL NULL). */
  skips: string[] | undefined;
}

/*
 * How opm's loader writes channel_entry (OR:pkg/sqlite/load.go): every channel head at depth 0; each bundle's
 * `replaces` target as a new row one level deeper, linked from the bundle's row; each `skips` name as a row
 * for the skipped bundle plus a synthesized row for the skipping bundle that points at it.
 *
 * How ListBundles reads it back:
 * - the "replaces chain" is every row at the smallest depth in the whole table (not per channel) and every
 *   row reachable from those through `replaces` pointers;
 * - a bundle's `replaces` (per channel) is the largest, in byte order (SQL max), name among the targets of its
 *   rows that are on the replaces chain;
 * - every other row with a `replaces` pointer is a skip edge; a bundle's skips are the names of their
 *   targets, joined with "," by group_concat and split on "," again by opm (in entry_id order here).
 * Rows without a bundle name or channel never become bundles (an INNER JOIN and a NULL check drop them).
 */
export function deriveChannelMemberships(entries: readonly ChannelEntryRow[]): ChannelMembership[] {
  const byId = new Map<number, ChannelEntryRow>();
  let tip: number | undefined;
  for (const e of entries) {
    byId.set(e.entryId, e);
    if (e.depth !== null && (tip === undefined || e.depth < tip)) tip = e.depth;
  }

  const onChain = new Set<number>();
  const work: number[] = [];
  for (const e of entries) {
    if (tip !== undefined && e.depth === tip) {
      onChain.add(e.entryId);
      work.push(e.entryId);
    }
  }
  while (work.length > 0) {
    const e = byId.get(work.pop()!)!;
    if (e.replaces === null || onChain.has(e.replaces) || !byId.has(e.replaces)) continue;
    onChain.add(e.replaces);
    work.push(e.replaces);
  }

  interface Group {
    m: ChannelMembership;
    skipIds: number[];
  }
  const groups = new Map<string, Group>();
  const sorted = [...entries].sort((a, b) => a.entryId - b.entryId);
  for (const e of sorted) {
    if (e.bundleName === null) continue;
    const key = JSON.stringify([e.bundleName, e.packageName, e.channelName]);
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        m: { bundleName: e.bundleName, packageName: e.packageName, channelName: e.channelName, entryId: e.entryId, replaces: '', skips: undefined },
        skipIds: [],
      };
      groups.set(key, g);
    }
    if (e.replaces === null) continue;
    if (onChain.has(e.entryId)) {
      const target = byId.get(e.replaces)?.bundleName;
      if (target !== undefined && target !== null && (g.m.replaces === '' || byteOrder(target, g.m.replaces) > 0)) g.m.replaces = target;
    } else {
      g.skipIds.push(e.entryId);
    }
  }

  const out: ChannelMembership[] = [];
  for (const { m, skipIds } of groups.values()) {
    const names: string[] = [];
    for (const id of skipIds) {
      const target = byId.get(byId.get(id)!.replaces!);
      if (target !== undefined && target.bundleName !== null) names.push(target.bundleName);
    }
    // opm joins skips back on package and channel with `=`, which never matches NULL.
    if (names.length > 0 && m.packageName !== null && m.channelName !== null) m.skips = names.join(',').split(',');
    out.push(m);
  }
  return out;
}
