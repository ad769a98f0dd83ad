import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { DEFAULT_OLM_VERSION, knownOlmVersions, parseOlmVersion } from './olm-versions.js';

const parsed: [name: string, value: string, expected: Partial<ReturnType<typeof parseOlmVersion>>][] = [
  ['parse/minor', '1.10', { name: '1.10', operatorController: '1.10', serviceAccount: 'required', rbacPreflight: 'alpha' }],
  ['parse/tag with patch', 'v1.4.0', { name: '1.4', webhooks: 'alpha', watchNamespaceVia: 'annotation' }],
  ['parse/openshift tech preview', 'ocp-4.17', { name: 'ocp-4.17', operatorController: '0.12', api: 'v1alpha1', webhooks: 'none', singleOwnNamespace: 'none' }],
  ['parse/openshift GA', 'ocp-4.18', { operatorController: '1.0', api: 'v1', webhooks: 'none' }],
  ['parse/openshift webhooks GA', 'OCP-4.21', { name: 'ocp-4.21', operatorController: '1.7', webhooks: 'default', conversionWebhookRule: true }],
  ['parse/openshift 4.19 has the pre-flight that upstream 1.2 lacks', 'ocp-4.19', { operatorController: '1.2', rbacPreflight: 'alpha', webhooks: 'none' }],
  ['parse/openshift keeps single-namespace alpha where upstream had it on', 'ocp-4.22', { operatorController: '1.8', singleOwnNamespace: 'alpha' }],
  ['boundary/1.5 webhooks alpha', '1.5', { webhooks: 'alpha', conversionWebhookRule: false }],
  ['boundary/1.6 webhooks on, watchNamespace in config', '1.6', { webhooks: 'default', watchNamespaceVia: 'config' }],
  ['boundary/1.8 single namespace on', '1.8', { singleOwnNamespace: 'default' }],
  ['boundary/1.9 single namespace alpha again', '1.9', { singleOwnNamespace: 'alpha' }],
  ['boundary/1.1 no single namespace', '1.1', { singleOwnNamespace: 'none', rbacPreflight: 'none' }],
  ['boundary/1.2 single namespace alpha, no pre-flight yet', '1.2', { singleOwnNamespace: 'alpha', rbacPreflight: 'none' }],
  ['boundary/1.3 pre-flight', '1.3', { rbacPreflight: 'alpha' }],
  ['boundary/1.11 service account ignored, no pre-flight', '1.11', { serviceAccount: 'ignored', rbacPreflight: 'none' }],
];

for (const [name, value, expected] of parsed) {
  test(`olm-versions/${name}`, () => {
    const t = parseOlmVersion(value);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(t[k as keyof typeof t], v, k);
  });
}

for (const bad of ['1.12', '2', 'ocp-4.15', 'latest', '']) {
  test(`olm-versions/usage error for "${bad}" lists the known values`, () => {
    assert.throws(() => parseOlmVersion(bad), (e: unknown) => isGantryError(e, 'USAGE') && /1\.10, 1\.11, ocp-4\.16/.test(e.hint ?? '') && e.message.includes(`"${bad}"`));
  });
}

test('olm-versions/the default is the newest release that still installs as the service account', () => {
  const d = parseOlmVersion(DEFAULT_OLM_VERSION);
  assert.equal(d.serviceAccount, 'required');
  const rank = (v: string) => v.split('.').reduce((n, x) => n * 1000 + Number(x), 0);
  const newer = knownOlmVersions().filter((n) => !n.startsWith('ocp-')).map(parseOlmVersion).filter((t) => rank(t.operatorController) > rank(d.operatorController));
  assert.ok(newer.length > 0 && newer.every((t) => t.serviceAccount === 'ignored'));
});
