// A mirror dry run's release lines: the releases `mirror.platform` selects (version, arch, channel, why, payload,
// components, destination tag) on stderr, from the plan; plan.json carries the same explanations.
import type { MirrorPlan, PlannedRelease } from '../mirror/index.js';
import type { CliContext } from './context.js';
import { formatReference } from '../oci/reference.js';

export function printReleasePlan(plan: MirrorPlan, ctx: CliContext): void {
  const g = plan.graph;
  if (g) ctx.stderr.write(`graph image: built from ${g.dataUrl} on ${formatReference(g.base)} → ${g.dest ? formatReference(g.dest) : `${g.naming.targetRepo}:${g.naming.targetTag} (named when the archive is pushed)`}, with updateService.yaml\n`);
  const releases = plan.releases;
  if (!releases) return;
  const n = releases.length;
  const images = plan.images.filter((i) => i.kind === 'release').length;
  ctx.stderr.write(`releases: ${n} selected by mirror.platform, ${images} images (release images and their components)\n`);
  for (const r of releases) ctx.stderr.write(`  ${describeRelease(r)}\n`);
  printReleaseSignatures(plan, ctx);
}

/** One line per release saying how its signatures were checked before anything was copied. */
export function printReleaseSignatures(plan: MirrorPlan, ctx: CliContext): void {
  for (const r of plan.releases ?? []) {
    const s = r.signatures;
    if (s === undefined || typeof s !== 'object' || !('verified' in s)) continue;
    ctx.stderr.write(`release ${r.version} (${r.arch}): ${s.verified} signature${s.verified === 1 ? '' : 's'} verified (key ${s.keyIds.join(', ')})\n`);
  }
}

export function describeRelease(r: PlannedRelease): string {
  const why = r.reason === 'release' ? 'platform.release' : r.edge ? `path from ${r.edge.from}${r.edge.conditional ? ` (conditional: ${r.edge.risks.map((k) => k.name).join(', ') || 'unnamed risk'})` : ''}` : r.reason;
  return `${r.version}  ${r.arch}  ${r.channel ?? '-'}  ${why}  ${r.payload}  (${r.components} components${kubeVirt(r)} → openshift/release-images:${r.tag})`;
}

function kubeVirt(r: PlannedRelease): string {
  const n = r.kubeVirtContainer?.length;
  return n ? ` + ${n} KubeVirt container${n === 1 ? '' : 's'} (${r.kubeVirtContainer!.map((k) => k.arch).join(', ')})` : '';
}
