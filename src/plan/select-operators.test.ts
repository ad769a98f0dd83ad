// Table tests of operator selection on small inline catalogs: every rule of reference §3.1 as gantry applies it,
// the upgrade-graph repair, default channels and dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Channel, ChannelEntry, DeclarativeConfig, Package, Property } from '../catalog/fbc/types.js';
import { validateCatalog } from '../catalog/model/validate.js';
import type { OperatorFilter, SelectionResult } from './operator-filter.js';
import { selectOperators } from './select-operators.js';

const pkg = (name: string, defaultChannel = 'stable'): Package => ({ schema: 'olm.package', name, defaultChannel });
const channel = (p: string, name: string, entries: ChannelEntry[]): Channel => ({ schema: 'olm.channel', package: p, name, entries });
const bundle = (p: string, version: string, props: Property[] = []): Bundle => ({
  schema: 'olm.bundle',
  package: p,
  name: `${p}.v${version}`,
  image: `quay.io/x/${p}@sha256:${'0'.repeat(64)}`,
  properties: [{ type: 'olm.package', value: { packageName: p, version } }, ...props],
});
const needsPackage = (packageName: string, versionRange: string): Property => ({ type: 'olm.package.required', value: { packageName, versionRange } });
const needsGvk = (group: string, version: string, kind: string): Property => ({ type: 'olm.gvk.required', value: { group, version, kind } });
const providesGvk = (group: string, version: string, kind: string): Property => ({ type: 'olm.gvk', value: { group, version, kind } });
const catalogOf = (...parts: (Package | Channel | Bundle)[]): DeclarativeConfig => ({
  packages: parts.filter((x): x is Package => x.schema === 'olm.package'),
  channels: parts.filter((x): x is Channel => x.schema === 'olm.channel'),
  bundles: parts.filter((x): x is Bundle => x.schema === 'olm.bundle'),
  deprecations: [],
  others: [],
});

// Package "a": stable is a plain replaces chain 1.0.0 ← 1.1.0 ← 1.2.0 ← 2.0.0; fast has 2.1.0 on top of it.
const chainA = (upTo: string[]): ChannelEntry[] =>
  ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0'].filter((v) => upTo.includes(v)).map((v, i, all) => (i === 0 ? { name: `a.v${v}` } : { name: `a.v${v}`, replaces: `a.v${all[i - 1]}` }));
const A = [
  pkg('a'),
  channel('a', 'stable', chainA(['1.0.0', '1.1.0', '1.2.0', '2.0.0'])),
  channel('a', 'fast', chainA(['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0'])),
  ...['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0'].map((v) => bundle('a', v)),
];
// Package "b": a single channel with one more head.
const B = [pkg('b'), channel('b', 'stable', [{ name: 'b.v1.0.0' }, { name: 'b.v2.0.0', replaces: 'b.v1.0.0' }]), bundle('b', '1.0.0'), bundle('b', '2.0.0')];

// Package "s": 3.0.0 was pulled; 4.0.0 replaces 2.0.0 and skips 3.0.0, which is only reachable through the skip.
// 5.0.0 replaces 4.0.0 with a skipRange covering everything below it.
const S = [
  pkg('s'),
  channel('s', 'stable', [
    { name: 's.v1.0.0' },
    { name: 's.v2.0.0', replaces: 's.v1.0.0' },
    { name: 's.v3.0.0', replaces: 's.v2.0.0' },
    { name: 's.v4.0.0', replaces: 's.v2.0.0', skips: ['s.v3.0.0'] },
    { name: 's.v5.0.0', replaces: 's.v4.0.0', skipRange: '<5.0.0' },
  ]),
  ...['1.0.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0'].map((v) => bundle('s', v)),
];
// Package "k": 1.0.0, 2.0.0 and 3.0.0 are all skipped by the head 4.0.0 (no replaces between them), and the head
// also carries a skipRange: a range of 1.0.0–2.0.0 has two heads that only 4.0.0 joins.
const K = [
  pkg('k'),
  channel('k', 'stable', [
    { name: 'k.v1.0.0' },
    { name: 'k.v2.0.0' },
    { name: 'k.v3.0.0' },
    { name: 'k.v4.0.0', skips: ['k.v1.0.0', 'k.v2.0.0', 'k.v3.0.0'], skipRange: '<4.0.0' },
  ]),
  ...['1.0.0', '2.0.0', '3.0.0', '4.0.0'].map((v) => bundle('k', v)),
];

