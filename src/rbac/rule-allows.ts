// Whether one PolicyRule allows one request: Kubernetes' RBAC authorizer (plugin/pkg/auth/authorizer/rbac RuleAllows
// and pkg/apis/rbac/v1 helpers) — exact strings or "*", "*/sub" for a subresource of every resource, URL prefixes.
import type { PolicyRule } from '../config/rbac-objects.js';
import { isNonResourceRequest, type AccessRequest } from './access-request.js';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/**
 * `combined` is "resource" or "resource/subresource". "*" matches everything (subresources too); "*&#47;scale" matches
 * the scale subresource of every resource. "pods/*" is no wildcard in Kubernetes: it matches only the literal text.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) => r === ALL || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** An empty list allows every name; otherwise the request must carry one of them (so never a nameless request). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** "*" matches every URL, "/healthz/*" every URL that starts with "/healthz/", anything else only itself. */
export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === url || (u.endsWith(ALL) && url.startsWith(u.replace(/\*+$/, ''))));
}

export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (isNonResourceRequest(request)) return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.nonResourceURL);
  const sub = request.subresource ?? '';
  const combined = sub === '' ? request.resource : `${request.resource}/${sub}`;
  return verbMatches(rule, request.verb) && apiGroupMatches(rule, request.apiGroup) && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, request.name ?? '');
}

export function rulesAllow(rules: readonly PolicyRule[], request: AccessRequest): boolean {
  return rules.some((r) => ruleAllows(r, request));
}
