// Walks over one channel's upgrade graph (the model's ChannelGraph) for selection: distance from the heads,
// and the repair that keeps a filtered channel a graph opm accepts.
import { byteOrder } from '../catalog/fbc/file-tree.js';
import type { ChannelGraph } from '../catalog/model/catalog-model.js';
import { findHeads } from '../catalog/model/channel-head.js';
import { replacesChainProblem } from '../catalog/model/validate.js';

/** Every entry by its distance from the given heads along replaces/skips (head first); unreachable ones last. */
export function orderFromHeads(graph: ChannelGraph, heads: readonly string[]): string[] {
  const dist = new Map<string, number>();
  const queue = [...heads];
  for (const h of heads) dist.set(h, 0);
  while (queue.length > 0) {
    const cur = queue.shift()!;
    const e = graph.entries.get(cur)!;
    for (const next of [e.replaces ?? '', ...(e.skips ?? [])]) {
      if (graph.entries.has(next) && !dist.has(next)) {
        dist.set(next, dist.get(cur)! + 1);
        queue.push(next);
      }
    }
  }
  const far = graph.entries.size + 1;
  return [...graph.entries.keys()].sort((a, b) => (dist.get(a) ?? far) - (dist.get(b) ?? far) || byteOrder(a, b));
}

export interface Connection {
  /** The selected entries plus the ones added to connect them. */
  kept: Set<string>;
  /** Entries added only to keep the channel a valid graph, byte order. */
  added: string[];
  /** Set when no repair gives a valid graph (the source channel itself is not a valid graph). */
  problem?: { rule: string; message: string };
}

/**
 * Grows `selected` until the channel restricted to it is what opm accepts (one head, the rest on the head's
 * replaces chain or skipped by a kept entry). Each step adds the fewest entries it can find:
 * several heads → the paths up to their nearest common successor; a stranded entry → the replaces chain down
 * to it, else its nearest skipper, else the path up to the kept chain. The kept set only grows, so at worst
 * the whole (valid) channel is kept.
 */
export function connectSelection(graph: ChannelGraph, selected: Iterable<string>): Connection {
  const kept = new Set([...selected].filter((n) => graph.entries.has(n)));
  const start = new Set(kept);
  const done = (problem?: { rule: string; message: string }): Connection => ({
    kept,
    added: [...kept].filter((n) => !start.has(n)).sort(byteOrder),
    ...(problem ? { problem } : {}),
  });
  if (kept.size === 0) return done();
  for (let round = 0; round <= graph.entries.size + 1; round++) {
    const keptEntries = [...graph.entries.values()].filter((e) => kept.has(e.name));
    const problem = replacesChainProblem(keptEntries);
    if (!problem) return done();
    const heads = findHeads(keptEntries);
    let additions: string[];
    if (heads.length > 1) additions = joinHeads(graph, heads);
    else if (heads.length === 1) additions = attachStranded(graph, kept, heads[0]!);
    else additions = [];
    additions = additions.filter((n) => !kept.has(n));
    if (additions.length === 0) return done(problem);
    for (const n of additions) kept.add(n);
  }
  return done(replacesChainProblem([...graph.entries.values()].filter((e) => kept.has(e.name))));
}

/** Upward BFS from `from` over parents: distance and predecessor of every successor. */
function climb(graph: ChannelGraph, from: string): Map<string, { dist: number; via?: string }> {
  const seen = new Map<string, { dist: number; via?: string }>([[from, { dist: 0 }]]);
  const queue = [from];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    for (const p of graph.parents.get(cur) ?? []) {
      if (seen.has(p)) continue;
      seen.set(p, { dist: seen.get(cur)!.dist + 1, via: cur });
      queue.push(p);
    }
  }
  return seen;
}

/** Every entry that upgrades from `name`, directly or not (its ancestors up to the heads), nearest first. */
export function upgradesFrom(graph: ChannelGraph, name: string): string[] {
  return [...climb(graph, name).keys()].filter((n) => n !== name);
}

function pathTo(tree: Map<string, { dist: number; via?: string }>, target: string): string[] {
  const out: string[] = [];
  for (let cur: string | undefined = target; cur !== undefined; cur = tree.get(cur)?.via) out.push(cur);
  return out;
}

/** The nearest entry every head upgrades to (fewest steps in total), and the paths to it. */
function joinHeads(graph: ChannelGraph, heads: string[]): string[] {
  const trees = heads.map((h) => climb(graph, h));
  let best: { node: string; cost: number } | undefined;
  for (const [node] of trees[0]!) {
    if (!trees.every((t) => t.has(node))) continue;
    const cost = trees.reduce((sum, t) => sum + t.get(node)!.dist, 0);
    if (!best || cost < best.cost || (cost === best.cost && byteOrder(node, best.node) < 0)) best = { node, cost };
  }
  if (!best) return [];
  return trees.flatMap((t) => pathTo(t, best.node));
}

function attachStranded(graph: ChannelGraph, kept: Set<string>, head: string): string[] {
  const chain: string[] = [];
  const onChain = new Set<string>();
  for (let cur = graph.entries.get(head); cur && kept.has(cur.name) && !onChain.has(cur.name); cur = graph.entries.get(cur.replaces ?? '')) {
    chain.push(cur.name);
    onChain.add(cur.name);
  }
  const skipped = new Set<string>();
  for (const n of kept) for (const s of graph.entries.get(n)!.skips ?? []) skipped.add(s);
  const stranded = [...kept].filter((n) => !onChain.has(n) && !skipped.has(n)).sort(byteOrder);
  if (stranded.length === 0) return [];
  const strandedSet = new Set(stranded);
  // 1. Extend the kept replaces chain downwards while that reaches a stranded entry.
  const extension: string[] = [];
  const walked = new Set(onChain);
  for (let cur = graph.entries.get(graph.entries.get(chain[chain.length - 1]!)!.replaces ?? ''); cur && !walked.has(cur.name); cur = graph.entries.get(cur.replaces ?? '')) {
    walked.add(cur.name);
    if (strandedSet.has(cur.name)) return extension;
    if (!kept.has(cur.name)) extension.push(cur.name);
  }
  const x = stranded[0]!;
  // 2. A skipper of the stranded entry, the one closest to what is kept.
  const skippers = (graph.parents.get(x) ?? []).filter((p) => graph.entries.get(p)!.skips?.includes(x));
  let best: { path: string[]; cost: number } | undefined;
  for (const s of skippers) {
    const tree = climb(graph, s);
    const reach = [...tree.entries()].filter(([n]) => kept.has(n)).sort((a, b) => a[1].dist - b[1].dist || byteOrder(a[0], b[0]))[0];
    const cost = reach ? reach[1].dist : graph.entries.size;
    if (!best || cost < best.cost) best = { path: [s], cost };
  }
  if (best) return best.path;
  // 3. The path up from it to the kept chain (or anything kept above it).
  const tree = climb(graph, x);
  const target = [...tree.entries()].filter(([n]) => n !== x && (onChain.has(n) || kept.has(n))).sort((a, b) => a[1].dist - b[1].dist || byteOrder(a[0], b[0]))[0];
  return target ? pathTo(tree, target[0]) : [];
}
