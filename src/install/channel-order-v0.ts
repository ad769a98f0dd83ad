// The order OLM v0's resolver ranks a channel's bundles in (resolver.go sortChannel): from the one head down the
// replaces chain, leaving out entries another entry skips; and the channel order (default channel first, then name).
import { byteOrder } from '../order.js';
import type { ChannelEntry } from '../catalog/fbc/types.js';
import type { ModelPackage } from '../catalog/model/catalog-model.js';

export type ChannelOrder = { entries: ChannelEntry[]; error?: undefined } | { entries?: undefined; error: string };

/**
 * Only entries with a bundle count: OLM's cache holds bundles, so a dangling name neither heads nor breaks a chain.
 * Several heads or a cycle are errors that fail the whole resolution, worded as OLM words them.
 */
export function orderChannel(pkg: ModelPackage, channel: string): ChannelOrder {
  const entries = [...(pkg.channels.get(channel)?.entries.values() ?? [])].filter((e) => pkg.bundles.has(e.name));
  if (entries.length === 0) return { entries: [] };
  const byName = new Map(entries.map((e) => [e.name, e]));
  const replacedBy = new Set<string>();
  const skipped = new Set<string>();
  for (const e of entries) {
    if (e.replaces && byName.has(e.replaces)) replacedBy.add(e.replaces);
    for (const s of e.skips ?? []) {
      if (!byName.has(s)) continue;
      replacedBy.add(s);
      skipped.add(s);
    }
  }
  const heads = entries.filter((e) => !replacedBy.has(e.name));
  const name = pkg.pkg.name;
  if (heads.length === 0) return { error: `no channel heads (entries not replaced by another entry) found in channel "${channel}" of package "${name}"` };
  const chains: ChannelEntry[][] = [];
  for (const head of heads) {
    const chain: ChannelEntry[] = [];
    const seen = new Set<string>();
    for (let e: ChannelEntry | undefined = head; e; e = e.replaces ? byName.get(e.replaces) : undefined) {
      if (seen.has(e.name)) return { error: `a cycle exists in the chain of replacement beginning with "${head.name}" in channel "${channel}" of package "${name}"` };
      seen.add(e.name);
      if (!skipped.has(e.name)) chain.push(e);
    }
    chains.push(chain);
  }
  if (chains.length > 1) {
    const names = chains.map((c) => (c.length === 0 ? '[]' : c.length === 1 ? c[0]!.name : `${c[0]!.name}...${c[c.length - 1]!.name}`));
    return { error: `a unique replacement chain within a channel is required to determine the relative order between channel entries, but ${chains.length} replacement chains were found in channel "${channel}" of package "${name}": ${names.join(', ')}` };
  }
  return { entries: chains[0]! };
}

/** The channels of a package in OLM v0's preference: the default channel first, then by name (Go's byte order). */
export function channelPreference(pkg: ModelPackage): string[] {
  const def = pkg.pkg.defaultChannel;
  return [...pkg.channels.keys()].sort((a, b) => Number(a !== def) - Number(b !== def) || byteOrder(a, b));
}
