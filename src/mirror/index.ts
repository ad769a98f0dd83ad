// The mirror library's entry points, an explicit export list: whole operations over injected store resolvers
// (plan, mirror to mirror, to disk, from disk, cluster resources), their inputs, events and results.
export { planMirror, placedAt, placedImages, type MirrorPlan, type PlannedImage, type PlannedCatalog, type PlacedImage, type PlanIssue, type PlanOptions, type Naming } from './plan-mirror.js';
export { runMirrorToMirror, type MirrorToMirrorOptions, type MirrorToMirrorSettings, type MirrorToMirrorResult } from './run-mirror-to-mirror.js';
export { runMirrorToDisk, DEFAULT_ARCHIVE_GIB, type MirrorToDiskRunOptions, type MirrorToDiskRunSettings, type MirrorToDiskRunResult } from './run-mirror-to-disk.js';
export { runDiskToMirror, type DiskToMirrorRunOptions, type DiskToMirrorRunResult } from './run-disk-to-mirror.js';
export { writeClusterResources, writeErrorsReport, writePlanFile, writeDryRunFiles, type ClusterOutput, type ClusterResourcesOptions, type DryRunFiles } from './workspace-files.js';
export { loadMirrorInputs, type MirrorInputs, type InputIssue } from './load-config.js';
export { isStepEvent, type MirrorEvent, type MirrorEventListener, type MirrorStepEvent } from './mirror-events.js';
export { writeDryRunBlueprint, blueprintSettings, DRY_RUN_BLUEPRINT, type BlueprintSettings, type DryRunBlueprint } from './dry-run-blueprint.js';
export { lockDirectory, withDirectoryLock, LOCK_FILE, type DirectoryLock, type LockHolder } from './workspace-lock.js';
export type { StoreResolver, CatalogOrigin } from './store-resolver.js';
export type { RunOptions, InputsOption } from './run-common.js';
export type { CopyFailure } from './copy-plan.js';
export { planPruning, writePruningPlan, parsePruningPlan, formatPruningPlan, PRUNING_PLAN_FILE, type PruningPlan, type Pruning } from './pruning-plan.js';
export { imageKey, catalogKey } from './mirror-to-disk.js';
export { selectIndexPlatform } from './index-platform.js';
export { planReleases, RELEASE_COMPONENTS_REPO, RELEASE_IMAGES_REPO, type GraphReader, type PlannedRelease, type ReleaseImageReason } from './plan-releases.js';
export { GRAPH_ARCHIVE_KEY, GRAPH_IMAGE_REPO, GRAPH_IMAGE_TAG, graphImagePlatforms, type GraphDataReader, type GraphImageSettings, type PlannedGraphImage } from './plan-graph-image.js';
export { addMicroShiftImages } from './microshift-images.js';
