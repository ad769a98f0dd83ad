// The plain Kubernetes objects OLM v1 applies for a registry+v1 bundle (operator-controller rukpak/render/registryv1
// generators): CRDs, ServiceAccounts, RBAC from the CSV's permissions, other manifests, Deployments, webhooks.
import { createHash } from 'node:crypto';
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import { csvSpecOf, type CsvPermission, type CsvWebhook, installModesOf, OLM_SUPPORTED_KINDS } from './csv-install.js';
import type { BundleContent, ManifestObject, RenderOptions } from './manifests.js';
import { certificateObjects, injectCaAnnotation } from './cert-provider.js';

type Obj = Record<string, unknown>;

/** util.ObjectNameForBaseAndSuffix: the base cut so that "base-suffix" fits a 63-character name. */
const MAX_NAME_LENGTH = 63;
export function nameWithSuffix(base: string, suffix: string): string {
  const b = base.length + suffix.length > MAX_NAME_LENGTH ? base.slice(0, MAX_NAME_LENGTH - suffix.length - 1) : base;
  return `${b}-${suffix}`;
}

// Go's encoding/json (an Encoder: HTML-escaping, a trailing newline) of v1alpha1.StrategyDeploymentPermissions.
function goPermissionJson(p: CsvPermission): string {
  const rules =
    p.rules === null
      ? null
      : p.rules.map((r) => {
          const out: Obj = { verbs: r.verbs ?? null };
          for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) if (r[k] !== undefined && r[k]!.length > 0) out[k] = r[k];
          return out;
        });
  const text = JSON.stringify({ serviceAccountName: p.serviceAccountName, rules });
  return `${text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}\n`;
}

/** DefaultUniqueNameGenerator: base36(sha224(json(permission))) appended to "<csv>-<sa>". */
export function permissionObjectName(csvName: string, p: CsvPermission): string {
  const digest = createHash('sha224').update(goPermissionJson(p)).digest('hex');
  return nameWithSuffix(`${csvName}-${p.serviceAccountName || 'default'}`, BigInt(`0x${digest}`).toString(36));
}

