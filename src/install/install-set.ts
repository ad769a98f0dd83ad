// The objects a person applies to install an operator: for OLM v1 the Namespace and the ClusterExtension (the
// installer ServiceAccount and its RBAC come from installer-rbac.ts); for OLM v0 the Namespace, an OperatorGroup
// whose target namespaces fit the bundle's install modes, and the Subscription.
import { GantryError } from '../errors.js';
import type { ManifestObject } from './manifests.js';

export const CLUSTER_EXTENSION_API = 'olm.operatorframework.io/v1';
export const CLUSTER_EXTENSION_API_V1ALPHA1 = 'olm.operatorframework.io/v1alpha1';

/** operator-controller v1.2–v1.5 read the watch namespace from this annotation (applier/watchnamespace.go). */
export const WATCH_NAMESPACE_ANNOTATION = 'olm.operatorframework.io/watch-namespace';

export function namespaceObject(name: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export interface ClusterExtensionRequest {
  name: string;
  namespace: string;
  serviceAccount: string;
  package: string;
  channels: readonly string[];
  /** The range (or exact version) as the user asked; '' leaves spec.source.catalog.version out. */
  version: string;
  upgradeConstraintPolicy: 'CatalogProvided' | 'SelfCertified';
  /** SingleNamespace/OwnNamespace installs (config.inline.watchNamespace, experimental in OLM v1). */
  watchNamespace?: string;
  /** How the release reads the watch namespace: the annotation (v1.2–v1.5) or spec.config (v1.6 and later). */
  watchNamespaceVia?: 'annotation' | 'config';
  /** false for OLM v1 releases that ignore spec.serviceAccount (v1.11.0 and later). */
  withServiceAccount: boolean;
  /** The v1alpha1 shape OpenShift 4.16/4.17 (tech preview) serve. */
  v1alpha1?: boolean;
}

/** The ClusterExtension, pinned as the user asked: channels and version range copied, defaults left out. */
export function clusterExtensionObject(r: ClusterExtensionRequest): ManifestObject {
  if (r.v1alpha1) {
    // v1alpha1 has one channel and installNamespace (OpenShift 4.16/4.17 documentation).
    if (r.channels.length > 1) throw new GantryError('USAGE', `the v1alpha1 ClusterExtension takes one channel, not ${r.channels.length}`, { hint: 'name one --channel, or target a newer --olm-version' });
    return {
      apiVersion: CLUSTER_EXTENSION_API_V1ALPHA1,
      kind: 'ClusterExtension',
      metadata: { name: r.name },
      spec: {
        packageName: r.package,
        installNamespace: r.namespace,
        ...(r.channels[0] !== undefined ? { channel: r.channels[0] } : {}),
        ...(r.version !== '' ? { version: r.version } : {}),
        ...(r.upgradeConstraintPolicy !== 'CatalogProvided' ? { upgradeConstraintPolicy: r.upgradeConstraintPolicy } : {}),
        serviceAccount: { name: r.serviceAccount },
      },
    };
  }
  const catalog: Record<string, unknown> = { packageName: r.package };
  if (r.channels.length > 0) catalog.channels = [...r.channels];
  if (r.version !== '') catalog.version = r.version;
  if (r.upgradeConstraintPolicy !== 'CatalogProvided') catalog.upgradeConstraintPolicy = r.upgradeConstraintPolicy;
  const spec: Record<string, unknown> = { namespace: r.namespace };
  if (r.withServiceAccount) spec.serviceAccount = { name: r.serviceAccount };
  spec.source = { sourceType: 'Catalog', catalog };
  if (r.watchNamespace && r.watchNamespaceVia !== 'annotation') spec.config = { configType: 'Inline', inline: { watchNamespace: r.watchNamespace } };
  const metadata: ManifestObject['metadata'] = { name: r.name };
  if (r.watchNamespace && r.watchNamespaceVia === 'annotation') metadata.annotations = { [WATCH_NAMESPACE_ANNOTATION]: r.watchNamespace };
  return { apiVersion: CLUSTER_EXTENSION_API, kind: 'ClusterExtension', metadata, spec };
}

export type InstallMode = 'AllNamespaces' | 'OwnNamespace' | 'SingleNamespace' | 'MultiNamespace';

/**
 * The target namespaces an OperatorGroup needs for a bundle's supported install modes: [] (AllNamespaces) when
 * the bundle supports it and no namespace is asked for, else the install namespace (OwnNamespace) or the
 * watch namespace (SingleNamespace). OLM v0 refuses a CSV whose install modes do not include the group's mode.
 */
export function operatorGroupTargets(modes: readonly string[] | null, namespace: string, watchNamespace?: string): string[] {
  const known = modes ?? ['AllNamespaces'];
  const ask = watchNamespace ?? '';
  if (ask === '' && known.includes('AllNamespaces')) return [];
  const want = ask === '' ? namespace : ask;
  const mode: InstallMode = want === namespace ? 'OwnNamespace' : 'SingleNamespace';
  if (known.includes(mode) || (mode === 'SingleNamespace' && known.includes('MultiNamespace'))) return [want];
  if (ask === '' && (known.includes('SingleNamespace') || known.includes('MultiNamespace'))) {
    throw new GantryError('USAGE', `the bundle supports install modes [${known.join(' ')}]: it must watch a namespace other than ${namespace}`, { hint: 'name it with --watch-namespace NS' });
  }
  throw new GantryError('USAGE', `the bundle's install modes [${known.join(' ')}] do not include ${mode} (watching ${want} from ${namespace})`, {
    hint: known.includes('AllNamespaces') ? 'drop --watch-namespace' : known.includes('OwnNamespace') ? `watch the install namespace: --watch-namespace ${namespace}` : 'pick another --watch-namespace',
  });
}

export function operatorGroupObject(namespace: string, targets: readonly string[]): ManifestObject {
  return { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: namespace, namespace }, spec: targets.length > 0 ? { targetNamespaces: [...targets] } : {} };
}

