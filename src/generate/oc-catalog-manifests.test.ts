// The oc adm catalog mirror manifests as text: sorted mapping lines without transports, an ICSP of digest-pulled
// repositories only, a grpc CatalogSource in openshift-marketplace; file:// destinations get mapping.txt alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference } from '../oci/reference.js';
import { formatOcMapping, generateOcCatalogSource, generateOcIcsp, indexName, ocCatalogManifestFiles } from './oc-catalog-manifests.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const byDigest = parseReference(`quay.io/org/op@${DIGEST}`);
const byTag = parseReference('quay.io/org/tagged:1');

test('oc manifests/mapping.txt: SRC=DST lines, sorted, no transports', () => {
  assert.equal(
    formatOcMapping([
      { source: byTag, dest: 'm.example/ns/org-tagged:1' },
      { source: byDigest, dest: 'm.example/ns/org-op:sha256-aa' },
    ]),
    `quay.io/org/op@${DIGEST}=m.example/ns/org-op:sha256-aa\nquay.io/org/tagged:1=m.example/ns/org-tagged:1\n`,
  );
});

test('oc manifests/ICSP: one entry per digest-pulled repository, tag-only references left out', () => {
  const yaml = generateOcIcsp('my-index', [
    { source: byDigest, dest: parseReference('m.example/ns/org-op:sha256-aa') },
    { source: byTag, dest: parseReference('m.example/ns/org-tagged:1') },
  ]);
  assert.equal(
    yaml,
    'apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata:\n  name: my-index\nspec:\n  repositoryDigestMirrors:\n  - mirrors:\n    - m.example/ns/org-op\n    source: quay.io/org/op\n',
  );
});

test('oc manifests/CatalogSource and the files for each kind of destination', () => {
  assert.equal(generateOcCatalogSource('idx', 'm.example/ns/idx:v1'), 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata:\n  name: idx\n  namespace: openshift-marketplace\nspec:\n  image: m.example/ns/idx:v1\n  sourceType: grpc\n');
  assert.equal(indexName(parseReference('quay.io/my/image:latest')), 'image');
  assert.deepEqual([...ocCatalogManifestFiles({ name: 'idx', mapping: [] }).keys()], ['mapping.txt']);
  assert.deepEqual([...ocCatalogManifestFiles({ name: 'idx', mapping: [], mirrored: { images: [], catalogImage: 'x' } }).keys()], ['mapping.txt', 'imageContentSourcePolicy.yaml', 'catalogSource.yaml']);
});
