// Mirror to disk as one operation: plan without a destination, stage and pack an archive sequence in DIR (or, on a
// dry run, measure against what earlier archives of DIR carried), with plan.json and the errors report beside it.
import type { Platform } from '../oci/platform.js';
import { readHistory, shippedBlobs } from '../archive/history.js';
import { formatReference } from '../oci/reference.js';
import type { DescribeOptions } from './execute-mirror.js';
import { measurePlan, type PlanMeasures } from './measure-plan.js';
import { catalogKey, imageKey, mirrorToDisk, type MirrorToDiskResult } from './mirror-to-disk.js';
import { planMirror, type MirrorPlan, type PlannedCatalog, type PlannedImage } from './plan-mirror.js';
import { reportPlan, resolveInputs, type InputsOption, selectionError, throwIfInterrupted, type RunOptions } from './run-common.js';
import type { StoreResolver } from './store-resolver.js';
import type { MirrorInputs } from './load-config.js';
import { withDirectoryLock } from './workspace-lock.js';
import { blueprintSettings, writeDryRunBlueprint, type BlueprintSettings, type DryRunBlueprint } from './dry-run-blueprint.js';
import { archivedReleases, checkReleaseSignatures } from './release-signatures.js';
import { writeDryRunFiles, writeErrorsReport, writePlanFile, type DryRunFiles } from './workspace-files.js';
import { GRAPH_ARCHIVE_KEY, loadGraphData } from './plan-graph-image.js';

const GIB = 1024 ** 3;
/** oc-mirror's default archiveSize, in GiB. */
export const DEFAULT_ARCHIVE_GIB = 500;

export type MirrorToDiskRunOptions = InputsOption & MirrorToDiskRunSettings;

export interface MirrorToDiskRunSettings extends RunOptions, BlueprintSettings {
  /** The archive directory; locked for the run. */
  dir: string;
  source: StoreResolver;
  /** Largest part in bytes; default archiveSize from the configuration (GiB), else 500 GiB. */
  archiveSize?: number;
  ignoreHistory?: boolean;
  dryRun?: boolean;
  /** Which platform of a multi-platform catalog image the catalog is read from. */
  catalogPlatform?: Platform;
}

export type MirrorToDiskRunResult =
  | { dryRun: true; plan: MirrorPlan; measures: PlanMeasures; files: DryRunFiles; blueprint: DryRunBlueprint }
  | ({ dryRun: false; plan: MirrorPlan; errorsReport?: string } & MirrorToDiskResult);

export async function runMirrorToDisk(opts: MirrorToDiskRunOptions): Promise<MirrorToDiskRunResult> {
  // Input errors come before anything is created or locked.
  const inputs = await resolveInputs(opts);
  return withDirectoryLock(opts.dir, 'mirror to disk', () => mirrorToDiskLocked(opts, inputs));
}

async function mirrorToDiskLocked(opts: MirrorToDiskRunOptions, inputs: MirrorInputs): Promise<MirrorToDiskRunResult> {
  const { dir, signal } = opts;
  const { config } = inputs;
  // No destination yet: names are given when the archive is pushed; plan.json names archive keys.
  const plan = await planMirror({ config, source: opts.source, ...(opts.catalogPlatform ? { catalogPlatform: opts.catalogPlatform } : {}), ...(opts.readGraph ? { readGraph: opts.readGraph } : {}), ...(opts.graphImage ? { graphImage: opts.graphImage } : {}), ...(signal ? { signal } : {}) });
  const describe: DescribeOptions = { imageDestination: (i: PlannedImage) => `file://${dir}/${imageKey(i)}`, catalogDestination: (c: PlannedCatalog) => `file://${dir}/${catalogKey(c)}`, graphDestination: `file://${dir}/${GRAPH_ARCHIVE_KEY}` };
  // Release signatures before anything is downloaded: verified ones travel in the archive, so disk to mirror needs no store.
  const signatures = await checkReleaseSignatures(plan, { policy: opts.releaseSignatures, platform: config.mirror?.platform, ...(signal ? { signal } : {}) });
  const hasErrors = reportPlan(plan, opts.onEvent);
  const planFile = await writePlanFile(dir, plan, describe);
  if (hasErrors) throw selectionError(plan, planFile);
  if (signatures.refused) throw signatures.refused;

  if (opts.dryRun) {
    // "At the destination" means: carried by an earlier archive of this directory.
    const shipped = opts.ignoreHistory ? new Map() : shippedBlobs(await readHistory(dir));
    const measures = await measurePlan(plan, { source: opts.source, hasBlob: async (_i, digest) => shipped.has(digest), ...(signal ? { signal } : {}) });
    throwIfInterrupted(signal);
    const mapping = plan.images.map((i) => `docker://${formatReference(i.source)}=file://${dir}/${imageKey(i)}\n`).join('');
    const files = await writeDryRunFiles(dir, plan, measures, mapping, describe);
    // An archive's destination is chosen when it is pushed: the dry run's blueprint pulls from the sources.
    const blueprint = await writeDryRunBlueprint(plan, dir, { ...blueprintSettings(opts), source: opts.source, destinationKnown: false, ...(signal ? { signal } : {}) });
    return { dryRun: true, plan, measures, files, blueprint };
  }

  const { onEvent } = opts;
  // Read before anything is staged: an unreachable graph-data URL leaves no archive behind.
  const graph = plan.graph ? await loadGraphData(plan.graph, opts.readGraphData, signal) : undefined;
  const result = await mirrorToDisk(plan, {
    ...(graph ? { graph } : {}),
    dir,
    source: opts.source,
    configText: inputs.text,
    templates: inputs.templates,
    blockedImages: (config.mirror?.blockedImages ?? []).map((b) => b.name),
    archiveSize: opts.archiveSize ?? (config.archiveSize ?? DEFAULT_ARCHIVE_GIB) * GIB,
    ignoreHistory: Boolean(opts.ignoreHistory),
    gantryVersion: opts.version,
    ...(plan.releases?.length ? { releaseSignatures: archivedReleases(plan, signatures) } : {}),
    ...(onEvent
      ? {
          onEvent,
          onPartBytes: (file: string, done: number, total: number) => onEvent({ type: 'part-bytes', step: 'writing', file, done, total }),
          onPart: (p: { file: string; part: number; parts: number; bytes: number }) => onEvent({ type: 'part-written', ...p }),
        }
      : {}),
    ...(opts.failFast ? { failFast: true } : {}),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    ...(signal ? { signal } : {}),
  });
  const errorsReport = await writeErrorsReport(dir, result.failed, opts.redact);
  return { dryRun: false, plan, ...result, ...(errorsReport ? { errorsReport } : {}) };
}
