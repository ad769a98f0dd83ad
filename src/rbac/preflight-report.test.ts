// The pre-flight report format of operator-controller v1.3–v1.10 (reference §6.6): how requests become rules,
// how rules compact, and the message text byte for byte, since people search for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessRequest } from './access-request.js';
import { compactMissing, describeRule, formatPreflightReport, ruleForRequest } from './preflight-report.js';

const dep = (verb: string, name?: string): AccessRequest => ({ verb, apiGroup: 'apps', resource: 'deployments', namespace: 'ns', ...(name ? { name } : {}) });

test('rbac/preflight/a request becomes the one rule that allows it; the core group is [""]', () => {
  assert.deepEqual(ruleForRequest({ verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', name: 'p', namespace: 'x' }), { verbs: ['get'], apiGroups: [''], resources: ['pods/log'], resourceNames: ['p'] });
  assert.deepEqual(ruleForRequest({ verb: 'get', nonResourceURL: '/metrics' }), { verbs: ['get'], nonResourceURLs: ['/metrics'] });
});

test('rbac/preflight/same group, resource and name merge their verbs, sorted and deduplicated', () => {
  const out = compactMissing([dep('update', 'x'), dep('get', 'x'), dep('delete', 'x'), dep('get', 'x'), dep('create')]);
  assert.deepEqual(out, [{ namespace: 'ns', rules: [
    { verbs: ['delete', 'get', 'update'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['x'] },
    { verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] },
  ] }]);
});

test('rbac/preflight/"*" wins over the other verbs', () => {
  assert.deepEqual(compactMissing([dep('get'), dep('*')])[0]!.rules[0]!.verbs, ['*']);
});

test('rbac/preflight/non-resource URLs are not compacted and are cluster-wide', () => {
  const out = compactMissing([{ verb: 'get', nonResourceURL: '/metrics' }, { verb: 'post', nonResourceURL: '/metrics' }]);
  assert.deepEqual(out, [{ namespace: '', rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }, { verbs: ['post'], nonResourceURLs: ['/metrics'] }] }]);
});

test('rbac/preflight/describeRule: empty lists are left out, the core group prints as []', () => {
  assert.equal(describeRule('', { verbs: ['list', 'watch'], apiGroups: [''], resources: ['services'] }), 'Namespace:"" APIGroups:[] Resources:[services] Verbs:[list,watch]');
  assert.equal(describeRule('', { verbs: ['get'], nonResourceURLs: ['/metrics'] }), 'Namespace:"" Verbs:[get] NonResourceURLs:[/metrics]');
});

test('rbac/preflight/the whole message, lines sorted (golden)', () => {
  const text = formatPreflightReport([
    dep('patch', 'argocd-operator'),
    { verb: 'watch', apiGroup: '', resource: 'services' },
    dep('get', 'argocd-operator'),
    { verb: 'list', apiGroup: '', resource: 'services' },
    { verb: 'update', apiGroup: 'olm.operatorframework.io', resource: 'clusterextensions', subresource: 'finalizers', name: 'argocd' },
    dep('create'),
  ]);
  assert.equal(
    text,
    [
      'pre-authorization failed: service account requires the following permissions to manage cluster extension:',
      '  Namespace:"" APIGroups:[] Resources:[services] Verbs:[list,watch]',
      '  Namespace:"" APIGroups:[olm.operatorframework.io] Resources:[clusterextensions/finalizers] ResourceNames:[argocd] Verbs:[update]',
      '  Namespace:"ns" APIGroups:[apps] Resources:[deployments] ResourceNames:[argocd-operator] Verbs:[get,patch]',
      '  Namespace:"ns" APIGroups:[apps] Resources:[deployments] Verbs:[create]',
    ].join('\n'),
  );
  assert.equal(formatPreflightReport([]), undefined);
});
