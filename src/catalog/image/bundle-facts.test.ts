import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from '../fbc/file-tree.js';
import { isGantryError } from '../../errors.js';
import { factsFromCsv, readBundleFacts } from './bundle-facts.js';

const csvYaml = `apiVersion: operators.coreos.com/v1alpha1
kind: ClusterServiceVersion
metadata:
  name: x.v1.0.0
spec:
  installModes:
  - {type: OwnNamespace, supported: true}
  - {type: AllNamespaces, supported: true}
  - {type: MultiNamespace, supported: false}
  webhookdefinitions:
  - {type: ValidatingAdmissionWebhook, generateName: v.x.io}
  - {type: ConversionWebhook, generateName: c.x.io}
`;

test('bundle-facts/supported install modes and webhook types, sorted', () => {
  assert.deepEqual(factsFromCsv({ spec: { installModes: [{ type: 'B', supported: true }, { type: 'A', supported: true }, { type: 'C', supported: false }] } }), { webhooks: [], installModes: ['A', 'B'] });
  assert.deepEqual(factsFromCsv({}), { webhooks: [], installModes: [] });
});

test('bundle-facts/the first CSV among top-level manifests, skipping what opm cannot decode', async () => {
  const tree = createMemoryTree({
    '0-broken.yaml': 'kind: [unclosed\n',
    'a-crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n',
    'nested/other.clusterserviceversion.yaml': csvYaml.replace('ValidatingAdmissionWebhook', 'Nested'),
    'x.clusterserviceversion.yaml': csvYaml,
  });
  assert.deepEqual(await readBundleFacts(tree, 'img'), { webhooks: ['ConversionWebhook', 'ValidatingAdmissionWebhook'], installModes: ['AllNamespaces', 'OwnNamespace'] });
  await assert.rejects(readBundleFacts(createMemoryTree({ 'a.yaml': 'kind: Service\n' }), 'quay.io/x@sha256:1'), (e: unknown) => isGantryError(e, 'CATALOG_INVALID') && /quay\.io\/x@sha256:1 has no ClusterServiceVersion/.test(e.message));
});
