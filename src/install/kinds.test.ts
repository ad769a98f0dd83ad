import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceOf } from './kinds.js';
import type { ManifestObject } from './manifests.js';

const crd: ManifestObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' } },
};
const nsCrd: ManifestObject = { ...crd, metadata: { name: 'gadgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Gadget', plural: 'gadgets' } } };

const cases: [string, string, string, ReturnType<typeof resourceOf>][] = [
  ['core/service', 'v1', 'Service', { group: '', version: 'v1', resource: 'services', namespaced: true }],
  ['core/namespace is cluster-scoped', 'v1', 'Namespace', { group: '', version: 'v1', resource: 'namespaces', namespaced: false }],
  ['apps/deployment', 'apps/v1', 'Deployment', { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }],
  ['rbac/clusterrole', 'rbac.authorization.k8s.io/v1', 'ClusterRole', { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false }],
  ['vpa is namespaced (unlike OLM table)', 'autoscaling.k8s.io/v1', 'VerticalPodAutoscaler', { group: 'autoscaling.k8s.io', version: 'v1', resource: 'verticalpodautoscalers', namespaced: true }],
  ['crd/cluster-scoped', 'example.com/v1alpha1', 'Widget', { group: 'example.com', version: 'v1alpha1', resource: 'widgets', namespaced: false }],
  ['crd/namespaced', 'example.com/v1', 'Gadget', { group: 'example.com', version: 'v1', resource: 'gadgets', namespaced: true }],
  ['cert-manager/certificate (a group with a hyphen)', 'cert-manager.io/v1', 'Certificate', { group: 'cert-manager.io', version: 'v1', resource: 'certificates', namespaced: true }],
  ['unknown/kind', 'example.com/v1', 'Gizmo', undefined],
  ['unknown/wrong group for a known kind', 'extensions/v1beta1', 'Deployment', undefined],
  ['invalid/apiVersion', 'a/b/c', 'Service', undefined],
];

for (const [name, apiVersion, kind, want] of cases) {
  test(`kinds/${name}`, () => {
    assert.deepEqual(resourceOf(apiVersion, kind, [crd, nsCrd]), want);
  });
}
