// Table tests for resolveSubscription, one named case per OLM v0 rule: default channel, startingCSV, the successor
// OLM takes (replaces, skips, skipRange, head-most first), dependencies by package range and GVK, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogModel } from '../catalog/model/catalog-model.js';
import type { ChannelEntry, DeclarativeConfig, Property } from '../catalog/fbc/types.js';
import { isGantryError } from '../errors.js';
import { resolveSubscription } from './resolve-subscription.js';
import type { SubscriptionOptions, SubscriptionResolution } from './subscription-types.js';
import type { NamedCatalog } from './types.js';

interface BundleSpec {
  version: string;
  properties?: Property[];
}
interface PackageSpec {
  /** The first channel when absent. */
  defaultChannel?: string;
  channels: Record<string, ChannelEntry[]>;
  bundles: Record<string, BundleSpec>;
}

function catalog(name: string, priority: number, packages: Record<string, PackageSpec>): NamedCatalog {
  const config: DeclarativeConfig = { packages: [], channels: [], bundles: [], deprecations: [], others: [] };
  for (const [pkg, spec] of Object.entries(packages)) {
    config.packages.push({ schema: 'olm.package', name: pkg, defaultChannel: spec.defaultChannel ?? Object.keys(spec.channels)[0]! });
    for (const [ch, entries] of Object.entries(spec.channels)) config.channels.push({ schema: 'olm.channel', name: ch, package: pkg, entries });
    for (const [b, s] of Object.entries(spec.bundles)) {
      config.bundles.push({ schema: 'olm.bundle', name: b, package: pkg, image: `quay.io/${name}/${b}`, properties: [{ type: 'olm.package', value: { packageName: pkg, version: s.version } }, ...(s.properties ?? [])] });
    }
  }
  return { name, priority, model: buildCatalogModel(config) };
}

const requiresPackage = (packageName: string, versionRange: string): Property => ({ type: 'olm.package.required', value: { packageName, versionRange } });
const requiresGvk = (kind: string): Property => ({ type: 'olm.gvk.required', value: { group: 'example.com', version: 'v1', kind } });
const providesGvk = (kind: string): Property => ({ type: 'olm.gvk', value: { group: 'example.com', version: 'v1', kind } });

// stable (default): 1.0.0 ← 1.1.0 ← 1.2.0; fast: 1.2.0 ← 2.0.0 (skipRange <2.0.0) ← 2.1.0 (skips 2.0.0-like names).
const P: PackageSpec = {
  channels: {
    stable: [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }, { name: 'p.v1.2.0', replaces: 'p.v1.1.0' }],
    fast: [{ name: 'p.v1.2.0' }, { name: 'p.v2.0.0', replaces: 'p.v1.2.0', skipRange: '>=1.0.0 <2.0.0' }, { name: 'p.v2.1.0', replaces: 'p.v2.0.0' }],
  },
  bundles: { 'p.v1.0.0': { version: '1.0.0' }, 'p.v1.1.0': { version: '1.1.0' }, 'p.v1.2.0': { version: '1.2.0' }, 'p.v2.0.0': { version: '2.0.0' }, 'p.v2.1.0': { version: '2.1.0' }, 'p.v0.9.0': { version: '0.9.0' } },
};

const main = catalog('main', 0, { p: P });
const run = (o: Partial<SubscriptionOptions>, catalogs = [main]) => resolveSubscription({ catalogs, package: 'p', source: 'main', ...o });
const steps = (r: SubscriptionResolution) => r.upgradePath.map((s) => `${s.from}>${s.to}:${s.via}`);

