// Public surface of plan: the pure planner. For now, operator selection (which bundles of a catalog to mirror,
// and why); everything else in this folder is internal.

export { selectOperators } from './select-operators.js';
export type {
  BundleExplanation,
  ChannelFilter,
  OperatorFilter,
  PackageFilter,
  SelectionIssue,
  SelectionReason,
  SelectionResult,
} from './operator-filter.js';
export { collectCatalogImages, type CollectedImage, type ImageReason, type CollectIssue } from './collect-images.js';
