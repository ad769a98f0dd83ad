// The requests the installer ServiceAccount needs, one named case per pre-flight check (reference §6.6) and per
// escalation choice, over a hand-rendered bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import type { AccessRequest } from '../rbac/index.js';
import { breakdownRule, requiredAccess, type AccessReason, type RequiredAccess } from './installer-access.js';
import type { ManifestObject } from './manifests.js';
import { FIXTURE_EXT, renderedFixture } from './rendered-fixture.js';

const NS = FIXTURE_EXT.namespace;
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function find(accesses: readonly RequiredAccess[], reason: AccessReason, match: Partial<Record<string, string>>): RequiredAccess[] {
  return accesses.filter((a) => a.reason === reason && Object.entries(match).every(([k, v]) => (a.request as unknown as Record<string, unknown>)[k] === v));
}

const cases: { name: string; run: () => void }[] = [
  {
    name: 'object/get, patch, update, delete on each object by name in its namespace',
    run: () => {
      const got = find(requiredAccess(renderedFixture(), FIXTURE_EXT), 'object', { resource: 'deployments' });
      assert.deepEqual(got.map((a) => a.request.verb).sort(), ['delete', 'get', 'patch', 'update']);
      for (const a of got) assert.deepEqual({ ...a.request, verb: '' }, { verb: '', apiGroup: 'apps', resource: 'deployments', name: 'argocd-operator-controller-manager', namespace: NS });
      assert.deepEqual(got[0]!.objects, ['Deployment argocd-system/argocd-operator-controller-manager']);
    },
  },
  {
    name: 'create/once per resource and namespace, without a name, listing every object that needs it',
    run: () => {
      const extra: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics', namespace: NS } };
      const got = find(requiredAccess([...renderedFixture(), extra], FIXTURE_EXT), 'create', { resource: 'services' });
      assert.equal(got.length, 1);
      assert.deepEqual(got[0]!.request, { verb: 'create', apiGroup: '', resource: 'services', namespace: NS });
      assert.deepEqual(got[0]!.objects, ['Service argocd-system/argocd-operator-webhook-service', 'Service argocd-system/metrics']);
    },
  },
  {
    name: 'list-watch/cluster-wide (no namespace) per resource, for cluster-scoped and namespaced kinds alike',
    run: () => {
      const got = requiredAccess(renderedFixture(), FIXTURE_EXT).filter((a) => a.reason === 'list-watch');
      assert.ok(got.every((a) => (a.request as { namespace?: string }).namespace === undefined));
      assert.deepEqual(find(got, 'list-watch', { resource: 'deployments' }).map((a) => a.request.verb).sort(), ['list', 'watch']);
      assert.deepEqual(find(got, 'list-watch', { resource: 'customresourcedefinitions' }).map((a) => a.request.verb).sort(), ['list', 'watch']);
    },
  },
  {
    name: 'finalizers/update on clusterextensions/finalizers named after the extension',
    run: () => {
      const got = requiredAccess(renderedFixture(), FIXTURE_EXT).filter((a) => a.reason === 'finalizers');
      assert.deepEqual(got.map((a) => a.request), [{ verb: 'update', apiGroup: 'olm.operatorframework.io', resource: 'clusterextensions', subresource: 'finalizers', name: 'argocd' }]);
      assert.deepEqual(requiredAccess([], FIXTURE_EXT), []);
    },
  },
  {
    name: 'grant-rules/a ClusterRole\'s rules are needed cluster-wide, a Role\'s in its namespace, broken down per verb/resource',
    run: () => {
      const got = requiredAccess(renderedFixture(), FIXTURE_EXT, { escalation: 'grant-rules' }).filter((a) => a.reason === 'grant');
      const secrets = find(got, 'grant', { resource: 'secrets' });
      assert.deepEqual(secrets.map((a) => a.request), [{ verb: '*', apiGroup: '', resource: 'secrets' }]);
      // The ClusterRoleBinding binds the same rules at the same scope, so both objects need them.
      assert.deepEqual(secrets[0]!.objects, ['ClusterRole argocd-operator.v0.13.0-7b9f4d', 'ClusterRoleBinding argocd-operator.v0.13.0-7b9f4d']);
      assert.deepEqual(find(got, 'grant', { resource: 'argocds', subresource: 'status', verb: 'patch' }).length, 1);
      assert.deepEqual(find(got, 'grant', { resource: 'leases' }).map((a) => [a.request.verb, (a.request as { namespace?: string }).namespace]).sort(), [['create', NS], ['get', NS], ['update', NS]]);
      assert.ok(got.some((a) => 'nonResourceURL' in a.request && a.request.nonResourceURL === '/metrics'));
      assert.equal(requiredAccess(renderedFixture(), FIXTURE_EXT).filter((a) => a.reason === 'escalate' || a.reason === 'bind').length, 0, 'grant-rules is the default');
    },
  },
  {
    name: 'bind-escalate/escalate without a name per role scope, bind on the bound role by name at the binding\'s scope',
    run: () => {
      const got = requiredAccess(renderedFixture(), FIXTURE_EXT, { escalation: 'bind-escalate' });
      assert.equal(got.filter((a) => a.reason === 'grant').length, 0);
      assert.deepEqual(got.filter((a) => a.reason === 'escalate').map((a) => a.request), [
        { verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'clusterroles' },
        { verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'roles', namespace: NS },
      ]);
      assert.deepEqual(got.filter((a) => a.reason === 'bind').map((a) => a.request), [
        { verb: 'bind', apiGroup: RBAC_GROUP, resource: 'clusterroles', name: 'argocd-operator.v0.13.0-7b9f4d' },
        { verb: 'bind', apiGroup: RBAC_GROUP, resource: 'roles', name: 'argocd-operator.v0.13.0-5c8e1a', namespace: NS },
      ]);
    },
  },
  {
    name: 'bind/a binding to a role the bundle does not carry needs bind on it even in grant-rules mode',
    run: () => {
      const rb: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'view-it', namespace: NS }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [] };
      const got = requiredAccess([rb], FIXTURE_EXT).filter((a) => a.reason === 'bind');
      assert.deepEqual(got.map((a) => a.request), [{ verb: 'bind', apiGroup: RBAC_GROUP, resource: 'clusterroles', name: 'view', namespace: NS }]);
      const known: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
      assert.deepEqual(requiredAccess([rb], FIXTURE_EXT, { knownRoles: [known] }).filter((a) => a.reason === 'grant').map((a) => a.request), [{ verb: 'get', apiGroup: '', resource: 'pods', namespace: NS }]);
    },
  },
  {
    name: 'escalate/a ClusterRole with an aggregationRule needs escalate even in grant-rules mode (else `*` on everything)',
    run: () => {
      const agg: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] }, rules: [] };
      const got = requiredAccess([agg], FIXTURE_EXT).filter((a) => a.reason === 'escalate' || a.reason === 'grant');
      assert.deepEqual(got.map((a) => a.request), [{ verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'clusterroles' }]);
    },
  },
  {
    name: 'placement/a namespaced object without a namespace lands in the install namespace; a cluster-scoped one has none',
    run: () => {
      const objs: ManifestObject[] = [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
        { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'pc', namespace: 'ignored' } },
      ];
      const got = requiredAccess(objs, FIXTURE_EXT).filter((a) => a.reason === 'object' && a.request.verb === 'get').map((a) => a.request);
      assert.deepEqual(got, [
        { verb: 'get', apiGroup: 'scheduling.k8s.io', resource: 'priorityclasses', name: 'pc' },
        { verb: 'get', apiGroup: '', resource: 'configmaps', name: 'cm', namespace: NS },
      ]);
    },
  },
  {
    name: 'kinds/a kind one of the bundle\'s CRDs defines maps to its plural and scope',
    run: () => {
      const cr: ManifestObject = { apiVersion: 'argoproj.io/v1beta1', kind: 'ArgoCD', metadata: { name: 'default' } };
      const got = requiredAccess([...renderedFixture(), cr], FIXTURE_EXT).filter((a) => a.reason === 'create' && (a.request as { resource?: string }).resource === 'argocds');
      assert.deepEqual(got.map((a) => a.request), [{ verb: 'create', apiGroup: 'argoproj.io', resource: 'argocds', namespace: NS }]);
    },
  },
  {
    name: 'error/a kind nothing maps, or an object without apiVersion, is CATALOG_INVALID',
    run: () => {
      assert.throws(() => requiredAccess([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }], FIXTURE_EXT), (e) => isGantryError(e, 'CATALOG_INVALID'));
      const noVersion = { kind: 'ClusterRole', metadata: { name: 'r' }, rules: [] } as unknown as ManifestObject;
      assert.throws(() => requiredAccess([noVersion], FIXTURE_EXT), (e) => isGantryError(e, 'CATALOG_INVALID'));
    },
  },
];

