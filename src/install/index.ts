// Public surface of install/: planning an operator install offline from mirrored catalogs (OLM v1 resolution now;
// OLM v0, install checks, manifests and RBAC later).
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export { resolveSubscription } from './resolve-subscription.js';
export type { ChosenBundle, Condition, NamedCatalog, RejectedBundle, RejectReason, Resolution, ResolveOptions, UpgradeConstraintPolicy } from './types.js';
export type { SubscriptionOptions, SubscriptionResolution, UpgradeStep, UpgradeVia, V0Bundle, V0Dependency } from './subscription-types.js';
