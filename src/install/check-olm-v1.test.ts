import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOlmV1Install, type OlmV1CheckInput } from './check-olm-v1.js';
import { parseOlmVersion } from './olm-versions.js';

const ALL_OWN = ['AllNamespaces', 'OwnNamespace'];
const csvMeta = (modes: string[], extra: Record<string, unknown> = {}) => ({ type: 'olm.csv.metadata', value: { installModes: ['AllNamespaces', 'OwnNamespace', 'SingleNamespace', 'MultiNamespace'].map((type) => ({ type, supported: modes.includes(type) })), ...extra } });

type Case = [name: string, input: Omit<OlmV1CheckInput, 'olmVersion' | 'bundle'> & { version?: string }, installable: boolean | null, codes: string[], message?: RegExp];

const cases: Case[] = [
  ['ok/AllNamespaces, no webhooks', { installModes: ALL_OWN, webhookTypes: [] }, true, []],
  ['ok/install modes read from olm.csv.metadata', { properties: [csvMeta(['AllNamespaces'])], webhookTypes: [] }, true, []],
  ['ok/admission webhooks where webhooks are on (1.6+)', { version: '1.6', installModes: ALL_OWN, webhookTypes: ['ValidatingAdmissionWebhook'] }, true, []],
  ['ok/a conversion webhook with AllNamespaces alone', { installModes: ['AllNamespaces'], webhookTypes: ['ConversionWebhook'] }, true, []],
  ['ok/AllNamespaces alone needs no webhook facts when webhooks are on', { installModes: ['AllNamespaces'], webhookTypes: null }, true, []],
  ['ok/1.5 had no conversion-webhook rule (its gates on)', { version: '1.5', installModes: ALL_OWN, webhookTypes: ['ConversionWebhook'], featureGates: ['WebhookProviderCertManager'] }, true, []],
  ['ok/single namespace with the gate on by default (1.8)', { version: '1.8', installModes: ['SingleNamespace'], webhookTypes: [], watchNamespace: 'w', installNamespace: 'i' }, true, []],
  ['ok/own namespace with the alpha gate turned on', { installModes: ['OwnNamespace'], webhookTypes: [], watchNamespace: 'i', installNamespace: 'i', featureGates: ['SingleOwnNamespaceInstallSupport'] }, true, []],
  ['ok/OwnNamespace-only defaults to its install namespace when the gate is on', { version: '1.8', installModes: ['OwnNamespace'], webhookTypes: [] }, true, []],
  ['ok/validator warnings absent', { installModes: ALL_OWN, webhookTypes: [], validatorIssues: [] }, true, []],

  ['refused/dependency, in operator-controller words', { properties: [csvMeta(['AllNamespaces']), { type: 'olm.gvk.required', value: {} }], webhookTypes: [] }, false, ['DEPENDENCY_UNSUPPORTED'], /^bundle "b\.v1" has a dependency declared via property "olm\.gvk\.required" which is currently not supported$/],
  ['refused/every dependency type once, whatever else is unknown', { properties: [{ type: 'olm.package.required', value: {} }, { type: 'olm.constraint', value: {} }, { type: 'olm.package.required', value: {} }], installModes: null, webhookTypes: null }, false, ['DEPENDENCY_UNSUPPORTED', 'DEPENDENCY_UNSUPPORTED']],
  ['refused/no AllNamespaces, no watch namespace', { installModes: ['OwnNamespace', 'SingleNamespace'], webhookTypes: [] }, false, ['INSTALL_MODE_UNSUPPORTED'], /^supported install modes \[OwnNamespace SingleNamespace\] do not support targeting all namespaces$/],
  ['refused/SingleNamespace-only needs a watch namespace where the gate is on', { version: '1.8', installModes: ['SingleNamespace'], webhookTypes: [] }, false, ['INSTALL_MODE_UNSUPPORTED'], /^exactly one target namespace must be specified$/],
  ['refused/watch namespace where the gate is alpha', { installModes: ['AllNamespaces', 'SingleNamespace'], webhookTypes: [], watchNamespace: 'w' }, false, ['WATCH_NAMESPACE_UNSUPPORTED'], /SingleOwnNamespaceInstallSupport feature gate is alpha/],
  ['refused/watch namespace before 1.2', { version: '1.1', installModes: ['SingleNamespace'], webhookTypes: [], watchNamespace: 'w' }, false, ['WATCH_NAMESPACE_UNSUPPORTED'], /no SingleNamespace\/OwnNamespace support/],
  ['refused/own namespace not supported', { version: '1.8', installModes: ['AllNamespaces', 'SingleNamespace'], webhookTypes: [], watchNamespace: 'i', installNamespace: 'i' }, false, ['INSTALL_MODE_UNSUPPORTED'], /do not support targeting own namespace$/],
  ['refused/single namespace not supported', { version: '1.8', installModes: ['AllNamespaces', 'OwnNamespace'], webhookTypes: [], watchNamespace: 'w', installNamespace: 'i' }, false, ['INSTALL_MODE_UNSUPPORTED'], /do not support targeting namespace "w"$/],
  ['refused/webhooks before webhook support (tech preview ocp-4.17)', { version: 'ocp-4.17', installModes: ALL_OWN, webhookTypes: ['MutatingAdmissionWebhook'] }, false, ['WEBHOOKS_UNSUPPORTED'], /^unsupported bundle: webhookDefinitions are not supported \(operator-controller 0\.12 has no webhook support\)$/],
  ['refused/webhooks where the gates are alpha (1.5)', { version: '1.5', installModes: ALL_OWN, webhookTypes: ['ValidatingAdmissionWebhook'] }, false, ['WEBHOOKS_UNSUPPORTED'], /feature gates are alpha/],
  ['refused/a conversion webhook with more modes (1.6+)', { version: '1.6', installModes: ALL_OWN, webhookTypes: ['ConversionWebhook'] }, false, ['CONVERSION_WEBHOOK_INSTALL_MODES'], /supports install modes \[AllNamespaces OwnNamespace\] - conversion webhooks are only supported/],
  ['refused/not registry+v1', { properties: [{ type: 'olm.bundle.mediatype', value: 'plain+v0' }], installModes: ['AllNamespaces'], webhookTypes: [] }, false, ['BUNDLE_FORMAT_UNSUPPORTED'], /media type "plain\+v0"/],
  ['refused/owned API services', { properties: [csvMeta(['AllNamespaces'], { apiServiceDefinitions: { owned: [{ name: 'x' }] } })], webhookTypes: [] }, false, ['API_SERVICE_UNSUPPORTED']],
  ['refused/validator issues pass through with their origin', { installModes: ['AllNamespaces'], webhookTypes: [], validatorIssues: [{ code: 'DUPLICATE_DEPLOYMENT', message: 'deployment "d" is defined twice', origin: 'manifests/csv.yaml' }] }, false, ['DUPLICATE_DEPLOYMENT'], /^manifests\/csv\.yaml: deployment "d" is defined twice$/],

  ['unknown/no install modes', { installModes: null, webhookTypes: [] }, null, []],
  ['unknown/more modes, webhooks unknown (conversion rule could apply)', { installModes: ALL_OWN, webhookTypes: null }, null, []],
  ['unknown/webhooks unknown where webhooks are refused', { version: 'ocp-4.16', installModes: ['AllNamespaces'], webhookTypes: null }, null, []],
  ['unknown/conversion webhook, install modes unknown', { installModes: null, webhookTypes: ['ConversionWebhook'] }, null, []],
];