export interface SubscriptionRequest {
  name: string;
  namespace: string;
  package: string;
  channel: string;
  source: string;
  sourceNamespace: string;
  startingCSV?: string;
  installPlanApproval: 'Automatic' | 'Manual';
}

export function subscriptionObject(r: SubscriptionRequest): ManifestObject {
  const spec: Record<string, unknown> = { name: r.package, channel: r.channel, source: r.source, sourceNamespace: r.sourceNamespace, installPlanApproval: r.installPlanApproval };
  if (r.startingCSV) spec.startingCSV = r.startingCSV;
  return { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: r.name, namespace: r.namespace }, spec };
}

/**
 * OpenShift ships openshift-operators with the global OperatorGroup: an AllNamespaces install there needs neither a
 * Namespace nor a second OperatorGroup (two groups in one namespace stop OLM v0 with TooManyOperatorGroups).
 */
export const GLOBAL_OPERATORS_NAMESPACE = 'openshift-operators';

export interface OlmV0SetRequest extends SubscriptionRequest {
  installModes: readonly string[] | null;
  watchNamespace?: string;
}

export function olmV0InstallSet(r: OlmV0SetRequest): ManifestObject[] {
  const targets = operatorGroupTargets(r.installModes, r.namespace, r.watchNamespace);
  const sub = subscriptionObject(r);
  if (r.namespace === GLOBAL_OPERATORS_NAMESPACE) {
    if (targets.length === 0) return [sub];
    throw new GantryError('USAGE', `${GLOBAL_OPERATORS_NAMESPACE} has OpenShift's global OperatorGroup (all namespaces): a second group for [${targets.join(' ')}] would stop OLM v0 with TooManyOperatorGroups`, { hint: 'install into a namespace of its own: --namespace NS' });
  }
  return [namespaceObject(r.namespace), operatorGroupObject(r.namespace, targets), sub];
}