const CASES: { name: string; opts: Partial<SubscriptionOptions>; bundle: string | null; channel?: string; path?: string[]; error?: RegExp; note?: RegExp }[] = [
  { name: 'default channel: no channel prefers the default channel head over a higher head elsewhere', opts: {}, bundle: 'p.v1.2.0', channel: 'stable', note: /default channel stable is preferred/ },
  { name: 'channel: the named channel head', opts: { channel: 'fast' }, bundle: 'p.v2.1.0', channel: 'fast' },
  { name: 'startingCSV: that bundle first, not the head', opts: { channel: 'stable', startingCSV: 'p.v1.0.0' }, bundle: 'p.v1.0.0', path: [], note: /startingCSV p\.v1\.0\.0 is installed first/ },
  { name: 'startingCSV not in channel: OLM\'s "no operators found with name"', opts: { channel: 'stable', startingCSV: 'p.v2.0.0' }, bundle: null, error: /^no operators found with name p\.v2\.0\.0 in channel stable of package p in the catalog referenced by subscription p$/ },
  { name: 'replaces chain: one step per replaces to the head', opts: { channel: 'stable', installed: 'p.v1.0.0' }, bundle: 'p.v1.2.0', path: ['p.v1.0.0>p.v1.1.0:replaces', 'p.v1.1.0>p.v1.2.0:replaces'] },
  { name: 'skipRange: the head-most successor wins, jumping the chain', opts: { channel: 'fast', installed: 'p.v1.0.0' }, bundle: 'p.v2.1.0', path: ['p.v1.0.0>p.v2.0.0:skipRange', 'p.v2.0.0>p.v2.1.0:replaces'] },
  { name: 'installed by version', opts: { channel: 'stable', installed: '1.1.0' }, bundle: 'p.v1.2.0', path: ['p.v1.1.0>p.v1.2.0:replaces'] },
  { name: 'installed = head: nothing to walk, it stays', opts: { channel: 'stable', installed: 'p.v1.2.0' }, bundle: 'p.v1.2.0', path: [], note: /no entry of channel stable replaces or skips p\.v1\.2\.0 .*leaves it installed/ },
  { name: 'installed not in channel: nothing names it, it stays', opts: { channel: 'stable', installed: 'p.v2.0.0' }, bundle: 'p.v2.0.0', channel: 'fast', path: [], note: /leaves it installed/ },
  { name: 'installed not in channel: a channel switch where a skipRange includes it', opts: { channel: 'fast', installed: 'p.v1.1.0' }, bundle: 'p.v2.1.0', path: ['p.v1.1.0>p.v2.0.0:skipRange', 'p.v2.0.0>p.v2.1.0:replaces'] },
  { name: 'installed in no channel and below every skipRange: it stays', opts: { channel: 'fast', installed: 'p.v0.9.0' }, bundle: 'p.v0.9.0', path: [], note: /leaves it installed/ },
  { name: 'error/unknown package', opts: { package: 'nope' }, bundle: null, error: /^no operators found in package nope in the catalog referenced by subscription nope$/ },
  { name: 'error/unknown channel', opts: { channel: 'beta', name: 'my-sub' }, bundle: null, error: /^no operators found in channel beta of package p in the catalog referenced by subscription my-sub$/ },
  { name: 'error/spec.source naming a missing catalog', opts: { source: 'redhat-operators' }, bundle: null, error: /^no operators found from catalog redhat-operators referenced by subscription p$/, note: /spec\.source "redhat-operators" names none of the catalogs given \(main\)/ },
];

for (const c of CASES) {
  test(`resolve-subscription/${c.name}`, () => {
    const r = run(c.opts);
    assert.equal(r.olm, 'v0');
    assert.equal(r.bundle?.name ?? null, c.bundle, JSON.stringify(r));
    if (c.channel) assert.equal(r.bundle?.channel, c.channel);
    if (c.path) assert.deepEqual(steps(r), c.path);
    if (c.error) assert.match(r.error ?? '', c.error);
    else assert.equal(r.error, undefined);
    if (c.note) assert.ok(r.notes.some((n) => c.note!.test(n)), JSON.stringify(r.notes));
  });
}

