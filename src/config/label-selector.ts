// metav1.LabelSelector matching (matchLabels and matchExpressions, ANDed), shared by ClusterRole aggregation (rbac/)
// and ClusterCatalog selection (install/): an empty selector selects everything.
import type { LabelSelector, LabelSelectorRequirement } from './rbac-objects.js';

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((e) => requirementMatches(e, labels));
}

function requirementMatches(req: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(labels[req.key]!);
    // NotIn also selects objects without the label (labels.Selector semantics).
    case 'NotIn':
      return !has || !values.includes(labels[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}
