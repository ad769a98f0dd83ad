// gantry mirror's run flags: the MicroShift blueprint flags (--blueprint-source, --blueprint-exclude-arch,
// --microshift-release-info), checked before any work, the options every run takes from the flags, and the lines
// that report a dry run and its blueprint.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addAccessFlags, addCommonRegistryFlags } from './registry-flags.js';
import { GantryError } from '../errors.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import { parseReleaseInfo } from '../generate/microshift-release-info.js';
import { addMicroShiftImages, loadMirrorInputs, type BlueprintSettings, type DryRunBlueprint, type DryRunFiles, type MirrorInputs, type MirrorPlan, type RunOptions } from '../mirror/index.js';
import { formatReference } from '../oci/reference.js';
import type { PlanMeasures } from '../mirror/measure-plan.js';
import { formatBytes, formatErrorGroups, redact } from './output.js';
import type { ProgressDisplay } from './progress.js';
import { GANTRY_VERSION } from '../version.js';
import type { CliContext } from './context.js';
import { createMirrorRenderer, type MirrorFlags } from './mirror-output.js';
import { graphReader } from './update-graphs.js';
import { releaseSignaturePolicy } from './release-signature-flags.js';
import { graphDataReader, graphImageSettings } from './graph-image-flags.js';

/**
 * --microshift-release-info FILE…: MicroShift's own images, read and checked before any work. `byDigest`: each must
 * be pinned by digest (gantry mirror copies them; a tag would copy whatever it points to today).
 */
export async function releaseInfoImages(opts: MirrorFlags | { microshiftReleaseInfo?: unknown }, ctx: CliContext, check: { byDigest?: boolean } = {}): Promise<BlueprintImage[]> {
  const files = Array.isArray(opts.microshiftReleaseInfo) ? (opts.microshiftReleaseInfo as string[]) : [];
  const out: BlueprintImage[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw new GantryError('USAGE', `cannot read --microshift-release-info ${file}`, { cause: err });
    });
    const info = parseReleaseInfo(text, file);
    const byTag = check.byDigest ? info.images.find((i) => !i.digest) : undefined;
    if (byTag) {
      throw new GantryError('CONFIG_INVALID', `${file}: images.${byTag.names?.[0] ?? '?'} (${formatReference(byTag.source)}) is not pinned by digest`, {
        hint: 'gantry mirror copies MicroShift images by digest only; release-<arch>.json of microshift-release-info lists each one by digest',
      });
    }
    ctx.stderr.write(`${file}: ${info.images.length} MicroShift images${info.base ? ` (release ${info.base})` : ''}\n`);
    out.push(...info.images);
  }
  return out;
}

/**
 * The ImageSetConfiguration of a mirror to mirror or to disk, its issues reported as events, with MicroShift's own
 * images (--microshift-release-info) added as additional images by digest: mirrored, archived, and in the blueprint.
 */
export async function mirrorInputs(configFile: string, flags: BlueprintSettings & RunOptions): Promise<{ inputs: MirrorInputs }> {
  const inputs = await loadMirrorInputs(configFile, (issue) => flags.onEvent?.({ type: 'input-issue', issue }));
  return { inputs: addMicroShiftImages(inputs, flags.blueprintExtra ?? []) };
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
  const extra = await releaseInfoImages(opts, ctx, { byDigest: true });
  return { excludeArchitectures: excludedArchitectures(opts), blueprintSource: blueprintSource(opts), ...(extra.length ? { blueprintExtra: extra } : {}) };
}

export function printDryRunBlueprint(bp: DryRunBlueprint, ctx: CliContext): void {
  for (const u of bp.unreadable) ctx.stderr.write(`blueprint: could not read ${u.image} (${u.error}); listed as the manifests name it\n`);
  for (const t of bp.byTag) ctx.stderr.write(`blueprint: warning: referenced by tag, not digest: ${t}\n`);
  for (const c of bp.pendingCatalogs) ctx.stderr.write(`blueprint: catalog ${c} is rebuilt when mirrored; its entry (by the new digest) is written by the real run\n`);
  if (bp.mirrorUnknown) ctx.stderr.write("blueprint: the archive's destination is chosen when it is pushed; entries pull from the sources\n");
  ctx.stderr.write(`blueprint: ${bp.containers} containers, ${bp.excluded} excluded, ${bp.byTag.length} by tag: ${bp.file}\n`);
}

/** A dry run's summary (mirror to mirror or to disk): its blueprint, what is planned and what is still to move. */
export function printDryRun(result: { plan: MirrorPlan; measures: PlanMeasures; files: DryRunFiles; blueprint: DryRunBlueprint }, ctx: CliContext): void {
  const { plan, measures, files } = result;
  printDryRunBlueprint(result.blueprint, ctx);
  const unreadable = [...measures.images.values()].filter((m) => m.error).length;
  ctx.stderr.write(
    `dry run: ${plan.images.length} images and ${plan.catalogs.length} catalog${plan.catalogs.length === 1 ? '' : 's'} planned, ${formatBytes(measures.totals.size)}; ` +
      `${formatBytes(measures.totals.toMove)} still to move (${files.missingImages} images not complete at the destination)` +
      `${unreadable ? `; ${unreadable} could not be read` : ''}\n  see ${files.plan}, mapping.txt and missing.txt\n`,
  );
}

/** What every mirror run takes from the flags and the CLI: dry run, failure policy, events, masking, the signal. */
export async function runFlags(opts: MirrorFlags, ctx: CliContext, progress: ProgressDisplay, quiet: boolean): Promise<BlueprintSettings & RunOptions & { dryRun: boolean }> {
  return {
    ...(await blueprintFlags(opts, ctx)),
    dryRun: Boolean(opts.dryRun),
    failFast: Boolean(opts.failFast),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    onEvent: createMirrorRenderer(ctx, progress, quiet),
    redact,
    version: GANTRY_VERSION,
    signal: ctx.signal,
    readGraph: graphReader(opts as Record<string, unknown>, ctx.signal),
    releaseSignatures: releaseSignaturePolicy(opts, opts.from !== undefined ? 'archive' : 'source'),
    readGraphData: graphDataReader(opts as Record<string, unknown>),
    graphImage: graphImageSettings(opts as Record<string, unknown>),
  };
}

/** The flags every mirroring command shares: the failure policy, the output, and both sides' registry flags. */
export function addMirrorRunFlags(cmd: Command): Command {
  cmd
    .option('--fail-fast', 'stop at the first image that fails')
    .option('--remove-signatures', "leave each image's cosign signatures, attestations, SBOMs and OCI referrers behind (copied by default)")
    .option('-q, --quiet', 'print only errors and the summary')
    .option('--plain', 'plain log lines instead of a progress bar');
  addAccessFlags(cmd, 'src-', 'source');
  addAccessFlags(cmd, 'dest-', 'destination');
  return addCommonRegistryFlags(cmd);
}

/** Each failed image once, identical failures grouped into one line with a count (67 × "cannot reach …"). */
export function printFailures(failed: readonly { error: unknown; what: string }[], ctx: CliContext): void {
  for (const line of formatErrorGroups(failed.map((f) => ({ error: f.error, subject: f.what })), ctx.debug)) ctx.stderr.write(`${line}\n`);
}
