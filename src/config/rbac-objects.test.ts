// RBAC objects read from YAML: every kind, multi-document files and Lists, the API server's rule validation, and
// every error at its file:line; plus a property that no input makes the reader throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRbacObjects } from './rbac-objects.js';

const GOOD = `apiVersion: v1
kind: ServiceAccount
metadata: { name: argocd-installer, namespace: argocd }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: argocd-installer
  labels: { app: argocd }
  annotations: { note: kept out }
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list]
  resourceNames: [web]
- nonResourceURLs: ["/healthz/*"]
  verbs: [get]
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: { aggregate: "true" }
    matchExpressions:
    - { key: tier, operator: NotIn, values: [db] }
    - { key: zone, operator: Exists }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: argocd-installer }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: argocd-installer }
subjects:
- { kind: ServiceAccount, name: argocd-installer, namespace: argocd }
- { kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:serviceaccounts" }
---
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: { name: secrets }
  rules: [{ apiGroups: [""], resources: [secrets], verbs: ["*"] }]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: { name: secrets, namespace: argocd }
  roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: secrets }
  subjects: [{ kind: ServiceAccount, name: argocd-installer }]
`;

test('rbac-objects/every kind, multi-document, List items, other kinds skipped', () => {
  const r = parseRbacObjects(GOOD, 'rbac.yaml', { namespace: 'argocd' });
  assert.deepEqual(r.issues, []);
  const o = r.objects!;
  assert.deepEqual(o.clusterRoles, [
    {
      kind: 'ClusterRole',
      name: 'argocd-installer',
      labels: { app: 'argocd' },
      rules: [
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['web'] },
        { verbs: ['get'], nonResourceURLs: ['/healthz/*'] },
      ],
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { aggregate: 'true' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'zone', operator: 'Exists' }] }] },
      source: { file: 'rbac.yaml', line: 5 },
    },
  ]);
  assert.deepEqual(o.clusterBindings.map((b) => [b.name, b.roleRef, b.subjects, b.source?.line]), [
    ['argocd-installer', { kind: 'ClusterRole', name: 'argocd-installer' }, [{ kind: 'ServiceAccount', name: 'argocd-installer', namespace: 'argocd' }, { kind: 'Group', name: 'system:serviceaccounts' }], 25],
  ]);
  assert.deepEqual(o.roles.map((x) => [x.name, x.namespace, x.rules, x.source?.line]), [['secrets', 'argocd', [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }], 36]]);
  assert.deepEqual(o.bindings.map((x) => [x.name, x.namespace, x.roleRef, x.subjects]), [['secrets', 'argocd', { kind: 'Role', name: 'secrets' }, [{ kind: 'ServiceAccount', name: 'argocd-installer' }]]]);
});

test('rbac-objects/namespaced objects without a namespace get "default" unless told otherwise', () => {
  const r = parseRbacObjects('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r }\nrules: []\n', 'r.yaml');
  assert.equal(r.objects?.roles[0]?.namespace, 'default');
});

const ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: r }\nrules:\n';
const BINDING = (kind: string, ref: string, subject: string): string => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: { name: b }\nroleRef: ${ref}\nsubjects:\n- ${subject}\n`;
const bad: Array<[string, string, string, number, string]> = [
  ['yaml syntax', 'kind: [', 'YAML_SYNTAX', 1, ''],
  ['not an object', '- a\n- b\n', 'NOT_A_MAPPING', 1, ''],
  ['kind missing', 'apiVersion: v1\nmetadata: {}\n', 'FIELD_REQUIRED', 1, 'kind'],
  ['removed apiVersion', 'apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata: { name: r }\n', 'API_VERSION_UNSUPPORTED', 1, 'apiVersion'],
  ['name missing', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { namespace: x }\n', 'FIELD_REQUIRED', 3, 'metadata.name'],
  ['rule without verbs', `${ROLE}- apiGroups: [""]\n  resources: [pods]\n`, 'FIELD_REQUIRED', 5, 'rules[0].verbs'],
  ['resource rule without apiGroups', `${ROLE}- resources: [pods]\n  verbs: [get]\n`, 'FIELD_REQUIRED', 5, 'rules[0].apiGroups'],
  ['resource rule without resources', `${ROLE}- apiGroups: [""]\n  verbs: [get]\n`, 'FIELD_REQUIRED', 5, 'rules[0].resources'],
  ['resources and URLs mixed', `${ROLE}- apiGroups: [""]\n  resources: [pods]\n  nonResourceURLs: [/x]\n  verbs: [get]\n`, 'VALUE_INVALID', 5, 'rules[0]'],
  ['URLs in a namespaced Role', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r }\nrules:\n- verbs: [get]\n  nonResourceURLs: [/x]\n', 'VALUE_INVALID', 6, 'rules[0].nonResourceURLs'],
  ['unknown rule field (typo)', `${ROLE}- apiGroups: [""]\n  resource: [pods]\n  verbs: [get]\n`, 'FIELD_UNKNOWN', 6, 'rules[0].resource'],
  ['verbs not a list', `${ROLE}- apiGroups: [""]\n  resources: [pods]\n  verbs: get\n`, 'TYPE_MISMATCH', 7, 'rules[0].verbs'],
  ['bad selector operator', `${ROLE}aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{ key: a, operator: Equals, values: [b] }]\n`, 'VALUE_INVALID', 7, 'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator'],
  ['In without values', `${ROLE}aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{ key: a, operator: In }]\n`, 'VALUE_INVALID', 7, 'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values'],
  ['Exists with values', `${ROLE}aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{ key: a, operator: Exists, values: [b] }]\n`, 'VALUE_INVALID', 7, 'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values'],
  ['ClusterRoleBinding to a Role', BINDING('ClusterRoleBinding', '{ kind: Role, name: r }', '{ kind: User, name: u }'), 'VALUE_INVALID', 4, 'roleRef.kind'],
  ['roleRef missing', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: { name: b }\nsubjects: []\n', 'FIELD_REQUIRED', 1, 'roleRef'],
  ['roleRef in another API group', BINDING('RoleBinding', '{ apiGroup: example.com, kind: Role, name: r }', '{ kind: User, name: u }'), 'VALUE_INVALID', 4, 'roleRef.apiGroup'],
  ['unknown subject kind', BINDING('RoleBinding', '{ kind: Role, name: r }', '{ kind: Robot, name: u }'), 'VALUE_INVALID', 6, 'subjects[0].kind'],
  ['ServiceAccount of a ClusterRoleBinding without namespace', BINDING('ClusterRoleBinding', '{ kind: ClusterRole, name: r }', '{ kind: ServiceAccount, name: sa }'), 'FIELD_REQUIRED', 6, 'subjects[0].namespace'],
];

for (const [name, text, code, line, path] of bad) {
  test(`rbac-objects/error/${name}`, () => {
    const r = parseRbacObjects(text, 'rbac.yaml');
    assert.equal(r.objects, undefined);
    const first = r.issues[0];
    assert.deepEqual(first && { code: first.code, file: first.file, line: first.line, path: first.path }, { code, file: 'rbac.yaml', line, path });
  });
}

test('rbac-objects/an error in the second document is at its line in the file and names the document', () => {
  const r = parseRbacObjects(`${ROLE}- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n---\n${ROLE}- apiGroups: [""]\n  verbs: [get]\n`, 'two.yaml');
  assert.deepEqual(r.issues.map((i) => [i.line, i.path]), [[13, '[1].rules[0].resources']]);
});

test('rbac-objects/property: any text gives objects or issues, never a throw', () => {
  fc.assert(fc.property(fc.string(), (s) => {
    const r = parseRbacObjects(GOOD.slice(0, s.length * 7) + s, 'x.yaml');
    return r.objects !== undefined || r.issues.length > 0;
  }));
});
