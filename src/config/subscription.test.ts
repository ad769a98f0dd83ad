// Table tests for subscription.ts: the operators.coreos.com/v1alpha1 shape, defaults, and file:line issues naming
// the field for bad input (unknown apiVersion or kind, missing required fields, a bad installPlanApproval).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubscription, peekKind } from './subscription.js';

const FULL = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: my-argocd
  namespace: argocd
spec:
  name: argocd-operator
  channel: alpha
  startingCSV: argocd-operator.v0.5.0
  installPlanApproval: Manual
  source: community-operators
  sourceNamespace: openshift-marketplace
  config:
    env: [{ name: A, value: b }]
`;

test('subscription/every field', () => {
  const r = parseSubscription(FULL, 'sub.yaml');
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.spec, {
    name: 'my-argocd',
    namespace: 'argocd',
    package: 'argocd-operator',
    channel: 'alpha',
    startingCSV: 'argocd-operator.v0.5.0',
    installPlanApproval: 'Manual',
    source: 'community-operators',
    sourceLine: 11,
    sourceNamespace: 'openshift-marketplace',
  });
});

test('subscription/defaults: no channel, no startingCSV, Automatic approval', () => {
  const r = parseSubscription('apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  name: p\n  source: c\n  sourceNamespace: ns\n', 's.yaml');
  assert.deepEqual(r.spec, { name: '', package: 'p', installPlanApproval: 'Automatic', source: 'c', sourceLine: 5, sourceNamespace: 'ns' });
});

const BAD: { name: string; text: string; code: string; path: string; line: number }[] = [
  { name: 'error/unknown apiVersion', text: 'apiVersion: operators.coreos.com/v1\nkind: Subscription\nspec: {}\n', code: 'API_VERSION_UNSUPPORTED', path: 'apiVersion', line: 1 },
  { name: 'error/unknown kind', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscriptions\nspec:\n  name: p\n  source: c\n  sourceNamespace: n\n', code: 'KIND_UNSUPPORTED', path: 'kind', line: 2 },
  { name: 'error/spec.name missing', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  source: c\n  sourceNamespace: n\n', code: 'FIELD_REQUIRED', path: 'spec.name', line: 4 },
  { name: 'error/spec.source missing', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  name: p\n  sourceNamespace: n\n', code: 'FIELD_REQUIRED', path: 'spec.source', line: 4 },
  { name: 'error/bad approval', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  name: p\n  source: c\n  sourceNamespace: n\n  installPlanApproval: Auto\n', code: 'VALUE_INVALID', path: 'spec.installPlanApproval', line: 7 },
  { name: 'error/typo with a guess', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  name: p\n  source: c\n  sourceNamespace: n\n  startingCsv: x\n', code: 'FIELD_UNKNOWN', path: 'spec.startingCsv', line: 7 },
  { name: 'error/channel is a number', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  name: p\n  source: c\n  sourceNamespace: n\n  channel: 1.0\n', code: 'TYPE_MISMATCH', path: 'spec.channel', line: 7 },
];

for (const c of BAD) {
  test(`subscription/${c.name}`, () => {
    const r = parseSubscription(c.text, 'bad.yaml');
    assert.equal(r.spec, undefined);
    const hit = r.issues.find((i) => i.code === c.code);
    assert.ok(hit, JSON.stringify(r.issues));
    assert.equal(hit.path, c.path);
    assert.equal(hit.line, c.line);
    assert.equal(hit.file, 'bad.yaml');
  });
}

test('subscription/peekKind reads the top-level kind only', () => {
  assert.equal(peekKind(FULL), 'Subscription');
  assert.equal(peekKind('apiVersion: x\nkind: "ClusterExtension"\n'), 'ClusterExtension');
  assert.equal(peekKind('spec:\n  kind: Subscription\n'), undefined);
});
