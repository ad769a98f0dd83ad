// What a mirror run leaves in its workspace (or archive directory) besides images: plan.json, a dry run's
// mapping.txt and missing.txt, the destination's mirror record, cluster-resources/, mapping.txt and the errors report.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeFileTree } from '../files/write-tree.js';
import type { CatalogSourceTemplateText, GeneratedFile, MirroredImage } from '../generate/cluster-resources.js';
import type { CatalogSourceTemplateIssue } from '../config/catalog-source-template.js';
import type { MirrorTarget } from '../generate/destination.js';
import { clusterResourceFiles, mappingFile } from './cluster-output.js';
import type { CopyFailure } from './copy-plan.js';
import { recordMirrored } from './destination-records.js';
import { describePlan, missingList, type DescribeOptions } from './execute-mirror.js';
import { failureRecords, formatErrorsReport } from './failure-records.js';
import type { PlanMeasures } from './measure-plan.js';
import type { MirrorPlan } from './plan-mirror.js';
import { platformDigests } from './platform-digests.js';
import type { StoreResolver } from './store-resolver.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';

export const ERRORS_REPORT = 'mirror-errors.txt';
export const PLAN_FILE = 'plan.json';
export const MAPPING_FILE = 'mapping.txt';
export const MISSING_FILE = 'missing.txt';
export const CLUSTER_RESOURCES_DIR = 'cluster-resources';

export async function writePlanFile(workspace: string, plan: MirrorPlan, describe: DescribeOptions = {}): Promise<string> {
  await mkdir(workspace, { recursive: true });
  const file = join(workspace, PLAN_FILE);
  await writeFileAtomic(file, `${JSON.stringify(describePlan(plan, describe), null, 2)}\n`);
  return file;
}

export interface DryRunFiles {
  plan: string;
  mapping: string;
  missing: string;
  /** Images not complete at the destination (or not readable). */
  missingImages: number;
}

/** A dry run's files: plan.json with sizes and bytes to move, mapping.txt, missing.txt. */
export async function writeDryRunFiles(workspace: string, plan: MirrorPlan, measures: PlanMeasures, mapping: string, describe: DescribeOptions = {}): Promise<DryRunFiles> {
  const files = { plan: await writePlanFile(workspace, plan, { ...describe, measures }), mapping: join(workspace, MAPPING_FILE), missing: join(workspace, MISSING_FILE) };
  await writeFileAtomic(files.mapping, mapping);
  const missing = missingList(plan, measures);
  await writeFileAtomic(files.missing, missing);
  return { ...files, missingImages: missing === '' ? 0 : missing.trimEnd().split('\n').length };
}

export interface ClusterResourcesOptions {
  icsp?: boolean;
  /** CatalogSource templates by catalogTemplateKey(destination). */
  templates?: ReadonlyMap<string, CatalogSourceTemplateText>;
  /** MicroShift blueprint: leave these architectures of multi-platform images out (their digests are read back). */
  excludeArchitectures?: string[];
  /** MicroShift blueprint: pull from the sources (default) or the mirror; stored under the source names either way. */
  blueprintSource?: 'source' | 'mirror';
  /** MicroShift blueprint: relatedImages names by formatReference(source), where this run's plan knows them. */
  relatedNames?: ReadonlyMap<string, string[]>;
  /** MicroShift blueprint: images listed besides the mirrored ones (MicroShift's own, from release-<arch>.json). */
  blueprintExtra?: BlueprintImage[];
  /** Destination repositories, read when architectures are excluded. */
  destination: StoreResolver;
  version?: string;
  /** Files written beside the generated ones (the release signature ConfigMap and policy example). */
  extraFiles?: GeneratedFile[];
  signal?: AbortSignal;
}

export interface ClusterOutput {
  dir: string;
  /** Paths relative to dir. */
  files: string[];
  /** Images recorded for this destination so far (every run's). */
  images: number;
  issues: CatalogSourceTemplateIssue[];
}

/** Records this run's images for the destination, then rewrites cluster-resources/ and mapping.txt for all of them. */
export async function writeClusterResources(workspace: string, target: MirrorTarget, mirrored: MirroredImage[], opts: ClusterResourcesOptions): Promise<ClusterOutput> {
  await mkdir(workspace, { recursive: true });
  const all = await recordMirrored(workspace, target, mirrored);
  const exclude = opts.excludeArchitectures ?? [];
  // Excluding architectures needs each multi-platform image's per-architecture digests: read from the mirror.
  const blueprint = {
    ...(opts.blueprintSource ? { location: opts.blueprintSource } : {}),
    ...(opts.relatedNames ? { relatedNames: opts.relatedNames } : {}),
    ...(opts.blueprintExtra?.length ? { extraImages: opts.blueprintExtra } : {}),
    ...(exclude.length ? { excludeArchitectures: exclude, platformDigests: await platformDigests(all, (i) => opts.destination(i.dest), opts.signal ? { signal: opts.signal } : {}) } : {}),
  };
  const { files, issues } = clusterResourceFiles(all, { ...(opts.icsp ? { icsp: true } : {}), ...(opts.templates ? { templates: opts.templates } : {}), ...(opts.version ? { version: opts.version } : {}), blueprint });
  files.push(...(opts.extraFiles ?? []));
  const dir = join(workspace, CLUSTER_RESOURCES_DIR);
  await writeFileTree(dir, new Map(files.map((f) => [f.path, f.content])), { replace: true });
  await writeFileAtomic(join(workspace, MAPPING_FILE), mappingFile(all));
  return { dir, files: files.map((f) => f.path), images: all.length, issues };
}

/** Writes the errors report, or removes an old one when nothing failed; returns its path when written. */
export async function writeErrorsReport(workspace: string, failed: CopyFailure[], redact: (text: string) => string = (t) => t): Promise<string | undefined> {
  const path = join(workspace, ERRORS_REPORT);
  if (failed.length === 0) {
    await rm(path, { force: true });
    return undefined;
  }
  await mkdir(workspace, { recursive: true });
  await writeFileAtomic(path, redact(formatErrorsReport(failureRecords(failed))));
  return path;
}
