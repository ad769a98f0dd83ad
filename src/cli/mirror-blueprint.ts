// gantry mirror's MicroShift blueprint flags (--blueprint-source, --blueprint-exclude-arch,
// --microshift-release-info), checked before any work, and the lines that report a dry run's blueprint.
import { readFile } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import { parseReleaseInfo } from '../generate/microshift-release-info.js';
import type { BlueprintSettings, DryRunBlueprint } from '../mirror/index.js';
import type { CliContext } from './context.js';
import type { MirrorFlags } from './mirror-output.js';

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

/** --blueprint-exclude-arch ppc64le,s390x → ["ppc64le", "s390x"]. */
export function excludedArchitectures(opts: MirrorFlags): string[] {
  const v = opts.blueprintExcludeArch;
  return typeof v === 'string' ? v.split(',').map((a) => a.trim()).filter(Boolean) : [];
}

/** Every blueprint flag as the mirror library's settings; files named by flags are read now, before any work. */
export async function blueprintFlags(opts: MirrorFlags, ctx: CliContext): Promise<BlueprintSettings> {
  const extra = await releaseInfoImages(opts, ctx);
  return { excludeArchitectures: excludedArchitectures(opts), blueprintSource: blueprintSource(opts), ...(extra.length ? { blueprintExtra: extra } : {}) };
}

export function printDryRunBlueprint(bp: DryRunBlueprint, ctx: CliContext): void {
  for (const u of bp.unreadable) ctx.stderr.write(`blueprint: could not read ${u.image} (${u.error}); listed as the manifests name it\n`);
  for (const t of bp.byTag) ctx.stderr.write(`blueprint: warning: referenced by tag, not digest: ${t}\n`);
  for (const c of bp.pendingCatalogs) ctx.stderr.write(`blueprint: catalog ${c} is rebuilt when mirrored; its entry (by the new digest) is written by the real run\n`);
  if (bp.mirrorUnknown) ctx.stderr.write("blueprint: the archive's destination is chosen when it is pushed; entries pull from the sources\n");
  ctx.stderr.write(`blueprint: ${bp.containers} containers, ${bp.excluded} excluded, ${bp.byTag.length} by tag: ${bp.file}\n`);
}
