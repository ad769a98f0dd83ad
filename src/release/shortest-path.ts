// The shortest update path between two versions of an update graph: fewest updates first, then fewest
// conditional updates, then (for a stable answer) the path through higher versions, as oc-mirror's BFS prefers.
import type { ReleaseNode, UpdateEdge, UpdateGraph } from './update-graph.js';

export interface UpdatePath {
  /** From the start version to the target, both included. */
  nodes: ReleaseNode[];
  /** One per update, in order: nodes[i] → nodes[i+1]. */
  edges: UpdateEdge[];
}

/**
 * Unlike oc-mirror, which walks only the graph's plain edges, conditional edges are walked too (a cluster may take
 * them once its administrator accepts the risks), but a path of the same length without them is preferred, and
 * the edges returned say which are conditional and why. Undefined when the target cannot be reached.
 */
export function shortestPath(graph: UpdateGraph, from: string, to: string): UpdatePath | undefined {
  const index = new Map(graph.nodes.map((n, i) => [n.version, i]));
  const start = index.get(from);
  const end = index.get(to);
  if (start === undefined || end === undefined) return undefined;
  const out: UpdateEdge[][] = graph.nodes.map(() => []);
  for (const e of graph.edges) out[index.get(e.from)!]!.push(e);

  // Dijkstra over the cost (updates, conditional updates), compared in that order; graphs are a few hundred nodes.
  const n = graph.nodes.length;
  const hops = new Array<number>(n).fill(Infinity);
  const risky = new Array<number>(n).fill(Infinity);
  const via = new Array<UpdateEdge | undefined>(n).fill(undefined);
  const done = new Array<boolean>(n).fill(false);
  hops[start] = 0;
  risky[start] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) {
      if (done[i] || hops[i] === Infinity) continue;
      if (u === -1 || better(hops[i]!, risky[i]!, i, hops[u]!, risky[u]!, u)) u = i;
    }
    if (u === -1 || u === end) break;
    done[u] = true;
    for (const e of out[u]!) {
      const v = index.get(e.to)!;
      if (done[v]) continue;
      const h = hops[u]! + 1;
      const r = risky[u]! + (e.conditional ? 1 : 0);
      const prev = via[v] ? index.get(via[v].from)! : -1;
      // Equal cost: the predecessor with the higher version wins, so the answer does not depend on edge order.
      if (h < hops[v]! || (h === hops[v]! && (r < risky[v]! || (r === risky[v]! && u > prev)))) {
        hops[v] = h;
        risky[v] = r;
        via[v] = e;
      }
    }
  }
  if (hops[end] === Infinity) return undefined;
  const edges: UpdateEdge[] = [];
  for (let at = end; at !== start; ) {
    const e = via[at]!;
    edges.unshift(e);
    at = index.get(e.from)!;
  }
  const nodes = [graph.nodes[start]!, ...edges.map((e) => graph.nodes[index.get(e.to)!]!)];
  return { nodes, edges };
}

/** Fewer updates, then fewer conditional ones, then the lower index (the order is only to settle ties). */
function better(h1: number, r1: number, i1: number, h2: number, r2: number, i2: number): boolean {
  return h1 < h2 || (h1 === h2 && (r1 < r2 || (r1 === r2 && i1 < i2)));
}