// Dependencies: "app" needs package "lib" >=1.1.0 and the API db.example.com/v1 Database; "db" provides it and
// itself needs "lib" <1.1.0 ... which lib's default channel holds below its head. "orphan" needs what nobody has.
const DEPS = [
  pkg('app'),
  channel('app', 'stable', [{ name: 'app.v1.0.0' }]),
  bundle('app', '1.0.0', [needsPackage('lib', '>=1.1.0'), needsGvk('db.example.com', 'v1', 'Database')]),
  pkg('db'),
  channel('db', 'stable', [{ name: 'db.v1.0.0' }, { name: 'db.v2.0.0', replaces: 'db.v1.0.0' }]),
  bundle('db', '1.0.0', [providesGvk('db.example.com', 'v1', 'Database')]),
  bundle('db', '2.0.0', [providesGvk('db.example.com', 'v1', 'Database'), needsPackage('lib', '<1.1.0')]),
  pkg('lib'),
  channel('lib', 'stable', [{ name: 'lib.v1.0.0' }, { name: 'lib.v1.1.0', replaces: 'lib.v1.0.0' }, { name: 'lib.v1.2.0', replaces: 'lib.v1.1.0' }]),
  ...['1.0.0', '1.1.0', '1.2.0'].map((v) => bundle('lib', v)),
  pkg('orphan'),
  channel('orphan', 'stable', [{ name: 'orphan.v1.0.0' }]),
  bundle('orphan', '1.0.0', [needsPackage('missing', '>=1.0.0'), needsGvk('nowhere.example.com', 'v1', 'Thing')]),
];

/** "channel: bundle(reason,reason)" per kept bundle, as a compact picture of the selection. */
const picture = (r: SelectionResult) => r.explanations.map((e) => `${e.package}/${e.channel}: ${e.bundle} (${e.reasons.join(',')})`);
const codes = (r: SelectionResult) => r.issues.map((i) => `${i.severity} ${i.code}${i.package ? ` ${i.package}` : ''}${i.channel ? `/${i.channel}` : ''}`);

