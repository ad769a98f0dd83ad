// ClusterRole aggregation as kube-controller-manager's clusterrole-aggregation controller does it: an aggregated
// role's rules become the union of the rules of every other ClusterRole its selectors match, repeated to a fixpoint.
import { byteOrder } from '../order.js';
import type { ClusterRole, PolicyRule } from '../config/rbac-objects.js';
import { selectorMatches } from '../config/label-selector.js';

/**
 * Returns the roles with every aggregated role's rules filled in (the others unchanged), in the input order. The
 * controller replaces an aggregated role's own rules; it visits the selected roles by name and drops equal rules.
 * It runs again whenever a role changes, so roles that aggregate aggregated roles settle: hence the fixpoint.
 */
export function aggregateClusterRoles(roles: readonly ClusterRole[]): ClusterRole[] {
  const current = new Map<string, ClusterRole>(roles.map((r) => [r.name, r]));
  const byName = [...roles].sort((a, b) => byteOrder(a.name, b.name));
  // Each round can only add rules from a finite set, so this ends; the bound is a guard, not a limit reached.
  for (let round = 0; round <= roles.length + 1; round++) {
    let changed = false;
    for (const role of roles) {
      const selectors = role.aggregationRule?.clusterRoleSelectors;
      if (!selectors) continue;
      const rules: PolicyRule[] = [];
      for (const selector of selectors) {
        for (const other of byName) {
          if (other.name === role.name || !selectorMatches(selector, other.labels)) continue;
          for (const rule of current.get(other.name)!.rules) if (!rules.some((r) => equalRules(r, rule))) rules.push(rule);
        }
      }
      const before = current.get(role.name)!;
      if (before.rules.length === rules.length && before.rules.every((r, i) => equalRules(r, rules[i]!))) continue;
      current.set(role.name, { ...before, rules });
      changed = true;
    }
    if (!changed) break;
  }
  return roles.map((r) => current.get(r.name)!);
}

function equalList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Field by field, order included, as the controller's semantic equality compares them. */
export function equalRules(a: PolicyRule, b: PolicyRule): boolean {
  return equalList(a.verbs, b.verbs) && equalList(a.apiGroups, b.apiGroups) && equalList(a.resources, b.resources) && equalList(a.resourceNames, b.resourceNames) && equalList(a.nonResourceURLs, b.nonResourceURLs);
}
