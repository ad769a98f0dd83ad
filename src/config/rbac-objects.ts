// Kubernetes RBAC objects (rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding) read
// from multi-document YAML and List kinds, checked as the API server's validation would, every issue at file:line.
import { isMap, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { ConfigIssue } from './config-types.js';
import { joinPath, locate, positionOf, readFields, readList, readString, readStringList, report, requireField, type FieldTable, type ReadContext } from './yaml-reader.js';

export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

/** One rule of a Role or ClusterRole; absent lists are empty lists, as in Kubernetes. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Where an object was read from, for messages that point at it. */
export interface ObjectSource {
  file: string;
  line: number;
}

export interface Role {
  kind: 'Role';
  name: string;
  namespace: string;
  rules: PolicyRule[];
  source?: ObjectSource;
}

export interface ClusterRole {
  kind: 'ClusterRole';
  name: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors: LabelSelector[] };
  source?: ObjectSource;
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface Subject {
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  /** ServiceAccount only; a RoleBinding's own namespace when absent. */
  namespace?: string;
}

export interface RoleBinding {
  kind: 'RoleBinding';
  name: string;
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
  source?: ObjectSource;
}

export interface ClusterRoleBinding {
  kind: 'ClusterRoleBinding';
  name: string;
  roleRef: RoleRef;
  subjects: Subject[];
  source?: ObjectSource;
}

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;

export interface RbacObjects {
  roles: Role[];
  clusterRoles: ClusterRole[];
  bindings: RoleBinding[];
  clusterBindings: ClusterRoleBinding[];
}

export interface ParseRbacObjectsResult {
  /** Absent when any error was found. Objects of other kinds (ServiceAccount, Namespace…) are skipped. */
  objects?: RbacObjects;
  issues: ConfigIssue[];
}

export interface ParseRbacObjectsOptions {
  /** The namespace of namespaced objects that name none, as `kubectl apply -n` would give them (default "default"). */
  namespace?: string;
}

const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;
type RbacKind = (typeof RBAC_KINDS)[number];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const RULE: FieldTable = { verbs: {}, apiGroups: {}, resources: {}, resourceNames: {}, nonResourceURLs: {} };
const SELECTOR: FieldTable = { matchLabels: {}, matchExpressions: {} };
const EXPRESSION: FieldTable = { key: {}, operator: {}, values: {} };
const ROLE_REF: FieldTable = { apiGroup: {}, kind: {}, name: {} };
const SUBJECT: FieldTable = { apiGroup: {}, kind: {}, name: {}, namespace: {} };

/** Never throws. */
export function parseRbacObjects(text: string, file: string, opts: ParseRbacObjectsOptions = {}): ParseRbacObjectsResult {
  const lines = new LineCounter();
  const issues: ConfigIssue[] = [];
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    for (const e of doc.errors) {
      const at = lines.linePos(e.pos[0]);
      issues.push({ code: 'YAML_SYNTAX', severity: 'error', message: e.message.split('\n')[0]!, file, line: at.line, column: at.col, path: '' });
    }
  }
  if (issues.length > 0) return { issues };
  const out: RbacObjects = { roles: [], clusterRoles: [], bindings: [], clusterBindings: [] };
  const namespace = opts.namespace ?? 'default';
  list.forEach((doc, i) => {
    if (doc.contents === null) return;
    // The reader's kind and version only matter for ImageSetConfiguration fields; none of these tables use them.
    const ctx: ReadContext = { file, text, doc: doc as Document, lines, version: 'v2', kind: 'ImageSetConfiguration', issues, positions: new Map() };
    readObject(ctx, doc.contents, list.length > 1 ? `[${i}]` : '', namespace, out);
  });
  if (issues.some((x) => x.severity === 'error')) return { issues: sortIssues(issues) };
  return { objects: out, issues: sortIssues(issues) };
}

/** Reads the mapping at `path` loosely (any Kubernetes object may hold any fields) and returns its fields. */
function readLoose(ctx: ReadContext, node: unknown, path: string): Map<string, unknown> | undefined {
  if (!isMap(node)) {
    report(ctx, { code: 'NOT_A_MAPPING', path, at: positionOf(ctx, node), message: `${path || 'the document'} must be a Kubernetes object (a mapping)` });
    return undefined;
  }
  const names: FieldTable = {};
  for (const pair of node.items) names[String((pair.key as { value?: unknown } | null)?.value ?? '')] = {};
  return readFields(ctx, node, path, names);
}

