// The OLM v1 (operator-controller) releases gantry knows, what each supports out of the box, and the OpenShift
// releases that shipped them; parses --olm-version values (1.10, v1.4.0, ocp-4.17) into one target.
import { GantryError } from '../errors.js';

/** none: the release cannot do it; alpha: behind a feature gate that is off by default; default: on by default. */
export type FeatureState = 'none' | 'alpha' | 'default';

export interface OlmSupport {
  /** The ClusterExtension API the release serves. */
  api: 'v1alpha1' | 'v1';
  /** Bundles with spec.webhookdefinitions (gates WebhookProviderCertManager / WebhookProviderOpenshiftServiceCA). */
  webhooks: FeatureState;
  /** Conversion webhooks only on bundles that support AllNamespaces alone (validators.CheckConversionWebhookSupport). */
  conversionWebhookRule: boolean;
  /** SingleNamespace / OwnNamespace installs (gate SingleOwnNamespaceInstallSupport). */
  singleOwnNamespace: FeatureState;
  /** How the watch namespace is given, where the release has one. */
  watchNamespaceVia: 'annotation' | 'config' | null;
  /** The RBAC pre-flight of opm-olm.md §6.6 (gate PreflightPermissions). */
  rbacPreflight: FeatureState;
  /** spec.serviceAccount: the installer acts as it (required), or the controller's own identity does (ignored). */
  serviceAccount: 'required' | 'ignored';
}

export interface OlmTarget extends OlmSupport {
  /** What the user sees: "1.10" or "ocp-4.17". */
  name: string;
  /** The operator-controller minor release the target runs, e.g. "1.10". */
  operatorController: string;
  /** OpenShift releases that ship this operator-controller (upstream targets) or "" (OpenShift targets). */
  openshift: string[];
}

interface Release extends OlmSupport {
  minor: string;
  openshift: string[];
}

// Read from operator-framework/operator-controller at each tag (internal/operator-controller/features/features.go,
// applier/provider.go, rukpak/render/render.go, api/), and from openshift/operator-framework-operator-controller's
// release-4.x branches (which upstream tag each branch contains; its own features.go):
// - v0.10.0 / v0.12.0: ClusterExtension olm.operatorframework.io/v1alpha1 (OpenShift 4.16 / 4.17 Technology Preview);
//   rukpak's registry+v1 conversion refuses webhooks ("webhookDefinitions are not supported") and needs AllNamespaces
//   (release-4.17: internal/rukpak/convert/registryv1.go; in 4.16 that conversion ran in the separate rukpak component).
// - v1.0.0 (2024-11-27): API v1, GA (OpenShift 4.18; its branch is v0.18.0 plus backports, which already serve v1).
// - v1.2.0 (2025-03-04): gates SingleOwnNamespaceInstallSupport and PreflightPermissions added (alpha); the watch
//   namespace is the annotation olm.operatorframework.io/watch-namespace (applier/watchnamespace.go) up to v1.5.
// - v1.3.0 (2025-05-22): WebhookProviderCertManager and WebhookProviderOpenshiftServiceCA added (alpha); the RBAC
//   pre-flight (authorization/rbac.go) exists from here (opm-olm.md §6.6: v1.3.0–v1.10.0).
// - v1.6.0 (2025-11-11): both webhook gates GA, on by default (PR #2267 "Promote Webhook FeatureGates to GA");
//   CheckConversionWebhookSupport added; watchNamespace moves to spec.config.inline.watchNamespace.
// - v1.8.0 (2026-02-19): SingleOwnNamespaceInstallSupport GA, on by default; v1.9.0 (2026-06-08): back to alpha.
// - v1.11.0 (2026-07-23): PreflightPermissions removed; spec.serviceAccount deprecated and ignored (1bbe7886).
const RELEASES: readonly Release[] = [
  r('0.10', ['4.16'], { api: 'v1alpha1' }),
  r('0.12', ['4.17'], { api: 'v1alpha1' }),
  r('1.0', ['4.18'], {}),
  r('1.1', [], {}),
  r('1.2', ['4.19'], { singleOwnNamespace: 'alpha', watchNamespaceVia: 'annotation' }),
  r('1.3', [], { singleOwnNamespace: 'alpha', watchNamespaceVia: 'annotation', webhooks: 'alpha', rbacPreflight: 'alpha' }),
  r('1.4', ['4.20'], { singleOwnNamespace: 'alpha', watchNamespaceVia: 'annotation', webhooks: 'alpha', rbacPreflight: 'alpha' }),
  r('1.5', [], { singleOwnNamespace: 'alpha', watchNamespaceVia: 'annotation', webhooks: 'alpha', rbacPreflight: 'alpha' }),
  r('1.6', [], { ...gaWebhooks(), singleOwnNamespace: 'alpha', rbacPreflight: 'alpha' }),
  r('1.7', ['4.21'], { ...gaWebhooks(), singleOwnNamespace: 'alpha', rbacPreflight: 'alpha' }),
  r('1.8', ['4.22'], { ...gaWebhooks(), singleOwnNamespace: 'default', rbacPreflight: 'alpha' }),
  r('1.9', [], { ...gaWebhooks(), singleOwnNamespace: 'alpha', rbacPreflight: 'alpha' }),
  r('1.10', ['4.23', '5.0'], { ...gaWebhooks(), singleOwnNamespace: 'alpha', rbacPreflight: 'alpha' }),
  r('1.11', [], { ...gaWebhooks(), singleOwnNamespace: 'alpha', serviceAccount: 'ignored' }),
];

