// Whether OLM v1 (operator-controller) would install a bundle, for one target version: the supported-content rules
// of opm-olm.md §6.3 step 6 and §6.4 (format, dependencies, install modes, webhooks, validators) as reasons.
import { supportedInstallModes } from '../catalog/render/csv-spec.js';
import type { OlmTarget } from './olm-versions.js';

export interface BundleProperty {
  type: string;
  value: unknown;
}

/** An issue found by the registry+v1 bundle validators (install/validate-bundle.ts), passed through as a reason. */
export interface ValidatorIssue {
  code: string;
  message: string;
  origin?: string;
}

export interface OlmV1CheckInput {
  /** The bundle name, for operator-controller's wording. */
  bundle: string;
  /** The bundle's catalog properties (olm.package, olm.gvk.required, olm.package.required, olm.constraint, olm.csv.metadata, olm.bundle.mediatype). */
  properties?: readonly BundleProperty[];
  /** Supported install modes; undefined: read from olm.csv.metadata; null: unknown. */
  installModes?: readonly string[] | null;
  /** The CSV's webhook definition types; null: unknown (olm.csv.metadata does not carry them). */
  webhookTypes: readonly string[] | null;
  /** Undefined: from the olm.bundle.mediatype property, registry+v1 without one. */
  mediaType?: string;
  /** config.inline.watchNamespace; empty or absent: all namespaces. */
  watchNamespace?: string;
  /** spec.namespace, when known: decides OwnNamespace (watch = install namespace) from SingleNamespace. */
  installNamespace?: string;
  olmVersion: OlmTarget;
  /** Alpha feature gates the cluster has turned on. */
  featureGates?: readonly string[];
  validatorIssues?: readonly ValidatorIssue[];
}

export interface OlmV1Reason {
  code: string;
  message: string;
}

export interface OlmV1Check {
  /** null: nothing known refuses the bundle, but what is unknown (install modes, webhooks) could. */
  installable: boolean | null;
  reasons: OlmV1Reason[];
  notes: string[];
  /** What was unknown and could change the verdict or add a reason (the bundle image would tell). */
  unknown: ('installModes' | 'webhooks')[];
}

const ALL = 'AllNamespaces';
const REGISTRY_V1 = 'registry+v1';
const DEPENDENCY_TYPES = new Set(['olm.package.required', 'olm.gvk.required', 'olm.constraint']);
const SINGLE_OWN_GATE = 'SingleOwnNamespaceInstallSupport';
const WEBHOOK_GATES = ['WebhookProviderCertManager', 'WebhookProviderOpenshiftServiceCA'];

/** The alpha feature gates that change the check's verdict (what --feature-gate accepts). */
export const CHECK_FEATURE_GATES: readonly string[] = [SINGLE_OWN_GATE, ...WEBHOOK_GATES];

/** Go's %q for the plain strings these messages quote. */
const q = (s: string) => JSON.stringify(s);
/** Go's %v of a sorted []string, as operator-controller prints install modes. */
const list = (modes: readonly string[]) => `[${[...modes].sort().join(' ')}]`;

function csvMetadata(props: readonly BundleProperty[]): Record<string, unknown> | undefined {
  const p = props.find((x) => x.type === 'olm.csv.metadata');
  return p && typeof p.value === 'object' && p.value !== null ? (p.value as Record<string, unknown>) : undefined;
}

function installModesOf(input: OlmV1CheckInput, props: readonly BundleProperty[]): readonly string[] | null {
  if (input.installModes !== undefined) return input.installModes;
  return supportedInstallModes(csvMetadata(props)?.installModes);
}

function mediaTypeOf(input: OlmV1CheckInput, props: readonly BundleProperty[]): string {
  if (input.mediaType !== undefined) return input.mediaType;
  const p = props.find((x) => x.type === 'olm.bundle.mediatype');
  return typeof p?.value === 'string' && p.value !== '' ? p.value : REGISTRY_V1;
}

