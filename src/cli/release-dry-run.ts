// A mirror dry run's release lines: the releases `mirror.platform` selects (version, arch, channel, why, payload,
// components, destination tag) on stderr, from the plan; plan.json carries the same explanations.
import type { MirrorPlan, PlannedRelease } from '../mirror/index.js';
import type { CliContext } from './context.js';

export function printReleasePlan(plan: MirrorPlan, ctx: CliContext): void {
  const releases = plan.releases;
  if (!releases) return;
  const n = releases.length;
  const images = plan.images.filter((i) => i.kind === 'release').length;
  ctx.stderr.write(`releases: ${n} selected by mirror.platform, ${images} images (release images and their components)\n`);
  for (const r of releases) ctx.stderr.write(`  ${describeRelease(r)}\n`);
}

export function describeRelease(r: PlannedRelease): string {
  const why = r.reason === 'release' ? 'platform.release' : r.edge ? `path from ${r.edge.from}${r.edge.conditional ? ` (conditional: ${r.edge.risks.map((k) => k.name).join(', ') || 'unnamed risk'})` : ''}` : r.reason;
  return `${r.version}  ${r.arch}  ${r.channel ?? '-'}  ${why}  ${r.payload}  (${r.components} components${kubeVirt(r)} → openshift/release-images:${r.tag})`;
}

function kubeVirt(r: PlannedRelease): string {
  const n = r.kubeVirtContainer?.length;
  return n ? ` + ${n} KubeVirt container${n === 1 ? '' : 's'} (${r.kubeVirtContainer!.map((k) => k.arch).join(', ')})` : '';
}
