// The one channel-head rule of gantry, used by validate, query, graph and selection alike (issue 8 §2).
// opm's rule where opm has an answer; a predictable choice where opm would refuse the channel.
import { byteOrder } from '../fbc/file-tree.js';
import { compareVersions, type Version } from '../semver/index.js';

/** What the rule reads of an entry: its name and the names it upgrades from. */
export interface HeadEntry {
  name: string;
  replaces?: string;
  skips?: string[];
}

export interface ChannelHeads {
  /**
   * The head: the only entry that no entry of the channel replaces or skips (opm's model, M8). Where opm
   * would refuse the channel with "multiple channel heads", the candidate with the highest version (a
   * version that parses beats one that does not), then the first in byte order. Undefined when every
   * entry is replaced or skipped (a cycle: opm's "no channel head found in graph").
   */
  head?: string;
  /** Every candidate (opm's heads), byte order, each name once. More than one means opm would refuse it. */
  heads: string[];
}

/**
 * opm's candidates: entries no entry of the same set replaces or skips. Edges count even when they point
 * outside the set, and skipRange never counts (opm validate ignores it).
 */
export function findHeads(entries: Iterable<HeadEntry>): string[] {
  const list = [...entries];
  const incoming = new Set<string>();
  for (const e of list) {
    if (e.replaces) incoming.add(e.replaces);
    for (const s of e.skips ?? []) incoming.add(s);
  }
  return [...new Set(list.filter((e) => !incoming.has(e.name)).map((e) => e.name))].sort(byteOrder);
}

/**
 * Applies the rule. `versionOf` is asked only when there are several candidates, so a valid channel costs
 * no version parsing.
 */
export function chooseChannelHead(entries: Iterable<HeadEntry>, versionOf: (name: string) => Version | undefined): ChannelHeads {
  const heads = findHeads(entries);
  if (heads.length <= 1) return heads.length === 1 ? { head: heads[0]!, heads } : { heads };
  let best = heads[0]!;
  let bestVersion = versionOf(best);
  for (const name of heads.slice(1)) {
    const v = versionOf(name);
    // heads is in byte order, so only a strictly higher version displaces the current choice.
    if (v && (!bestVersion || compareVersions(v, bestVersion) > 0)) {
      best = name;
      bestVersion = v;
    }
  }
  return { head: best, heads };
}