/** CertProvisionerFor: the Service in front of a webhook deployment (OLM v0's naming). */
export function webhookServiceName(deployment: string): string {
  return nameWithSuffix(deployment.replace(/\./g, '-'), 'service');
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function serviceAccountSubject(name: string, namespace: string): Obj {
  return { kind: 'ServiceAccount', name, namespace };
}

function rbacObjects(csvName: string, opts: Required<RenderOptions>, permissions: CsvPermission[], clusterPermissions: CsvPermission[]): ManifestObject[] {
  const out: ManifestObject[] = [];
  const allNamespaces = opts.watchNamespace === '';
  if (!allNamespaces) {
    for (const p of permissions) {
      const sa = p.serviceAccountName || 'default';
      const name = permissionObjectName(csvName, p);
      out.push({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: { name, namespace: opts.watchNamespace }, rules: p.rules ?? [] });
      out.push({
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: 'RoleBinding',
        metadata: { name, namespace: opts.watchNamespace },
        roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name },
        subjects: [serviceAccountSubject(sa, opts.installNamespace)],
      });
    }
  }
  // AllNamespaces: namespaced permissions become cluster-wide, with OLM v0's extra read of namespaces.
  const promoted = allNamespaces ? permissions.map((p) => ({ ...p, rules: [...(p.rules ?? []), { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces'] }] })) : [];
  for (const p of [...clusterPermissions, ...promoted]) {
    const sa = p.serviceAccountName || 'default';
    const name = permissionObjectName(csvName, p);
    out.push({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name }, rules: p.rules ?? [] });
    out.push({
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
      subjects: [serviceAccountSubject(sa, opts.installNamespace)],
    });
  }
  return out;
}

function serviceAccounts(opts: Required<RenderOptions>, all: CsvPermission[]): ManifestObject[] {
  const names = new Set(all.map((p) => p.serviceAccountName || 'default'));
  names.delete('default');
  return [...names].map((name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: opts.installNamespace } }));
}

function conversionFor(crd: ManifestObject, wh: CsvWebhook, opts: Required<RenderOptions>): ManifestObject {
  const spec = (crd.spec ?? {}) as Obj;
  if (spec.preserveUnknownFields === true) {
    throw new GantryError('MANIFEST_UNSUPPORTED', `custom resource definition '${crd.metadata.name}' must have .spec.preserveUnknownFields set to false to let API Server call webhook to do the conversion`);
  }
  const webhook: Obj = {
    clientConfig: { service: { namespace: opts.installNamespace, name: webhookServiceName(wh.deploymentName), path: wh.webhookPath ?? '/', port: wh.containerPort } },
  };
  if (wh.admissionReviewVersions !== undefined) webhook.conversionReviewVersions = wh.admissionReviewVersions;
  const annotations = { ...crd.metadata.annotations, ...injectCaAnnotation(opts.certProvider, webhookServiceName(wh.deploymentName), opts.installNamespace, nameWithSuffix) };
  return { ...crd, metadata: { ...crd.metadata, annotations }, spec: { ...spec, conversion: { strategy: 'Webhook', webhook } } };
}

function crds(content: BundleContent, webhooks: CsvWebhook[], opts: Required<RenderOptions>): ManifestObject[] {
  const byCrd = new Map<string, CsvWebhook>();
  for (const wh of webhooks) {
    if (wh.type !== 'ConversionWebhook') continue;
    for (const name of wh.conversionCRDs ?? []) {
      if (byCrd.has(name)) throw new GantryError('MANIFEST_UNSUPPORTED', `custom resource definition '${name}' is referenced by multiple conversion webhook definitions`);
      byCrd.set(name, wh);
    }
  }
  return content.objects
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .map((crd) => {
      const wh = byCrd.get(crd.metadata.name);
      return wh === undefined ? crd : conversionFor(crd, wh, opts);
    });
}

function otherObjects(content: BundleContent, opts: Required<RenderOptions>): ManifestObject[] {
  // Objects and their origins stay paired through the filter, so a message names the right file.
  return content.objects
    .map((o, i) => ({ o, origin: content.origins[i] }))
    .filter(({ o }) => o.kind !== 'CustomResourceDefinition')
    .map(({ o, origin }) => {
      const namespaced = OLM_SUPPORTED_KINDS.get(o.kind);
      if (namespaced === undefined) {
        throw new GantryError('MANIFEST_UNSUPPORTED', `bundle contains unsupported resource: Name: ${o.metadata.name}, Kind: ${o.kind}`, { hint: `read from ${origin ?? 'the bundle'}` });
      }
      return namespaced ? { ...o, metadata: { ...o.metadata, namespace: opts.installNamespace } } : o;
    });
}

function deployments(content: BundleContent, opts: Required<RenderOptions>): ManifestObject[] {
  const csvAnnotations = content.csv.metadata.annotations ?? {};
  return csvSpecOf(content.csv).deployments.map((d) => {
    const spec = { ...d.spec };
    const template = { ...((spec.template ?? {}) as Obj) };
    const meta = { ...((template.metadata ?? {}) as Obj) };
    // The CSV's annotations reach the pod template (OLM v0 parity), olm.targetNamespaces as OLM v1 sets it.
    meta.annotations = { ...csvAnnotations, ...((meta.annotations ?? {}) as Record<string, string>), 'olm.targetNamespaces': opts.watchNamespace };
    template.metadata = meta;
    spec.template = template;
    spec.revisionHistoryLimit = 1;
    const metadata: ManifestObject['metadata'] = { name: d.name, namespace: opts.installNamespace };
    if (d.label !== undefined && Object.keys(d.label).length > 0) metadata.labels = d.label;
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
  });
}

function webhookConfigurations(webhooks: CsvWebhook[], opts: Required<RenderOptions>): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const wh of webhooks) {
    if (wh.type !== 'ValidatingAdmissionWebhook' && wh.type !== 'MutatingAdmissionWebhook') continue;
    const name = wh.generateName.replace(/-$/, '');
    const service: Obj = { namespace: opts.installNamespace, name: webhookServiceName(wh.deploymentName) };
    if (wh.webhookPath !== undefined) service.path = wh.webhookPath;
    service.port = wh.containerPort;
    const hook: Obj = { name, clientConfig: { service } };
    for (const k of ['rules', 'failurePolicy', 'matchPolicy', 'objectSelector', 'sideEffects', 'timeoutSeconds', 'admissionReviewVersions'] as const) {
      if (wh[k] !== undefined) hook[k] = wh[k];
    }
    if (wh.type === 'MutatingAdmissionWebhook' && wh.reinvocationPolicy !== undefined) hook.reinvocationPolicy = wh.reinvocationPolicy;
    // A webhook only sees the watched namespace; all namespaces need no selector.
    if (opts.watchNamespace !== '') {
      hook.namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [opts.watchNamespace] }] };
    }
    const kind = wh.type === 'ValidatingAdmissionWebhook' ? 'ValidatingWebhookConfiguration' : 'MutatingWebhookConfiguration';
    const annotations = injectCaAnnotation(opts.certProvider, webhookServiceName(wh.deploymentName), opts.installNamespace, nameWithSuffix);
    out.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name, annotations }, webhooks: [hook] });
  }
  return out;
}