for (const c of cases) test(`install/installer-access/${c.name}`, c.run);

test('install/installer-access/breakdownRule: one request per group × resource × verb × name, subresources split', () => {
  const got: AccessRequest[] = breakdownRule({ apiGroups: ['a', 'b'], resources: ['x', 'x/status'], verbs: ['get'], resourceNames: ['n1', 'n2'] }, 'ns');
  assert.equal(got.length, 8);
  assert.deepEqual(got[2], { verb: 'get', apiGroup: 'a', resource: 'x', subresource: 'status', name: 'n1', namespace: 'ns' });
  assert.deepEqual(breakdownRule({ nonResourceURLs: ['/a', '/b'], verbs: ['get', 'post'] }, undefined).length, 4);
  assert.deepEqual(breakdownRule({ apiGroups: [''], resources: ['pods'], verbs: ['list'] }, undefined), [{ verb: 'list', apiGroup: '', resource: 'pods' }]);
});

test('install/installer-access/order: the result does not depend on the order of the rendered objects', () => {
  const a = requiredAccess(renderedFixture(), FIXTURE_EXT);
  const b = requiredAccess(renderedFixture().reverse(), FIXTURE_EXT);
  assert.deepEqual(b, a);
});

test('install/installer-access/malformed role rules (no verbs, a scalar, null) read as empty lists, not a crash', () => {
  const role: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'odd', namespace: FIXTURE_EXT.namespace }, rules: [{ apiGroups: [''], resources: ['pods'] }, { verbs: 'get', apiGroups: [''], resources: ['pods'] }, null] };
  const accesses = requiredAccess([role], FIXTURE_EXT);
  assert.ok(accesses.some((a) => a.reason === 'create'), 'the role itself is still created');
  assert.ok(!accesses.some((a) => a.reason === 'grant' && 'resource' in a.request && a.request.resource === 'pods'), 'a rule without verbs grants nothing to hold');
});