function readObject(ctx: ReadContext, node: unknown, path: string, namespace: string, out: RbacObjects): void {
  const f = readLoose(ctx, node, path);
  if (!f) return;
  const kind = requireField(ctx, readString(ctx, f.get('kind'), joinPath(path, 'kind')), f, 'kind', path);
  const api = requireField(ctx, readString(ctx, f.get('apiVersion'), joinPath(path, 'apiVersion')), f, 'apiVersion', path);
  if (kind === undefined || api === undefined) return;
  if (kind.endsWith('List')) {
    // kubectl's List and the typed lists (RoleList…) carry their objects in items.
    readList(ctx, f.get('items'), joinPath(path, 'items'), (item, p) => readObject(ctx, item, p, namespace, out));
    return;
  }
  if (!(RBAC_KINDS as readonly string[]).includes(kind)) return;
  if (api !== RBAC_API_VERSION) {
    const hint = api.startsWith('rbac.authorization.k8s.io/') ? `${api} was removed in Kubernetes 1.22: set apiVersion: ${RBAC_API_VERSION}` : `set apiVersion: ${RBAC_API_VERSION}`;
    report(ctx, { code: 'API_VERSION_UNSUPPORTED', path: joinPath(path, 'apiVersion'), message: `unsupported apiVersion "${api}" for ${kind}`, hint });
    return;
  }
  const metaPath = joinPath(path, 'metadata');
  const meta = requireField(ctx, f.has('metadata') ? readLoose(ctx, f.get('metadata'), metaPath) : undefined, f, 'metadata', path);
  if (!meta) return;
  const name = requireField(ctx, readString(ctx, meta.get('name'), joinPath(metaPath, 'name')), meta, 'name', metaPath);
  const ns = readString(ctx, meta.get('namespace'), joinPath(metaPath, 'namespace')) ?? namespace;
  if (name === undefined) return;
  const source = { file: ctx.file, line: positionOf(ctx, node).line };
  const k = kind as RbacKind;
  if (k === 'Role' || k === 'ClusterRole') {
    const rulesPath = joinPath(path, 'rules');
    const rules = readList(ctx, f.get('rules'), rulesPath, (n, p) => readRule(ctx, n, p, k));
    if (k === 'Role') {
      out.roles.push({ kind: k, name, namespace: ns, rules, source });
      return;
    }
    const labels = readLabels(ctx, meta.get('labels'), joinPath(metaPath, 'labels'));
    const role: ClusterRole = { kind: k, name, labels, rules, source };
    const agg = f.get('aggregationRule');
    if (agg !== undefined) {
      const aggPath = joinPath(path, 'aggregationRule');
      const a = readFields(ctx, agg, aggPath, { clusterRoleSelectors: {} });
      if (a) role.aggregationRule = { clusterRoleSelectors: readList(ctx, a.get('clusterRoleSelectors'), joinPath(aggPath, 'clusterRoleSelectors'), (n, p) => readSelector(ctx, n, p)) };
    }
    out.clusterRoles.push(role);
    return;
  }
  const roleRef = requireField(ctx, f.has('roleRef') ? readRoleRef(ctx, f.get('roleRef'), joinPath(path, 'roleRef'), k) : undefined, f, 'roleRef', path);
  const subjects = readList(ctx, f.get('subjects'), joinPath(path, 'subjects'), (n, p) => readSubject(ctx, n, p, k));
  if (!roleRef) return;
  if (k === 'RoleBinding') out.bindings.push({ kind: k, name, namespace: ns, roleRef, subjects, source });
  else out.clusterBindings.push({ kind: k, name, roleRef, subjects, source });
}

// Kubernetes' ValidatePolicyRule: verbs always; resource rules need apiGroups and resources; non-resource URLs only
// in ClusterRoles and never mixed with resources.
function readRule(ctx: ReadContext, node: unknown, path: string, kind: 'Role' | 'ClusterRole'): PolicyRule | undefined {
  const before = ctx.issues.length;
  const f = readFields(ctx, node, path, RULE);
  if (!f) return undefined;
  const list = (name: string): string[] => readStringList(ctx, f.get(name), joinPath(path, name));
  const rule: PolicyRule = { verbs: list('verbs') };
  for (const name of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) if (f.has(name)) rule[name] = list(name);
  // A typo or a wrong type is the one thing to fix; the rules below would only repeat it.
  if (ctx.issues.length > before) return undefined;
  const at = locate(ctx, path);
  if (rule.verbs.length === 0) report(ctx, { code: 'FIELD_REQUIRED', path: joinPath(path, 'verbs'), at, message: `${joinPath(path, 'verbs')} must list at least one verb` });
  if ((rule.nonResourceURLs ?? []).length > 0) {
    if (kind === 'Role') report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'nonResourceURLs'), message: 'namespaced rules cannot apply to non-resource URLs', hint: 'put them in a ClusterRole' });
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) {
      report(ctx, { code: 'VALUE_INVALID', path, at, message: 'rules cannot apply to both regular resources and non-resource URLs', hint: 'split it into two rules' });
    }
    return rule;
  }
  if ((rule.apiGroups ?? []).length === 0) report(ctx, { code: 'FIELD_REQUIRED', path: joinPath(path, 'apiGroups'), at, message: 'resource rules must supply at least one api group', hint: 'the core group is ""' });
  if ((rule.resources ?? []).length === 0) report(ctx, { code: 'FIELD_REQUIRED', path: joinPath(path, 'resources'), at, message: 'resource rules must supply at least one resource' });
  return rule;
}

