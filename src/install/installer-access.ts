// What OLM v1's installer ServiceAccount must be allowed to do to apply one rendered bundle: the requests
// operator-controller's RBAC pre-flight evaluates (reference §6.6), each with the objects that need it.
//
// Escalation. Kubernetes lets a subject create or update a Role/ClusterRole only if it already holds every rule the
// role grants (at the role's scope) or may `escalate` roles/clusterroles; and create a binding only if it holds the
// bound role's rules (at the binding's scope) or may `bind` that role (BindingAuthorized passes roleRef.name, so
// `bind` can be limited by resourceNames). Two ways to satisfy it, chosen with `escalation`:
//   - 'grant-rules' (default): the SA holds the rules the bundle grants. This is the least privilege: whatever the
//     installer can pass on is bounded by what it holds, which is exactly what the operator will hold anyway.
//   - 'bind-escalate': the SA holds `escalate` and `bind`. Fewer rules, but unbounded: `escalate` lets it write any
//     rule into a role it creates, and with `bind` (and patch on the operator's Deployment) run anything with it,
//     i.e. cluster-admin in effect. `escalate` cannot be limited by name for creation either: Kubernetes checks it
//     with the request's name (RoleEscalationAuthorized), which a create (a POST to the collection) does not carry,
//     and the pre-flight passes no name at all; so the escalate requests here are nameless, per namespace for Roles
//     and cluster-wide for ClusterRoles.
// A binding to a role that is not in the bundle (its rules are unknown offline) always needs `bind` on that role,
// and a ClusterRole with an aggregationRule always needs `escalate` (else Kubernetes demands `*` on everything).
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import type { PolicyRule } from '../config/rbac-objects.js';
import { compareRequests, type AccessRequest, type ResourceRequest } from '../rbac/index.js';
import { resourceOf, splitApiVersion } from './kinds.js';
import type { ExtensionIdentity, ManifestObject } from './manifests.js';

export type EscalationMode = 'grant-rules' | 'bind-escalate';
export const DEFAULT_ESCALATION: EscalationMode = 'grant-rules';

/** Why a request is needed: the pre-flight's per-object, per-namespace and cluster-wide checks, and escalation. */
export type AccessReason = 'object' | 'create' | 'list-watch' | 'finalizers' | 'grant' | 'escalate' | 'bind';

export interface RequiredAccess {
  request: AccessRequest;
  reason: AccessReason;
  /** The objects that need it, as `Kind namespace/name` (`Kind name` when cluster-scoped), sorted. */
  objects: string[];
}

export interface RequiredAccessOptions {
  escalation?: EscalationMode;
  /** Roles and ClusterRoles already on the cluster (or in a hand-written file) whose rules a binding may refer to. */
  knownRoles?: readonly ManifestObject[];
}

