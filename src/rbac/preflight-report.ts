// Missing requests reported as operator-controller's RBAC pre-flight check reports them (v1.3–v1.10, reference §6.6):
// one rule per request, simple rules compacted per namespace, verbs merged, one sorted line per rule.
import { byteOrder } from '../order.js';
import type { PolicyRule } from '../config/rbac-objects.js';
import { isNonResourceRequest, type AccessRequest } from './access-request.js';

export interface ScopedPolicyRules {
  /** "" for cluster-scoped requests and non-resource URLs. */
  namespace: string;
  rules: PolicyRule[];
}

export const PREFLIGHT_PREFIX = 'pre-authorization failed: service account requires the following permissions to manage cluster extension:';

/** The rule that would allow exactly this request (policyRuleFromAttributesRecord); [""] is the core group. */
export function ruleForRequest(r: AccessRequest): PolicyRule {
  if (isNonResourceRequest(r)) return { verbs: [r.verb], nonResourceURLs: [r.nonResourceURL] };
  const rule: PolicyRule = { verbs: [r.verb], apiGroups: [r.apiGroup], resources: [r.subresource ? `${r.resource}/${r.subresource}` : r.resource] };
  if (r.name) rule.resourceNames = [r.name];
  return rule;
}

const sortedSet = (xs: readonly string[]): string[] => [...new Set(xs)].sort(byteOrder);

/**
 * Kubernetes' CompactRules: rules with one group, one resource and at most one name merge their verbs ("*" wins);
 * any other rule (non-resource URLs) stays as it is. Namespaces in byte order.
 */
export function compactMissing(missing: readonly AccessRequest[]): ScopedPolicyRules[] {
  const byNamespace = new Map<string, { simple: Map<string, PolicyRule>; other: PolicyRule[] }>();
  for (const r of missing) {
    const ns = isNonResourceRequest(r) ? '' : (r.namespace ?? '');
    let scope = byNamespace.get(ns);
    if (!scope) byNamespace.set(ns, (scope = { simple: new Map(), other: [] }));
    const rule = ruleForRequest(r);
    if (rule.nonResourceURLs) {
      scope.other.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames ?? null]);
    const seen = scope.simple.get(key);
    if (seen) seen.verbs.push(...rule.verbs);
    else scope.simple.set(key, rule);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([namespace, scope]) => ({
      namespace,
      rules: [...scope.other, ...scope.simple.values()].map((rule) => ({ ...rule, verbs: rule.verbs.includes('*') ? ['*'] : sortedSet(rule.verbs) })),
    }));
}

/** One line as the controller's ruleDescription writes it: `Namespace:"ns" APIGroups:[…] Resources:[…] …`. */
export function describeRule(namespace: string, rule: PolicyRule): string {
  const parts = [`Namespace:${JSON.stringify(namespace)}`];
  const field = (label: string, xs: readonly string[] | undefined): void => {
    if (xs && xs.length > 0) parts.push(`${label}:[${[...xs].sort(byteOrder).join(',')}]`);
  };
  field('APIGroups', rule.apiGroups);
  field('Resources', rule.resources);
  field('ResourceNames', rule.resourceNames);
  field('Verbs', rule.verbs);
  field('NonResourceURLs', rule.nonResourceURLs);
  return parts.join(' ');
}

/** The whole message, or undefined when nothing is missing. Lines are sorted as the controller sorts them. */
export function formatPreflightReport(missing: readonly AccessRequest[]): string | undefined {
  if (missing.length === 0) return undefined;
  const lines = compactMissing(missing).flatMap((s) => s.rules.map((rule) => describeRule(s.namespace, rule)));
  return `${PREFLIGHT_PREFIX}\n  ${lines.sort(byteOrder).join('\n  ')}`;
}