test('resolve-subscription/skips: a bundle that skips the installed one is taken, and skipped entries leave the order', () => {
  const c = catalog('main', 0, {
    p: {
      channels: { stable: [{ name: 'p.v1' }, { name: 'p.v2', replaces: 'p.v1' }, { name: 'p.v3', replaces: 'p.v2', skips: ['p.v1'] }] },
      bundles: { 'p.v1': { version: '1.0.0' }, 'p.v2': { version: '2.0.0' }, 'p.v3': { version: '3.0.0' } },
    },
  });
  const r = run({ installed: 'p.v1' }, [c]);
  assert.deepEqual(steps(r), ['p.v1>p.v3:skips']);
  // p.v1 is skipped by p.v3, so OLM's channel order has no p.v1 and a startingCSV on it has no candidate.
  const start = run({ startingCSV: 'p.v1' }, [c]);
  assert.equal(start.bundle, null);
  assert.match(start.error ?? '', /^constraints not satisfiable: subscription p exists, no operators found matching the criteria of subscription p$/);
});

test('resolve-subscription/installed unknown: a usage error naming it', () => {
  assert.throws(() => run({ installed: 'p.v7' }), (e: unknown) => isGantryError(e) && e.code === 'USAGE' && /installed CSV "p\.v7"/.test(e.message));
});

const Q: PackageSpec = {
  channels: { stable: [{ name: 'q.v1.0.0' }, { name: 'q.v1.5.0', replaces: 'q.v1.0.0' }, { name: 'q.v2.0.0', replaces: 'q.v1.5.0' }] },
  bundles: { 'q.v1.0.0': { version: '1.0.0' }, 'q.v1.5.0': { version: '1.5.0' }, 'q.v2.0.0': { version: '2.0.0' } },
};

test('resolve-subscription/dependency by package range: the head-most bundle inside the range, transitively', () => {
  const c = catalog('main', 0, {
    app: { channels: { stable: [{ name: 'app.v1' }] }, bundles: { 'app.v1': { version: '1.0.0', properties: [requiresPackage('q', '>=1.0.0 <2.0.0')] } } },
    q: { ...Q, bundles: { ...Q.bundles, 'q.v1.5.0': { version: '1.5.0', properties: [requiresGvk('Store')] } } },
    store: { channels: { stable: [{ name: 'store.v1' }] }, bundles: { 'store.v1': { version: '1.0.0', properties: [providesGvk('Store')] } } },
  });
  const r = run({ package: 'app' }, [c]);
  assert.equal(r.bundle?.name, 'app.v1');
  assert.deepEqual(
    r.dependencies.map((d) => [d.bundle, d.requiredBy, d.reason]),
    [
      ['q.v1.5.0', 'app.v1', 'olm.package.required q >=1.0.0 <2.0.0'],
      ['store.v1', 'q.v1.5.0', 'olm.gvk.required example.com/v1/Store'],
    ],
  );
});

test('resolve-subscription/dependency by GVK: the same catalog before a higher-priority one, default channels first', () => {
  const here = catalog('here', 0, {
    app: { channels: { stable: [{ name: 'app.v1' }] }, bundles: { 'app.v1': { version: '1.0.0', properties: [requiresGvk('Widget')] } } },
    // zeta's default channel provides it; alpha provides it only in a non-default channel, so zeta ranks first.
    alpha: { defaultChannel: 'stable', channels: { stable: [{ name: 'alpha.v1' }], extra: [{ name: 'alpha.v2' }] }, bundles: { 'alpha.v1': { version: '1.0.0' }, 'alpha.v2': { version: '2.0.0', properties: [providesGvk('Widget')] } } },
    zeta: { channels: { stable: [{ name: 'zeta.v1' }] }, bundles: { 'zeta.v1': { version: '1.0.0', properties: [providesGvk('Widget')] } } },
  });
  const there = catalog('there', 10, { widgets: { channels: { stable: [{ name: 'widgets.v1' }] }, bundles: { 'widgets.v1': { version: '1.0.0', properties: [providesGvk('Widget')] } } } });
  const r = run({ package: 'app', source: 'here' }, [there, here]);
  assert.deepEqual(r.dependencies.map((d) => `${d.catalog}/${d.channel}/${d.bundle}`), ['here/stable/zeta.v1']);
  // Provided only by the other catalog: found there.
  const lone = catalog('lone', 0, { app: { channels: { stable: [{ name: 'app.v1' }] }, bundles: { 'app.v1': { version: '1.0.0', properties: [requiresGvk('Widget')] } } } });
  const r2 = run({ package: 'app', source: 'lone' }, [lone, there]);
  assert.deepEqual(r2.dependencies.map((d) => `${d.catalog}/${d.bundle}`), ['there/widgets.v1']);
});

