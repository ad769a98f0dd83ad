// What every mirror workflow prints and writes alike: config loading with file:line issues, plan issues, the
// cluster resources of everything mirrored to a destination so far, per-image failures and the errors report.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { parseImageSetConfig, type ImageSetConfig } from '../config/index.js';
import { writeFileAtomic, writeFileTree } from '../files/write-tree.js';
import type { CatalogSourceTemplateText, MirroredImage } from '../generate/cluster-resources.js';
import { parseCatalogSourceTemplate, type CatalogSourceTemplateIssue } from '../generate/catalog-source-template.js';
import { GANTRY_VERSION } from '../version.js';
import type { MirrorTarget } from '../generate/destination.js';
import { clusterResourceFiles, mappingFile } from '../mirror/cluster-output.js';
import { platformDigests } from '../mirror/platform-digests.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import type { Store } from '../content/store.js';
import type { CopyFailure } from '../mirror/copy-plan.js';
import { recordMirrored } from '../mirror/destination-records.js';
import { failureRecords, formatErrorsReport } from '../mirror/failure-records.js';
import type { MirrorPlan } from '../mirror/plan-mirror.js';
import { describePlan, missingList, type DescribeOptions } from '../mirror/execute-mirror.js';
import type { PlanMeasures } from '../mirror/measure-plan.js';
import { formatBytes, formatError, redact } from './output.js';
import type { CliContext } from './context.js';

export type MirrorFlags = Record<string, unknown> & { config?: string; workspace?: string; from?: string };

export const ERRORS_REPORT = 'mirror-errors.txt';

export async function loadImageSetConfig(file: string, ctx: CliContext): Promise<{ config: ImageSetConfig; text: string }> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${file}`, { cause: err });
  });
  const parsed = parseImageSetConfig(text, file);
  for (const i of parsed.issues) {
    ctx.stderr.write(`${i.severity}: ${i.file}:${i.line}:${i.column}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);
  }
  if (!parsed.config) throw new GantryError('CONFIG_INVALID', `${file} is not a valid ImageSetConfiguration`);
  return { config: parsed.config, text };
}

const printIssue = (i: CatalogSourceTemplateIssue, ctx: CliContext) =>
  ctx.stderr.write(`${i.severity}: ${i.file}:${i.line}:${i.column}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);

/** Each operator catalog's targetCatalogSourceTemplate, read and checked before anything is copied; by catalog. */
export async function loadCatalogSourceTemplates(config: ImageSetConfig, ctx: CliContext): Promise<Map<string, CatalogSourceTemplateText>> {
  const out = new Map<string, CatalogSourceTemplateText>();
  let errors = 0;
  for (const op of [...(config.mirror?.operators ?? [])]) {
    const file = op.targetCatalogSourceTemplate;
    if (!file) continue;
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw new GantryError('USAGE', `cannot read targetCatalogSourceTemplate ${file} (catalog ${op.catalog})`, { cause: err, hint: 'the path is relative to the directory gantry runs in' });
    });
    const parsed = parseCatalogSourceTemplate(text, file);
    for (const i of parsed.issues) printIssue(i, ctx);
    if (!parsed.template) errors++;
    out.set(op.catalog, { text, file });
  }
  if (errors > 0) throw new GantryError('CONFIG_INVALID', `${errors} CatalogSource template${errors === 1 ? ' is' : 's are'} not valid; nothing was copied`);
  return out;
}

export function fileTarget(value: string, what: string): string {
  if (!value.startsWith('file://')) throw new GantryError('USAGE', `${what} "${value}" must start with file://`);
  const dir = value.slice('file://'.length);
  if (dir === '') throw new GantryError('USAGE', `${what} "${value}" names no directory`);
  return dir;
}

