// The generated installer RBAC, checked with src/rbac's authorizer (the one RBAC matcher): it allows every request
// the pre-flight makes, no rule can go, check-rbac finds nothing missing; merging tables, golden YAML, and the same
// properties over randomly generated rendered bundles in both escalation modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { parseRbacObjects, type PolicyRule, type RbacObjects } from '../config/rbac-objects.js';
import { createAuthorizer } from '../rbac/index.js';
import { checkInstallerRbac } from './check-installer-rbac.js';
import { requiredAccess, type EscalationMode, type RequiredAccess } from './installer-access.js';
import { buildInstallerRbac, formatInstallerRbacYaml, generateInstallerRbac, type InstallerRbac } from './installer-rbac.js';
import { planInstallerRules } from './installer-rules.js';
import type { ExtensionIdentity, ManifestObject } from './manifests.js';
import { FIXTURE_EXT, renderedFixture } from './rendered-fixture.js';

const MODES: EscalationMode[] = ['grant-rules', 'bind-escalate'];

async function golden(name: string, actual: string): Promise<void> {
  const file = new URL(`../../../src/install/testdata/${name}`, import.meta.url).pathname;
  if (process.env.GANTRY_UPDATE_GOLDEN === '1') {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  assert.equal(actual, await readFile(file, 'utf8'), `golden ${name}`);
}

/** The generated objects as the cluster would hold them: through the YAML text and the RBAC object parser. */
function asPolicy(rbac: InstallerRbac): RbacObjects {
  const parsed = parseRbacObjects(formatInstallerRbacYaml(rbac), 'generated.yaml');
  assert.deepEqual(parsed.issues, []);
  return parsed.objects!;
}

function deniedBy(policy: RbacObjects, ext: ExtensionIdentity, accesses: readonly RequiredAccess[]): RequiredAccess[] {
  const authorize = createAuthorizer(policy, { namespace: ext.namespace, name: ext.serviceAccount });
  return accesses.filter((a) => authorize(a.request) === undefined);
}

/** The three properties the issue names, for one rendered set and one mode. */
function assertLeastPrivilege(rendered: readonly ManifestObject[], ext: ExtensionIdentity, escalation: EscalationMode): void {
  const accesses = requiredAccess(rendered, ext, { escalation });
  const rules = planInstallerRules(accesses);
  const policy = asPolicy(buildInstallerRbac(rules, ext));
  assert.deepEqual(deniedBy(policy, ext, accesses), [], 'every required request is allowed');
  rules.forEach((_, i) => {
    const without = asPolicy(buildInstallerRbac(rules.filter((__, j) => j !== i), ext));
    assert.ok(deniedBy(without, ext, accesses).length > 0, `rule ${i} (${JSON.stringify(rules[i])}) can be removed`);
  });
  assert.deepEqual(checkInstallerRbac(rendered, ext, policy).missing, [], 'check-rbac finds nothing missing');
}

for (const mode of MODES) {
  test(`install/installer-rbac/${mode}: the fixture bundle is allowed, minimal, and passes check-rbac`, () => assertLeastPrivilege(renderedFixture(), FIXTURE_EXT, mode));

  test(`install/installer-rbac/${mode}: golden YAML, identical for any input order`, async () => {
    const yaml = formatInstallerRbacYaml(generateInstallerRbac(renderedFixture(), FIXTURE_EXT, { escalation: mode }), ['Installer RBAC for ClusterExtension argocd']);
    assert.equal(formatInstallerRbacYaml(generateInstallerRbac(renderedFixture().reverse(), FIXTURE_EXT, { escalation: mode }), ['Installer RBAC for ClusterExtension argocd']), yaml);
    await golden(`installer-rbac-${mode}.yaml`, yaml);
  });
}

test('install/installer-rbac/objects: SA, ClusterRole and binding, then a Role and binding per namespace, all named <ext>-installer', () => {
  // Not a ConfigMap: the bundle grants `*` on configmaps cluster-wide, so the ClusterRole would cover it.
  const watched: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'watched' } };
  const { objects } = generateInstallerRbac([...renderedFixture(), watched], FIXTURE_EXT);
  assert.deepEqual(objects.map((o) => [o.kind, o.metadata.namespace ?? '', o.metadata.name]), [
    ['ServiceAccount', 'argocd-system', 'argocd-installer'],
    ['ClusterRole', '', 'argocd-installer'],
    ['ClusterRoleBinding', '', 'argocd-installer'],
    ['Role', 'argocd-system', 'argocd-installer'],
    ['RoleBinding', 'argocd-system', 'argocd-installer'],
    ['Role', 'watched', 'argocd-installer'],
    ['RoleBinding', 'watched', 'argocd-installer'],
  ]);
  assert.deepEqual((objects[4]!.subjects as unknown[])[0], { kind: 'ServiceAccount', name: 'argocd-installer', namespace: 'argocd-system' });
});

