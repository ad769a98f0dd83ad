// Property tests (fast-check) of the shortest update path over random graphs: what it returns is a path of the
// graph from the start to the target, no shorter path exists (checked by an independent BFS), it takes as few
// conditional updates as any path of its length, and it is missing exactly when the target is unreachable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cincinnatiJson, type FakeGraph } from '../testing/update-service.js';
import { shortestPath } from './shortest-path.js';
import { parseUpdateGraph, type UpdateGraph } from './update-graph.js';

const graphs = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean()), { maxLength: n * 3 }),
    from: fc.nat(n - 1),
    to: fc.nat(n - 1),
  }),
);

function build(n: number, edges: [number, number, boolean][]): UpdateGraph {
  const version = (i: number) => `4.${Math.floor(i / 5)}.${i % 5}`;
  const plain = edges.filter(([a, b, c]) => a !== b && !c).map(([a, b]) => [version(a), version(b)] as [string, string]);
  const conditional = edges.filter(([a, b, c]) => a !== b && c).map(([a, b], i) => ({ edges: [[version(a), version(b)]] as [string, string][], risks: [{ name: `Risk${i}` }] }));
  const fake: FakeGraph = { releases: Array.from({ length: n }, (_, i) => ({ version: version(i) })), edges: plain, conditional };
  return parseUpdateGraph(cincinnatiJson(fake), { source: 'property', channel: 'c', arch: 'amd64' });
}

/** Independent reference: BFS distances, then the fewest conditional updates over paths of that length. */
function reference(g: UpdateGraph, from: string): { dist: Map<string, number>; risky: Map<string, number> } {
  const dist = new Map([[from, 0]]);
  const queue = [from];
  while (queue.length > 0) {
    const u = queue.shift()!;
    for (const e of g.edges) if (e.from === u && !dist.has(e.to)) (dist.set(e.to, dist.get(u)! + 1), queue.push(e.to));
  }
  const risky = new Map([[from, 0]]);
  const byDist = [...dist.entries()].sort((a, b) => a[1] - b[1]);
  for (const [v, d] of byDist) {
    if (v === from) continue;
    let best = Infinity;
    for (const e of g.edges) if (e.to === v && dist.get(e.from) === d - 1) best = Math.min(best, risky.get(e.from)! + (e.conditional ? 1 : 0));
    risky.set(v, best);
  }
  return { dist, risky };
}

test('shortest path/is a path of the graph, and none is shorter or less risky', () => {
  fc.assert(
    fc.property(graphs, ({ n, edges, from, to }) => {
      const g = build(n, edges);
      const a = g.nodes[from]!.version;
      const b = g.nodes[to]!.version;
      const path = shortestPath(g, a, b);
      const ref = reference(g, a);
      if (!ref.dist.has(b)) return assert.equal(path, undefined);
      assert.ok(path, `a path ${a} → ${b} exists`);
      assert.equal(path.nodes[0]!.version, a);
      assert.equal(path.nodes[path.nodes.length - 1]!.version, b);
      assert.equal(path.edges.length, path.nodes.length - 1);
      path.edges.forEach((e, i) => {
        assert.equal(e.from, path.nodes[i]!.version);
        assert.equal(e.to, path.nodes[i + 1]!.version);
        assert.ok(g.edges.includes(e), `${e.from} → ${e.to} is an edge of the graph`);
      });
      assert.equal(path.edges.length, ref.dist.get(b));
      assert.equal(path.edges.filter((e) => e.conditional).length, ref.risky.get(b));
    }),
    { numRuns: 500 },
  );
});

test('shortest path/does not depend on the order the service lists edges in', () => {
  fc.assert(
    fc.property(graphs, fc.integer(), ({ n, edges, from, to }, seed) => {
      const shuffled = [...edges].sort((x, y) => ((x[0] * 31 + x[1] + seed) % 7) - ((y[0] * 31 + y[1] + seed) % 7));
      const g1 = build(n, edges);
      const g2 = build(n, shuffled);
      const p1 = shortestPath(g1, g1.nodes[from]!.version, g1.nodes[to]!.version);
      const p2 = shortestPath(g2, g2.nodes[from]!.version, g2.nodes[to]!.version);
      assert.deepEqual(p1?.nodes.map((x) => x.version), p2?.nodes.map((x) => x.version));
    }),
    { numRuns: 200 },
  );
});
