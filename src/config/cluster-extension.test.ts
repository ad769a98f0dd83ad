// Table tests for cluster-extension.ts: the v1 and v1alpha1 shapes, defaults, and file:line issues for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClusterExtension } from './cluster-extension.js';

const V1 = `apiVersion: olm.operatorframework.io/v1
kind: ClusterExtension
metadata:
  name: argocd
  labels: { a: b }
spec:
  namespace: argocd
  serviceAccount:
    name: argocd-installer
  source:
    sourceType: Catalog
    catalog:
      packageName: argocd-operator
      version: ">=0.6.0, <0.8.0"
      channels: [alpha, beta]
      upgradeConstraintPolicy: SelfCertified
`;

test('cluster-extension/v1', () => {
  const r = parseClusterExtension(V1, 'ce.yaml');
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.spec, {
    apiVersion: 'olm.operatorframework.io/v1',
    name: 'argocd',
    packageName: 'argocd-operator',
    channels: ['alpha', 'beta'],
    version: '>=0.6.0, <0.8.0',
    versionLine: 14,
    upgradeConstraintPolicy: 'SelfCertified',
    namespace: 'argocd',
    serviceAccount: 'argocd-installer',
  });
});

test('cluster-extension/v1alpha1 (OpenShift 4.16/4.17 shape)', () => {
  const text = `apiVersion: olm.operatorframework.io/v1alpha1
kind: ClusterExtension
metadata:
  name: pipes
spec:
  packageName: openshift-pipelines-operator-rh
  channel: latest
  version: 1.14.x
  installNamespace: openshift-operators
  serviceAccount:
    name: pipes-installer
`;
  const r = parseClusterExtension(text, 'ce.yaml');
  assert.deepEqual(r.issues, []);
  assert.equal(r.spec?.packageName, 'openshift-pipelines-operator-rh');
  assert.deepEqual(r.spec?.channels, ['latest']);
  assert.equal(r.spec?.version, '1.14.x');
  assert.equal(r.spec?.namespace, 'openshift-operators');
  assert.equal(r.spec?.upgradeConstraintPolicy, 'CatalogProvided');
});

const SELECTOR_HEAD = 'apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nspec:\n  namespace: x\n  source:\n    sourceType: Catalog\n    catalog:\n      packageName: p\n      selector:\n';

test('cluster-extension/v1 selector: matchLabels and matchExpressions; null or absent means every catalog', () => {
  const r = parseClusterExtension(`${SELECTOR_HEAD}        matchLabels:\n          olm.operatorframework.io/metadata.name: redhat\n        matchExpressions:\n          - {key: tier, operator: NotIn, values: [community]}\n          - {key: region, operator: Exists}\n`, 'ce.yaml');
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.spec?.selector, {
    matchLabels: { 'olm.operatorframework.io/metadata.name': 'redhat' },
    matchExpressions: [
      { key: 'tier', operator: 'NotIn', values: ['community'] },
      { key: 'region', operator: 'Exists' },
    ],
  });
  const nul = parseClusterExtension(SELECTOR_HEAD.replace('selector:\n', 'selector: null\n'), 'ce.yaml');
  assert.deepEqual(nul.issues, []);
  assert.equal(nul.spec?.selector, undefined);
  assert.equal(parseClusterExtension(V1, 'ce.yaml').spec?.selector, undefined);
});

const bad: [name: string, text: string, code: string, line: number, path: string][] = [
  ['unknown apiVersion', 'apiVersion: olm.operatorframework.io/v2\nkind: ClusterExtension\nspec: {}\n', 'API_VERSION_UNSUPPORTED', 1, 'apiVersion'],
  ['wrong kind', 'apiVersion: olm.operatorframework.io/v1\nkind: Subscription\nspec:\n  namespace: x\n  source: {sourceType: Catalog, catalog: {packageName: p}}\n', 'KIND_UNSUPPORTED', 2, 'kind'],
  ['missing package', 'apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nspec:\n  namespace: x\n  source:\n    sourceType: Catalog\n    catalog:\n      version: 1.x\n', 'FIELD_REQUIRED', 8, 'spec.source.catalog.packageName'],
  ['bad policy', 'apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nspec:\n  namespace: x\n  source:\n    sourceType: Catalog\n    catalog:\n      packageName: p\n      upgradeConstraintPolicy: Whatever\n', 'VALUE_INVALID', 9, 'spec.source.catalog.upgradeConstraintPolicy'],
  ['typo', 'apiVersion: olm.operatorframework.io/v1alpha1\nkind: ClusterExtension\nspec:\n  packageName: p\n  channels: [a]\n', 'FIELD_UNKNOWN', 5, 'spec.channels'],
  ['yaml syntax', 'apiVersion: [\n', 'YAML_SYNTAX', 2, ''],
  ['selector operator', `${SELECTOR_HEAD}        matchExpressions:\n          - key: tier\n            operator: Equals\n            values: [a]\n`, 'VALUE_INVALID', 12, 'spec.source.catalog.selector.matchExpressions[0].operator'],
  ['selector In without values', `${SELECTOR_HEAD}        matchExpressions:\n          - key: tier\n            operator: In\n`, 'VALUE_INVALID', 11, 'spec.source.catalog.selector.matchExpressions[0].values'],
  ['selector field typo', `${SELECTOR_HEAD}        matchLabel: {a: b}\n`, 'FIELD_UNKNOWN', 10, 'spec.source.catalog.selector.matchLabel'],
];

for (const [name, text, code, line, path] of bad) {
  test(`cluster-extension/error/${name}`, () => {
    const r = parseClusterExtension(text, 'ce.yaml');
    assert.equal(r.spec, undefined);
    const issue = r.issues.find((i) => i.severity === 'error');
    assert.ok(issue, 'an error issue');
    assert.deepEqual({ code: issue.code, line: issue.line, path: issue.path, file: issue.file }, { code, line, path, file: 'ce.yaml' });
  });
}
