import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BundleContent, ManifestObject } from './manifests.js';
import { validateBundle, type BundleIssueCode } from './validate-bundle.js';

type Obj = Record<string, unknown>;

function crd(name: string): ManifestObject {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } };
}

/** A bundle that passes every rule; each case changes one thing. */
function bundle(change: { spec?: Obj; objects?: ManifestObject[]; package?: string } = {}): BundleContent {
  const spec: Obj = {
    installModes: [{ type: 'AllNamespaces', supported: true }],
    customresourcedefinitions: { owned: [{ name: 'widgets.example.com' }] },
    install: { strategy: 'deployment', spec: { deployments: [{ name: 'op', spec: {} }] } },
    ...change.spec,
  };
  const objects = change.objects ?? [crd('widgets.example.com')];
  return {
    package: change.package ?? 'demo',
    csv: { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'demo.v1' }, spec },
    csvOrigin: 'manifests/csv.yaml:1',
    objects,
    origins: objects.map((_, i) => `manifests/o${i}.yaml:1`),
    annotations: {},
  };
}

const deployments = (...names: string[]) => ({ install: { strategy: 'deployment', spec: { deployments: names.map((name) => ({ name, spec: {} })) } } });
const webhook = (o: Obj) => ({ type: 'ValidatingAdmissionWebhook', generateName: 'vwidget.example.com', deploymentName: 'op', containerPort: 443, ...o });

const cases: [string, BundleContent, BundleIssueCode[], RegExp?, string?][] = [
  ['valid bundle', bundle(), []],
  ['deployment-duplicate', bundle({ spec: deployments('op', 'op') }), ['deployment-duplicate'], /duplicate strategy deployment spec 'op'/],
  ['deployment-name-invalid', bundle({ spec: deployments('Op_1') }), ['deployment-name-invalid'], /invalid cluster service version strategy deployment name 'Op_1': a lowercase RFC 1123 subdomain/],
  ['crd-duplicate', bundle({ objects: [crd('widgets.example.com'), crd('widgets.example.com')] }), ['crd-duplicate'], /duplicate custom resource definition 'widgets.example.com'/, 'manifests/o1.yaml:1'],
  ['owned-crd-missing', bundle({ objects: [] }), ['owned-crd-missing'], /owned custom resource definition 'widgets.example.com' not found in bundle/],
  ['package-name-empty', bundle({ package: '' }), ['package-name-empty'], /^package name is empty$/],
  [
    'conversion-webhook-install-modes',
    bundle({ spec: { installModes: [{ type: 'AllNamespaces', supported: true }, { type: 'OwnNamespace', supported: true }], webhookdefinitions: [webhook({ type: 'ConversionWebhook', generateName: 'cwidget', conversionCRDs: ['widgets.example.com'] })] } }),
    ['conversion-webhook-install-modes'],
    /conversion webhook "cwidget" and supports install modes \[AllNamespaces OwnNamespace\]/,
  ],
  ['webhook-deployment-missing', bundle({ spec: { webhookdefinitions: [webhook({ deploymentName: 'gone' })] } }), ['webhook-deployment-missing'], /references non-existent deployment 'gone'/],
  ['webhook-duplicate', bundle({ spec: { webhookdefinitions: [webhook({}), webhook({})] } }), ['webhook-duplicate'], /duplicate webhook 'vwidget.example.com' of type 'ValidatingAdmissionWebhook'/],
  ['webhook-name-invalid', bundle({ spec: { webhookdefinitions: [webhook({ generateName: 'V_Widget' })] } }), ['webhook-name-invalid'], /has invalid name 'V_Widget'/],
  [
    'conversion-webhook-crd-shared',
    bundle({ spec: { webhookdefinitions: [webhook({ type: 'ConversionWebhook', generateName: 'a', conversionCRDs: ['widgets.example.com'] }), webhook({ type: 'ConversionWebhook', generateName: 'b', conversionCRDs: ['widgets.example.com'] })] } }),
    ['conversion-webhook-crd-shared'],
    /conversion webhooks \[a,b\] reference same custom resource definition 'widgets.example.com'/,
  ],
  ['conversion-webhook-crd-not-owned', bundle({ spec: { webhookdefinitions: [webhook({ type: 'ConversionWebhook', generateName: 'a', conversionCRDs: ['gadgets.example.com'] })] } }), ['conversion-webhook-crd-not-owned'], /references custom resource definition 'gadgets.example.com' not owned bundle/],
  ['webhook-rule-forbidden/all groups', bundle({ spec: { webhookdefinitions: [webhook({ rules: [{ apiGroups: ['*'], resources: ['pods'] }] })] } }), ['webhook-rule-forbidden'], /cannot reference API group "\*"/],
  ['webhook-rule-forbidden/olm group', bundle({ spec: { webhookdefinitions: [webhook({ rules: [{ apiGroups: ['olm.operatorframework.io'], resources: ['clusterextensions'] }] })] } }), ['webhook-rule-forbidden'], /API group "olm.operatorframework.io"/],
  [
    'webhook-rule-forbidden/webhook configurations',
    bundle({ spec: { webhookdefinitions: [webhook({ rules: [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['ValidatingWebhookConfigurations'] }] })] } }),
    ['webhook-rule-forbidden'],
    /cannot reference resource "ValidatingWebhookConfigurations" for API group "admissionregistration.k8s.io"/,
  ],
  [
    'object-unsupported',
    bundle({ objects: [crd('widgets.example.com'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'extra' } }] }),
    ['object-unsupported'],
    /^unsupported resource "extra" with kind "Deployment"$/,
    'manifests/o1.yaml:1',
  ],
];

for (const [name, content, codes, message, origin] of cases) {
  test(`validate-bundle/${name}`, () => {
    const issues = validateBundle(content);
    assert.deepEqual(issues.map((i) => i.code), codes);
    if (message) assert.match(issues[0]!.message, message);
    if (codes.length > 0) assert.equal(issues[0]!.origin, origin ?? 'manifests/csv.yaml:1');
  });
}