function access(request: RequiredAccess['request'], reason: RequiredAccess['reason'] = 'object', objects = ['X']): RequiredAccess {
  return { request, reason, objects };
}

const mergeCases: { name: string; accesses: RequiredAccess[]; rules: [string, PolicyRule][] }[] = [
  {
    name: 'same group, resource and name: verbs merge',
    accesses: ['get', 'delete'].map((verb) => access({ verb, apiGroup: 'apps', resource: 'deployments', name: 'd', namespace: 'n' })),
    rules: [['n', { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['d'], verbs: ['delete', 'get'] }]],
  },
  {
    name: 'same group, verbs and name: resources merge',
    accesses: ['roles', 'rolebindings'].map((resource) => access({ verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource, name: 'r', namespace: 'n' })),
    rules: [['n', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], resourceNames: ['r'], verbs: ['get'] }]],
  },
  {
    name: 'same group, resource and verbs: names merge',
    accesses: ['a', 'b'].map((name) => access({ verb: 'get', apiGroup: '', resource: 'services', name, namespace: 'n' })),
    rules: [['n', { apiGroups: [''], resources: ['services'], resourceNames: ['a', 'b'], verbs: ['get'] }]],
  },
  {
    name: 'a named and a nameless rule never merge (no name would allow every name)',
    accesses: [access({ verb: 'get', apiGroup: '', resource: 'services', name: 'a', namespace: 'n' }), access({ verb: 'create', apiGroup: '', resource: 'services', namespace: 'n' }, 'create')],
    rules: [
      ['n', { apiGroups: [''], resources: ['services'], resourceNames: ['a'], verbs: ['get'] }],
      ['n', { apiGroups: [''], resources: ['services'], verbs: ['create'] }],
    ],
  },
  {
    name: 'different groups stay apart; different namespaces stay apart',
    accesses: [access({ verb: 'get', apiGroup: '', resource: 'x', namespace: 'n' }), access({ verb: 'get', apiGroup: 'apps', resource: 'x', namespace: 'n' }), access({ verb: 'get', apiGroup: '', resource: 'x', namespace: 'm' })],
    rules: [
      ['m', { apiGroups: [''], resources: ['x'], verbs: ['get'] }],
      ['n', { apiGroups: [''], resources: ['x'], verbs: ['get'] }],
      ['n', { apiGroups: ['apps'], resources: ['x'], verbs: ['get'] }],
    ],
  },
  {
    name: 'a rule that a wider one covers is dropped, across scopes (a cluster rule applies in every namespace)',
    accesses: [access({ verb: '*', apiGroup: '', resource: 'secrets' }, 'grant'), access({ verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'n' })],
    rules: [['', { apiGroups: [''], resources: ['secrets'], verbs: ['*'] }]],
  },
];

for (const c of mergeCases) {
  test(`install/installer-rules/${c.name}`, () => {
    assert.deepEqual(planInstallerRules(c.accesses).map((r) => [r.namespace, r.rule]), c.rules);
  });
}

test('install/installer-rules/create, list and watch never carry resourceNames', () => {
  for (const mode of MODES) {
    for (const r of planInstallerRules(requiredAccess(renderedFixture(), FIXTURE_EXT, { escalation: mode }))) {
      if (r.rule.resourceNames) assert.ok(!r.rule.verbs.some((v) => v === 'create' || v === 'list' || v === 'watch'), JSON.stringify(r.rule));
    }
  }
});