export function checkOlmV1Install(input: OlmV1CheckInput): OlmV1Check {
  const v = input.olmVersion;
  const props = input.properties ?? [];
  const gates = new Set(input.featureGates ?? []);
  const on = (state: OlmTarget['webhooks'], names: readonly string[]) => state === 'default' || (state === 'alpha' && names.some((n) => gates.has(n)));
  const reasons: OlmV1Reason[] = [];
  const notes: string[] = [];
  const unknown = new Set<'installModes' | 'webhooks'>();

  const mediaType = mediaTypeOf(input, props);
  if (mediaType !== REGISTRY_V1) {
    reasons.push({ code: 'BUNDLE_FORMAT_UNSUPPORTED', message: `bundle ${q(input.bundle)} has media type ${q(mediaType)}: OLM v1 installs ${REGISTRY_V1} bundles only` });
  }

  // operator-controller (resolve/validation.go) stops at the first such property; every distinct one is listed here.
  const deps = [...new Set(props.filter((p) => DEPENDENCY_TYPES.has(p.type)).map((p) => p.type))];
  for (const d of deps) reasons.push({ code: 'DEPENDENCY_UNSUPPORTED', message: `bundle ${q(input.bundle)} has a dependency declared via property ${q(d)} which is currently not supported` });

  const apiServices = (csvMetadata(props)?.apiServiceDefinitions as { owned?: unknown } | undefined)?.owned;
  // The misspelling is operator-controller's (applier/provider.go).
  if (Array.isArray(apiServices) && apiServices.length > 0) reasons.push({ code: 'API_SERVICE_UNSUPPORTED', message: 'unsupported bundle: apiServiceDefintions are not supported' });

  const modes = installModesOf(input, props);
  const singleOwn = on(v.singleOwnNamespace, [SINGLE_OWN_GATE]);
  const watch = input.watchNamespace ?? '';
  if (modes === null) {
    unknown.add('installModes');
    notes.push('install modes unknown: the catalog has no olm.csv.metadata or CSV for this bundle');
  }
  if (watch !== '') {
    if (!singleOwn) {
      const why = v.singleOwnNamespace === 'none' ? `operator-controller ${v.operatorController} has no SingleNamespace/OwnNamespace support` : `the ${SINGLE_OWN_GATE} feature gate is alpha (off by default) in ${v.name}`;
      reasons.push({ code: 'WATCH_NAMESPACE_UNSUPPORTED', message: `watchNamespace ${q(watch)} cannot be used: ${why}` });
    } else if (modes !== null) {
      const own = input.installNamespace === undefined ? undefined : input.installNamespace === watch;
      if (own === true && !modes.includes('OwnNamespace')) reasons.push({ code: 'INSTALL_MODE_UNSUPPORTED', message: `supported install modes ${list(modes)} do not support targeting own namespace` });
      else if (own === false && !modes.includes('SingleNamespace')) reasons.push({ code: 'INSTALL_MODE_UNSUPPORTED', message: `supported install modes ${list(modes)} do not support targeting namespace ${q(watch)}` });
      else if (own === undefined && !modes.includes('OwnNamespace') && !modes.includes('SingleNamespace')) {
        reasons.push({ code: 'INSTALL_MODE_UNSUPPORTED', message: `supported install modes ${list(modes)} do not support targeting a single namespace` });
      }
    }
    if (singleOwn && v.watchNamespaceVia === 'annotation') notes.push(`${v.name} reads the watch namespace from the annotation olm.operatorframework.io/watch-namespace, not spec.config`);
  } else if (modes !== null && !modes.includes(ALL)) {
    if (singleOwn && modes.includes('OwnNamespace')) notes.push('no AllNamespaces support: the operator watches its install namespace only (OwnNamespace)');
    else if (singleOwn && modes.includes('SingleNamespace')) reasons.push({ code: 'INSTALL_MODE_UNSUPPORTED', message: 'exactly one target namespace must be specified' });
    else reasons.push({ code: 'INSTALL_MODE_UNSUPPORTED', message: `supported install modes ${list(modes)} do not support targeting all namespaces` });
  }

  const hooks = input.webhookTypes;
  const webhooksOn = on(v.webhooks, WEBHOOK_GATES);
  const onlyAll = modes !== null && modes.length === 1 && modes[0] === ALL;
  if (hooks === null) {
    // Unknown webhooks only matter where some webhook would be refused.
    if (!webhooksOn || (v.conversionWebhookRule && !onlyAll)) {
      unknown.add('webhooks');
      notes.push('webhooks unknown: the catalog does not list them (olm.csv.metadata omits webhookdefinitions) and the bundle image was not read');
    }
  } else if (hooks.length > 0) {
    if (!webhooksOn) {
      const why = v.webhooks === 'none' ? `operator-controller ${v.operatorController} has no webhook support` : `the ${WEBHOOK_GATES.join(' and ')} feature gates are alpha (off by default) in ${v.name}`;
      reasons.push({ code: 'WEBHOOKS_UNSUPPORTED', message: `unsupported bundle: webhookDefinitions are not supported (${why})` });
    } else {
      if (v.conversionWebhookRule && hooks.includes('ConversionWebhook')) {
        if (modes === null) unknown.add('installModes');
        else if (!onlyAll) reasons.push({ code: 'CONVERSION_WEBHOOK_INSTALL_MODES', message: `bundle contains a conversion webhook and supports install modes ${list(modes)} - conversion webhooks are only supported for bundles that only support AllNamespaces install mode` });
      }
      notes.push('webhook certificates come from cert-manager (installed in the cluster) or, on OpenShift, the service CA');
    }
  }

  for (const i of input.validatorIssues ?? []) reasons.push({ code: i.code, message: i.origin ? `${i.origin}: ${i.message}` : i.message });

  if (v.api === 'v1alpha1') notes.push(`${v.name} serves ClusterExtension olm.operatorframework.io/v1alpha1 (Technology Preview)`);
  if (v.serviceAccount === 'ignored') notes.push(`${v.name} ignores spec.serviceAccount: the controller installs with its own (cluster-admin) permissions`);
  return { installable: reasons.length > 0 ? false : unknown.size > 0 ? null : true, reasons, notes, unknown: [...unknown] };
}

/** The catalog queries' view of the check: reason messages ([] = installable), or null when unknown. */
export function olmV1Problems(b: { name: string; installModes: readonly string[] | null; webhookTypes: readonly string[] | null; dependencies: readonly string[] }, olmVersion: OlmTarget): string[] | null {
  const r = checkOlmV1Install({ bundle: b.name, properties: b.dependencies.map((type) => ({ type, value: null })), installModes: b.installModes, webhookTypes: b.webhookTypes, olmVersion });
  return r.installable === null ? null : r.reasons.map((x) => x.message);
}
