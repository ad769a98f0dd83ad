// What a ServiceAccount may do through its bindings, case by case as Kubernetes' RBAC authorizer decides:
// ClusterRoleBindings everywhere, RoleBindings in their namespace, subjects by ServiceAccount, user or group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRbacObjects, type ClusterRole, type ClusterRoleBinding, type Role, type RoleBinding, type Subject } from '../config/rbac-objects.js';
import type { AccessRequest } from './access-request.js';
import { missingRules } from './missing-rules.js';
import { createAuthorizer, findGrant, subjectAllowed, type RbacPolicy } from './subject-allowed.js';

const SA = { namespace: 'argocd', name: 'argocd-installer' };
const saSubject: Subject = { kind: 'ServiceAccount', name: 'argocd-installer', namespace: 'argocd' };
const podsReader: ClusterRole = { kind: 'ClusterRole', name: 'pods-reader', labels: {}, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
const nodesReader: ClusterRole = { kind: 'ClusterRole', name: 'nodes-reader', labels: {}, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }] };
const secretsRole: Role = { kind: 'Role', name: 'secrets', namespace: 'argocd', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] };
const crb = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding => ({ kind: 'ClusterRoleBinding', name, roleRef: { kind: 'ClusterRole', name: roleName }, subjects });
const rb = (name: string, namespace: string, ref: RoleBinding['roleRef'], subjects: Subject[]): RoleBinding => ({ kind: 'RoleBinding', name, namespace, roleRef: ref, subjects });
const policy = (p: Partial<RbacPolicy>): RbacPolicy => ({ roles: [], clusterRoles: [podsReader, nodesReader], bindings: [], clusterBindings: [], ...p });
const getPod = (namespace: string): AccessRequest => ({ verb: 'get', apiGroup: '', resource: 'pods', name: 'p', namespace });
const getNode: AccessRequest = { verb: 'get', apiGroup: '', resource: 'nodes', name: 'n' };
const getMetrics: AccessRequest = { verb: 'get', nonResourceURL: '/metrics' };

