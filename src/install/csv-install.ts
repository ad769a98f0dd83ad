// The install-relevant parts of a ClusterServiceVersion, read leniently into plain types (deployments, permissions,
// webhook definitions, install modes, owned CRDs) for the renderer and the validators; plus OLM's supported kinds.
import { supportedInstallModes } from '../catalog/render/csv-spec.js';
import type { ManifestObject } from './manifests.js';

type Obj = Record<string, unknown>;

export interface CsvRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface CsvPermission {
  serviceAccountName: string;
  /** null when the CSV has no rules list (Go's nil slice). */
  rules: CsvRule[] | null;
}

export interface CsvDeployment {
  name: string;
  spec: Obj;
  label?: Record<string, string>;
}

export interface CsvWebhook {
  type: string;
  generateName: string;
  deploymentName: string;
  containerPort: number;
  targetPort?: number | string;
  webhookPath?: string;
  conversionCRDs?: string[];
  rules?: { apiGroups?: string[]; resources?: string[]; [k: string]: unknown }[];
  admissionReviewVersions?: string[];
  failurePolicy?: unknown;
  matchPolicy?: unknown;
  objectSelector?: unknown;
  sideEffects?: unknown;
  timeoutSeconds?: unknown;
  reinvocationPolicy?: unknown;
}

export interface CsvInstallSpec {
  deployments: CsvDeployment[];
  permissions: CsvPermission[];
  clusterPermissions: CsvPermission[];
  webhooks: CsvWebhook[];
  ownedCrds: string[];
}

/*
 * operator-registry pkg/lib/bundle supported_resources.go: the kinds OLM accepts in a bundle besides the CSV
 * and CRDs, and whether OLM v1's renderer puts them in the install namespace (its table, not the API's truth).
 */
export const OLM_SUPPORTED_KINDS: ReadonlyMap<string, boolean> = new Map([
  ['ClusterServiceVersion', true],
  ['CustomResourceDefinition', false],
  ['ClusterRole', false],
  ['ClusterRoleBinding', false],
  ['Service', true],
  ['ServiceAccount', true],
  ['Role', true],
  ['RoleBinding', true],
  ['PrometheusRule', true],
  ['ServiceMonitor', true],
  ['Secret', true],
  ['ConfigMap', true],
  ['PodDisruptionBudget', true],
  ['PriorityClass', false],
  ['VerticalPodAutoscaler', false],
  ['ConsoleYAMLSample', false],
]);

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map((x) => String(x)) : undefined;
}

function permissionsOf(v: unknown): CsvPermission[] {
  return list(v).map((p) => {
    const o = obj(p);
    const rules = Array.isArray(o.rules)
      ? o.rules.map((r) => {
          const ro = obj(r);
          const rule: CsvRule = {};
          for (const k of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
            const s = strings(ro[k]);
            if (s !== undefined) rule[k] = s;
          }
          return rule;
        })
      : null;
    return { serviceAccountName: str(o.serviceAccountName), rules };
  });
}

function webhookOf(v: unknown): CsvWebhook {
  const o = obj(v);
  const wh: CsvWebhook = { type: str(o.type), generateName: str(o.generateName), deploymentName: str(o.deploymentName), containerPort: typeof o.containerPort === 'number' ? o.containerPort : 0 };
  if (typeof o.targetPort === 'number' || typeof o.targetPort === 'string') wh.targetPort = o.targetPort;
  if (typeof o.webhookPath === 'string') wh.webhookPath = o.webhookPath;
  const crds = strings(o.conversionCRDs);
  if (crds !== undefined) wh.conversionCRDs = crds;
  if (Array.isArray(o.rules)) wh.rules = o.rules.map((r) => ({ ...obj(r), apiGroups: strings(obj(r).apiGroups), resources: strings(obj(r).resources) }));
  const arv = strings(o.admissionReviewVersions);
  if (arv !== undefined) wh.admissionReviewVersions = arv;
  for (const k of ['failurePolicy', 'matchPolicy', 'objectSelector', 'sideEffects', 'timeoutSeconds', 'reinvocationPolicy'] as const) if (o[k] !== undefined && o[k] !== null) wh[k] = o[k];
  return wh;
}

/** The CSV's install strategy, webhook definitions and owned CRD names; absent parts are empty. */
export function csvSpecOf(csv: ManifestObject): CsvInstallSpec {
  const spec = obj(csv.spec);
  const strategy = obj(obj(spec.install).spec);
  return {
    deployments: list(strategy.deployments).map((d) => {
      const o = obj(d);
      const dep: CsvDeployment = { name: str(o.name), spec: obj(o.spec) };
      if (o.label !== null && typeof o.label === 'object') dep.label = Object.fromEntries(Object.entries(obj(o.label)).map(([k, v]) => [k, String(v)]));
      return dep;
    }),
    permissions: permissionsOf(strategy.permissions),
    clusterPermissions: permissionsOf(strategy.clusterPermissions),
    webhooks: list(spec.webhookdefinitions).map(webhookOf),
    ownedCrds: list(obj(spec.customresourcedefinitions).owned).map((c) => str(obj(c).name)),
  };
}

/** The install modes the CSV marks supported. */
export function installModesOf(csv: ManifestObject): Set<string> {
  return new Set(supportedInstallModes(obj(csv.spec).installModes) ?? []);
}