function webhookServices(content: BundleContent, webhooks: CsvWebhook[], opts: Required<RenderOptions>): ManifestObject[] {
  const ports = new Map<string, Map<string, Obj>>();
  for (const wh of webhooks) {
    const port = wh.containerPort > 0 ? wh.containerPort : 443;
    const target = wh.targetPort ?? port;
    const entry = { name: String(port), port, targetPort: target };
    const m = ports.get(wh.deploymentName) ?? new Map<string, Obj>();
    m.set(JSON.stringify(entry), entry);
    ports.set(wh.deploymentName, m);
  }
  const out: ManifestObject[] = [];
  for (const d of csvSpecOf(content.csv).deployments) {
    const m = ports.get(d.name);
    if (m === undefined) continue;
    const list = [...m.values()].sort((a, b) => (a.port as number) - (b.port as number) || Number(a.targetPort) - Number(b.targetPort));
    const spec: Obj = { ports: list };
    const selector = (d.spec.selector as { matchLabels?: unknown } | undefined)?.matchLabels;
    if (selector !== undefined) spec.selector = selector;
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: webhookServiceName(d.name), namespace: opts.installNamespace }, spec });
  }
  return out;
}

/** Apply order: definitions and identities before what uses them, webhooks last (as kubectl/helm order them). */
const KIND_RANK = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'Service'];
const LATE_KINDS = ['Deployment', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

function rank(kind: string): number {
  const i = KIND_RANK.indexOf(kind);
  if (i !== -1) return i;
  const j = LATE_KINDS.indexOf(kind);
  return j === -1 ? KIND_RANK.length : KIND_RANK.length + 1 + j;
}

export function compareManifests(a: ManifestObject, b: ManifestObject): number {
  return (
    rank(a.kind) - rank(b.kind) ||
    byteOrder(a.kind, b.kind) ||
    byteOrder(a.apiVersion, b.apiVersion) ||
    byteOrder(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    byteOrder(a.metadata.name, b.metadata.name)
  );
}

/** Checks the watch namespace against the CSV's install modes as OLM v1's render options do; throws when it does not fit. */
function checkTargetNamespace(content: BundleContent, opts: Required<RenderOptions>): void {
  const modes = installModesOf(content.csv);
  const list = `[${[...modes].sort(byteOrder).join(' ')}]`;
  const hint = 'AllNamespaces needs no --watch-namespace; SingleNamespace/OwnNamespace need one (and the SingleOwnNamespaceInstallSupport gate in OLM v1)';
  if (opts.watchNamespace === '') {
    if (!modes.has('AllNamespaces')) throw new GantryError('MANIFEST_UNSUPPORTED', `supported install modes ${list} do not support targeting all namespaces`, { hint });
  } else if (opts.watchNamespace === opts.installNamespace) {
    if (!modes.has('OwnNamespace')) throw new GantryError('MANIFEST_UNSUPPORTED', `supported install modes ${list} do not support targeting own namespace`, { hint });
  } else if (!modes.has('SingleNamespace')) {
    throw new GantryError('MANIFEST_UNSUPPORTED', `supported install modes ${list} do not support target namespaces [${opts.watchNamespace}]`, { hint });
  }
}

/**
 * Renders a registry+v1 bundle as OLM v1 does, sorted by apply order, kind, namespace and name, with the webhook
 * certificates of the chosen provider (cert-provider.ts). Left out: the certificate volumes on webhook deployments,
 * the service CA's Service annotation, APIService definitions and the deploymentConfig customisations. Throws MANIFEST_UNSUPPORTED where OLM v1's render fails.
 */
export function renderRegistryV1(content: BundleContent, options: RenderOptions): ManifestObject[] {
  const opts: Required<RenderOptions> = { installNamespace: options.installNamespace, watchNamespace: options.watchNamespace ?? '', certProvider: options.certProvider ?? 'cert-manager' };
  checkTargetNamespace(content, opts);
  const spec = csvSpecOf(content.csv);
  const csvName = content.csv.metadata.name;
  const out = [
    ...serviceAccounts(opts, [...spec.permissions, ...spec.clusterPermissions]),
    ...rbacObjects(csvName, opts, spec.permissions, spec.clusterPermissions),
    ...crds(content, spec.webhooks, opts),
    ...otherObjects(content, opts),
    ...deployments(content, opts),
    ...webhookConfigurations(spec.webhooks, opts),
    ...webhookServices(content, spec.webhooks, opts),
    ...[...new Set(spec.webhooks.map((w) => w.deploymentName))].flatMap((d) => certificateObjects(opts.certProvider, webhookServiceName(d), opts.installNamespace, nameWithSuffix)),
  ];
  return out.sort(compareManifests);
}