const cases: Array<[string, RbacPolicy, AccessRequest, boolean]> = [
  ['clusterrolebinding/grants in every namespace', policy({ clusterBindings: [crb('b', 'pods-reader', [saSubject])] }), getPod('other'), true],
  ['clusterrolebinding/grants cluster-scoped resources', policy({ clusterBindings: [crb('b', 'nodes-reader', [saSubject])] }), getNode, true],
  ['clusterrolebinding/grants non-resource URLs', policy({ clusterBindings: [crb('b', 'nodes-reader', [saSubject])] }), getMetrics, true],
  ['clusterrolebinding/another ServiceAccount is not granted', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'ServiceAccount', name: 'other', namespace: 'argocd' }])] }), getPod('argocd'), false],
  ['clusterrolebinding/the same name in another namespace is another ServiceAccount', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'ServiceAccount', name: 'argocd-installer', namespace: 'default' }])] }), getPod('argocd'), false],
  ['clusterrolebinding/to a missing ClusterRole grants nothing', policy({ clusterBindings: [crb('b', 'missing', [saSubject])] }), getPod('argocd'), false],
  ['rolebinding/to a Role grants in its namespace', policy({ roles: [secretsRole], bindings: [rb('b', 'argocd', { kind: 'Role', name: 'secrets' }, [saSubject])] }), { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'argocd' }, true],
  ['rolebinding/to a Role grants nothing in another namespace', policy({ roles: [secretsRole], bindings: [rb('b', 'argocd', { kind: 'Role', name: 'secrets' }, [saSubject])] }), { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'default' }, false],
  ['rolebinding/refers to the Role of its own namespace only', policy({ roles: [secretsRole], bindings: [rb('b', 'default', { kind: 'Role', name: 'secrets' }, [saSubject])] }), { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'default' }, false],
  ['rolebinding/to a ClusterRole grants it in the binding\'s namespace', policy({ bindings: [rb('b', 'team', { kind: 'ClusterRole', name: 'pods-reader' }, [saSubject])] }), getPod('team'), true],
  ['rolebinding/to a ClusterRole grants nothing elsewhere', policy({ bindings: [rb('b', 'team', { kind: 'ClusterRole', name: 'pods-reader' }, [saSubject])] }), getPod('argocd'), false],
  ['rolebinding/never grants cluster-scoped resources', policy({ bindings: [rb('b', 'argocd', { kind: 'ClusterRole', name: 'nodes-reader' }, [saSubject])] }), getNode, false],
  ['rolebinding/never grants non-resource URLs', policy({ bindings: [rb('b', 'argocd', { kind: 'ClusterRole', name: 'nodes-reader' }, [saSubject])] }), getMetrics, false],
  ['rolebinding/never grants a request across all namespaces', policy({ bindings: [rb('b', 'argocd', { kind: 'ClusterRole', name: 'pods-reader' }, [saSubject])] }), { verb: 'get', apiGroup: '', resource: 'pods' }, false],
  ['subject/a ServiceAccount without namespace in a RoleBinding is in the binding\'s namespace', policy({ bindings: [rb('b', 'argocd', { kind: 'ClusterRole', name: 'pods-reader' }, [{ kind: 'ServiceAccount', name: 'argocd-installer' }])] }), getPod('argocd'), true],
  ['subject/a RoleBinding may bind a ServiceAccount of another namespace', policy({ bindings: [rb('b', 'team', { kind: 'ClusterRole', name: 'pods-reader' }, [saSubject])] }), getPod('team'), true],
  ['subject/the ServiceAccount\'s user name', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'User', name: 'system:serviceaccount:argocd:argocd-installer' }])] }), getPod('x'), true],
  ['subject/another user name', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'User', name: 'argocd-installer' }])] }), getPod('x'), false],
  ['subject/group of all ServiceAccounts', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'Group', name: 'system:serviceaccounts' }])] }), getPod('x'), true],
  ['subject/group of the namespace\'s ServiceAccounts', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'Group', name: 'system:serviceaccounts:argocd' }])] }), getPod('x'), true],
  ['subject/group of another namespace\'s ServiceAccounts', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'Group', name: 'system:serviceaccounts:default' }])] }), getPod('x'), false],
  ['subject/system:authenticated', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'Group', name: 'system:authenticated' }])] }), getPod('x'), true],
  ['subject/system:unauthenticated is not a ServiceAccount', policy({ clusterBindings: [crb('b', 'pods-reader', [{ kind: 'Group', name: 'system:unauthenticated' }])] }), getPod('x'), false],
  ['aggregation/a binding to an aggregated ClusterRole grants the aggregated rules', policy({
    clusterRoles: [{ kind: 'ClusterRole', name: 'agg', labels: {}, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-agg': 'true' } }] } }, { ...podsReader, labels: { 'aggregate-to-agg': 'true' } }],
    clusterBindings: [crb('b', 'agg', [saSubject])],
  }), getPod('x'), true],
  ['nothing bound/denied', policy({}), getPod('argocd'), false],
];

for (const [name, p, request, want] of cases) {
  test(`rbac/subject-allowed/${name}`, () => {
    assert.equal(subjectAllowed(p, SA, request), want);
    assert.equal(createAuthorizer(p, SA)(request) !== undefined, want, 'the cached authorizer decides the same');
  });
}

test('rbac/subject-allowed/findGrant names the binding and role that allow', () => {
  const p = policy({ roles: [secretsRole], bindings: [rb('read-secrets', 'argocd', { kind: 'Role', name: 'secrets' }, [saSubject])] });
  const g = findGrant(p, SA, { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'argocd' });
  assert.deepEqual(g && { role: g.role, binding: g.binding }, { role: { kind: 'Role', name: 'secrets' }, binding: { kind: 'RoleBinding', name: 'read-secrets', namespace: 'argocd' } });
});

test('rbac/missing-rules/only the requests not allowed, deduplicated, in a stable order', () => {
  const p = policy({ clusterBindings: [crb('b', 'pods-reader', [saSubject])] });
  const needed: AccessRequest[] = [
    { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'argocd' },
    getMetrics,
    getPod('argocd'),
    { verb: 'get', apiGroup: '', resource: 'configmaps', name: 'c', namespace: 'argocd' },
    getNode,
    { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'argocd' },
    { verb: 'update', apiGroup: 'olm.operatorframework.io', resource: 'clusterextensions', subresource: 'finalizers', name: 'argocd' },
  ];
  const want: AccessRequest[] = [
    getNode,
    { verb: 'update', apiGroup: 'olm.operatorframework.io', resource: 'clusterextensions', subresource: 'finalizers', name: 'argocd' },
    { verb: 'get', apiGroup: '', resource: 'configmaps', name: 'c', namespace: 'argocd' },
    { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'argocd' },
    getMetrics,
  ];
  assert.deepEqual(missingRules((r) => subjectAllowed(p, SA, r), needed), want);
  assert.deepEqual(missingRules((r) => createAuthorizer(p, SA)(r) !== undefined, [...needed].reverse()), want, 'same result whatever the input order');
});

test('rbac/missing-rules/against plain rules: a rule list grants regardless of namespace', () => {
  const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }];
  assert.deepEqual(missingRules(rules, [getPod('a'), getPod('b'), { verb: 'watch', apiGroup: '', resource: 'pods' }]), [{ verb: 'watch', apiGroup: '', resource: 'pods' }]);
  assert.deepEqual(missingRules(rules, []), []);
});

test('rbac/subject-allowed/from YAML: objects parsed by config/ decide as written, aggregation included', () => {
  const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: installer }
aggregationRule:
  clusterRoleSelectors: [{ matchExpressions: [{ key: part-of, operator: In, values: [installer] }] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: crds, labels: { part-of: installer } }
rules: [{ apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [create, get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: installer }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: installer }
subjects: [{ kind: ServiceAccount, name: argocd-installer, namespace: argocd }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: deploy, namespace: argocd }
rules: [{ apiGroups: [apps], resources: [deployments], resourceNames: [argocd-operator], verbs: [get, update] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deploy, namespace: argocd }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deploy }
subjects: [{ kind: ServiceAccount, name: argocd-installer }]
`;
  const parsed = parseRbacObjects(text, 'installer.yaml');
  assert.deepEqual(parsed.issues, []);
  const allow = createAuthorizer(parsed.objects!, SA);
  const needed: AccessRequest[] = [
    { verb: 'create', apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
    { verb: 'update', apiGroup: 'apps', resource: 'deployments', name: 'argocd-operator', namespace: 'argocd' },
    { verb: 'update', apiGroup: 'apps', resource: 'deployments', name: 'other', namespace: 'argocd' },
    { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'argocd' },
    { verb: 'delete', apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: 'x' },
  ];
  assert.deepEqual(missingRules((r) => allow(r) !== undefined, needed), [
    { verb: 'delete', apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: 'x' },
    { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'argocd' },
    { verb: 'update', apiGroup: 'apps', resource: 'deployments', name: 'other', namespace: 'argocd' },
  ]);
});