/** One Role, ClusterRole or binding of the bundle and the two ways the installer may be allowed to create it. */
export interface EscalationNeed {
  object: string;
  /** The rules the SA must hold (as requests at the object's scope); undefined when they cannot be known or would be everything. */
  grants?: AccessRequest[];
  /** The escalate or bind request that makes holding the rules unnecessary. */
  shortcut: ResourceRequest;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const OBJECT_VERBS = ['get', 'patch', 'update', 'delete'];
const CLUSTER_COLLECTION_VERBS = ['list', 'watch'];
const EXTENSION_GROUP = 'olm.operatorframework.io';

export function describeObject(obj: ManifestObject): string {
  const ns = obj.metadata.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name}`;
}

const isCrd = (o: ManifestObject): boolean => o.kind === 'CustomResourceDefinition' && splitApiVersion(o.apiVersion)?.group === 'apiextensions.k8s.io';
const isRbac = (o: ManifestObject, kind: string): boolean => o.kind === kind && splitApiVersion(o.apiVersion)?.group === RBAC_GROUP;

/**
 * Gives every namespaced object its namespace (the install namespace when the renderer left it out) and drops the
 * namespace of cluster-scoped ones, as the API server would. Throws CATALOG_INVALID for a kind nothing maps.
 */
export function placeObjects(rendered: readonly ManifestObject[], ext: ExtensionIdentity): { obj: ManifestObject; group: string; resource: string }[] {
  // Bundles do ship objects without apiVersion (community corpus: cluster-aas-operator's ClusterRole); say which.
  const bad = rendered.find((o) => typeof o.apiVersion !== 'string' || typeof o.kind !== 'string');
  if (bad) throw new GantryError('CATALOG_INVALID', `bundle object ${String(bad.kind)} ${String(bad.metadata?.name)} has no apiVersion or kind`);
  const crds = rendered.filter(isCrd);
  return rendered.map((obj) => {
    const r = resourceOf(obj.apiVersion, obj.kind, crds);
    if (!r) {
      throw new GantryError('CATALOG_INVALID', `no resource is known for ${obj.apiVersion} ${obj.kind} (${obj.metadata.name})`, {
        hint: 'OLM v1 rejects bundle objects of unsupported kinds ("unsupported resource"); the pre-flight would fail its REST mapping',
      });
    }
    const metadata = { ...obj.metadata };
    if (r.namespaced) metadata.namespace = metadata.namespace || ext.namespace;
    else delete metadata.namespace;
    return { obj: { ...obj, metadata }, group: r.group, resource: r.resource };
  });
}

/** A rule broken down into one request per verb, group, resource and name (Kubernetes' BreakdownRule), at one scope. */
export function breakdownRule(rule: PolicyRule, namespace: string | undefined): AccessRequest[] {
  const out: AccessRequest[] = [];
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    for (const url of urls) for (const verb of rule.verbs) out.push({ verb, nonResourceURL: url });
    return out;
  }
  const names: (string | undefined)[] = (rule.resourceNames ?? []).length > 0 ? rule.resourceNames! : [undefined];
  for (const apiGroup of rule.apiGroups ?? []) {
    for (const combined of rule.resources ?? []) {
      const slash = combined.indexOf('/');
      const resource = slash < 0 ? combined : combined.slice(0, slash);
      const subresource = slash < 0 ? undefined : combined.slice(slash + 1);
      for (const verb of rule.verbs) {
        for (const name of names) {
          out.push({ verb, apiGroup, resource, ...(subresource !== undefined ? { subresource } : {}), ...(name !== undefined ? { name } : {}), ...(namespace ? { namespace } : {}) });
        }
      }
    }
  }
  return out;
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A role's rules as Kubernetes decodes them: a missing or malformed list is an empty one (Go's nil slice), never a crash. */
function rulesOf(obj: ManifestObject): PolicyRule[] {
  if (!Array.isArray(obj.rules)) return [];
  return obj.rules
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .map((r) => ({ verbs: stringList(r.verbs), apiGroups: stringList(r.apiGroups), resources: stringList(r.resources), resourceNames: stringList(r.resourceNames), nonResourceURLs: stringList(r.nonResourceURLs) }));
}

function aggregates(obj: ManifestObject): boolean {
  const agg = obj.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined;
  return Array.isArray(agg?.clusterRoleSelectors) && agg.clusterRoleSelectors.length > 0;
}

/** For every Role, ClusterRole and binding of the (placed) bundle: the rules it grants, or the escalate/bind request. */
export function escalationNeeds(placed: readonly ManifestObject[], knownRoles: readonly ManifestObject[] = []): EscalationNeed[] {
  const roles = [...placed, ...knownRoles];
  const findRole = (kind: string, name: string, namespace: string | undefined): ManifestObject | undefined =>
    roles.find((o) => isRbac(o, kind) && o.metadata.name === name && (kind === 'ClusterRole' || o.metadata.namespace === namespace));
  const out: EscalationNeed[] = [];
  for (const obj of placed) {
    const ns = obj.metadata.namespace;
    if (isRbac(obj, 'Role') || isRbac(obj, 'ClusterRole')) {
      const resource = obj.kind === 'Role' ? 'roles' : 'clusterroles';
      const shortcut: ResourceRequest = { verb: 'escalate', apiGroup: RBAC_GROUP, resource, ...(ns ? { namespace: ns } : {}) };
      out.push({ object: describeObject(obj), shortcut, ...(aggregates(obj) ? {} : { grants: rulesOf(obj).flatMap((r) => breakdownRule(r, ns)) }) });
    } else if (isRbac(obj, 'RoleBinding') || isRbac(obj, 'ClusterRoleBinding')) {
      const ref = (obj.roleRef ?? {}) as { kind?: string; name?: string };
      const refKind = ref.kind === 'Role' ? 'Role' : 'ClusterRole';
      const refName = ref.name ?? '';
      const shortcut: ResourceRequest = { verb: 'bind', apiGroup: RBAC_GROUP, resource: refKind === 'Role' ? 'roles' : 'clusterroles', name: refName, ...(ns ? { namespace: ns } : {}) };
      const role = findRole(refKind, refName, ns);
      const known = role !== undefined && !(refKind === 'ClusterRole' && aggregates(role));
      out.push({ object: describeObject(obj), shortcut, ...(known ? { grants: rulesOf(role).flatMap((r) => breakdownRule(r, ns)) } : {}) });
    }
  }
  return out;
}

/** Every request the installer ServiceAccount needs for `rendered`, deduplicated, in compareRequests order. */
export function requiredAccess(rendered: readonly ManifestObject[], ext: ExtensionIdentity, opts: RequiredAccessOptions = {}): RequiredAccess[] {
  const mode = opts.escalation ?? DEFAULT_ESCALATION;
  const placed = placeObjects(rendered, ext);
  const acc = new Map<string, RequiredAccess>();
  const add = (request: AccessRequest, reason: AccessReason, object: string): void => {
    const key = JSON.stringify([reason, request]);
    const seen = acc.get(key);
    if (seen) {
      if (!seen.objects.includes(object)) seen.objects.push(object);
    } else acc.set(key, { request, reason, objects: [object] });
  };
  for (const { obj, group, resource } of placed) {
    const label = describeObject(obj);
    const ns = obj.metadata.namespace;
    const where = ns ? { namespace: ns } : {};
    for (const verb of OBJECT_VERBS) add({ verb, apiGroup: group, resource, name: obj.metadata.name, ...where }, 'object', label);
    add({ verb: 'create', apiGroup: group, resource, ...where }, 'create', label);
    for (const verb of CLUSTER_COLLECTION_VERBS) add({ verb, apiGroup: group, resource }, 'list-watch', label);
  }
  // The Helm applier sets a finalizer on the ClusterExtension (through the installer's identity) before it applies.
  if (placed.length > 0) add({ verb: 'update', apiGroup: EXTENSION_GROUP, resource: 'clusterextensions', subresource: 'finalizers', name: ext.name }, 'finalizers', `ClusterExtension ${ext.name}`);
  for (const need of escalationNeeds(placed.map((p) => p.obj), opts.knownRoles)) {
    if (mode === 'grant-rules' && need.grants) for (const r of need.grants) add(r, 'grant', need.object);
    else add(need.shortcut, need.shortcut.verb === 'bind' ? 'bind' : 'escalate', need.object);
  }
  const out = [...acc.values()];
  for (const a of out) a.objects.sort(byteOrder);
  return out.sort((a, b) => compareRequests(a.request, b.request) || byteOrder(a.reason, b.reason));
}
