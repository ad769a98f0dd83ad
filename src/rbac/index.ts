// Public surface of rbac/: Kubernetes RBAC decisions computed offline — rule matching, ClusterRole aggregation,
// what a ServiceAccount's bindings allow, and which needed requests a grant misses.
export { isNonResourceRequest, type AccessRequest, type NonResourceRequest, type ResourceRequest } from './access-request.js';
export { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, rulesAllow, verbMatches } from './rule-allows.js';
export { selectorMatches } from '../config/label-selector.js';
export { aggregateClusterRoles, equalRules } from './aggregate-cluster-roles.js';
export { createAuthorizer, findGrant, requestNamespace, rulesFor, subjectAllowed, type GrantedRule, type RbacPolicy, type ServiceAccountRef } from './subject-allowed.js';
export { compareRequests, missingRules, type Granted } from './missing-rules.js';
export { compactMissing, describeRule, formatPreflightReport, PREFLIGHT_PREFIX, ruleForRequest, type ScopedPolicyRules } from './preflight-report.js';
