// Which API resource a manifest's apiVersion+kind names: a table of the built-in and well-known kinds a bundle
// or its installer touches (group, plural, scope), extended by the bundle's own CustomResourceDefinitions.
import type { ManifestObject } from './manifests.js';

export interface ResourceInfo {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** The plural resource name RBAC rules use ("deployments"). */
  resource: string;
  namespaced: boolean;
}

type Entry = [kind: string, resource: string, namespaced: boolean];

/*
 * Scopes are the API servers' (kubectl api-resources), not OLM's "supported resources" table: that table calls
 * VerticalPodAutoscaler cluster-scoped, which it is not. The renderer keeps OLM's choice for where it puts an
 * object (render-registry-v1.ts); RBAC needs the truth.
 */
const BUILT_IN: Record<string, Entry[]> = {
  '': [
    ['ConfigMap', 'configmaps', true],
    ['Endpoints', 'endpoints', true],
    ['Event', 'events', true],
    ['LimitRange', 'limitranges', true],
    ['Namespace', 'namespaces', false],
    ['Node', 'nodes', false],
    ['PersistentVolume', 'persistentvolumes', false],
    ['PersistentVolumeClaim', 'persistentvolumeclaims', true],
    ['Pod', 'pods', true],
    ['ReplicationController', 'replicationcontrollers', true],
    ['ResourceQuota', 'resourcequotas', true],
    ['Secret', 'secrets', true],
    ['Service', 'services', true],
    ['ServiceAccount', 'serviceaccounts', true],
  ],
  admissionregistration_k8s_io: [
    ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
    ['ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
    ['ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false],
    ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false],
  ],
  apiextensions_k8s_io: [['CustomResourceDefinition', 'customresourcedefinitions', false]],
  apiregistration_k8s_io: [['APIService', 'apiservices', false]],
  apps: [
    ['ControllerRevision', 'controllerrevisions', true],
    ['DaemonSet', 'daemonsets', true],
    ['Deployment', 'deployments', true],
    ['ReplicaSet', 'replicasets', true],
    ['StatefulSet', 'statefulsets', true],
  ],
  autoscaling: [['HorizontalPodAutoscaler', 'horizontalpodautoscalers', true]],
  autoscaling_k8s_io: [['VerticalPodAutoscaler', 'verticalpodautoscalers', true]],
  batch: [
    ['CronJob', 'cronjobs', true],
    ['Job', 'jobs', true],
  ],
  'cert-manager.io': [
    ['Certificate', 'certificates', true],
    ['ClusterIssuer', 'clusterissuers', false],
    ['Issuer', 'issuers', true],
  ],
  console_openshift_io: [
    ['ConsoleCLIDownload', 'consoleclidownloads', false],
    ['ConsoleLink', 'consolelinks', false],
    ['ConsolePlugin', 'consoleplugins', false],
    ['ConsoleQuickStart', 'consolequickstarts', false],
    ['ConsoleYAMLSample', 'consoleyamlsamples', false],
  ],
  coordination_k8s_io: [['Lease', 'leases', true]],
  monitoring_coreos_com: [
    ['PodMonitor', 'podmonitors', true],
    ['PrometheusRule', 'prometheusrules', true],
    ['ServiceMonitor', 'servicemonitors', true],
  ],
  networking_k8s_io: [
    ['Ingress', 'ingresses', true],
    ['IngressClass', 'ingressclasses', false],
    ['NetworkPolicy', 'networkpolicies', true],
  ],
  olm_operatorframework_io: [
    ['ClusterCatalog', 'clustercatalogs', false],
    ['ClusterExtension', 'clusterextensions', false],
  ],
  operators_coreos_com: [
    ['CatalogSource', 'catalogsources', true],
    ['ClusterServiceVersion', 'clusterserviceversions', true],
    ['InstallPlan', 'installplans', true],
    ['OperatorGroup', 'operatorgroups', true],
    ['Subscription', 'subscriptions', true],
  ],
  policy: [['PodDisruptionBudget', 'poddisruptionbudgets', true]],
  rbac_authorization_k8s_io: [
    ['ClusterRole', 'clusterroles', false],
    ['ClusterRoleBinding', 'clusterrolebindings', false],
    ['Role', 'roles', true],
    ['RoleBinding', 'rolebindings', true],
  ],
  route_openshift_io: [['Route', 'routes', true]],
  scheduling_k8s_io: [['PriorityClass', 'priorityclasses', false]],
  security_openshift_io: [['SecurityContextConstraints', 'securitycontextconstraints', false]],
  storage_k8s_io: [
    ['CSIDriver', 'csidrivers', false],
    ['StorageClass', 'storageclasses', false],
  ],
};

// Keys are written with "_" for "." so the table reads as an object literal; looked up through this map.
const TABLE = new Map<string, Entry>();
for (const [key, entries] of Object.entries(BUILT_IN)) {
  for (const e of entries) TABLE.set(`${key.replace(/_/g, '.')}/${e[0]}`, e);
}

/** Splits an apiVersion ("apps/v1", "v1") into group and version; undefined when it is not one. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: '', version: parts[0]! };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

function crdResource(crd: ManifestObject, group: string, kind: string): { resource: string; namespaced: boolean } | undefined {
  const spec = crd.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown; plural?: unknown } } | undefined;
  if (spec?.group !== group || spec.names?.kind !== kind || typeof spec.names.plural !== 'string') return undefined;
  return { resource: spec.names.plural, namespaced: spec.scope !== 'Cluster' };
}

/**
 * The resource behind apiVersion+kind: the built-in table first, then the given CRDs (a bundle's own).
 * Undefined for a kind neither knows, so callers report it rather than guess a plural or a scope.
 */
export function resourceOf(apiVersion: string, kind: string, crds: readonly ManifestObject[] = []): ResourceInfo | undefined {
  const gv = splitApiVersion(apiVersion);
  if (gv === undefined) return undefined;
  const known = TABLE.get(`${gv.group}/${kind}`);
  if (known !== undefined) return { ...gv, resource: known[1], namespaced: known[2] };
  for (const crd of crds) {
    if (crd.kind !== 'CustomResourceDefinition') continue;
    const r = crdResource(crd, gv.group, kind);
    if (r !== undefined) return { ...gv, ...r };
  }
  return undefined;
}