/** Prints plan issues and blocked images; throws when the selection has errors (after plan.json is written). */
export function reportPlanIssues(plan: MirrorPlan, ctx: CliContext): number {
  for (const i of plan.issues) if (i.severity !== 'info') ctx.stderr.write(`${i.severity}: ${i.catalog ? `${i.catalog}: ` : ''}${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);
  for (const b of plan.blocked) ctx.stderr.write(`blocked: ${b.image} (matches ${b.pattern})\n`);
  return plan.issues.filter((i) => i.severity === 'error').length;
}

export interface ClusterOutput {
  dir: string;
  files: string[];
  images: number;
}

/** Records this run's images for the destination, then rewrites cluster-resources/ and mapping.txt for all of them. */
export async function writeClusterOutput(
  workspace: string,
  target: MirrorTarget,
  mirrored: MirroredImage[],
  opts: {
    icsp: boolean;
    templates: ReadonlyMap<string, CatalogSourceTemplateText>;
    excludeArchitectures: string[];
    storeFor: (i: MirroredImage) => Store;
    /** MicroShift blueprint: pull from the sources (default) or the mirror; relatedImages names from the plan. */
    blueprintSource?: 'source' | 'mirror';
    relatedNames?: ReadonlyMap<string, string[]>;
    blueprintExtra?: BlueprintImage[];
  },
  ctx: CliContext,
): Promise<ClusterOutput> {
  await mkdir(workspace, { recursive: true });
  const all = await recordMirrored(workspace, target, mirrored);
  // Excluding architectures needs each multi-platform image's per-architecture digests: read from the mirror.
  const blueprint = {
    ...(opts.blueprintSource ? { location: opts.blueprintSource } : {}),
    ...(opts.relatedNames ? { relatedNames: opts.relatedNames } : {}),
    ...(opts.blueprintExtra?.length ? { extraImages: opts.blueprintExtra } : {}),
    ...(opts.excludeArchitectures.length ? { excludeArchitectures: opts.excludeArchitectures, platformDigests: await platformDigests(all, opts.storeFor, { signal: ctx.signal }) } : {}),
  };
  const { files, issues } = clusterResourceFiles(all, { icsp: opts.icsp, templates: opts.templates, version: GANTRY_VERSION, blueprint });
  for (const i of issues) printIssue(i, ctx);
  const dir = join(workspace, 'cluster-resources');
  await writeFileTree(dir, new Map(files.map((f) => [f.path, f.content])), { replace: true });
  await writeFileAtomic(join(workspace, 'mapping.txt'), mappingFile(all));
  return { dir, files: files.map((f) => f.path), images: all.length };
}

/** Prints each failure, writes (or clears) the errors report; returns its path when there were failures. */
export async function reportFailures(workspace: string, failed: CopyFailure[], ctx: CliContext): Promise<string | undefined> {
  const path = join(workspace, ERRORS_REPORT);
  for (const f of failed) ctx.stderr.write(`${formatError(f.error, ctx.debug, f.what)}\n`);
  if (failed.length === 0) {
    await rm(path, { force: true });
    return undefined;
  }
  await mkdir(workspace, { recursive: true });
  await writeFileAtomic(path, redact(formatErrorsReport(failureRecords(failed))));
  return path;
}

export function requireConfig(opts: MirrorFlags): string {
  if (!opts.config) throw new GantryError('USAGE', 'an ImageSetConfiguration is required: -c, --config <file>');
  return opts.config;
}

/** Plans, writes plan.json (and mapping.txt on a dry run); throws when the selection has errors. */
export async function planAndReport(plan: MirrorPlan, workspace: string, ctx: CliContext, describe: DescribeOptions = {}): Promise<void> {
  const errors = reportPlanIssues(plan, ctx);
  await mkdir(workspace, { recursive: true });
  await writeFileAtomic(join(workspace, 'plan.json'), `${JSON.stringify(describePlan(plan, describe), null, 2)}\n`);
  if (errors > 0) throw new GantryError('CONFIG_INVALID', `${errors} problem${errors === 1 ? '' : 's'} in the selection; nothing was copied`, { hint: `details in ${join(workspace, 'plan.json')}` });
}

/** A dry run's files: plan.json with sizes and bytes to move, mapping.txt, missing.txt; then one summary line. */
export async function writeDryRun(plan: MirrorPlan, measures: PlanMeasures, workspace: string, mapping: string, ctx: CliContext, describe: DescribeOptions = {}): Promise<void> {
  await writeFileAtomic(join(workspace, 'plan.json'), `${JSON.stringify(describePlan(plan, { ...describe, measures }), null, 2)}\n`);
  await writeFileAtomic(join(workspace, 'mapping.txt'), mapping);
  const missing = missingList(plan, measures);
  await writeFileAtomic(join(workspace, 'missing.txt'), missing);
  const unreadable = [...measures.images.values()].filter((m) => m.error).length;
  ctx.stderr.write(
    `dry run: ${plan.images.length} images and ${plan.catalogs.length} catalog${plan.catalogs.length === 1 ? '' : 's'} planned, ${formatBytes(measures.totals.size)}; ` +
      `${formatBytes(measures.totals.toMove)} still to move (${missing === '' ? 0 : missing.trimEnd().split('\n').length} images not complete at the destination)` +
      `${unreadable ? `; ${unreadable} could not be read` : ''}\n  see ${join(workspace, 'plan.json')}, mapping.txt and missing.txt\n`,
  );
}

/** --blueprint-exclude-arch ppc64le,s390x → ["ppc64le", "s390x"]. */
export function excludedArchitectures(opts: MirrorFlags): string[] {
  const v = opts.blueprintExcludeArch;
  return typeof v === 'string' ? v.split(',').map((a) => a.trim()).filter(Boolean) : [];
}
