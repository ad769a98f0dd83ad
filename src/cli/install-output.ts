// What gantry install plan prints: a readable tree (the choice, the deprecation conditions, each rejected
// candidate with its reason, the OLM v1 check) or JSON/YAML with bundle, error, conditions, rejected, check.
import type { OlmV1Check } from '../install/check-olm-v1.js';
import type { Resolution } from '../install/index.js';

/** The check of the chosen bundle, with the OLM v1 release it was made for. */
export type PlanCheck = OlmV1Check & { olmVersion: string };

export function formatPlanTree(pkg: string, r: Resolution, check?: PlanCheck): string {
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
  lines.push(`${check ? '├─' : '└─'} rejected (${r.rejected.length})`);
  r.rejected.forEach((x, i) => {
    const branch = i === r.rejected.length - 1 ? '└─' : '├─';
    lines.push(`${check ? '│  ' : '   '}${branch} ${x.catalog}/${x.bundle} ${x.version || '(no version)'}: ${x.reason} — ${x.detail}`);
  });
  if (check) {
    const verdict = check.installable === null ? 'unknown' : check.installable ? 'installable' : 'not installable';
    lines.push(`└─ check (OLM v1 ${check.olmVersion}): ${verdict}`);
    const items = [...check.reasons.map((x) => `${x.code}: ${x.message}`), ...check.notes.map((n) => `note: ${n}`)];
    items.forEach((t, i) => lines.push(`   ${i === items.length - 1 ? '└─' : '├─'} ${t}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The document -o json/yaml print: bundle first (null when nothing resolves, then error), conditions, rejected, check. */
export function planDocument(r: Resolution, check?: PlanCheck): Record<string, unknown> {
  const c = check && { olmVersion: check.olmVersion, installable: check.installable, reasons: check.reasons, notes: check.notes };
  return { bundle: r.bundle, ...(r.error !== undefined ? { error: r.error } : {}), conditions: r.conditions, rejected: r.rejected, ...(c ? { check: c } : {}) };
}
