import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { clusterExtensionObject, olmV0InstallSet, operatorGroupTargets, type ClusterExtensionRequest } from './install-set.js';

const CE: ClusterExtensionRequest = { name: 'p', namespace: 'p-ns', serviceAccount: 'p-installer', package: 'p', channels: ['stable'], version: '>=1.0.0 <2.0.0', upgradeConstraintPolicy: 'CatalogProvided', withServiceAccount: true };

test('install-set/cluster extension v1 keeps the asked range and channels, leaves defaults out', () => {
  const o = clusterExtensionObject(CE);
  assert.deepEqual(o.spec, { namespace: 'p-ns', serviceAccount: { name: 'p-installer' }, source: { sourceType: 'Catalog', catalog: { packageName: 'p', channels: ['stable'], version: '>=1.0.0 <2.0.0' } } });
  const bare = clusterExtensionObject({ ...CE, channels: [], version: '', withServiceAccount: false, upgradeConstraintPolicy: 'SelfCertified', watchNamespace: 'w' });
  assert.deepEqual(bare.spec, { namespace: 'p-ns', source: { sourceType: 'Catalog', catalog: { packageName: 'p', upgradeConstraintPolicy: 'SelfCertified' } }, config: { configType: 'Inline', inline: { watchNamespace: 'w' } } });
});

test('install-set/cluster extension v1alpha1 shape, one channel only', () => {
  const o = clusterExtensionObject({ ...CE, v1alpha1: true });
  assert.equal(o.apiVersion, 'olm.operatorframework.io/v1alpha1');
  assert.deepEqual(o.spec, { packageName: 'p', installNamespace: 'p-ns', channel: 'stable', version: '>=1.0.0 <2.0.0', serviceAccount: { name: 'p-installer' } });
  assert.throws(() => clusterExtensionObject({ ...CE, v1alpha1: true, channels: ['a', 'b'] }), (e) => isGantryError(e) && e.code === 'USAGE');
});

const cases: { name: string; modes: string[] | null; watch?: string; want: string[] | 'error' }[] = [
  { name: 'all namespaces when supported', modes: ['AllNamespaces', 'OwnNamespace'], want: [] },
  { name: 'unknown modes: all namespaces', modes: null, want: [] },
  { name: 'own namespace only', modes: ['OwnNamespace'], want: ['ns'] },
  { name: 'single namespace needs a watch namespace', modes: ['SingleNamespace'], want: 'error' },
  { name: 'single namespace with watch', modes: ['SingleNamespace'], watch: 'w', want: ['w'] },
  { name: 'multi namespace covers a single one', modes: ['MultiNamespace'], watch: 'w', want: ['w'] },
  { name: 'own namespace asked, not supported', modes: ['AllNamespaces'], watch: 'ns', want: 'error' },
  { name: 'own namespace asked explicitly', modes: ['AllNamespaces', 'OwnNamespace'], watch: 'ns', want: ['ns'] },
];
for (const c of cases) {
  test(`install-set/operator group targets: ${c.name}`, () => {
    if (c.want === 'error') assert.throws(() => operatorGroupTargets(c.modes, 'ns', c.watch), (e) => isGantryError(e) && e.code === 'USAGE' && e.hint !== undefined);
    else assert.deepEqual(operatorGroupTargets(c.modes, 'ns', c.watch), c.want);
  });
}

test('install-set/olm v0 set: namespace, operator group, subscription; openshift-operators reuses the global group', () => {
  const req = { name: 'p', namespace: 'p-ns', package: 'p', channel: 'stable', source: 'main', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Manual' as const, installModes: ['OwnNamespace'], startingCSV: 'p.v1.0.0' };
  const set = olmV0InstallSet(req);
  assert.deepEqual(set.map((o) => o.kind), ['Namespace', 'OperatorGroup', 'Subscription']);
  assert.deepEqual(set[1]!.spec, { targetNamespaces: ['p-ns'] });
  assert.deepEqual(set[2]!.spec, { name: 'p', channel: 'stable', source: 'main', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Manual', startingCSV: 'p.v1.0.0' });
  const global = olmV0InstallSet({ ...req, namespace: 'openshift-operators', installModes: ['AllNamespaces'] });
  assert.deepEqual(global.map((o) => o.kind), ['Subscription']);
});