test('resolve-subscription/unsatisfiable dependency: OLM\'s "constraints not satisfiable", and an older bundle when the head cannot install', () => {
  const c = catalog('main', 0, {
    app: {
      channels: { stable: [{ name: 'app.v1' }, { name: 'app.v2', replaces: 'app.v1' }] },
      bundles: { 'app.v1': { version: '1.0.0' }, 'app.v2': { version: '2.0.0', properties: [requiresPackage('q', '>=3.0.0')] } },
    },
    q: Q,
  });
  const fallback = run({ package: 'app' }, [c]);
  assert.equal(fallback.bundle?.name, 'app.v1');
  assert.ok(fallback.notes.includes('app.v1 is chosen because app.v2, ranked before it, cannot install: bundle app.v2 requires an operator with package: q and with version in range: >=3.0.0'), JSON.stringify(fallback.notes));
  const r = run({ package: 'app', startingCSV: 'app.v2' }, [c]);
  assert.equal(r.bundle, null);
  assert.equal(r.error, 'constraints not satisfiable: subscription app exists, subscription app requires main/stable/app.v2, bundle app.v2 requires an operator with package: q and with version in range: >=3.0.0');
  // Upgrading: the successor cannot install, so the installed CSV stays.
  const up = run({ package: 'app', installed: 'app.v1' }, [c]);
  assert.equal(up.bundle?.name, 'app.v1');
  assert.deepEqual(up.upgradePath, []);
  assert.ok(up.notes.some((n) => /^app\.v1 stays: no successor can be installed: constraints not satisfiable/.test(n)), JSON.stringify(up.notes));
});

test('resolve-subscription/several channel heads fail the resolution in OLM\'s words', () => {
  const c = catalog('main', 0, { p: { channels: { stable: [{ name: 'p.a' }, { name: 'p.b' }] }, bundles: { 'p.a': { version: '1.0.0' }, 'p.b': { version: '2.0.0' } } } });
  assert.match(run({}, [c]).error ?? '', /^a unique replacement chain within a channel is required .* but 2 replacement chains were found in channel "stable" of package "p": p\.a, p\.b$/);
});

test('resolve-subscription/no spec.source: every catalog with the package, highest priority first, said in a note', () => {
  const low = catalog('low', 0, { p: P });
  const high = catalog('high', 5, { p: { channels: { stable: [{ name: 'p.v1.0.0' }] }, bundles: { 'p.v1.0.0': { version: '1.0.0' } } } });
  const r = resolveSubscription({ catalogs: [low, high], package: 'p', channel: 'stable' });
  assert.equal(r.bundle?.catalog, 'high');
  assert.equal(r.bundle?.name, 'p.v1.0.0');
  assert.ok(r.notes.includes('no source named: catalogs high, low all carry package p; they are tried in that order'), JSON.stringify(r.notes));
});

