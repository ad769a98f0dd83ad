// Public surface of install/: planning an operator install offline from mirrored catalogs (OLM v1 resolution now;
// OLM v0, install checks, manifests and RBAC later).
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export { CATALOG_NAME_LABEL, catalogLabels, selectCatalogs } from './catalog-selection.js';
export type { ChosenBundle, Condition, NamedCatalog, RejectedBundle, RejectReason, Resolution, ResolveOptions, UpgradeConstraintPolicy } from './types.js';