interface Case {
  name: string;
  catalog: (Package | Channel | Bundle)[];
  filter: OperatorFilter;
  kept: string[];
  issues?: string[];
  defaultChannels?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'heads/no packages: the head of every channel of every package',
    catalog: [...A, ...B],
    filter: {},
    kept: ['a/fast: a.v2.1.0 (head)', 'a/stable: a.v2.0.0 (head)', 'b/stable: b.v2.0.0 (head)'],
  },
  {
    name: 'heads/a package alone: the head of each of its channels, not only the default',
    catalog: [...A, ...B],
    filter: { packages: [{ name: 'a' }] },
    kept: ['a/fast: a.v2.1.0 (head)', 'a/stable: a.v2.0.0 (head)'],
  },
  {
    name: 'full/no packages: everything',
    catalog: [...B],
    filter: { full: true },
    kept: ['b/stable: b.v1.0.0 (full)', 'b/stable: b.v2.0.0 (full)'],
  },
  {
    name: 'full/a listed channel: every bundle of that channel only',
    catalog: [...A, ...B],
    filter: { full: true, packages: [{ name: 'a', channels: [{ name: 'stable' }] }] },
    kept: ['a/stable: a.v1.0.0 (full)', 'a/stable: a.v1.1.0 (full)', 'a/stable: a.v1.2.0 (full)', 'a/stable: a.v2.0.0 (full)'],
  },
  {
    name: 'channels/only the listed channel, its head',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable' }] }] },
    kept: ['a/stable: a.v2.0.0 (head)'],
  },
  {
    name: 'range/package minVersion applies to every channel; the head stays because it is in range',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minVersion: '1.2.0' }] },
    kept: ['a/fast: a.v1.2.0 (in-range)', 'a/fast: a.v2.0.0 (in-range)', 'a/fast: a.v2.1.0 (in-range)', 'a/stable: a.v1.2.0 (in-range)', 'a/stable: a.v2.0.0 (in-range)'],
  },
  {
    name: 'range/package maxVersion: the channel head becomes the highest bundle in range',
    catalog: [...A],
    filter: { packages: [{ name: 'a', maxVersion: '1.1.0' }] },
    kept: ['a/fast: a.v1.0.0 (in-range)', 'a/fast: a.v1.1.0 (in-range)', 'a/stable: a.v1.0.0 (in-range)', 'a/stable: a.v1.1.0 (in-range)'],
  },
  {
    name: 'range/min and max on a channel: the channel head is not added',
    catalog: [...A],
    filter: { packages: [{ name: 'a', defaultChannel: 'fast', channels: [{ name: 'fast', minVersion: '1.1.0', maxVersion: '2.0.0' }] }] },
    kept: ['a/fast: a.v1.1.0 (in-range)', 'a/fast: a.v1.2.0 (in-range)', 'a/fast: a.v2.0.0 (in-range)'],
    defaultChannels: { a: 'fast' },
  },
  {
    name: 'range/a leading v and a missing patch are accepted (blang ParseTolerant)',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable', minVersion: 'v2.0' }] }] },
    kept: ['a/stable: a.v2.0.0 (in-range)'],
  },
  {
    name: 'range/empty non-default channels are dropped, in-range ones kept',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minVersion: '2.1.0', defaultChannel: 'fast' }] },
    kept: ['a/fast: a.v2.1.0 (in-range)'],
    defaultChannels: { a: 'fast' },
  },
  {
    name: 'graph/replaces: out-of-range bundles between the selected ones are kept and reported',
    catalog: [
      pkg('r'),
      // Versions out of chain order: 1.5.0 was published between 2.0.0 and 2.1.0 (a hotfix line).
      channel('r', 'stable', [{ name: 'r.v2.0.0' }, { name: 'r.v1.5.0', replaces: 'r.v2.0.0' }, { name: 'r.v2.1.0', replaces: 'r.v1.5.0' }]),
      bundle('r', '2.0.0'),
      bundle('r', '1.5.0'),
      bundle('r', '2.1.0'),
    ],
    filter: { packages: [{ name: 'r', minVersion: '2.0.0' }] },
    kept: ['r/stable: r.v1.5.0 (needed-for-upgrade-graph)', 'r/stable: r.v2.0.0 (in-range)', 'r/stable: r.v2.1.0 (in-range)'],
  },
  {
    name: 'graph/skips: a skipped bundle in range needs no chain when its skipper is kept',
    catalog: [...S],
    filter: { packages: [{ name: 's', minVersion: '3.0.0', maxVersion: '4.0.0' }] },
    // 3.0.0 replaces 2.0.0 and 4.0.0 too: two heads would remain, 4.0.0 skips 3.0.0 so 4.0.0 is the one head.
    kept: ['s/stable: s.v3.0.0 (in-range)', 's/stable: s.v4.0.0 (in-range)'],
  },
  {
    name: 'graph/skips: a pulled (skipped) release alone in range becomes a one-bundle channel',
    catalog: [...S],
    filter: { packages: [{ name: 's', minVersion: '3.0.0', maxVersion: '3.0.0' }] },
    kept: ['s/stable: s.v3.0.0 (in-range)'],
  },
  {
    name: 'graph/skips: bundles skipped by an out-of-range head are joined through it',
    catalog: [...K],
    filter: { packages: [{ name: 'k', maxVersion: '2.0.0' }] },
    kept: ['k/stable: k.v1.0.0 (in-range)', 'k/stable: k.v2.0.0 (in-range)', 'k/stable: k.v4.0.0 (needed-for-upgrade-graph)'],
  },
  {
    name: 'graph/skipRange: covering a bundle is not enough for opm, the replaces chain down to it is kept',
    catalog: [
      pkg('t'),
      channel('t', 'stable', [{ name: 't.v1.0.0' }, { name: 't.v2.0.0', replaces: 't.v1.0.0' }, { name: 't.v3.0.0', replaces: 't.v2.0.0', skipRange: '<3.0.0' }]),
      ...['1.0.0', '2.0.0', '3.0.0'].map((v) => bundle('t', v)),
    ],
    filter: { packages: [{ name: 't', bundles: ['t.v1.0.0', 't.v3.0.0'] }] },
    // OLM would upgrade 1.0.0 → 3.0.0 through the skipRange, but opm validate calls 1.0.0 stranded without 2.0.0.
    kept: ['t/stable: t.v1.0.0 (listed)', 't/stable: t.v2.0.0 (needed-for-upgrade-graph)', 't/stable: t.v3.0.0 (listed)'],
  },
  {
    name: 'graph/skipRange: a range below the head keeps the chain the head needs and not the head',
    catalog: [...S],
    filter: { packages: [{ name: 's', minVersion: '1.0.0', maxVersion: '2.0.0' }] },
    kept: ['s/stable: s.v1.0.0 (in-range)', 's/stable: s.v2.0.0 (in-range)'],
  },
  {
    name: 'bundles/listed bundles with the chain that connects them',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable' }], bundles: ['a.v1.0.0', 'a.v1.2.0'] }] },
    kept: ['a/stable: a.v1.0.0 (listed)', 'a/stable: a.v1.1.0 (needed-for-upgrade-graph)', 'a/stable: a.v1.2.0 (listed)'],
  },
  {
    name: 'default/filtered out without an override: an error naming the default and the kept channels',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'fast' }] }] },
    kept: ['a/fast: a.v2.1.0 (head)'],
    issues: ['error default-channel-filtered-out a/stable'],
  },
  {
    name: 'default/filtered out with an override naming a kept channel',
    catalog: [...A],
    filter: { packages: [{ name: 'a', defaultChannel: 'fast', channels: [{ name: 'fast' }] }] },
    kept: ['a/fast: a.v2.1.0 (head)'],
    defaultChannels: { a: 'fast' },
  },
  {
    name: 'default/an override naming a channel that is not kept',
    catalog: [...A],
    filter: { packages: [{ name: 'a', defaultChannel: 'beta', channels: [{ name: 'stable' }] }] },
    kept: ['a/stable: a.v2.0.0 (head)'],
    issues: ['error default-channel-not-kept a/beta'],
  },
  {
    name: 'errors/unknown package and channel',
    catalog: [...A],
    filter: { packages: [{ name: 'zz' }, { name: 'a', channels: [{ name: 'stable' }, { name: 'nope' }] }] },
    kept: ['a/stable: a.v2.0.0 (head)'],
    issues: ['error channel-not-found a/nope', 'error package-not-found zz'],
  },
  {
    name: 'errors/an unknown listed bundle; nothing else listed leaves the package empty',
    catalog: [...A],
    filter: { packages: [{ name: 'a', bundles: ['a.v9'] }] },
    kept: [],
    issues: ['error package-empty a', 'error bundle-not-found a'],
  },
  {
    name: 'errors/min above max',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minVersion: '2.0.0', maxVersion: '1.0.0' }] },
    kept: [],
    issues: ['error version-invalid a'],
  },
  {
    name: 'deps/package and gvk dependencies, transitive, the head-most satisfying bundle',
    catalog: [...DEPS],
    filter: { packages: [{ name: 'app' }] },
    kept: [
      'app/stable: app.v1.0.0 (head)',
      'db/stable: db.v2.0.0 (dependency-of:app.v1.0.0)',
      'lib/stable: lib.v1.0.0 (dependency-of:db.v2.0.0)',
      'lib/stable: lib.v1.1.0 (needed-for-upgrade-graph)',
      'lib/stable: lib.v1.2.0 (dependency-of:app.v1.0.0)',
    ],
  },
  {
    name: 'deps/a dependency already selected is not added twice, only explained',
    catalog: [...DEPS],
    filter: { packages: [{ name: 'app' }, { name: 'lib' }, { name: 'db', channels: [{ name: 'stable', maxVersion: '1.0.0' }] }] },
    kept: ['app/stable: app.v1.0.0 (head)', 'db/stable: db.v1.0.0 (in-range,dependency-of:app.v1.0.0)', 'lib/stable: lib.v1.2.0 (head,dependency-of:app.v1.0.0)'],
  },
  {
    name: 'deps/unresolvable dependencies are warnings, not silently dropped',
    catalog: [...DEPS],
    filter: { packages: [{ name: 'orphan' }] },
    kept: ['orphan/stable: orphan.v1.0.0 (head)'],
    issues: ['warning dependency-unresolved orphan', 'warning dependency-unresolved orphan'],
  },
  {
    name: 'deps/skipDependencies turns resolution off',
    catalog: [...DEPS],
    filter: { skipDependencies: true, packages: [{ name: 'app' }] },
    kept: ['app/stable: app.v1.0.0 (head)'],
  },
  {
    name: 'minBundle/package level: that bundle up to the head, in every channel holding it',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minBundle: 'a.v1.2.0' }] },
    kept: ['a/fast: a.v1.2.0 (from-min-bundle)', 'a/fast: a.v2.0.0 (from-min-bundle)', 'a/fast: a.v2.1.0 (from-min-bundle)', 'a/stable: a.v1.2.0 (from-min-bundle)', 'a/stable: a.v2.0.0 (from-min-bundle)'],
  },
  {
    name: 'minBundle/package level: channels without the bundle are left out',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minBundle: 'a.v2.1.0', defaultChannel: 'fast' }] },
    kept: ['a/fast: a.v2.1.0 (from-min-bundle)'],
    defaultChannels: { a: 'fast' },
  },
  {
    name: 'minBundle/channel level, only that channel',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable', minBundle: 'a.v1.1.0' }] }] },
    kept: ['a/stable: a.v1.1.0 (from-min-bundle)', 'a/stable: a.v1.2.0 (from-min-bundle)', 'a/stable: a.v2.0.0 (from-min-bundle)'],
  },
  {
    name: 'minBundle/skips are upgrade edges too: a pulled bundle reaches the head through its skipper',
    catalog: [...S],
    filter: { packages: [{ name: 's', minBundle: 's.v3.0.0' }] },
    kept: ['s/stable: s.v3.0.0 (from-min-bundle)', 's/stable: s.v4.0.0 (from-min-bundle)', 's/stable: s.v5.0.0 (from-min-bundle)'],
  },
  {
    name: 'minBundle/with maxVersion: from the bundle up to the highest version in range',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable', minBundle: 'a.v1.1.0', maxVersion: '1.2.0' }] }] },
    kept: ['a/stable: a.v1.1.0 (from-min-bundle)', 'a/stable: a.v1.2.0 (from-min-bundle)'],
  },
  {
    name: 'minBundle/the channel filter replaces the package one',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minBundle: 'a.v2.0.0', channels: [{ name: 'stable', minBundle: 'a.v1.2.0' }] }] },
    kept: ['a/stable: a.v1.2.0 (from-min-bundle)', 'a/stable: a.v2.0.0 (from-min-bundle)'],
    issues: ['warning range-conflict a/stable'],
  },
  {
    name: 'minBundle/an unknown bundle is an error, never a silent fallback to the head',
    catalog: [...A],
    filter: { packages: [{ name: 'a', minBundle: 'a.v9.0.0' }] },
    kept: [],
    issues: ['error bundle-not-found a'],
  },
  {
    name: 'minBundle/a channel minBundle outside that channel is an error',
    catalog: [...A],
    filter: { packages: [{ name: 'a', channels: [{ name: 'stable', minBundle: 'a.v2.1.0' }] }] },
    kept: [],
    issues: ['error package-empty a', 'error bundle-not-found a/stable'],
  },
];

