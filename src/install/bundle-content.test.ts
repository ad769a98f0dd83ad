import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import type { Bundle } from '../catalog/fbc/types.js';
import { bundleContentFromCatalog, readBundleContent } from './bundle-content.js';

const ANNOTATIONS = 'annotations:\n  operators.operatorframework.io.bundle.package.v1: demo\n  operators.operatorframework.io.bundle.channels.v1: stable\n';
const CSV = 'apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata:\n  name: demo.v1.0.0\n  annotations:\n    olm.properties: \'[{"type":"a","value":1}]\'\nspec:\n  version: 1.0.0\n';
const CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n';
const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: metrics\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';

async function errorOf(files: Record<string, string>): Promise<{ code: string; message: string }> {
  try {
    await readBundleContent(createMemoryTree(files));
  } catch (err) {
    if (isGantryError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

test('bundle-content/dir: package, CSV apart from the other objects, origins with lines', async () => {
  const c = await readBundleContent(createMemoryTree({ 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/a.crd.yaml': CRD, 'manifests/b.csv.yaml': CSV, 'manifests/c.svc.yaml': SVC }));
  assert.equal(c.package, 'demo');
  assert.equal(c.csv.metadata.name, 'demo.v1.0.0');
  assert.equal(c.csvOrigin, 'manifests/b.csv.yaml:1');
  assert.deepEqual(c.objects.map((o) => o.kind), ['CustomResourceDefinition', 'Service']);
  assert.deepEqual(c.origins, ['manifests/a.crd.yaml:1', 'manifests/c.svc.yaml:1']);
  assert.equal(c.annotations['operators.operatorframework.io.bundle.channels.v1'], 'stable');
});

test('bundle-content/dir: a multi-document file gives every object (OLM v1 streams the file, opm reads one)', async () => {
  const c = await readBundleContent(createMemoryTree({ 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/all.yaml': `${CSV}---\n${SVC}---\n# nothing\n---\n${CM}` }));
  assert.deepEqual(c.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['Service/metrics', 'ConfigMap/settings']);
  assert.deepEqual(c.origins, ['manifests/all.yaml:10', 'manifests/all.yaml:17']);
});

test('bundle-content/dir: the manifests directory is the one the annotation names', async () => {
  const ann = `${ANNOTATIONS}  operators.operatorframework.io.bundle.manifests.v1: deploy/\n`;
  const c = await readBundleContent(createMemoryTree({ 'metadata/annotations.yaml': ann, 'deploy/csv.yaml': CSV, 'manifests/ignored.yaml': 'not: [valid' }));
  assert.equal(c.csvOrigin, 'deploy/csv.yaml:1');
});

test('bundle-content/dir: metadata/properties.yaml is appended to the CSV olm.properties', async () => {
  const c = await readBundleContent(createMemoryTree({ 'metadata/annotations.yaml': ANNOTATIONS, 'metadata/properties.yaml': 'properties:\n- type: b\n  value: {x: "<y>"}\n', 'manifests/csv.yaml': CSV }));
  assert.equal(c.csv.metadata.annotations?.['olm.properties'], '[{"type":"a","value":1},{"type":"b","value":{"x":"\\u003cy\\u003e"}}]');
});

const errorCases: [string, Record<string, string>, RegExp][] = [
  ['error/no annotations file', { 'manifests/csv.yaml': CSV }, /^metadata\/annotations\.yaml not found$/],
  ['error/no manifests dir', { 'metadata/annotations.yaml': ANNOTATIONS }, /^no manifests found in manifests\/$/],
  ['error/broken YAML names file:line', { 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/csv.yaml': CSV, 'manifests/x.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n' }, /^manifests\/x\.yaml:\d+: yaml: /],
  ['error/second document without kind', { 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/csv.yaml': `${CSV}---\napiVersion: v1\nmetadata:\n  name: x\n` }, /^manifests\/csv\.yaml:10: Object 'Kind' is missing$/],
  ['error/no apiVersion', { 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/csv.yaml': CSV, 'manifests/r.yaml': '---\nkind: ClusterRole\nmetadata:\n  name: r\n' }, /^manifests\/r\.yaml:2: Object 'apiVersion' is missing$/],
  ['error/no CSV', { 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/svc.yaml': SVC }, /^no ClusterServiceVersion found in manifests\/$/],
  ['error/subdirectory', { 'metadata/annotations.yaml': ANNOTATIONS, 'manifests/csv.yaml': CSV, 'manifests/extra/svc.yaml': SVC }, /subdirectories are not allowed .* found "manifests\/extra"/],
];

for (const [name, files, want] of errorCases) {
  test(`bundle-content/${name}`, async () => {
    const e = await errorOf(files);
    assert.equal(e.code, 'MANIFEST_INVALID');
    assert.match(e.message, want);
  });
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

test('bundle-content/catalog: olm.bundle.object properties decode into the content', () => {
  const bundle: Bundle = {
    schema: 'olm.bundle',
    name: 'demo.v1.0.0',
    package: 'demo',
    image: 'example.com/demo@sha256:00',
    properties: [
      { type: 'olm.package', value: { packageName: 'demo', version: '1.0.0' } },
      { type: 'olm.bundle.object', value: { data: b64({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics' } }) } },
      { type: 'olm.bundle.object', value: { data: b64({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'demo.v1.0.0' } }) } },
    ],
  };
  const c = bundleContentFromCatalog(bundle, 'catalog c bundle demo.v1.0.0');
  assert.ok(c);
  assert.equal(c.package, 'demo');
  assert.equal(c.csvOrigin, 'catalog c bundle demo.v1.0.0 property 2');
  assert.deepEqual(c.objects.map((o) => o.kind), ['Service']);
  assert.deepEqual(c.annotations, {});
});

test('bundle-content/catalog: only olm.csv.metadata → null (read the bundle image)', () => {
  const bundle: Bundle = { schema: 'olm.bundle', name: 'b', package: 'p', image: 'i', properties: [{ type: 'olm.csv.metadata', value: { displayName: 'x' } }] };
  assert.equal(bundleContentFromCatalog(bundle), null);
});

test('bundle-content/catalog: undecodable data names the property', () => {
  const bundle: Bundle = { schema: 'olm.bundle', name: 'b', package: 'p', image: 'i', properties: [{ type: 'olm.bundle.object', value: { data: '!!!' } }] };
  assert.throws(() => bundleContentFromCatalog(bundle), (e: unknown) => isGantryError(e) && e.code === 'MANIFEST_INVALID' && /^bundle b property 0: /.test(e.message));
});
