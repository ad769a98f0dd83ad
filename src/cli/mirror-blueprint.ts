// gantry mirror's MicroShift blueprint flags (--blueprint-source, --blueprint-exclude-arch) and the blueprint a dry
// run writes from the plan alone, read from the sources: WORKSPACE/blueprint-containers.toml.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';
import { formatBlueprintToml, planBlueprint, type BlueprintImage } from '../generate/microshift-blueprint.js';
import { parseReleaseInfo } from '../generate/microshift-release-info.js';
import type { Store } from '../content/store.js';
import { planBlueprintImages } from '../mirror/plan-blueprint.js';
import type { MirrorPlan, PlannedImage } from '../mirror/plan-mirror.js';
import type { CliContext } from './context.js';
import { excludedArchitectures, type MirrorFlags } from './mirror-output.js';

export const DRY_RUN_BLUEPRINT = 'blueprint-containers.toml';

/** --microshift-release-info FILE…: MicroShift's own images, read and checked before any work. */
export async function releaseInfoImages(opts: MirrorFlags | { microshiftReleaseInfo?: unknown }, ctx: CliContext): Promise<BlueprintImage[]> {
  const files = Array.isArray(opts.microshiftReleaseInfo) ? (opts.microshiftReleaseInfo as string[]) : [];
  const out: BlueprintImage[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw new GantryError('USAGE', `cannot read --microshift-release-info ${file}`, { cause: err });
    });
    const info = parseReleaseInfo(text, file);
    ctx.stderr.write(`${file}: ${info.images.length} MicroShift images${info.base ? ` (release ${info.base})` : ''}\n`);
    out.push(...info.images);
  }
  return out;
}

/** --blueprint-source source|mirror (checked before any work). */
export function blueprintSource(opts: MirrorFlags): 'source' | 'mirror' {
  const v = opts.blueprintSource ?? 'source';
  if (v !== 'source' && v !== 'mirror') throw new GantryError('USAGE', `--blueprint-source "${String(v)}" is neither source nor mirror`, { hint: 'source: pull from where the manifests name each image; mirror: pull from the mirror, store under those names' });
  return v;
}

export async function writeDryRunBlueprint(
  plan: MirrorPlan,
  workspace: string,
  opts: MirrorFlags,
  deps: { sourceStore: (i: PlannedImage) => Store; destinationKnown: boolean; extra?: BlueprintImage[] },
  ctx: CliContext,
): Promise<void> {
  const location = blueprintSource(opts);
  const planned = await planBlueprintImages(plan, { sourceStore: deps.sourceStore, withMirror: deps.destinationKnown && location === 'mirror', signal: ctx.signal });
  const bp = planBlueprint([...planned.images, ...(deps.extra ?? [])], { excludeArchitectures: excludedArchitectures(opts), location });
  const file = join(workspace, DRY_RUN_BLUEPRINT);
  await writeFileAtomic(file, formatBlueprintToml(bp));
  for (const u of planned.unreadable) ctx.stderr.write(`blueprint: could not read ${u.image} (${u.error}); listed as the manifests name it\n`);
  for (const t of bp.byTag) ctx.stderr.write(`blueprint: warning: referenced by tag, not digest: ${t}\n`);
  for (const c of planned.pendingCatalogs) ctx.stderr.write(`blueprint: catalog ${c} is rebuilt when mirrored; its entry (by the new digest) is written by the real run\n`);
  if (location === 'mirror' && !deps.destinationKnown) ctx.stderr.write('blueprint: the archive\'s destination is chosen when it is pushed; entries pull from the sources\n');
  ctx.stderr.write(`blueprint: ${bp.containers.length} containers, ${bp.excluded.length} excluded, ${bp.byTag.length} by tag: ${file}\n`);
}
