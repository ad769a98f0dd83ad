// The registry+v1 bundle validators OLM v1 runs before rendering (operator-controller rukpak/render/registryv1/
// validators; reference §6.4): every issue collected, each with a stable code and where it was read from.
import { dns1123SubdomainErrors } from '../catalog/model/names.js';
import { byteOrder } from '../order.js';
import { csvSpecOf, installModesOf, OLM_SUPPORTED_KINDS } from './csv-install.js';
import type { BundleContent, ManifestOrigin } from './manifests.js';

export type BundleIssueCode =
  | 'deployment-duplicate'
  | 'deployment-name-invalid'
  | 'crd-duplicate'
  | 'owned-crd-missing'
  | 'package-name-empty'
  | 'conversion-webhook-install-modes'
  | 'webhook-deployment-missing'
  | 'webhook-duplicate'
  | 'webhook-name-invalid'
  | 'conversion-webhook-crd-shared'
  | 'conversion-webhook-crd-not-owned'
  | 'webhook-rule-forbidden'
  | 'object-unsupported';

export interface BundleIssue {
  code: BundleIssueCode;
  /** OLM v1's own message, so that it can be searched for. */
  message: string;
  origin: ManifestOrigin;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort(byteOrder);
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return sorted(dup);
}

// Admission webhooks may not intercept every group, OLM v1's own API, or other webhook configurations.
const FORBIDDEN_RULE_GROUPS = new Set(['olm.operatorframework.io', '*']);
const FORBIDDEN_ADMISSION_RESOURCES = new Set(['*', 'mutatingwebhookconfiguration', 'mutatingwebhookconfigurations', 'validatingwebhookconfiguration', 'validatingwebhookconfigurations']);

/** Runs every registry+v1 validator of OLM v1 over the bundle, in its order; [] when the bundle passes. */
export function validateBundle(content: BundleContent): BundleIssue[] {
  const issues: BundleIssue[] = [];
  const at = content.csvOrigin;
  const add = (code: BundleIssueCode, message: string, origin: ManifestOrigin = at) => issues.push({ code, message, origin });
  const spec = csvSpecOf(content.csv);
  const crdNames = content.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);

  for (const d of duplicates(spec.deployments.map((d) => d.name))) add('deployment-duplicate', `cluster service version contains duplicate strategy deployment spec '${d}'`);
  for (const name of sorted(new Set(spec.deployments.map((d) => d.name)))) {
    const errs = dns1123SubdomainErrors(name);
    if (errs.length > 0) add('deployment-name-invalid', `invalid cluster service version strategy deployment name '${name}': ${errs.join(', ')}`);
  }
  for (const name of duplicates(crdNames)) {
    const at2 = content.objects.map((o, i) => (o.kind === 'CustomResourceDefinition' && o.metadata.name === name ? i : -1)).filter((i) => i !== -1)[1]!;
    add('crd-duplicate', `bundle contains duplicate custom resource definition '${name}'`, content.origins[at2] ?? at);
  }
  const crdSet = new Set(crdNames);
  for (const name of sorted(new Set(spec.ownedCrds.filter((n) => !crdSet.has(n))))) {
    add('owned-crd-missing', `cluster service definition references owned custom resource definition '${name}' not found in bundle`);
  }
  if (content.package === '') add('package-name-empty', 'package name is empty', Object.keys(content.annotations).length > 0 ? 'metadata/annotations.yaml' : at);

  const webhooks = spec.webhooks;
  const conversion = webhooks.filter((w) => w.type === 'ConversionWebhook');
  if (conversion.length > 0) {
    const modes = installModesOf(content.csv);
    if (modes.size !== 1 || !modes.has('AllNamespaces')) {
      for (const w of conversion) {
        add('conversion-webhook-install-modes', `bundle contains conversion webhook "${w.generateName}" and supports install modes [${sorted(modes).join(' ')}] - conversion webhooks are only supported for bundles that only support AllNamespaces install mode`);
      }
    }
  }
  const deploymentNames = new Set(spec.deployments.map((d) => d.name));
  const dangling = webhooks.filter((w) => !deploymentNames.has(w.deploymentName));
  dangling.sort((a, b) => byteOrder(a.deploymentName, b.deploymentName) || byteOrder(a.type, b.type) || byteOrder(a.generateName, b.generateName));
  for (const w of dangling) add('webhook-deployment-missing', `webhook of type '${w.type}' with name '${w.generateName}' references non-existent deployment '${w.deploymentName}'`);
  const types = sorted(new Set(webhooks.map((w) => w.type)));
  for (const t of types) {
    for (const name of duplicates(webhooks.filter((w) => w.type === t).map((w) => w.generateName))) add('webhook-duplicate', `duplicate webhook '${name}' of type '${t}'`);
  }
  for (const t of types) {
    for (const name of sorted(new Set(webhooks.filter((w) => w.type === t).map((w) => w.generateName)))) {
      const errs = dns1123SubdomainErrors(name);
      if (errs.length > 0) add('webhook-name-invalid', `webhook of type '${t}' has invalid name '${name}': ${errs.join(',')}`);
    }
  }
  const byCrd = new Map<string, string[]>();
  for (const w of conversion) for (const crd of w.conversionCRDs ?? []) byCrd.set(crd, [...(byCrd.get(crd) ?? []), w.generateName]);
  for (const crd of sorted(byCrd.keys())) {
    const hooks = byCrd.get(crd)!;
    if (hooks.length > 1) add('conversion-webhook-crd-shared', `conversion webhooks [${sorted(hooks).join(',')}] reference same custom resource definition '${crd}'`);
  }
  const owned = new Set(spec.ownedCrds);
  for (const w of [...conversion].sort((a, b) => byteOrder(a.generateName, b.generateName))) {
    for (const crd of sorted(w.conversionCRDs ?? [])) {
      if (!owned.has(crd)) add('conversion-webhook-crd-not-owned', `conversion webhook '${w.generateName}' references custom resource definition '${crd}' not owned bundle`);
    }
  }
  for (const w of webhooks) {
    if (w.type === 'ConversionWebhook') continue;
    for (const rule of w.rules ?? []) {
      for (const group of rule.apiGroups ?? []) {
        if (FORBIDDEN_RULE_GROUPS.has(group)) add('webhook-rule-forbidden', `webhook "${w.generateName}" contains forbidden rule: admission webhook rules cannot reference API group "${group}"`);
        if (group !== 'admissionregistration.k8s.io') continue;
        for (const resource of rule.resources ?? []) {
          if (FORBIDDEN_ADMISSION_RESOURCES.has(resource.toLowerCase())) {
            add('webhook-rule-forbidden', `webhook "${w.generateName}" contains forbidden rule: admission webhook rules cannot reference resource "${resource}" for API group "${group}"`);
          }
        }
      }
    }
  }
  content.objects.forEach((o, i) => {
    if (o.kind === 'CustomResourceDefinition' || OLM_SUPPORTED_KINDS.has(o.kind)) return;
    add('object-unsupported', `unsupported resource "${o.metadata.name}" with kind "${o.kind}"`, content.origins[i] ?? at);
  });
  return issues;
}