function readLabels(ctx: ReadContext, node: unknown, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === undefined) return out;
  const f = readLoose(ctx, node, path);
  for (const [key, value] of f ?? []) {
    const v = readString(ctx, value, joinPath(path, key));
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A metav1.LabelSelector, checked as the API server validates it (also for ClusterExtension's catalog selector). */
export function readSelector(ctx: ReadContext, node: unknown, path: string): LabelSelector | undefined {
  const f = readFields(ctx, node, path, SELECTOR);
  if (!f) return undefined;
  const sel: LabelSelector = {};
  if (f.has('matchLabels')) sel.matchLabels = readLabels(ctx, f.get('matchLabels'), joinPath(path, 'matchLabels'));
  if (f.has('matchExpressions')) sel.matchExpressions = readList(ctx, f.get('matchExpressions'), joinPath(path, 'matchExpressions'), (n, p) => readExpression(ctx, n, p));
  return sel;
}

// metav1 validation: In/NotIn need values, Exists/DoesNotExist take none.
function readExpression(ctx: ReadContext, node: unknown, path: string): LabelSelectorRequirement | undefined {
  const f = readFields(ctx, node, path, EXPRESSION);
  if (!f) return undefined;
  const key = requireField(ctx, readString(ctx, f.get('key'), joinPath(path, 'key')), f, 'key', path);
  const op = requireField(ctx, readString(ctx, f.get('operator'), joinPath(path, 'operator')), f, 'operator', path);
  const values = readStringList(ctx, f.get('values'), joinPath(path, 'values'));
  if (key === undefined || op === undefined) return undefined;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'operator'), message: `"${op}" is not a valid label selector operator`, hint: `one of ${OPERATORS.join(', ')}` });
    return undefined;
  }
  const needsValues = op === 'In' || op === 'NotIn';
  if (needsValues !== values.length > 0) {
    report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'values'), at: locate(ctx, path), message: needsValues ? `values must be non-empty when operator is ${op}` : `values must be empty when operator is ${op}` });
    return undefined;
  }
  return { key, operator: op as LabelSelectorRequirement['operator'], ...(needsValues ? { values } : {}) };
}

function readRoleRef(ctx: ReadContext, node: unknown, path: string, kind: 'RoleBinding' | 'ClusterRoleBinding'): RoleRef | undefined {
  const f = readFields(ctx, node, path, ROLE_REF);
  if (!f) return undefined;
  const refKind = requireField(ctx, readString(ctx, f.get('kind'), joinPath(path, 'kind')), f, 'kind', path);
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const group = readString(ctx, f.get('apiGroup'), joinPath(path, 'apiGroup'));
  if (group !== undefined && group !== 'rbac.authorization.k8s.io') report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'apiGroup'), message: `roleRef.apiGroup must be rbac.authorization.k8s.io, not "${group}"` });
  if (refKind === undefined || name === undefined) return undefined;
  const allowed = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!allowed.includes(refKind)) {
    report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'kind'), message: `a ${kind} cannot refer to a ${refKind}`, hint: `roleRef.kind is one of ${allowed.join(', ')}` });
    return undefined;
  }
  return { kind: refKind as RoleRef['kind'], name };
}

function readSubject(ctx: ReadContext, node: unknown, path: string, kind: 'RoleBinding' | 'ClusterRoleBinding'): Subject | undefined {
  const f = readFields(ctx, node, path, SUBJECT);
  if (!f) return undefined;
  const subKind = requireField(ctx, readString(ctx, f.get('kind'), joinPath(path, 'kind')), f, 'kind', path);
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const namespace = readString(ctx, f.get('namespace'), joinPath(path, 'namespace'));
  if (subKind === undefined || name === undefined) return undefined;
  if (subKind !== 'ServiceAccount' && subKind !== 'User' && subKind !== 'Group') {
    report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'kind'), message: `subject kind "${subKind}" is not ServiceAccount, User or Group` });
    return undefined;
  }
  // A ClusterRoleBinding has no namespace to default a ServiceAccount to; the API server requires one.
  if (subKind === 'ServiceAccount' && namespace === undefined && kind === 'ClusterRoleBinding') {
    report(ctx, { code: 'FIELD_REQUIRED', path: joinPath(path, 'namespace'), at: locate(ctx, path), message: `${joinPath(path, 'namespace')} is required for a ServiceAccount subject of a ClusterRoleBinding` });
    return undefined;
  }
  return { kind: subKind, name, ...(namespace !== undefined ? { namespace } : {}) };
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.i - b.i).map((x) => x.issue);
}
