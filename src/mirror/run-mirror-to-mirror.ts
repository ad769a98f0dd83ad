// Mirror to mirror as one operation: plan, copy straight to the destination registry (or measure, on a dry run),
// then the workspace: the destination's mirror record, cluster resources, mapping.txt and the errors report.
import type { MirrorTarget } from '../generate/destination.js';
import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import { catalogTemplateKey } from '../generate/catalog-source-template.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { CopyFailure } from './copy-plan.js';
import { executeMirror, planMapping } from './execute-mirror.js';
import { measurePlan, type PlanMeasures } from './measure-plan.js';
import { placedAt, planMirror, type MirrorPlan } from './plan-mirror.js';
import { checkDestination, reportPlan, resolveInputs, type InputsOption, selectionError, throwIfInterrupted, type RunOptions } from './run-common.js';
import type { StoreResolver } from './store-resolver.js';
import type { MirrorInputs } from './load-config.js';
import { withDirectoryLock } from './workspace-lock.js';
import { blueprintSettings, writeDryRunBlueprint, type BlueprintSettings, type DryRunBlueprint } from './dry-run-blueprint.js';
import { relatedNamesOf } from './plan-blueprint.js';
import { writeClusterResources, writeDryRunFiles, writeErrorsReport, writePlanFile, type ClusterOutput, type DryRunFiles } from './workspace-files.js';
import { writePruningPlan, type Pruning } from './pruning-plan.js';
import { checkReleaseSignatures, landedReleases, releaseSignatureResources } from './release-signatures.js';
import { loadGraphData } from './plan-graph-image.js';

export type MirrorToMirrorOptions = InputsOption & MirrorToMirrorSettings;

export interface MirrorToMirrorSettings extends RunOptions, BlueprintSettings {
  target: MirrorTarget;
  /** Where plan.json, mapping.txt, the records and cluster-resources/ go; locked for the run. */
  workspace: string;
  source: StoreResolver;
  destination: StoreResolver;
  maxNestedPaths?: number;
  /** Which platform of a multi-platform catalog image the catalog is read from. */
  catalogPlatform?: Platform;
  /** Plan and measure against the destination; copy nothing. */
  dryRun?: boolean;
  icsp?: boolean;
}

export type MirrorToMirrorResult =
  | { dryRun: true; plan: MirrorPlan; measures: PlanMeasures; files: DryRunFiles; unreadable: number; blueprint: DryRunBlueprint; pruning: Pruning & { file?: string } }
  | { dryRun: false; plan: MirrorPlan; mirrored: MirroredImage[]; failed: CopyFailure[]; cluster: ClusterOutput; errorsReport?: string };

export async function runMirrorToMirror(opts: MirrorToMirrorOptions): Promise<MirrorToMirrorResult> {
  // Input errors come before anything is created or locked.
  const inputs = await resolveInputs(opts);
  return withDirectoryLock(opts.workspace, 'mirror to mirror', () => mirrorToMirrorLocked(opts, inputs));
}

async function mirrorToMirrorLocked(opts: MirrorToMirrorOptions, inputs: MirrorInputs): Promise<MirrorToMirrorResult> {
  const { target, workspace, signal } = opts;
  const plan = await planMirror({
    config: inputs.config,
    target,
    source: opts.source,
    ...(opts.maxNestedPaths ? { maxNestedPaths: opts.maxNestedPaths } : {}),
    ...(opts.catalogPlatform ? { catalogPlatform: opts.catalogPlatform } : {}),
    ...(opts.readGraph ? { readGraph: opts.readGraph } : {}),
    ...(opts.graphImage ? { graphImage: opts.graphImage } : {}),
    ...(signal ? { signal } : {}),
  });
  // Release signatures before anything is copied (or measured): plan.json then says how each release verified.
  const signatures = await checkReleaseSignatures(plan, { policy: opts.releaseSignatures, platform: inputs.config.mirror?.platform, ...(signal ? { signal } : {}) });
  const hasErrors = reportPlan(plan, opts.onEvent);
  const planFile = await writePlanFile(workspace, plan);
  if (hasErrors) throw selectionError(plan, planFile);
  if (signatures.refused) throw signatures.refused;

  if (opts.dryRun) {
    await checkDestination(plan, opts.destination, signal);
    const o = signal ? { signal } : {};
    const measures = await measurePlan(plan, {
      source: opts.source,
      hasBlob: async (i, digest) => (await opts.destination(placedAt(i)).statBlob(digest as Digest, o)) !== undefined,
      hasImage: async (i, digest) => (await opts.destination(placedAt(i)).statManifest(placedAt(i).tag ?? 'latest', o))?.digest === digest,
      ...o,
    });
    throwIfInterrupted(signal);
    const files = await writeDryRunFiles(workspace, plan, measures, planMapping(plan));
    const unreadable = [...measures.images.values()].filter((m) => m.error).length;
    const blueprint = await writeDryRunBlueprint(plan, workspace, { ...blueprintSettings(opts), source: opts.source, destinationKnown: true, ...(signal ? { signal } : {}) });
    // oc-mirror v1's dry run also says what earlier runs put here that this configuration drops.
    const pruning = await writePruningPlan(workspace, target, plan);
    return { dryRun: true, plan, measures, files, unreadable, blueprint, pruning };
  }

  // The graph data is read before anything is copied: an unreachable URL fails the run with nothing half-done.
  const graph = plan.graph ? await loadGraphData(plan.graph, opts.readGraphData, signal) : undefined;
  const result = await executeMirror(plan, {
    ...(graph ? { graph } : {}),
    source: opts.source,
    destination: opts.destination,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.failFast ? { failFast: true } : {}),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    ...(signal ? { signal } : {}),
  });
  const templates = new Map(plan.catalogs.flatMap((c) => (inputs.templates.has(c.catalog) ? [[catalogTemplateKey(placedAt(c)), inputs.templates.get(c.catalog)!] as const] : [])));
  // What landed is recorded even when the run was interrupted: the next run's cluster resources must include it.
  const cluster = await writeClusterResources(workspace, target, result.mirrored, {
    ...(opts.icsp ? { icsp: true } : {}),
    templates,
    ...blueprintSettings(opts),
    relatedNames: relatedNamesOf(plan.images),
    destination: opts.destination,
    version: opts.version,
    extraFiles: await releaseSignatureResources(workspace, target, landedReleases(signatures.signed, result.mirrored), { anyRelease: result.mirrored.some((m) => m.kind === 'release') }),
    ...(signal ? { signal } : {}),
  });
  for (const issue of cluster.issues) opts.onEvent?.({ type: 'template-issue', issue });
  throwIfInterrupted(signal);
  const errorsReport = await writeErrorsReport(workspace, result.failed, opts.redact);
  return { dryRun: false, plan, ...result, cluster, ...(errorsReport ? { errorsReport } : {}) };
}
