import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import type { BundleContent, ManifestObject } from './manifests.js';
import { nameWithSuffix, permissionObjectName, renderRegistryV1, webhookServiceName } from './render-registry-v1.js';

type Obj = Record<string, unknown>;

function content(modes: string[], extra: Obj = {}, objects: ManifestObject[] = []): BundleContent {
  const spec: Obj = {
    installModes: ['AllNamespaces', 'SingleNamespace', 'OwnNamespace', 'MultiNamespace'].map((type) => ({ type, supported: modes.includes(type) })),
    install: {
      strategy: 'deployment',
      spec: {
        deployments: [{ name: 'op.controller', label: { app: 'op' }, spec: { selector: { matchLabels: { app: 'op' } }, template: { metadata: { annotations: { own: 'x' } }, spec: { serviceAccountName: 'op' } } } }],
        permissions: [{ serviceAccountName: 'op', rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] }],
        clusterPermissions: [{ serviceAccountName: 'default', rules: [{ verbs: ['list'], apiGroups: ['example.com'], resources: ['widgets'] }] }],
      },
    },
    ...extra,
  };
  return {
    package: 'op',
    csv: { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'op.v1.0.0', annotations: { 'alm-examples': '[]' } }, spec },
    csvOrigin: 'manifests/csv.yaml:1',
    objects,
    origins: objects.map((_, i) => `manifests/${i}.yaml:1`),
    annotations: {},
  };
}