test('install/installer-rbac/each rule is explained by the objects that need it', () => {
  const yaml = formatInstallerRbacYaml(generateInstallerRbac(renderedFixture(), FIXTURE_EXT));
  assert.match(yaml, /# set the finalizer on: ClusterExtension argocd\n {2}- apiGroups:\n {6}- olm\.operatorframework\.io/);
  assert.match(yaml, /# get\/patch\/update\/delete: Deployment argocd-system\/argocd-operator-controller-manager\n {2}- apiGroups:\n {6}- apps/);
});

// Random rendered bundles: operator objects in the install or a watched namespace, CRDs of either scope, and
// roles with rules drawn from a small alphabet with wildcards, subresources, names and URLs, bound or not.
const NAMESPACES = ['op', 'watched'];
const word = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const ruleArb = (cluster: boolean): fc.Arbitrary<PolicyRule> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ apiGroups: fc.uniqueArray(word('', 'apps', '*'), { minLength: 1, maxLength: 2 }), resources: fc.uniqueArray(word('pods', 'pods/log', 'deployments', 'secrets', '*', '*/scale'), { minLength: 1, maxLength: 3 }), verbs: fc.uniqueArray(word('get', 'list', 'watch', 'create', 'update', '*'), { minLength: 1, maxLength: 3 }), resourceNames: fc.uniqueArray(word('a', 'b'), { maxLength: 2 }) }) },
    { weight: cluster ? 1 : 0, arbitrary: fc.record({ nonResourceURLs: fc.uniqueArray(word('/metrics', '/healthz/*'), { minLength: 1, maxLength: 2 }), verbs: fc.uniqueArray(word('get', 'post'), { minLength: 1, maxLength: 2 }) }) },
  );
const plainArb: fc.Arbitrary<ManifestObject> = fc.record({ kind: word('Deployment', 'ServiceAccount', 'Service', 'ConfigMap', 'Secret'), name: word('a', 'b', 'c'), ns: word(...NAMESPACES) }).map(({ kind, name, ns }) => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, metadata: { name, namespace: ns } }));
const clusterArb: fc.Arbitrary<ManifestObject> = fc.record({ kind: word('ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'PriorityClass'), name: word('w1', 'w2') }).map(({ kind, name }) => ({ apiVersion: kind === 'PriorityClass' ? 'scheduling.k8s.io/v1' : 'admissionregistration.k8s.io/v1', kind, metadata: { name } }));
const crdArb: fc.Arbitrary<ManifestObject[]> = fc.record({ plural: word('things', 'widgets'), namespaced: fc.boolean(), instance: fc.boolean() }).map(({ plural, namespaced, instance }) => {
  const kind = plural === 'things' ? 'Thing' : 'Widget';
  const crd: ManifestObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.example.com` }, spec: { group: 'example.com', scope: namespaced ? 'Namespaced' : 'Cluster', names: { kind, plural } } };
  return instance ? [crd, { apiVersion: 'example.com/v1', kind, metadata: { name: 'x', ...(namespaced ? { namespace: 'op' } : {}) } }] : [crd];
});
const RBAC_V1 = 'rbac.authorization.k8s.io/v1';
const rolesArb: fc.Arbitrary<ManifestObject[]> = fc
  .record({ cluster: fc.boolean(), name: word('r1', 'r2'), ns: word(...NAMESPACES), bind: word('own', 'external', 'none') })
  .chain(({ cluster, name, ns, bind }) =>
    fc.array(ruleArb(cluster), { minLength: 1, maxLength: 3 }).map((rules) => {
      const kind = cluster ? 'ClusterRole' : 'Role';
      const role: ManifestObject = { apiVersion: RBAC_V1, kind, metadata: cluster ? { name } : { name, namespace: ns }, rules };
      if (bind === 'none') return [role];
      const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind, name: bind === 'own' ? name : 'view' };
      const subjects = [{ kind: 'ServiceAccount', name: 'operator', namespace: 'op' }];
      const binding: ManifestObject = cluster
        ? { apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: { name: `${name}-b` }, roleRef, subjects }
        : { apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: { name: `${name}-b`, namespace: ns }, roleRef, subjects };
      return [role, binding];
    }),
  );
const renderedArb: fc.Arbitrary<ManifestObject[]> = fc
  .tuple(fc.array(plainArb, { maxLength: 5 }), fc.array(clusterArb, { maxLength: 2 }), fc.array(crdArb, { maxLength: 2 }), fc.array(rolesArb, { maxLength: 3 }))
  .map(([a, b, c, d]) => {
    // One object per kind, namespace and name, as a real render has.
    const seen = new Set<string>();
    return [...a, ...b, ...c.flat(), ...d.flat()].filter((o) => {
      const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
  });
const EXT: ExtensionIdentity = { name: 'ext', namespace: 'op', serviceAccount: 'ext-installer' };

for (const mode of MODES) {
  test(`install/installer-rbac/property (${mode}): random rendered bundles get allowed, minimal RBAC that check-rbac accepts`, () => {
    fc.assert(fc.property(renderedArb, (rendered) => assertLeastPrivilege(rendered, EXT, mode)), { numRuns: 60, seed: 20261204 });
  });
}
