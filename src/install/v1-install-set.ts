// The OLM v1 install set as YAML text: Namespace, the installer ServiceAccount with least-privilege RBAC (from the
// bundle rendered as OLM v1 renders it) and the ClusterExtension; what `install plan -o yaml` and the web UI print.
import { stringify } from 'yaml';
import { GantryError } from '../errors.js';
import { installModesOf } from './csv-install.js';
import { clusterExtensionObject, namespaceObject, type ClusterExtensionRequest } from './install-set.js';
import { formatInstallerRbacYaml, generateInstallerRbac } from './installer-rbac.js';
import type { EscalationMode } from './installer-access.js';
import type { BundleContent, ManifestObject } from './manifests.js';
import type { OlmTarget } from './olm-versions.js';
import { renderRegistryV1 } from './render-registry-v1.js';
import type { ChosenBundle, UpgradeConstraintPolicy } from './types.js';
import { validateBundle } from './validate-bundle.js';

export const yamlOf = (o: ManifestObject): string => stringify(o, { lineWidth: 0 });
export const yamlComment = (lines: readonly string[]): string => lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';

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

/** What the user asked for, beside the chosen bundle: the ClusterExtension's fields and the set's options. */
export interface V1SetRequest {
  package: string;
  channels: readonly string[];
  versionRange: string;
  upgradeConstraintPolicy: UpgradeConstraintPolicy;
  olmVersion: OlmTarget;
  /** ClusterExtension name; default: the package. */
  name?: string;
  /** Install namespace; default: the package. */
  namespace?: string;
  /** Default: NAME-installer. */
  serviceAccount?: string;
  watchNamespace?: string;
  /** Write the resolved version into the ClusterExtension instead of the asked range. */
  pinVersion?: boolean;
  escalation?: EscalationMode;
  certProvider?: 'cert-manager' | 'openshift-service-ca';
}

/** The set's input for a chosen bundle: names defaulted in one place, the header saying what resolved from where. */
export function v1SetInput(chosen: ChosenBundle, content: BundleContent, req: V1SetRequest): V1SetInput {
  const name = req.name ?? req.package;
  const namespace = req.namespace ?? req.package;
  return {
    content,
    olmVersion: req.olmVersion,
    escalation: req.escalation ?? 'grant-rules',
    ...(req.certProvider ? { certProvider: req.certProvider } : {}),
    extension: {
      name,
      namespace,
      serviceAccount: req.serviceAccount ?? `${name}-installer`,
      package: req.package,
      channels: req.channels,
      version: req.pinVersion ? chosen.version : req.versionRange,
      upgradeConstraintPolicy: req.upgradeConstraintPolicy,
      ...(req.watchNamespace ? { watchNamespace: req.watchNamespace } : {}),
    },
    header: [`gantry install plan: ${req.package} resolves to ${chosen.name} (${chosen.version}) from catalog ${chosen.catalog}, for OLM v1 ${req.olmVersion.name}.`, `Bundle image: ${chosen.image}`],
  };
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
  const parts = [yamlComment(input.header) + yamlOf(namespaceObject(ext.namespace))];
  if (withServiceAccount) {
    const rbac = generateInstallerRbac(rendered, { name: ext.name, namespace: ext.namespace, serviceAccount: ext.serviceAccount }, { escalation: input.escalation });
    parts.push(formatInstallerRbacYaml(rbac, [`Installer RBAC for ${rendered.length} objects OLM v1 applies for ${content.csv.metadata.name} (escalation: ${input.escalation}).`, 'Each rule names the bundle objects that need it.']));
  } else {
    parts.push(yamlComment([`OLM v1 ${olmVersion.name} ignores spec.serviceAccount: the controller installs with its own identity, so no installer RBAC is written.`]) + yamlOf(ce));
    return parts.join('---\n');
  }
  parts.push(yamlOf(ce));
  return parts.join('---\n');
}
