// What gantry install plan prints: a readable tree (the choice, the deprecation conditions, each rejected
// candidate with its reason) or the Resolution as JSON or YAML with bundle, error, conditions, rejected on top.
import type { Resolution } from '../install/index.js';

export function formatPlanTree(pkg: string, r: Resolution): string {
  const lines: string[] = [];
  if (r.bundle) {
    lines.push(`${pkg}: ${r.bundle.name} (${r.bundle.version}) from catalog ${r.bundle.catalog}`, `├─ image ${r.bundle.image}`);
  } else {
    lines.push(`${pkg}: nothing resolves`, `├─ error ${r.error ?? ''}`);
  }
  lines.push('├─ conditions');
  r.conditions.forEach((c, i) => {
    const branch = i === r.conditions.length - 1 ? '└─' : '├─';
    lines.push(`│  ${branch} ${c.type}=${c.status} (${c.reason}): ${c.message.replace(/\n/g, '; ')}`);
  });
  lines.push(`└─ rejected (${r.rejected.length})`);
  r.rejected.forEach((x, i) => {
    const branch = i === r.rejected.length - 1 ? '└─' : '├─';
    lines.push(`   ${branch} ${x.catalog}/${x.bundle} ${x.version || '(no version)'}: ${x.reason} — ${x.detail}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The document -o json/yaml print: bundle first (null when nothing resolves, then error), conditions, rejected. */
export function planDocument(r: Resolution): Record<string, unknown> {
  return { bundle: r.bundle, ...(r.error !== undefined ? { error: r.error } : {}), conditions: r.conditions, rejected: r.rejected };
}
