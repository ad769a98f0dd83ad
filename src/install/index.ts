// Public surface of install/: planning an operator install offline from mirrored catalogs (OLM v1 resolution now;
// OLM v0, install checks, manifests and RBAC later).
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export { resolveSubscription } from './resolve-subscription.js';
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
export { resourceOf, splitApiVersion, type KindResource } from './installer-kinds.js';
