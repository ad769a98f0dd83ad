// The offline REST mapping: built-in kinds with their plural and scope, kinds the bundle's CRDs define, unknown kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceOf, splitApiVersion } from './installer-kinds.js';
import type { ManifestObject } from './manifests.js';

const crd = (scope: string): ManifestObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' }, spec: { group: 'example.com', scope, names: { kind: 'Gadget', plural: 'gadgets' } } });

const cases: { name: string; apiVersion: string; kind: string; crds?: ManifestObject[]; want: ReturnType<typeof resourceOf> }[] = [
  { name: 'core group is ""', apiVersion: 'v1', kind: 'ServiceAccount', want: { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true } },
  { name: 'cluster-scoped built-in', apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', want: { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', namespaced: false } },
  { name: 'irregular plural', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', want: { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespaced: true } },
  { name: 'namespaced CRD kind', apiVersion: 'example.com/v1', kind: 'Gadget', crds: [crd('Namespaced')], want: { group: 'example.com', version: 'v1', resource: 'gadgets', namespaced: true } },
  { name: 'cluster CRD kind', apiVersion: 'example.com/v1', kind: 'Gadget', crds: [crd('Cluster')], want: { group: 'example.com', version: 'v1', resource: 'gadgets', namespaced: false } },
  { name: 'a kind in the wrong group is unknown', apiVersion: 'other.com/v1', kind: 'Gadget', crds: [crd('Namespaced')], want: undefined },
  { name: 'unknown kind', apiVersion: 'v1', kind: 'Pod', want: undefined },
];

for (const c of cases) test(`install/installer-kinds/${c.name}`, () => assert.deepEqual(resourceOf(c.apiVersion, c.kind, c.crds ?? []), c.want));

test('install/installer-kinds/splitApiVersion', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('rbac.authorization.k8s.io/v1'), { group: 'rbac.authorization.k8s.io', version: 'v1' });
});