const ids = (objs: ManifestObject[]) => objs.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`);

test('render/AllNamespaces: permissions become a ClusterRole with the namespaces rule, no Roles', () => {
  const objs = renderRegistryV1(content(['AllNamespaces']), { installNamespace: 'ops' });
  assert.deepEqual(objs.map((o) => o.kind), ['ServiceAccount', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment']);
  const promoted = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name.startsWith('op.v1.0.0-op-'))!;
  assert.deepEqual(promoted.rules, [
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces'] },
  ]);
  const binding = objs.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === promoted.metadata.name)!;
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'op', namespace: 'ops' }]);
  // `default` gets no ServiceAccount object.
  assert.deepEqual(ids(objs.filter((o) => o.kind === 'ServiceAccount')), ['ServiceAccount/ops/op']);
});

test('render/deployment: namespace, labels, CSV annotations merged, olm.targetNamespaces, revisionHistoryLimit', () => {
  const dep = renderRegistryV1(content(['AllNamespaces']), { installNamespace: 'ops' }).find((o) => o.kind === 'Deployment')!;
  assert.deepEqual(dep.metadata, { name: 'op.controller', namespace: 'ops', labels: { app: 'op' } });
  const spec = dep.spec as { revisionHistoryLimit: number; template: { metadata: { annotations: Obj } } };
  assert.equal(spec.revisionHistoryLimit, 1);
  assert.deepEqual(spec.template.metadata.annotations, { 'alm-examples': '[]', own: 'x', 'olm.targetNamespaces': '' });
});

test('render/SingleNamespace: Role and RoleBinding in the watched namespace, subject in the install namespace', () => {
  const objs = renderRegistryV1(content(['SingleNamespace']), { installNamespace: 'ops', watchNamespace: 'apps' });
  const role = objs.find((o) => o.kind === 'Role')!;
  assert.equal(role.metadata.namespace, 'apps');
  const rb = objs.find((o) => o.kind === 'RoleBinding')!;
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  assert.deepEqual(rb.subjects, [{ kind: 'ServiceAccount', name: 'op', namespace: 'ops' }]);
  assert.equal(objs.filter((o) => o.kind === 'ClusterRole').length, 1);
  const dep = objs.find((o) => o.kind === 'Deployment')!;
  assert.equal((dep.spec as { template: { metadata: { annotations: Obj } } }).template.metadata.annotations['olm.targetNamespaces'], 'apps');
});

const refusals: [string, string[], string | undefined, RegExp][] = [
  ['all namespaces unsupported', ['OwnNamespace'], undefined, /^supported install modes \[OwnNamespace\] do not support targeting all namespaces$/],
  ['own namespace unsupported', ['AllNamespaces', 'SingleNamespace'], 'ops', /do not support targeting own namespace$/],
  ['single namespace unsupported', ['AllNamespaces'], 'apps', /do not support target namespaces \[apps\]$/],
];
for (const [name, modes, watch, want] of refusals) {
  test(`render/install modes/${name}`, () => {
    assert.throws(
      () => renderRegistryV1(content(modes), { installNamespace: 'ops', ...(watch ? { watchNamespace: watch } : {}) }),
      (e: unknown) => isGantryError(e) && e.code === 'MANIFEST_UNSUPPORTED' && want.test(e.message),
    );
  });
}

test('render/other objects: namespaced kinds go to the install namespace, cluster-scoped stay bare', () => {
  const objs = renderRegistryV1(
    content(['AllNamespaces'], {}, [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics', namespace: 'elsewhere' } },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' } },
    ]),
    { installNamespace: 'ops' },
  );
  assert.ok(ids(objs).includes('Service/ops/metrics'));
  assert.ok(ids(objs).includes('PriorityClass/-/high'));
});

test('render/webhooks: configuration, its Service, a conversion webhook on the CRD', () => {
  const crd: ManifestObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' } };
  const webhookdefinitions = [
    { type: 'ValidatingAdmissionWebhook', generateName: 'vwidget-', deploymentName: 'op.controller', containerPort: 443, targetPort: 9443, webhookPath: '/validate', sideEffects: 'None', admissionReviewVersions: ['v1'] },
    { type: 'ConversionWebhook', generateName: 'cwidget', deploymentName: 'op.controller', containerPort: 443, targetPort: 9443, conversionCRDs: ['widgets.example.com'], admissionReviewVersions: ['v1'] },
  ];
  const objs = renderRegistryV1(content(['AllNamespaces'], { webhookdefinitions }, [crd]), { installNamespace: 'ops' });
  const vwc = objs.find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
  assert.equal(vwc.metadata.name, 'vwidget');
  assert.deepEqual(vwc.webhooks, [{ name: 'vwidget', clientConfig: { service: { namespace: 'ops', name: 'op-controller-service', path: '/validate', port: 443 } }, sideEffects: 'None', admissionReviewVersions: ['v1'] }]);
  const svc = objs.find((o) => o.kind === 'Service')!;
  assert.deepEqual(svc.metadata, { name: 'op-controller-service', namespace: 'ops' });
  assert.deepEqual(svc.spec, { ports: [{ name: '443', port: 443, targetPort: 9443 }], selector: { app: 'op' } });
  const outCrd = objs.find((o) => o.kind === 'CustomResourceDefinition')!;
  assert.deepEqual((outCrd.spec as Obj).conversion, {
    strategy: 'Webhook',
    webhook: { clientConfig: { service: { namespace: 'ops', name: 'op-controller-service', path: '/', port: 443 } }, conversionReviewVersions: ['v1'] },
  });
});

test('render/names: hashed RBAC names fit 63 characters and follow the permission, service names follow the deployment', () => {
  const a = permissionObjectName('a-very-long-operator-name.v1.22.333-with-suffix', { serviceAccountName: 'controller-manager', rules: [{ verbs: ['get'] }] });
  const b = permissionObjectName('a-very-long-operator-name.v1.22.333-with-suffix', { serviceAccountName: 'controller-manager', rules: [{ verbs: ['list'] }] });
  assert.ok(a.length <= 63 && b.length <= 63);
  assert.notEqual(a, b);
  assert.match(a, /^a-very-long-[a-z-]*-[0-9a-z]{40,44}$/);
  assert.equal(permissionObjectName('x', { serviceAccountName: '', rules: null }), permissionObjectName('x', { serviceAccountName: '', rules: null }));
  assert.equal(webhookServiceName('op.controller'), 'op-controller-service');
  assert.equal(nameWithSuffix('a'.repeat(70), 'service'), `${'a'.repeat(55)}-service`);
});

test('render/determinism: the same input renders the same objects in the same order', () => {
  const c = content(['AllNamespaces']);
  assert.deepEqual(renderRegistryV1(c, { installNamespace: 'ops' }), renderRegistryV1(c, { installNamespace: 'ops' }));
});

test('render/an unsupported kind after a CRD: the hint names its own file', () => {
  const crd: ManifestObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ws.example.com' }, spec: { group: 'example.com', names: { kind: 'W', plural: 'ws' }, scope: 'Namespaced' } };
  const pod: ManifestObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
  assert.throws(
    () => renderRegistryV1(content(['AllNamespaces'], {}, [crd, pod]), { installNamespace: 'ops' }),
    (e) => isGantryError(e) && e.code === 'MANIFEST_UNSUPPORTED' && e.hint === 'read from manifests/1.yaml:1',
  );
});
