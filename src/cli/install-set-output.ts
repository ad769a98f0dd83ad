// install plan -o yaml: the ready-to-apply set for the chosen bundle. OLM v1: Namespace, the installer
// ServiceAccount with least-privilege RBAC (from the bundle rendered as OLM v1 renders it), the ClusterExtension.
// OLM v0: Namespace, OperatorGroup fitted to the bundle's install modes, Subscription.
import { stringify } from 'yaml';
import { GantryError } from '../errors.js';
import type { Bundle } from '../catalog/fbc/types.js';
import { installModesOf } from '../install/csv-install.js';
import { bundleContentFromCatalog } from '../install/bundle-content.js';
import { clusterExtensionObject, namespaceObject, olmV0InstallSet, type ClusterExtensionRequest, type SubscriptionRequest } from '../install/install-set.js';
import { formatInstallerRbacYaml, generateInstallerRbac } from '../install/installer-rbac.js';
import type { EscalationMode } from '../install/installer-access.js';
import type { BundleContent, ManifestObject } from '../install/manifests.js';
import type { OlmTarget } from '../install/olm-versions.js';
import { renderRegistryV1 } from '../install/render-registry-v1.js';
import { validateBundle } from '../install/validate-bundle.js';
import type { CliContext } from './context.js';

const yamlOf = (o: ManifestObject) => stringify(o, { lineWidth: 0 });
const comment = (lines: readonly string[]) => lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';

/**
 * The bundle's manifests: from the catalog's olm.bundle.object properties when it has them, else from the bundle
 * image (cached by digest). --offline forbids the image: then the set cannot be computed, and the error says why.
 */
export async function chosenBundleContent(ctx: CliContext, registryFlags: Record<string, unknown>, bundle: Bundle | undefined, image: string, offline: boolean): Promise<BundleContent> {
  const fromCatalog = bundle ? bundleContentFromCatalog(bundle) : null;
  if (fromCatalog) return fromCatalog;
  if (offline || image === '') {
    throw new GantryError('BUNDLE_UNREADABLE', `the catalog does not carry ${bundle?.name ?? 'the bundle'}'s manifests (no olm.bundle.object properties)${offline ? ' and --offline forbids reading its image' : ''}`, {
      hint: offline ? `drop --offline so that ${image} is read (cached afterwards)` : 'render the catalog with its bundle objects, or give the bundle image',
    });
  }
  const { openBundleContent } = await import('./bundle-source.js');
  return (await openBundleContent(ctx, `docker://${image}`, registryFlags)).content;
}

export interface V1SetInput {
  content: BundleContent;
  extension: Omit<ClusterExtensionRequest, 'withServiceAccount' | 'v1alpha1'>;
  olmVersion: OlmTarget;
  escalation: EscalationMode;
  /** --cert-provider; default: the service CA for OpenShift targets, cert-manager otherwise. */
  certProvider?: 'cert-manager' | 'openshift-service-ca';
  /** The header: what was resolved, from where. */
  header: string[];
}

/** Namespace, ServiceAccount + RBAC (when the release uses the service account), ClusterExtension. */
export function formatV1Set(input: V1SetInput): string {
  const { content, extension: ext, olmVersion } = input;
  const issues = validateBundle(content);
  if (issues.length > 0) {
    throw new GantryError('BUNDLE_INVALID', `OLM v1 would refuse the bundle:\n${issues.map((i) => `  ${i.origin}: ${i.message} (${i.code})`).join('\n')}`);
  }
  // A bundle without AllNamespaces but with OwnNamespace is installed watching its own namespace when none is
  // given (the check says so in a note): render it that way, and leave the ClusterExtension as the user asked.
  const modes = installModesOf(content.csv);
  const watch = ext.watchNamespace || (!modes.has('AllNamespaces') && modes.has('OwnNamespace') ? ext.namespace : '');
  const certProvider = input.certProvider ?? (olmVersion.name.startsWith('ocp-') ? 'openshift-service-ca' : 'cert-manager');
  const rendered = renderRegistryV1(content, { installNamespace: ext.namespace, ...(watch ? { watchNamespace: watch } : {}), certProvider });
  const withServiceAccount = olmVersion.serviceAccount === 'required';
  const via = olmVersion.watchNamespaceVia ?? 'config';
  const ce = clusterExtensionObject({ ...ext, withServiceAccount, v1alpha1: olmVersion.api === 'v1alpha1', watchNamespaceVia: via });
  const parts = [comment(input.header) + yamlOf(namespaceObject(ext.namespace))];
  if (withServiceAccount) {
    const rbac = generateInstallerRbac(rendered, { name: ext.name, namespace: ext.namespace, serviceAccount: ext.serviceAccount }, { escalation: input.escalation });
    parts.push(formatInstallerRbacYaml(rbac, [`Installer RBAC for ${rendered.length} objects OLM v1 applies for ${content.csv.metadata.name} (escalation: ${input.escalation}).`, 'Each rule names the bundle objects that need it.']));
  } else {
    parts.push(comment([`OLM v1 ${olmVersion.name} ignores spec.serviceAccount: the controller installs with its own identity, so no installer RBAC is written.`]) + yamlOf(ce));
    return parts.join('---\n');
  }
  parts.push(yamlOf(ce));
  return parts.join('---\n');
}

export interface V0SetInput extends SubscriptionRequest {
  /** The bundle's supported install modes: they decide the OperatorGroup's target namespaces. */
  installModes: readonly string[];
  watchNamespace?: string;
  header: string[];
}

/** Namespace, OperatorGroup, Subscription. */
export function formatV0Set(input: V0SetInput): string {
  const { header, watchNamespace, ...sub } = input;
  const objects = olmV0InstallSet({ ...sub, ...(watchNamespace !== undefined ? { watchNamespace } : {}) });
  return comment(header) + objects.map(yamlOf).join('---\n');
}
