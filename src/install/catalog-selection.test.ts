// Catalog selection by spec.source.catalog.selector: which catalogs a selector keeps (the name label included), and
// what resolution answers when it keeps one, several or none of them (operator-controller's resolve/catalog.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogModel } from '../catalog/model/catalog-model.js';
import type { LabelSelector } from '../config/rbac-objects.js';
import { CATALOG_NAME_LABEL, selectCatalogs } from './catalog-selection.js';
import { resolveClusterExtension } from './resolve-cluster-extension.js';
import type { NamedCatalog } from './types.js';

type Labeled = { name: string; labels?: Record<string, string> };
const catalogs: Labeled[] = [
  { name: 'redhat', labels: { tier: 'certified', region: 'eu' } },
  { name: 'community', labels: { tier: 'community' } },
  { name: 'mirror' },
];

const cases: Array<[string, LabelSelector | undefined, string[]]> = [
  ['no selector: every catalog', undefined, ['redhat', 'community', 'mirror']],
  ['empty selector: every catalog', {}, ['redhat', 'community', 'mirror']],
  ['by name label', { matchLabels: { [CATALOG_NAME_LABEL]: 'community' } }, ['community']],
  ['by a given label', { matchLabels: { tier: 'certified' } }, ['redhat']],
  ['matchLabels and expressions are ANDed', { matchLabels: { tier: 'certified' }, matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }] }, []],
  ['NotIn keeps catalogs without the label', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['community'] }] }, ['redhat', 'mirror']],
  ['In over names', { matchExpressions: [{ key: CATALOG_NAME_LABEL, operator: 'In', values: ['mirror', 'redhat'] }] }, ['redhat', 'mirror']],
  ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, ['redhat', 'community']],
  ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, ['mirror']],
  ['the name label cannot be overridden by a given label', { matchLabels: { [CATALOG_NAME_LABEL]: 'x' } }, []],
];

for (const [name, selector, want] of cases) {
  test(`install/catalog-selection/${name}`, () => {
    const input: Labeled[] = name.startsWith('the name label') ? [{ name: 'mirror', labels: { [CATALOG_NAME_LABEL]: 'x' } }] : catalogs;
    assert.deepEqual(selectCatalogs(input, selector).map((c) => c.name), want);
  });
}

function named(name: string, version: string): NamedCatalog {
  const model = buildCatalogModel({
    packages: [{ schema: 'olm.package', name: 'p', defaultChannel: 'stable' }],
    channels: [{ schema: 'olm.channel', name: 'stable', package: 'p', entries: [{ name: `p.v${version}` }] }],
    bundles: [{ schema: 'olm.bundle', name: `p.v${version}`, package: 'p', image: `quay.io/${name}/p:${version}`, properties: [{ type: 'olm.package', value: { packageName: 'p', version } }] }],
    deprecations: [],
    others: [],
  });
  return { name, priority: 0, labels: name === 'a' ? { env: 'prod' } : {}, model };
}

test('install/catalog-selection/resolution: a selector settles a tie between catalogs; one that matches none gives operator-controller\'s error', () => {
  const both = [named('a', '1.0.0'), named('b', '2.0.0')];
  const base = { package: 'p', channels: [], upgradeConstraintPolicy: 'CatalogProvided' as const };
  const tie = resolveClusterExtension({ ...base, catalogs: both });
  assert.equal(tie.bundle, null);
  assert.match(tie.error ?? '', /in multiple catalogs with the same priority \[a b\]$/, 'without a selector both catalogs answer, a tie');
  const byLabel = resolveClusterExtension({ ...base, catalogs: both, selector: { matchLabels: { env: 'prod' } } });
  assert.deepEqual([byLabel.bundle?.name, byLabel.bundle?.catalog], ['p.v1.0.0', 'a']);
  assert.ok(!byLabel.rejected.some((r) => r.catalog === 'b'), 'a catalog the selector leaves out has no candidates');
  const none = resolveClusterExtension({ ...base, channels: ['stable'], catalogs: both, selector: { matchLabels: { [CATALOG_NAME_LABEL]: 'c' } } });
  assert.equal(none.bundle, null);
  assert.equal(none.error, 'no bundles found for package "p" in channels [stable]');
});