for (const c of cases) {
  test(`select/${c.name}`, () => {
    const r = selectOperators(catalogOf(...c.catalog), c.filter);
    assert.deepEqual(picture(r), c.kept);
    assert.deepEqual(codes(r), c.issues ?? []);
    for (const [p, ch] of Object.entries(c.defaultChannels ?? {})) assert.equal(r.catalog.packages.find((x) => x.name === p)?.defaultChannel, ch);
    if ((c.issues ?? []).every((i) => !i.startsWith('error'))) {
      assert.deepEqual(validateCatalog(r.catalog).filter((i) => i.severity !== 'warning'), []);
    }
  });
}

test('select/the filtered catalog holds only kept objects, entries keep their edges, deprecations are trimmed', () => {
  const cat = catalogOf(...A);
  cat.deprecations.push({
    schema: 'olm.deprecations',
    package: 'a',
    entries: [
      { reference: { schema: 'olm.package' }, message: 'a is deprecated' },
      { reference: { schema: 'olm.channel', name: 'fast' }, message: 'fast is deprecated' },
      { reference: { schema: 'olm.bundle', name: 'a.v1.0.0' }, message: '1.0.0 is deprecated' },
      { reference: { schema: 'olm.bundle', name: 'a.v2.0.0' }, message: '2.0.0 is deprecated' },
    ],
  });
  const r = selectOperators(cat, { packages: [{ name: 'a', channels: [{ name: 'stable', minVersion: '1.2.0' }] }] });
  assert.deepEqual(r.catalog.channels.map((c) => [c.name, c.entries]), [['stable', [{ name: 'a.v1.2.0', replaces: 'a.v1.1.0' }, { name: 'a.v2.0.0', replaces: 'a.v1.2.0' }]]]);
  assert.deepEqual(r.catalog.bundles.map((b) => b.name), ['a.v1.2.0', 'a.v2.0.0']);
  assert.deepEqual(r.catalog.deprecations[0]?.entries.map((e) => e.message), ['a is deprecated', '2.0.0 is deprecated']);
  assert.deepEqual(r.issues, []);
});

test('select/the result does not depend on the order of the input', () => {
  const forward = selectOperators(catalogOf(...DEPS, ...A), { packages: [{ name: 'app' }, { name: 'a', minVersion: '1.1.0' }] });
  const backward = selectOperators(catalogOf(...[...A].reverse(), ...[...DEPS].reverse()), { packages: [{ name: 'a', minVersion: '1.1.0' }, { name: 'app' }] });
  assert.deepEqual(backward.explanations, forward.explanations);
  assert.deepEqual(backward.catalog.packages, forward.catalog.packages);
  assert.deepEqual(backward.catalog.bundles, forward.catalog.bundles);
});
