// Public surface of install/: planning an operator install offline from mirrored catalogs (OLM v1 resolution now;
// the OLM v1 install check per OLM v1 release; OLM v0, manifests and RBAC later).
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export type { ChosenBundle, Condition, NamedCatalog, RejectedBundle, RejectReason, Resolution, ResolveOptions, UpgradeConstraintPolicy } from './types.js';
export { CHECK_FEATURE_GATES, checkOlmV1Install, olmV1Problems } from './check-olm-v1.js';
export type { BundleProperty, OlmV1Check, OlmV1CheckInput, OlmV1Reason, ValidatorIssue } from './check-olm-v1.js';
export { DEFAULT_OLM_VERSION, knownOlmVersions, parseOlmVersion } from './olm-versions.js';
export type { FeatureState, OlmSupport, OlmTarget } from './olm-versions.js';
