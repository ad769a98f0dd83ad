// Test data: a registry+v1 bundle as OLM v1 renders it (an operator with a CRD, its Deployment and ServiceAccount,
// clusterPermissions and permissions as roles and bindings, a webhook Service and configuration), built by hand.
import type { ExtensionIdentity, ManifestObject } from './manifests.js';

export const FIXTURE_EXT: ExtensionIdentity = { name: 'argocd', namespace: 'argocd-system', serviceAccount: 'argocd-installer' };

const NS = FIXTURE_EXT.namespace;
const SA = 'argocd-operator-controller-manager';
const RBAC = 'rbac.authorization.k8s.io/v1';

export function renderedFixture(): ManifestObject[] {
  return [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'argocds.argoproj.io' },
      spec: { group: 'argoproj.io', scope: 'Namespaced', names: { kind: 'ArgoCD', plural: 'argocds', singular: 'argocd' }, versions: [{ name: 'v1beta1', served: true, storage: true }] },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: NS } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: SA, namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { control: SA } }, template: { metadata: { labels: { control: SA } }, spec: { serviceAccountName: SA, containers: [{ name: 'manager', image: 'quay.io/argoprojlabs/argocd-operator@sha256:0123' }] } } },
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'argocd-operator.v0.13.0-7b9f4d' },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['*'] },
        { apiGroups: ['argoproj.io'], resources: ['argocds', 'argocds/status', 'argocds/finalizers'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'argocd-operator.v0.13.0-7b9f4d' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-operator.v0.13.0-7b9f4d' },
      subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
    },
    {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'argocd-operator.v0.13.0-5c8e1a', namespace: NS },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'argocd-operator.v0.13.0-5c8e1a', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'argocd-operator.v0.13.0-5c8e1a' },
      subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'argocd-operator-webhook-service', namespace: NS }, spec: { ports: [{ port: 443, targetPort: 9443 }], selector: { control: SA } } },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'vargocd.kb.io' },
      webhooks: [{ name: 'vargocd.kb.io', clientConfig: { service: { name: 'argocd-operator-webhook-service', namespace: NS, path: '/validate' } }, sideEffects: 'None', admissionReviewVersions: ['v1'] }],
    },
  ];
}