function gaWebhooks(): Partial<OlmSupport> {
  return { webhooks: 'default', conversionWebhookRule: true, watchNamespaceVia: 'config' };
}

function r(minor: string, openshift: string[], s: Partial<OlmSupport>): Release {
  return { minor, openshift, api: 'v1', webhooks: 'none', conversionWebhookRule: false, singleOwnNamespace: 'none', watchNamespaceVia: null, rbacPreflight: 'none', serviceAccount: 'required', ...s };
}

/**
 * Where OpenShift's build differs from the upstream tag it contains: OpenShift turns OLM v1 features on through its
 * own feature sets, not the upstream defaults. 4.20 shipped the webhook providers as Technology Preview (openshift/api
 * NewOLMWebhookProviderOpenshiftServiceCA; GA in 4.21, openshift-docs PR #104922), and release-4.22's features.go
 * keeps SingleOwnNamespaceInstallSupport alpha (OpenShift documents watching one namespace as Technology Preview).
 */
const OPENSHIFT_OVERRIDES: Record<string, Partial<OlmSupport>> = {
  // release-4.19 carries commits past v1.2.0, among them authorization/rbac.go: the pre-flight is there (alpha).
  '4.19': { rbacPreflight: 'alpha' },
  '4.22': { singleOwnNamespace: 'alpha' },
};

/**
 * The default target: 1.10, the newest operator-controller whose installer still acts as the ClusterExtension's
 * service account (v1.11 ignores spec.serviceAccount and installs as cluster-admin). Plans made for it carry the
 * service account's RBAC, which is still what every OpenShift release up to 5.0 runs, and it has webhooks on.
 */
export const DEFAULT_OLM_VERSION = '1.10';

const target = (rel: Release, name: string, overrides: Partial<OlmSupport> = {}): OlmTarget => {
  const { minor, openshift, ...support } = rel;
  return { ...support, ...overrides, name, operatorController: minor, openshift: name.startsWith('ocp-') ? [] : openshift };
};

/** Every value --olm-version accepts, upstream releases first (as "1.10"), then OpenShift releases ("ocp-4.17"). */
export function knownOlmVersions(): string[] {
  return [...RELEASES.map((x) => x.minor), ...RELEASES.flatMap((x) => x.openshift.map((o) => `ocp-${o}`))];
}

/** Parses 1.10, v1.10, v1.4.0 (the patch is ignored: features change with minors), ocp-4.17, 4.17 is not accepted. */
export function parseOlmVersion(value: string): OlmTarget {
  const text = value.trim();
  const ocp = /^(?:ocp|openshift)-?v?(\d+\.\d+)(?:\.\d+)?$/i.exec(text);
  if (ocp) {
    const rel = RELEASES.find((x) => x.openshift.includes(ocp[1]!));
    if (rel) return target(rel, `ocp-${ocp[1]}`, OPENSHIFT_OVERRIDES[ocp[1]!]);
  } else {
    const up = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text);
    const rel = up && RELEASES.find((x) => x.minor === `${Number(up[1])}.${Number(up[2])}`);
    if (rel) return target(rel, rel.minor);
  }
  throw new GantryError('USAGE', `--olm-version "${value}" is not an OLM v1 version gantry knows`, {
    hint: `known: ${knownOlmVersions().join(', ')} (default ${DEFAULT_OLM_VERSION})`,
  });
}
