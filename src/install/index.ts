// Public surface of install/: planning an operator install offline from mirrored catalogs — OLM v1 and v0
// resolution, the OLM v1 install check, registry+v1 rendering, install sets and least-privilege installer RBAC.
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export { resolveSubscription } from './resolve-subscription.js';
export { CATALOG_NAME_LABEL, catalogLabels, selectCatalogs } from './catalog-selection.js';
export type { ChosenBundle, Condition, NamedCatalog, RejectedBundle, RejectReason, Resolution, ResolveOptions, UpgradeConstraintPolicy } from './types.js';
export type { SubscriptionOptions, SubscriptionResolution, UpgradeStep, UpgradeVia, V0Bundle, V0Dependency } from './subscription-types.js';
export { resourceOf, splitApiVersion, type ResourceInfo } from './kinds.js';
export { ANNOTATION_MANIFESTS_DIR, bundleContentFromCatalog, manifestsDirOf, readBundleContent } from './bundle-content.js';
export { compareManifests, renderRegistryV1 } from './render-registry-v1.js';
export { validateBundle, type BundleIssue, type BundleIssueCode } from './validate-bundle.js';
export type { BundleContent, ExtensionIdentity, ManifestObject, ManifestOrigin, RenderOptions } from './manifests.js';
export { breakdownRule, DEFAULT_ESCALATION, describeObject, escalationNeeds, placeObjects, requiredAccess, type AccessReason, type EscalationMode, type EscalationNeed, type RequiredAccess, type RequiredAccessOptions } from './installer-access.js';
export { explainRule, planInstallerRules, type ExplainedRule, type RuleNeed } from './installer-rules.js';
export { buildInstallerRbac, formatInstallerRbacYaml, generateInstallerRbac, installerRoleName, type InstallerRbac } from './installer-rbac.js';
export { checkInstallerRbac, type CheckInstallerRbacOptions, type InstallerRbacCheck } from './check-installer-rbac.js';
export { CHECK_FEATURE_GATES, checkOlmV1Install, olmV1Problems } from './check-olm-v1.js';
export type { BundleProperty, OlmV1Check, OlmV1CheckInput, OlmV1Reason, ValidatorIssue } from './check-olm-v1.js';
export { DEFAULT_OLM_VERSION, knownOlmVersions, parseOlmVersion } from './olm-versions.js';
export type { FeatureState, OlmSupport, OlmTarget } from './olm-versions.js';
