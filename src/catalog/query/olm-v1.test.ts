import { test } from 'node:test';
import assert from 'node:assert/strict';
import { olmV1Problems } from './olm-v1.js';

const cases: [name: string, bundle: Parameters<typeof olmV1Problems>[0], expected: string[] | null][] = [
  ['ok/AllNamespaces, no webhooks', { installModes: ['AllNamespaces', 'OwnNamespace'], webhookTypes: [], dependencies: [] }, []],
  ['ok/admission webhooks are allowed', { installModes: ['AllNamespaces', 'OwnNamespace'], webhookTypes: ['ValidatingAdmissionWebhook'], dependencies: [] }, []],
  ['ok/a conversion webhook with AllNamespaces alone', { installModes: ['AllNamespaces'], webhookTypes: ['ConversionWebhook'], dependencies: [] }, []],
  ['ok/AllNamespaces alone needs no webhook facts', { installModes: ['AllNamespaces'], webhookTypes: null, dependencies: [] }, []],
  ['refused/no AllNamespaces', { installModes: ['OwnNamespace'], webhookTypes: null, dependencies: [] }, ['does not support the AllNamespaces install mode']],
  ['refused/a conversion webhook with more modes', { installModes: ['AllNamespaces', 'OwnNamespace'], webhookTypes: ['ConversionWebhook'], dependencies: [] }, ['has a conversion webhook but supports install modes besides AllNamespaces']],
  ['refused/dependencies, whatever else is unknown', { installModes: null, webhookTypes: null, dependencies: ['olm.gvk.required', 'olm.package.required'] }, [
    'declares a dependency (olm.gvk.required), which OLM v1 does not support',
    'declares a dependency (olm.package.required), which OLM v1 does not support',
  ]],
  ['unknown/no install modes', { installModes: null, webhookTypes: [], dependencies: [] }, null],
  ['unknown/more modes, webhooks unknown', { installModes: ['AllNamespaces', 'OwnNamespace'], webhookTypes: null, dependencies: [] }, null],
];

for (const [name, bundle, expected] of cases) {
  test(`olm-v1/${name}`, () => assert.deepEqual(olmV1Problems(bundle), expected));
}
