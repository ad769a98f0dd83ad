// Checks a hand-written installer RBAC (Roles, ClusterRoles and bindings) against a rendered bundle as
// operator-controller's pre-flight would (reference §6.6) and reports what is missing in the pre-flight's words.
import type { RbacObjects } from '../config/rbac-objects.js';
import { compactMissing, createAuthorizer, formatPreflightReport, missingRules, type AccessRequest, type ScopedPolicyRules } from '../rbac/index.js';
import { escalationNeeds, placeObjects, requiredAccess } from './installer-access.js';
import type { ExtensionIdentity, ManifestObject } from './manifests.js';

export interface InstallerRbacCheck {
  /** Every request the ServiceAccount is not allowed, deduplicated, in compareRequests order. */
  missing: AccessRequest[];
  /** The same, compacted per namespace as the pre-flight compacts them. */
  rules: ScopedPolicyRules[];
  /** The pre-flight's message, or undefined when nothing is missing. */
  report?: string;
}

export interface CheckInstallerRbacOptions {
  /** Roles on the cluster that bundle bindings may refer to (their rules then count instead of `bind`). */
  knownRoles?: readonly ManifestObject[];
}

/**
 * Escalation is checked as Kubernetes does it: a role or binding passes when the SA may escalate/bind it; otherwise
 * the rules it grants that the SA does not hold are missing (a binding to an unknown role: the `bind` itself).
 */
export function checkInstallerRbac(rendered: readonly ManifestObject[], ext: ExtensionIdentity, granted: RbacObjects, opts: CheckInstallerRbacOptions = {}): InstallerRbacCheck {
  const authorize = createAuthorizer(granted, { namespace: ext.namespace, name: ext.serviceAccount });
  const allowed = (r: AccessRequest): boolean => authorize(r) !== undefined;
  const needed = requiredAccess(rendered, ext, opts)
    .filter((a) => a.reason === 'object' || a.reason === 'create' || a.reason === 'list-watch' || a.reason === 'finalizers')
    .map((a) => a.request);
  for (const need of escalationNeeds(placeObjects(rendered, ext).map((p) => p.obj), opts.knownRoles)) {
    if (allowed(need.shortcut)) continue;
    needed.push(...(need.grants ?? [need.shortcut]));
  }
  const missing = missingRules(allowed, needed);
  const report = formatPreflightReport(missing);
  return { missing, rules: compactMissing(missing), ...(report !== undefined ? { report } : {}) };
}