test('resolve-subscription/a package cannot satisfy its own dependency, and one bundle per package (OLM\'s PackageCannotSelfSatisfy)', () => {
  const community = catalog('community', 0, {
    app: {
      channels: { stable: [{ name: 'opA' }], alpha: [{ name: 'opABC' }] },
      bundles: { opA: { version: '1.0.0', properties: [requiresGvk('One'), requiresGvk('Two')] }, opABC: { version: '1.0.0', properties: [providesGvk('One'), providesGvk('Two')] } },
    },
    another: { channels: { stable: [{ name: 'opB' }], alpha: [{ name: 'opD' }] }, bundles: { opB: { version: '1.0.0', properties: [providesGvk('One')] }, opD: { version: '1.0.0', properties: [providesGvk('One')] } } },
  });
  const secondary = catalog('secondary', 0, {
    another: { channels: { stable: [{ name: 'opC' }] }, bundles: { opC: { version: '1.0.0', properties: [providesGvk('Two')] } } },
    pkgc: { channels: { stable: [{ name: 'opE' }] }, bundles: { opE: { version: '1.0.0', properties: [providesGvk('Two')] } } },
  });
  const r = run({ package: 'app', source: 'community', channel: 'stable' }, [community, secondary]);
  assert.equal(r.bundle?.name, 'opA');
  assert.deepEqual(r.dependencies.map((d) => `${d.catalog}/${d.bundle}`), ['community/opB', 'secondary/opE']);
});

test('resolve-subscription/an olm.deprecated bundle is prohibited', () => {
  const c = catalog('main', 0, { p: { channels: { stable: [{ name: 'p.v1' }] }, bundles: { 'p.v1': { version: '1.0.0', properties: [{ type: 'olm.deprecated', value: {} }] } } } });
  assert.equal(run({}, [c]).error, 'constraints not satisfiable: subscription p exists, subscription p requires main/stable/p.v1, bundle main/stable/p.v1 is deprecated');
});

test('resolve-subscription/dependency from other catalogs: priority first, then catalog name (OLM\'s CatsrcPrioritySorting)', () => {
  const app = catalog('community', 0, { app: { channels: { alpha: [{ name: 'app.v1' }] }, bundles: { 'app.v1': { version: '0.0.1', properties: [requiresPackage('dep', '0.0.1')] } } } });
  const dep = (name: string, priority: number) => catalog(name, priority, { dep: { channels: { alpha: [{ name: 'dep.v1' }] }, bundles: { 'dep.v1': { version: '0.0.1' } } } });
  const from = (catalogs: NamedCatalog[]) => run({ package: 'app', source: 'community' }, catalogs).dependencies.map((d) => d.catalog);
  assert.deepEqual(from([app, dep('community-operator', 0), dep('high-priority-operator', 100)]), ['high-priority-operator']);
  assert.deepEqual(from([app, dep('high-priority-operator', 100), dep('community-operator', 100)]), ['community-operator']);
});

test('resolve-subscription/a sibling requirement takes back an earlier choice: p needs a and b; the newest a needs a c that b refuses', () => {
  const c = catalog('main', 0, {
    app: { channels: { stable: [{ name: 'app.v1' }] }, bundles: { 'app.v1': { version: '1.0.0', properties: [requiresPackage('a', '>=1.0.0'), requiresPackage('b', '>=1.0.0')] } } },
    a: {
      channels: { stable: [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1' }] },
      bundles: { 'a.v1': { version: '1.0.0' }, 'a.v2': { version: '2.0.0', properties: [requiresPackage('c', '>=2.0.0')] } },
    },
    b: { channels: { stable: [{ name: 'b.v1' }] }, bundles: { 'b.v1': { version: '1.0.0', properties: [requiresPackage('c', '<2.0.0')] } } },
    c: { channels: { stable: [{ name: 'c.v1' }, { name: 'c.v2', replaces: 'c.v1' }] }, bundles: { 'c.v1': { version: '1.0.0' }, 'c.v2': { version: '2.0.0' } } },
  });
  const r = resolveSubscription({ catalogs: [c], package: 'app', source: 'main' });
  assert.equal(r.bundle?.name, 'app.v1', r.error);
  assert.deepEqual(r.dependencies.map((d) => d.bundle), ['a.v1', 'b.v1', 'c.v1']);
});
