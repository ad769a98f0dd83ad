// Properties of RBAC matching over generated rules and requests: what wildcards allow, that narrowing a rule
// never widens it, and that aggregation only unions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ClusterRole, PolicyRule } from '../config/rbac-objects.js';
import type { AccessRequest, ResourceRequest } from './access-request.js';
import { aggregateClusterRoles } from './aggregate-cluster-roles.js';
import { missingRules } from './missing-rules.js';
import { ruleAllows, rulesAllow } from './rule-allows.js';

// Small alphabets so that generated rules and requests often meet.
const word = fc.constantFrom('', 'apps', 'pods', 'log', 'scale', 'status', 'web', 'get', 'list', 'create', '*', '*/scale', 'pods/log', 'x');
const verb = fc.constantFrom('get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate');
const resourceRequest: fc.Arbitrary<ResourceRequest> = fc.record(
  { verb, apiGroup: fc.constantFrom('', 'apps', 'rbac.authorization.k8s.io'), resource: fc.constantFrom('pods', 'deployments', 'roles'), subresource: fc.constantFrom('log', 'scale', 'status'), name: fc.constantFrom('web', 'db'), namespace: fc.constantFrom('a', 'b') },
  { requiredKeys: ['verb', 'apiGroup', 'resource'] },
);
const urlRequest = fc.record({ verb, nonResourceURL: fc.constantFrom('/healthz', '/healthz/etcd', '/metrics', '/api') });
const request: fc.Arbitrary<AccessRequest> = fc.oneof(resourceRequest, urlRequest);
const list = fc.array(word, { maxLength: 4 });
const rule: fc.Arbitrary<PolicyRule> = fc.record(
  { verbs: fc.array(fc.oneof(verb, fc.constant('*')), { maxLength: 4 }), apiGroups: list, resources: list, resourceNames: list, nonResourceURLs: fc.array(fc.constantFrom('*', '/healthz', '/healthz/*', '/met*'), { maxLength: 2 }) },
  { requiredKeys: ['verbs'] },
);

test('rbac/property/a rule with "*" everywhere allows every resource request', () => {
  fc.assert(fc.property(resourceRequest, (r) => ruleAllows({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, r)));
});

test('rbac/property/nonResourceURLs "*" with verbs "*" allows every non-resource request and no resource request', () => {
  const all = { nonResourceURLs: ['*'], verbs: ['*'] };
  fc.assert(fc.property(urlRequest, resourceRequest, (u, r) => ruleAllows(all, u) && !ruleAllows(all, r)));
});

test('rbac/property/removing a verb from a rule never allows more', () => {
  fc.assert(
    fc.property(rule, request, fc.nat(), (r, req, i) => {
      fc.pre(r.verbs.length > 0);
      const verbs = r.verbs.filter((_, j) => j !== i % r.verbs.length);
      return !ruleAllows({ ...r, verbs }, req) || ruleAllows(r, req);
    }),
  );
});

test('rbac/property/adding a resource name to an unrestricted rule never allows more', () => {
  fc.assert(fc.property(rule, request, fc.constantFrom('web', 'db'), (r, req, name) => {
    fc.pre((r.resourceNames ?? []).length === 0);
    return !ruleAllows({ ...r, resourceNames: [name] }, req) || ruleAllows(r, req);
  }));
});

test('rbac/property/a rule with no verbs allows nothing; a request no rule allows is missing', () => {
  fc.assert(fc.property(rule, request, (r, req) => !ruleAllows({ ...r, verbs: [] }, req) && missingRules([r], [req]).length === (ruleAllows(r, req) ? 0 : 1)));
});

test('rbac/property/an aggregated role allows exactly what one of the roles it selects allows', () => {
  fc.assert(
    fc.property(fc.array(fc.array(rule, { maxLength: 3 }), { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), request, (ruleSets, picked, req) => {
      const members: ClusterRole[] = ruleSets.map((rules, i) => ({ kind: 'ClusterRole', name: `r${i}`, labels: (picked[i] ? { pick: 'yes' } : {}) as Record<string, string>, rules }));
      const agg: ClusterRole = { kind: 'ClusterRole', name: 'agg', labels: {}, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { pick: 'yes' } }] } };
      const out = aggregateClusterRoles([agg, ...members])[0]!;
      return rulesAllow(out.rules, req) === members.some((m) => m.labels.pick === 'yes' && rulesAllow(m.rules, req));
    }),
  );
});
