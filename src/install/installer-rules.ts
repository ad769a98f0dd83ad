// The fewest RBAC rules that allow a set of required requests, each with the objects that need it: one rule per
// request, merged only where the union is exact, then every rule that the others already cover dropped.
import { byteOrder } from '../order.js';
import type { PolicyRule } from '../config/rbac-objects.js';
import { requestNamespace, ruleAllows, ruleForRequest } from '../rbac/index.js';
import type { AccessReason, RequiredAccess } from './installer-access.js';

export interface RuleNeed {
  reason: AccessReason;
  objects: string[];
}

export interface ExplainedRule {
  /** "" for the ClusterRole (cluster-scoped resources, requests across namespaces, non-resource URLs). */
  namespace: string;
  rule: PolicyRule;
  /** Every required request this rule allows, grouped by reason, in a fixed reason order. */
  needs: RuleNeed[];
}

type ListField = 'verbs' | 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs';
const FIELDS: ListField[] = ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'];
// A rule allows a request when every field matches, each field on its own; so two rules that differ in one field only
// merge into their union exactly. apiGroups are never merged (one group per rule reads best); resourceNames only
// between named rules, since an empty list means every name.
const MERGED: ListField[] = ['verbs', 'resources', 'resourceNames', 'nonResourceURLs'];
const REASONS: AccessReason[] = ['object', 'create', 'list-watch', 'finalizers', 'grant', 'escalate', 'bind'];

interface Scoped {
  namespace: string;
  rule: PolicyRule;
}

function normalize(rule: PolicyRule): PolicyRule {
  // Fields in the order Kubernetes prints them (verbs last), lists sorted and deduplicated, "*" alone among verbs.
  const out = {} as PolicyRule;
  for (const f of FIELDS) {
    const xs = rule[f];
    if (xs && xs.length > 0) out[f] = [...new Set(xs)].sort(byteOrder);
  }
  if (!out.verbs) out.verbs = [];
  if (out.verbs.includes('*')) out.verbs = ['*'];
  return out;
}

function keyWithout(s: Scoped, field: ListField): string {
  return JSON.stringify([s.namespace, ...FIELDS.map((f) => (f === field ? null : (s.rule[f] ?? [])))]);
}

function mergeOn(rules: Scoped[], field: ListField): Scoped[] {
  const groups = new Map<string, Scoped>();
  const out: Scoped[] = [];
  for (const s of rules) {
    if (field === 'resourceNames' && !s.rule.resourceNames) {
      out.push(s);
      continue;
    }
    const key = keyWithout(s, field);
    const seen = groups.get(key);
    if (seen) seen.rule = normalize({ ...seen.rule, [field]: [...(seen.rule[field] ?? []), ...(s.rule[field] ?? [])] });
    else groups.set(key, { namespace: s.namespace, rule: s.rule });
  }
  return [...out, ...groups.values()];
}

const ruleKey = (s: Scoped): string => JSON.stringify([s.namespace, ...FIELDS.map((f) => s.rule[f] ?? [])]);

function applies(s: Scoped, a: RequiredAccess): boolean {
  return (s.namespace === '' || s.namespace === requestNamespace(a.request)) && ruleAllows(s.rule, a.request);
}

/** Rules (per namespace) that allow every access, with no rule the others cover, sorted by namespace then content. */
export function planInstallerRules(accesses: readonly RequiredAccess[]): ExplainedRule[] {
  let rules: Scoped[] = accesses.map((a) => ({ namespace: requestNamespace(a.request), rule: normalize(ruleForRequest(a.request)) }));
  for (let before = -1; before !== rules.length; ) {
    before = rules.length;
    for (const f of MERGED) rules = mergeOn(rules, f);
  }
  const keys = new Map(rules.map((s) => [s, ruleKey(s)]));
  const byKey = (a: Scoped, b: Scoped): number => byteOrder(keys.get(a)!, keys.get(b)!);
  rules.sort(byKey);
  // Try dropping the narrowest rules first: a wide rule (one the bundle grants, say `*`) usually covers them.
  const candidates = indexByGroup(accesses);
  const allowed = new Map(rules.map((s) => [s, candidatesFor(candidates, s.rule).filter((a) => applies(s, a))]));
  const order = [...rules].sort((a, b) => allowed.get(a)!.length - allowed.get(b)!.length || byKey(a, b));
  const kept = new Set(rules);
  for (const s of order) {
    kept.delete(s);
    const others = [...kept];
    if (!allowed.get(s)!.every((a) => others.some((o) => applies(o, a)))) kept.add(s);
  }
  return rules.filter((s) => kept.has(s)).map((s) => ({ namespace: s.namespace, rule: s.rule, needs: needsOf(allowed.get(s)!) }));
}

// A rule only allows requests of its own groups (or non-resource requests, for a URL rule); indexing by group keeps
// the rules × requests pass small for bundles that grant thousands of rules.
const URLS = '\u0000urls';
function indexByGroup(accesses: readonly RequiredAccess[]): Map<string, RequiredAccess[]> {
  const out = new Map<string, RequiredAccess[]>();
  for (const a of accesses) {
    const key = 'nonResourceURL' in a.request ? URLS : a.request.apiGroup;
    const list = out.get(key);
    if (list) list.push(a);
    else out.set(key, [a]);
  }
  return out;
}

function candidatesFor(index: ReadonlyMap<string, RequiredAccess[]>, rule: PolicyRule): RequiredAccess[] {
  if (rule.nonResourceURLs) return index.get(URLS) ?? [];
  const groups = rule.apiGroups ?? [];
  if (groups.includes('*')) return [...index.entries()].filter(([k]) => k !== URLS).flatMap(([, v]) => v);
  return groups.flatMap((g) => index.get(g) ?? []);
}

function needsOf(accesses: readonly RequiredAccess[]): RuleNeed[] {
  return REASONS.flatMap((reason) => {
    const objects = [...new Set(accesses.filter((a) => a.reason === reason).flatMap((a) => a.objects))].sort(byteOrder);
    return objects.length > 0 ? [{ reason, objects }] : [];
  });
}

const PHRASES: Record<AccessReason, string> = {
  object: 'get/patch/update/delete',
  create: 'create',
  'list-watch': "list/watch cluster-wide (the Helm applier's content manager watches what it installed)",
  finalizers: 'set the finalizer on',
  grant: "held because the bundle grants it (Kubernetes' escalation check)",
  escalate: 'escalate (create roles granting rules the installer does not hold)',
  bind: 'bind (create bindings to a role whose rules the installer does not hold)',
};
const MAX_OBJECTS = 6;

/** One comment line per reason: what the rule is for and which bundle objects need it. */
export function explainRule(needs: readonly RuleNeed[]): string[] {
  return needs.map(({ reason, objects }) => {
    const shown = objects.slice(0, MAX_OBJECTS).join(', ');
    const more = objects.length > MAX_OBJECTS ? ` and ${objects.length - MAX_OBJECTS} more` : '';
    return `${PHRASES[reason]}: ${shown}${more}`;
  });
}
