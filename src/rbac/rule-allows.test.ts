// Table tests for one rule against one request, case by case as Kubernetes documents RBAC (Using RBAC
// Authorization: referring to resources, subresources, resourceNames, wildcards, non-resource URLs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from '../config/rbac-objects.js';
import type { AccessRequest } from './access-request.js';
import { ruleAllows } from './rule-allows.js';

const pods = (verbs: string[], extra: Partial<PolicyRule> = {}): PolicyRule => ({ apiGroups: [''], resources: ['pods'], verbs, ...extra });
const get = (resource: string, extra: Partial<AccessRequest> = {}): AccessRequest => ({ verb: 'get', apiGroup: '', resource, namespace: 'default', ...extra }) as AccessRequest;

const cases: Array<[string, PolicyRule, AccessRequest, boolean]> = [
  // verbs
  ['verb/listed verb allows', pods(['get', 'list']), get('pods'), true],
  ['verb/unlisted verb denies', pods(['list']), get('pods'), false],
  ['verb/"*" allows any verb', pods(['*']), get('pods', { verb: 'deletecollection' }), true],
  ['verb/case matters (GET is not get)', pods(['GET']), get('pods'), false],
  ['verb/"*" does not stand for a prefix', pods(['g*']), get('pods'), false],
  ['verb/custom verbs are plain strings (use on SCCs)', { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], verbs: ['use'] }, { verb: 'use', apiGroup: 'security.openshift.io', resource: 'securitycontextconstraints', name: 'restricted' }, true],
  // API groups
  ['group/"" is the core group', pods(['get']), get('pods'), true],
  ['group/core rule does not allow another group', pods(['get']), get('pods', { apiGroup: 'metrics.k8s.io' }), false],
  ['group/a named group does not allow the core group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }, get('pods'), false],
  ['group/"*" allows every group', { apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }, get('deployments', { apiGroup: 'apps' }), true],
  ['group/any of several groups', { apiGroups: ['extensions', 'apps'], resources: ['deployments'], verbs: ['get'] }, get('deployments', { apiGroup: 'apps' }), true],
  ['group/no apiGroups matches nothing', { resources: ['pods'], verbs: ['get'] }, get('pods'), false],
  // resources
  ['resource/exact name', pods(['get']), get('pods'), true],
  ['resource/other resource denied', pods(['get']), get('services'), false],
  ['resource/singular or kind names are not resource names', { apiGroups: [''], resources: ['Pod'], verbs: ['get'] }, get('pods'), false],
  ['resource/"*" allows every resource of the group', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, get('secrets'), true],
  // subresources
  ['subresource/the resource alone does not allow its subresource', pods(['get']), get('pods', { subresource: 'log' }), false],
  ['subresource/"pods/log" allows the log subresource', { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }, get('pods', { subresource: 'log' }), true],
  ['subresource/"pods/log" does not allow the pods themselves', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, get('pods'), false],
  ['subresource/"pods/log" does not allow pods/exec', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, get('pods', { subresource: 'exec' }), false],
  ['subresource/"*" allows subresources too', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, get('pods', { subresource: 'log' }), true],
  ['subresource/"*/scale" allows scale of every resource', { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }, get('deployments', { apiGroup: 'apps', verb: 'update', subresource: 'scale' }), true],
  ['subresource/"*/scale" does not allow the resource itself', { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }, get('deployments', { apiGroup: 'apps', verb: 'update' }), false],
  ['subresource/"*/scale" does not allow another subresource', { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }, get('deployments', { apiGroup: 'apps', verb: 'update', subresource: 'status' }), false],
  ['subresource/"*/status" does not allow a subresource that only ends in status', { apiGroups: [''], resources: ['*/status'], verbs: ['get'] }, get('pods', { subresource: 'xstatus' }), false],
  // Kubernetes has no "resource/*" wildcard (ResourceMatches only knows "*" and "*/sub"): it is a literal.
  ['subresource/"pods/*" is no wildcard: pods/log denied', { apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }, get('pods', { subresource: 'log' }), false],
  ['subresource/"pods/*" is no wildcard: pods denied', { apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }, get('pods'), false],
  ['subresource/finalizers of one kind', { apiGroups: ['olm.operatorframework.io'], resources: ['clusterextensions/finalizers'], verbs: ['update'] }, { verb: 'update', apiGroup: 'olm.operatorframework.io', resource: 'clusterextensions', subresource: 'finalizers', name: 'argocd' }, true],
  // resourceNames
  ['name/empty resourceNames allows every name', pods(['get']), get('pods', { name: 'web' }), true],
  ['name/listed name allowed', pods(['get'], { resourceNames: ['web'] }), get('pods', { name: 'web' }), true],
  ['name/other name denied', pods(['get'], { resourceNames: ['web'] }), get('pods', { name: 'db' }), false],
  ['name/"*" in resourceNames is a literal name, not a wildcard', pods(['get'], { resourceNames: ['*'] }), get('pods', { name: 'web' }), false],
  ['name/names apply to subresources too', { apiGroups: [''], resources: ['pods/log'], resourceNames: ['web'], verbs: ['get'] }, get('pods', { subresource: 'log', name: 'web' }), true],
  // "You cannot restrict create or deletecollection requests by their resource name": those requests carry none.
  ['name/create cannot be restricted by name (denied)', pods(['create'], { resourceNames: ['web'] }), get('pods', { verb: 'create' }), false],
  ['name/create allowed only without resourceNames', pods(['create']), get('pods', { verb: 'create' }), true],
  ['name/deletecollection cannot be restricted by name (denied)', pods(['deletecollection'], { resourceNames: ['web'] }), get('pods', { verb: 'deletecollection' }), false],
  // "If you restrict list or watch by resourceName, clients must include a metadata.name field selector": only
  // then does the request carry a name (kubectl get configmaps --field-selector=metadata.name=my-configmap).
  ['name/list without a field selector is denied by a named rule', pods(['list'], { resourceNames: ['web'] }), get('pods', { verb: 'list' }), false],
  ['name/list with fieldSelector metadata.name=web is allowed by a named rule', pods(['list'], { resourceNames: ['web'] }), get('pods', { verb: 'list', name: 'web' }), true],
  ['name/watch of one named object', pods(['watch'], { resourceNames: ['web'] }), get('pods', { verb: 'watch', name: 'web' }), true],
  // namespace is not the rule's business: bindings decide where a rule applies
  ['namespace/a rule alone does not look at the namespace', pods(['get']), get('pods', { namespace: 'kube-system' }), true],
  // non-resource URLs
  ['url/exact path', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/healthz' }, true],
  ['url/exact path does not allow a sub path', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/healthz/etcd' }, false],
  ['url/trailing "*" allows sub paths', { nonResourceURLs: ['/healthz/*'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/healthz/etcd' }, true],
  ['url/"/healthz/*" does not allow /healthz itself', { nonResourceURLs: ['/healthz/*'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/healthz' }, false],
  ['url/trailing "*" is a plain prefix (/healthz* allows /healthzX)', { nonResourceURLs: ['/healthz*'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/healthzX' }, true],
  ['url/"*" allows every URL', { nonResourceURLs: ['*'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/metrics' }, true],
  ['url/"*" only at the end is a wildcard', { nonResourceURLs: ['/api/*/x'], verbs: ['get'] }, { verb: 'get', nonResourceURL: '/api/v1/x' }, false],
  ['url/verb still applies', { nonResourceURLs: ['/metrics'], verbs: ['get'] }, { verb: 'post', nonResourceURL: '/metrics' }, false],
  ['url/a resource rule never allows a URL', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { verb: 'get', nonResourceURL: '/metrics' }, false],
  ['url/a URL rule never allows a resource', { nonResourceURLs: ['*'], verbs: ['*'] }, get('pods'), false],
];

for (const [name, rule, request, want] of cases) {
  test(`rbac/rule-allows/${name}`, () => {
    assert.equal(ruleAllows(rule, request), want);
  });
}
