// Reading Cincinnati's graph JSON: nodes sorted by version, index edges and conditional edges by version merged
// into one edge list, and each malformed input rejected with UPDATE_GRAPH_INVALID naming the channel and source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { channelHead, parseUpdateGraph } from './update-graph.js';

const origin = { source: 'graph.json', channel: 'stable-4.16', arch: 'amd64' };
const node = (version: string) => ({ version, payload: `quay.io/openshift-release-dev/ocp-release@sha256:${version.replace(/\D/g, '').padEnd(64, '0')}`, metadata: { 'io.openshift.upgrades.graph.release.channels': 'stable-4.16' } });

test('graph/nodes sorted by version, edges by index, conditional edges by version with risks', () => {
  const g = parseUpdateGraph(
    JSON.stringify({
      nodes: [node('4.16.10'), node('4.16.2'), node('4.16.9')],
      edges: [[1, 2], [1, 0]],
      conditionalEdges: [
        { edges: [{ from: '4.16.9', to: '4.16.10' }, { from: '4.16.2', to: '4.16.10' }], risks: [{ name: 'EtcdSlow', url: 'https://x/1', message: 'm', matchingRules: [{ type: 'Always' }] }] },
      ],
      extra: 'ignored',
    }),
    origin,
  );
  assert.deepEqual(g.nodes.map((n) => n.version), ['4.16.2', '4.16.9', '4.16.10']);
  assert.equal(channelHead(g)!.version, '4.16.10');
  assert.deepEqual(g.nodes[0]!.metadata, { 'io.openshift.upgrades.graph.release.channels': 'stable-4.16' });
  assert.deepEqual(
    g.edges.map((e) => `${e.from}>${e.to}${e.conditional ? `?${e.risks.map((r) => r.name)}` : ''}`),
    ['4.16.2>4.16.9', '4.16.2>4.16.10', '4.16.9>4.16.10?EtcdSlow'],
    'an update published plainly stays plain even when also listed as conditional',
  );
});

test('graph/an empty graph (an unknown channel) reads as no releases', () => {
  const g = parseUpdateGraph('{"nodes":[],"edges":[]}', origin);
  assert.equal(g.nodes.length, 0);
  assert.equal(channelHead(g), undefined);
});

const bad: [string, string][] = [
  ['error/not JSON', '{"nodes": ['],
  ['error/no nodes', '{"edges": []}'],
  ['error/node without payload', '{"nodes": [{"version": "4.16.0"}]}'],
  ['error/version not semver', '{"nodes": [{"version": "latest", "payload": "x"}]}'],
  ['error/duplicate version', `{"nodes": [${JSON.stringify(node('4.16.0'))}, ${JSON.stringify(node('4.16.0'))}]}`],
  ['error/edge index out of range', `{"nodes": [${JSON.stringify(node('4.16.0'))}], "edges": [[0, 1]]}`],
  ['error/conditional edge to an unknown version', `{"nodes": [${JSON.stringify(node('4.16.0'))}], "conditionalEdges": [{"edges": [{"from": "4.16.0", "to": "4.16.1"}], "risks": []}]}`],
  ['error/risk without a name', `{"nodes": [${JSON.stringify(node('4.16.0'))}, ${JSON.stringify(node('4.16.1'))}], "conditionalEdges": [{"edges": [{"from": "4.16.0", "to": "4.16.1"}], "risks": [{"url": "u"}]}]}`],
];
for (const [name, text] of bad) {
  test(`graph/${name}`, () => {
    assert.throws(
      () => parseUpdateGraph(text, origin),
      (err: unknown) => isGantryError(err, 'UPDATE_GRAPH_INVALID') && err.message.includes('stable-4.16') && err.message.includes('graph.json'),
    );
  });
}
