// Public surface of install/: planning an operator install offline from mirrored catalogs (OLM v1 resolution now;
// OLM v0, install checks, manifests and RBAC later).
export { compileVersionRange, resolveClusterExtension } from './resolve-cluster-extension.js';
export type { ChosenBundle, Condition, NamedCatalog, RejectedBundle, RejectReason, Resolution, ResolveOptions, UpgradeConstraintPolicy } from './types.js';
export { breakdownRule, DEFAULT_ESCALATION, describeObject, escalationNeeds, placeObjects, requiredAccess, type AccessReason, type EscalationMode, type EscalationNeed, type RequiredAccess, type RequiredAccessOptions } from './installer-access.js';
export { explainRule, planInstallerRules, type ExplainedRule, type RuleNeed } from './installer-rules.js';
export { buildInstallerRbac, formatInstallerRbacYaml, generateInstallerRbac, installerRoleName, type InstallerRbac } from './installer-rbac.js';
export { checkInstallerRbac, type CheckInstallerRbacOptions, type InstallerRbacCheck } from './check-installer-rbac.js';
export { resourceOf, splitApiVersion, type KindResource } from './installer-kinds.js';
