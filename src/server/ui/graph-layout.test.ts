import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelEntry, DeclarativeConfig } from '../../catalog/fbc/types.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import { assignLanes, layoutChannel, type GraphBus } from './graph-layout.js';

const bundle = (name: string, version: string) => ({ schema: 'olm.bundle' as const, package: 'p', name, image: `r/p:${version}`, properties: [{ type: 'olm.package', value: { packageName: 'p', version } }] });

function layout(entries: ChannelEntry[], versions: Record<string, string>, deprecated: string[] = []) {
  const config: DeclarativeConfig = {
    packages: [{ schema: 'olm.package', name: 'p', defaultChannel: 'stable' }],
    channels: [{ schema: 'olm.channel', package: 'p', name: 'stable', entries }],
    bundles: Object.entries(versions).map(([n, v]) => bundle(n, v)),
    deprecations: deprecated.length ? [{ schema: 'olm.deprecations', package: 'p', entries: deprecated.map((name) => ({ reference: { schema: 'olm.bundle', name }, message: `${name} is old` })) }] : [],
    others: [],
  };
  const pkg = buildCatalogModel(config).packages.get('p')!;
  return layoutChannel(pkg, pkg.channels.get('stable')!);
}

test('graph-layout/rows newest first, the head marked, a replaces chain in one lane', () => {
  const l = layout(
    [{ name: 'p.v1' }, { name: 'p.v2', replaces: 'p.v1' }, { name: 'p.v10', replaces: 'p.v2' }],
    { 'p.v1': '1.0.0', 'p.v2': '2.0.0', 'p.v10': '10.0.0' },
    ['p.v1'],
  );
  assert.deepEqual(l.rows.map((r) => r.name), ['p.v10', 'p.v2', 'p.v1']);
  assert.deepEqual(l.rows.map((r) => r.head), [true, false, false]);
  assert.equal(l.head, 'p.v10');
  assert.equal(l.rows[2]!.deprecated, 'p.v1 is old');
  assert.deepEqual(l.buses.map((b) => [b.from, b.kind, b.targets, b.lane]), [[0, 'replaces', [1], 0], [1, 'replaces', [2], 0]]);
  assert.equal(l.lanes, 1);
});

test('graph-layout/skips share one bus per bundle; overlapping buses take separate lanes', () => {
  const l = layout(
    [{ name: 'a' }, { name: 'b', replaces: 'a' }, { name: 'c', replaces: 'b' }, { name: 'd', replaces: 'c', skips: ['a', 'b'] }],
    { a: '1.0.0', b: '1.1.0', c: '1.2.0', d: '1.3.0' },
  );
  const skips = l.buses.find((b) => b.kind === 'skips')!;
  assert.deepEqual([skips.from, skips.targets], [0, [2, 3]]);
  // d's skips bus spans rows 0-3 and overlaps the replaces chain's lane.
  const replaces = l.buses.filter((b) => b.kind === 'replaces');
  assert.ok(replaces.every((b) => b.lane !== skips.lane));
  assert.equal(l.lanes, 2);
});

test('graph-layout/skipRange rows, edges out of the channel, several heads', () => {
  const l = layout(
    [{ name: 'a' }, { name: 'b', replaces: 'gone', skipRange: '>=1.0.0 <1.2.0' }, { name: 'c', skipRange: 'not a range' }],
    { a: '1.0.0', b: '1.2.0', c: '1.1.0' },
  );
  assert.deepEqual(l.rows.map((r) => r.name), ['b', 'c', 'a']);
  assert.deepEqual(l.rows[0]!.skipRangeRows, [1, 2]);
  assert.deepEqual(l.rows[0]!.outside, ['gone']);
  assert.deepEqual(l.rows[1]!.skipRangeRows, [], 'an invalid skipRange covers nothing');
  // No entry replaces or skips another: three candidates, the highest version is the head.
  assert.deepEqual(l.rows.map((r) => [r.head, r.otherHead]), [[true, false], [false, true], [false, true]]);
  assert.equal(l.buses.length, 0);
});

test('graph-layout/lanes: end-to-end buses share a lane, nested ones do not', () => {
  const bus = (from: number, targets: number[]): GraphBus => ({ from, kind: 'skips', targets, lane: -1 });
  const buses = [bus(0, [1]), bus(1, [2]), bus(0, [5]), bus(2, [4])];
  assert.equal(assignLanes(buses), 2);
  assert.deepEqual(buses.map((b) => b.lane), [0, 0, 1, 0]);
});
