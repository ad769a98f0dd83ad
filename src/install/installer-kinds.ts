// GVK → resource for the kinds a rendered registry+v1 bundle holds (OLM's supported kinds, webhooks, cert-manager
// objects) and the kinds its own CRDs define: the REST mapping the pre-flight asks the cluster for, known offline.
// A minimal stand-in for wt-render's kinds.ts `resourceOf`, with the same call shape, so the lead can unify them.
import type { ManifestObject } from './manifests.js';

export interface KindResource {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

// group → kind → [plural, namespaced]. Only kinds OLM accepts in a bundle or creates for one (olm's
// supportedKinds, the CSV's deployments and RBAC, webhook configurations, cert-manager's Issuer and Certificate).
const BUILTIN: Record<string, Record<string, [string, boolean]>> = {
  '': {
    ConfigMap: ['configmaps', true],
    Secret: ['secrets', true],
    Service: ['services', true],
    ServiceAccount: ['serviceaccounts', true],
  },
  apps: { Deployment: ['deployments', true] },
  'apiextensions.k8s.io': { CustomResourceDefinition: ['customresourcedefinitions', false] },
  'rbac.authorization.k8s.io': {
    Role: ['roles', true],
    RoleBinding: ['rolebindings', true],
    ClusterRole: ['clusterroles', false],
    ClusterRoleBinding: ['clusterrolebindings', false],
  },
  'admissionregistration.k8s.io': {
    ValidatingWebhookConfiguration: ['validatingwebhookconfigurations', false],
    MutatingWebhookConfiguration: ['mutatingwebhookconfigurations', false],
  },
  'networking.k8s.io': { NetworkPolicy: ['networkpolicies', true] },
  policy: { PodDisruptionBudget: ['poddisruptionbudgets', true] },
  'scheduling.k8s.io': { PriorityClass: ['priorityclasses', false] },
  'autoscaling.k8s.io': { VerticalPodAutoscaler: ['verticalpodautoscalers', true] },
  'monitoring.coreos.com': { PrometheusRule: ['prometheusrules', true], ServiceMonitor: ['servicemonitors', true], PodMonitor: ['podmonitors', true] },
  'console.openshift.io': {
    ConsoleYAMLSample: ['consoleyamlsamples', false],
    ConsoleQuickStart: ['consolequickstarts', false],
    ConsoleCLIDownload: ['consoleclidownloads', false],
    ConsoleLink: ['consolelinks', false],
    ConsolePlugin: ['consoleplugins', false],
  },
  'cert-manager.io': { Issuer: ['issuers', true], Certificate: ['certificates', true] },
};

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The resource of `kind` in `apiVersion`, from the built-in table or from one of `crds`; undefined when neither knows it. */
export function resourceOf(apiVersion: string, kind: string, crds: readonly ManifestObject[]): KindResource | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const known = BUILTIN[group]?.[kind];
  if (known) return { group, version, resource: known[0], namespaced: known[1] };
  for (const crd of crds) {
    const spec = (crd.spec ?? {}) as { group?: unknown; scope?: unknown; names?: { kind?: unknown; plural?: unknown } };
    if (spec.group === group && spec.names?.kind === kind && typeof spec.names.plural === 'string') {
      return { group, version, resource: spec.names.plural, namespaced: spec.scope !== 'Cluster' };
    }
  }
  return undefined;
}
