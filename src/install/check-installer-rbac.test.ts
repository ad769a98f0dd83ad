// check-rbac over hand-written RBAC YAML (parsed as `gantry install check-rbac` will parse it): what is missing, in
// operator-controller's pre-flight wording, including its escalation check for the bundle's roles and bindings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRbacObjects, type RbacObjects } from '../config/rbac-objects.js';
import { PREFLIGHT_PREFIX } from '../rbac/index.js';
import { checkInstallerRbac } from './check-installer-rbac.js';
import { formatInstallerRbacYaml, generateInstallerRbac } from './installer-rbac.js';
import { FIXTURE_EXT, renderedFixture } from './rendered-fixture.js';

function parse(text: string): RbacObjects {
  const r = parseRbacObjects(text, 'installer-rbac.yaml');
  assert.deepEqual(r.issues, []);
  return r.objects!;
}

/** A hand-written installer RBAC for the fixture: one broad ClusterRole, `verbs` of the apps rule and `rbac` verbs as given. */
function handWritten(appsVerbs: string, rbacVerbs: string, extra = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: argocd-installer
rules:
- apiGroups: [olm.operatorframework.io]
  resources: [clusterextensions/finalizers]
  resourceNames: [argocd]
  verbs: [update]
- apiGroups: [apiextensions.k8s.io, admissionregistration.k8s.io]
  resources: [customresourcedefinitions, validatingwebhookconfigurations]
  verbs: [create, list, watch, get, update, patch, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles, clusterrolebindings, roles, rolebindings]
  verbs: [${rbacVerbs}]
- apiGroups: [""]
  resources: [services, serviceaccounts]
  verbs: [list, watch, create, get, update, patch, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [${appsVerbs}]
${extra}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: argocd-installer
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: argocd-installer}
subjects:
- {kind: ServiceAccount, name: argocd-installer, namespace: argocd-system}
`;
}

const ALL = 'list, watch, create, get, update, patch, delete';

test('install/check-rbac/the generated RBAC misses nothing, in either escalation mode', () => {
  for (const escalation of ['grant-rules', 'bind-escalate'] as const) {
    const yaml = formatInstallerRbacYaml(generateInstallerRbac(renderedFixture(), FIXTURE_EXT, { escalation }));
    const got = checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(yaml));
    assert.deepEqual(got, { missing: [], rules: [] });
  }
});

test('install/check-rbac/a missing verb gives the exact pre-flight line', () => {
  const got = checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(handWritten('list, watch, create, get, update, patch', `${ALL}, bind, escalate`)));
  assert.equal(
    got.report,
    `${PREFLIGHT_PREFIX}\n  Namespace:"argocd-system" APIGroups:[apps] Resources:[deployments] ResourceNames:[argocd-operator-controller-manager] Verbs:[delete]`,
  );
  assert.deepEqual(got.missing, [{ verb: 'delete', apiGroup: 'apps', resource: 'deployments', name: 'argocd-operator-controller-manager', namespace: 'argocd-system' }]);
});

test('install/check-rbac/bound to the wrong account, everything is missing', () => {
  const got = checkInstallerRbac(renderedFixture(), { ...FIXTURE_EXT, serviceAccount: 'someone-else' }, parse(handWritten(ALL, `${ALL}, bind, escalate`)));
  assert.ok(got.missing.length > 20);
  assert.ok(got.report!.includes('  Namespace:"" APIGroups:[olm.operatorframework.io] Resources:[clusterextensions/finalizers] ResourceNames:[argocd] Verbs:[update]'));
});

test('install/check-rbac/without escalate or bind, the rules the bundle grants and the SA lacks are missing, per scope', () => {
  const got = checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(handWritten(ALL, ALL)));
  const lines = got.report!.split('\n').slice(1);
  assert.ok(lines.includes('  Namespace:"" APIGroups:[] Resources:[secrets] Verbs:[*]'), got.report);
  assert.ok(lines.includes('  Namespace:"" Verbs:[get] NonResourceURLs:[/metrics]'), got.report);
  assert.ok(lines.includes('  Namespace:"argocd-system" APIGroups:[coordination.k8s.io] Resources:[leases] Verbs:[create,get,update]'), got.report);
  // Each broken-down rule the SA lacks comes back as one line per resource, its verbs merged as the pre-flight merges them.
  assert.ok(lines.includes('  Namespace:"" APIGroups:[argoproj.io] Resources:[argocds/status] Verbs:[get,list,patch,update,watch]'), got.report);
  assert.ok(!lines.some((l) => l.includes('escalate') || l.includes('bind')), 'missing grants are reported, not the escalate/bind shortcut');
});

test('install/check-rbac/holding the granted rules instead of escalate and bind passes', () => {
  const grants = `- apiGroups: [""]
  resources: [configmaps, secrets, events]
  verbs: ["*"]
- apiGroups: [argoproj.io]
  resources: [argocds, argocds/status, argocds/finalizers]
  verbs: [get, list, watch, update, patch]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, create, update]
- nonResourceURLs: [/metrics]
  verbs: [get]
`;
  assert.deepEqual(checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(handWritten(ALL, ALL, grants))).missing, []);
});

test('install/check-rbac/escalate limited by resourceNames does not count (the check passes no name), bind by name does', () => {
  const named = `- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles, roles]
  resourceNames: [argocd-operator.v0.13.0-7b9f4d, argocd-operator.v0.13.0-5c8e1a]
  verbs: [bind, escalate]
`;
  const got = checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(handWritten(ALL, ALL, named)));
  const objects = new Set(got.missing.map((r) => ('resource' in r ? r.resource : r.nonResourceURL)));
  // Bindings pass through the named bind; the roles themselves still need their rules (or a nameless escalate).
  assert.ok(objects.has('secrets') && objects.has('leases') && objects.has('/metrics'));
  const withEscalate = handWritten(ALL, ALL, `${named}- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles, roles]\n  verbs: [escalate]\n`);
  assert.deepEqual(checkInstallerRbac(renderedFixture(), FIXTURE_EXT, parse(withEscalate)).missing, []);
});
