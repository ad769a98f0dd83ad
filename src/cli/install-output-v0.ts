// What gantry install plan prints for an OLM v0 Subscription: a readable tree (the bundle, each upgrade step, each
// dependency with the property that pulled it in, notes) or the resolution as JSON/YAML with olm and bundle on top.
import type { SubscriptionResolution } from '../install/index.js';

export function formatSubscriptionTree(pkg: string, r: SubscriptionResolution): string {
  const lines: string[] = [];
  if (r.bundle) {
    const where = r.bundle.catalog ? ` from catalog ${r.bundle.catalog}, channel ${r.bundle.channel}` : ' (in no catalog given)';
    lines.push(`${pkg} (OLM v0): ${r.bundle.name} (${r.bundle.version || 'no version'})${where}`, `├─ image ${r.bundle.image || '(unknown)'}`);
  } else {
    lines.push(`${pkg} (OLM v0): nothing resolves`, `├─ error ${r.error ?? ''}`);
  }
  const sections: [string, string[]][] = [
    [`upgrade path (${r.upgradePath.length} step${r.upgradePath.length === 1 ? '' : 's'})`, r.upgradePath.map((s) => `${s.from} → ${s.to} (${s.version}) by ${s.via}`)],
    [`dependencies (${r.dependencies.length})`, r.dependencies.map((d) => `${d.bundle} (${d.version}) of ${d.package} from catalog ${d.catalog}, channel ${d.channel}: ${d.reason}, required by ${d.requiredBy}`)],
    [`notes (${r.notes.length})`, r.notes],
  ];
  sections.forEach(([title, items], i) => {
    const lastSection = i === sections.length - 1;
    lines.push(`${lastSection ? '└─' : '├─'} ${title}`);
    items.forEach((item, j) => lines.push(`${lastSection ? '   ' : '│  '}${j === items.length - 1 ? '└─' : '├─'} ${item}`));
  });
  return `${lines.join('\n')}\n`;
}

/** The document -o json/yaml print: olm, bundle (null when nothing resolves, then error), upgradePath, dependencies, notes. */
export function subscriptionDocument(r: SubscriptionResolution): Record<string, unknown> {
  return { olm: r.olm, bundle: r.bundle, ...(r.error !== undefined ? { error: r.error } : {}), upgradePath: r.upgradePath, dependencies: r.dependencies, notes: r.notes };
}