for (const [name, { version, ...rest }, installable, codes, message] of cases) {
  test(`check-olm-v1/${name}`, () => {
    const r = checkOlmV1Install({ bundle: 'b.v1', olmVersion: parseOlmVersion(version ?? '1.10'), ...rest });
    assert.equal(r.installable, installable, JSON.stringify(r));
    assert.deepEqual(r.reasons.map((x) => x.code), codes);
    if (message) assert.ok(r.reasons.some((x) => message.test(x.message)), JSON.stringify(r.reasons));
  });
}

test('check-olm-v1/notes name what the target does differently', () => {
  const r11 = checkOlmV1Install({ bundle: 'b', olmVersion: parseOlmVersion('1.11'), installModes: ['AllNamespaces'], webhookTypes: ['ValidatingAdmissionWebhook'] });
  assert.ok(r11.notes.some((n) => /ignores spec\.serviceAccount/.test(n)));
  assert.ok(r11.notes.some((n) => /cert-manager/.test(n)));
  const tp = checkOlmV1Install({ bundle: 'b', olmVersion: parseOlmVersion('ocp-4.16'), installModes: ['AllNamespaces'], webhookTypes: [] });
  assert.ok(tp.notes.some((n) => /v1alpha1 \(Technology Preview\)/.test(n)));
  const ann = checkOlmV1Install({ bundle: 'b', olmVersion: parseOlmVersion('1.4'), installModes: ['SingleNamespace'], webhookTypes: [], watchNamespace: 'w', featureGates: ['SingleOwnNamespaceInstallSupport'] });
  assert.equal(ann.installable, true);
  assert.ok(ann.notes.some((n) => /olm\.operatorframework\.io\/watch-namespace/.test(n)));
});

test('check-olm-v1/unknown names what the bundle image could still tell, even when already refused', () => {
  const deps = [{ type: 'olm.constraint', value: {} }];
  const open = checkOlmV1Install({ bundle: 'b', olmVersion: parseOlmVersion('1.10'), properties: deps, installModes: null, webhookTypes: null });
  assert.deepEqual([open.installable, open.unknown], [false, ['installModes', 'webhooks']]);
  const settled = checkOlmV1Install({ bundle: 'b', olmVersion: parseOlmVersion('1.10'), properties: deps, installModes: ['AllNamespaces'], webhookTypes: null });
  assert.deepEqual(settled.unknown, [], 'AllNamespaces alone: no webhook could add a reason on 1.10');
});
