// Table tests for OLM v0's channel order (resolver.go sortChannel) and channel preference, named after the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogModel, type ModelPackage } from '../catalog/model/catalog-model.js';
import type { ChannelEntry } from '../catalog/fbc/types.js';
import { channelPreference, orderChannel } from './channel-order-v0.js';

function pkg(channels: Record<string, ChannelEntry[]>, bundles: string[], defaultChannel = Object.keys(channels)[0]!): ModelPackage {
  const model = buildCatalogModel({
    packages: [{ schema: 'olm.package', name: 'p', defaultChannel }],
    channels: Object.entries(channels).map(([name, entries]) => ({ schema: 'olm.channel', name, package: 'p', entries })),
    bundles: bundles.map((name) => ({ schema: 'olm.bundle', name, package: 'p', image: `i/${name}`, properties: [] })),
    deprecations: [],
    others: [],
  });
  return model.packages.get('p')!;
}

const CASES: { name: string; entries: ChannelEntry[]; bundles?: string[]; order?: string[]; error?: RegExp }[] = [
  { name: 'linear: head first down the replaces chain', entries: [{ name: 'a' }, { name: 'b', replaces: 'a' }, { name: 'c', replaces: 'b' }], order: ['c', 'b', 'a'] },
  { name: 'skipped entries leave the order', entries: [{ name: 'a' }, { name: 'b', replaces: 'a' }, { name: 'c', replaces: 'b', skips: ['a'] }], order: ['c', 'b'] },
  { name: 'an entry without a bundle does not count', entries: [{ name: 'a' }, { name: 'b', replaces: 'a' }, { name: 'ghost', replaces: 'b' }], bundles: ['a', 'b'], order: ['b', 'a'] },
  { name: 'a replaces outside the channel ends the chain', entries: [{ name: 'b', replaces: 'elsewhere' }], bundles: ['b', 'elsewhere'], order: ['b'] },
  { name: 'error/two heads', entries: [{ name: 'a' }, { name: 'b' }, { name: 'c', replaces: 'b' }], error: /but 2 replacement chains were found in channel "stable" of package "p": a, c\.\.\.b$/ },
  { name: 'error/no head: a cycle', entries: [{ name: 'a', replaces: 'b' }, { name: 'b', replaces: 'a' }], error: /^no channel heads \(entries not replaced by another entry\) found in channel "stable" of package "p"$/ },
];

for (const c of CASES) {
  test(`channel-order-v0/${c.name}`, () => {
    const r = orderChannel(pkg({ stable: c.entries }, c.bundles ?? c.entries.map((e) => e.name)), 'stable');
    if (c.error) assert.match(r.error ?? '', c.error);
    else assert.deepEqual(r.entries?.map((e) => e.name), c.order);
  });
}

test('channel-order-v0/preference: the default channel first, then by name', () => {
  const p = pkg({ zeta: [{ name: 'a' }], beta: [{ name: 'a' }], stable: [{ name: 'a' }] }, ['a'], 'stable');
  assert.deepEqual(channelPreference(p), ['stable', 'beta', 'zeta']);
});
