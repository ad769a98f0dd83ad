// What the RBAC authorizer decides for a ServiceAccount: the rules reachable through ClusterRoleBindings (everywhere)
// and through RoleBindings of the request's namespace (a Role there or a ClusterRole), as rule_resolver.go visits them.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../config/rbac-objects.js';
import { isNonResourceRequest, type AccessRequest } from './access-request.js';
import { aggregateClusterRoles } from './aggregate-cluster-roles.js';
import { ruleAllows } from './rule-allows.js';

export interface RbacPolicy {
  roles: readonly Role[];
  clusterRoles: readonly ClusterRole[];
  bindings: readonly RoleBinding[];
  clusterBindings: readonly ClusterRoleBinding[];
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** A rule with the binding and role that grant it, so a decision can be explained. */
export interface GrantedRule {
  rule: PolicyRule;
  role: RoleRef;
  binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string };
}

/**
 * How a ServiceAccount authenticates (serviceaccount.MatchesUsername and the groups the token authenticator adds):
 * the user system:serviceaccount:NS:NAME in groups system:serviceaccounts, system:serviceaccounts:NS and
 * system:authenticated, so a binding may name it by any of those.
 */
function subjectMatches(subject: Subject, sa: ServiceAccountRef, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'ServiceAccount': {
      // A RoleBinding's ServiceAccount subject without a namespace means the binding's own namespace.
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && ns === sa.namespace && subject.name === sa.name;
    }
    case 'User':
      return subject.name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
    case 'Group':
      return ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'].includes(subject.name);
  }
}

/**
 * Every rule that applies to `sa` for a request in `namespace` ("" for cluster-scoped requests and non-resource URLs,
 * where RoleBindings do not apply). Aggregated ClusterRoles are resolved first, as the controller would have.
 * A binding whose role does not exist grants nothing.
 */
export function rulesFor(policy: RbacPolicy, sa: ServiceAccountRef, namespace: string): GrantedRule[] {
  return collectRules(policy, new Map(aggregateClusterRoles(policy.clusterRoles).map((r) => [r.name, r])), sa, namespace);
}

function collectRules(policy: RbacPolicy, clusterRoles: ReadonlyMap<string, ClusterRole>, sa: ServiceAccountRef, namespace: string): GrantedRule[] {
  const out: GrantedRule[] = [];
  for (const b of policy.clusterBindings) {
    if (b.roleRef.kind !== 'ClusterRole' || !b.subjects.some((s) => subjectMatches(s, sa, ''))) continue;
    for (const rule of clusterRoles.get(b.roleRef.name)?.rules ?? []) out.push({ rule, role: b.roleRef, binding: { kind: 'ClusterRoleBinding', name: b.name } });
  }
  if (namespace === '') return out;
  for (const b of policy.bindings) {
    if (b.namespace !== namespace || !b.subjects.some((s) => subjectMatches(s, sa, b.namespace))) continue;
    const rules = b.roleRef.kind === 'ClusterRole' ? clusterRoles.get(b.roleRef.name)?.rules : policy.roles.find((r) => r.namespace === b.namespace && r.name === b.roleRef.name)?.rules;
    for (const rule of rules ?? []) out.push({ rule, role: b.roleRef, binding: { kind: 'RoleBinding', name: b.name, namespace: b.namespace } });
  }
  return out;
}

export function requestNamespace(request: AccessRequest): string {
  return isNonResourceRequest(request) ? '' : (request.namespace ?? '');
}

/**
 * The authorizer for one ServiceAccount over a fixed policy: aggregation is resolved once and the rules per
 * namespace are kept, for checking many requests (a bundle's whole install) against one policy.
 */
export function createAuthorizer(policy: RbacPolicy, sa: ServiceAccountRef): (request: AccessRequest) => GrantedRule | undefined {
  const clusterRoles = new Map(aggregateClusterRoles(policy.clusterRoles).map((r) => [r.name, r]));
  const perNamespace = new Map<string, GrantedRule[]>();
  return (request) => {
    const ns = requestNamespace(request);
    let rules = perNamespace.get(ns);
    if (!rules) perNamespace.set(ns, (rules = collectRules(policy, clusterRoles, sa, ns)));
    return rules.find((g) => ruleAllows(g.rule, request));
  };
}

/** The first rule (in visiting order) that allows the request, or undefined: the authorizer's allow or no opinion. */
export function findGrant(policy: RbacPolicy, sa: ServiceAccountRef, request: AccessRequest): GrantedRule | undefined {
  return rulesFor(policy, sa, requestNamespace(request)).find((g) => ruleAllows(g.rule, request));
}

export function subjectAllowed(policy: RbacPolicy, sa: ServiceAccountRef, request: AccessRequest): boolean {
  return findGrant(policy, sa, request) !== undefined;
}
