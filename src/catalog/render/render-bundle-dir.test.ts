import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsyaml from 'js-yaml';
import { isGantryError } from '../../errors.js';
import { createMemoryTree } from '../fbc/file-tree.js';
import { renderBundleDir, renderBundleDirDetailed, type RenderBundleDirOptions } from './render-bundle-dir.js';

type Obj = Record<string, unknown>;

const csv = (spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'ClusterServiceVersion',
  metadata: { name: 'foo.v1.0.0', ...metadata },
  spec: {
    version: '1.0.0',
    displayName: 'Foo',
    customresourcedefinitions: { owned: [{ name: 'foos.test.io', version: 'v1', kind: 'Foo' }] },
    install: {
      strategy: 'deployment',
      spec: { deployments: [{ name: 'op', spec: { template: { spec: { containers: [{ name: 'm', image: 'quay.io/foo/op:v1' }] } } } }] },
    },
    ...spec,
  },
});

const crd = (versions: string[], over: Obj = {}): Obj => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'foos.test.io' },
  spec: { group: 'test.io', names: { kind: 'Foo', plural: 'foos' }, versions: versions.map((name) => ({ name, served: true, storage: true })) },
  ...over,
});

const annotations = (pkg = 'foo', channels = 'stable,fast', def = 'stable'): Obj => ({
  annotations: {
    'operators.operatorframework.io.bundle.mediatype.v1': 'registry+v1',
    'operators.operatorframework.io.bundle.package.v1': pkg,
    'operators.operatorframework.io.bundle.channels.v1': channels,
    'operators.operatorframework.io.bundle.channel.default.v1': def,
  },
});

const yaml = (o: unknown): string => jsyaml.dump(o, { lineWidth: -1 });

/** A bundle directory: the standard three files, overridden or extended by `files` (objects become YAML). */
function bundleTree(files: Record<string, Obj | string | undefined> = {}) {
  const all: Record<string, Obj | string | undefined> = {
    'manifests/foo.clusterserviceversion.yaml': csv(),
    'manifests/foos.test.io.crd.yaml': crd(['v1']),
    'metadata/annotations.yaml': annotations(),
    ...files,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined) out[k] = typeof v === 'string' ? v : yaml(v);
  return createMemoryTree(out);
}

const render = (files: Record<string, Obj | string | undefined> = {}, opts: RenderBundleDirOptions = {}) => renderBundleDir(bundleTree(files), opts);
const summary = (props: { type: string; value: unknown }[]) => props.map((p) => (p.type === 'olm.bundle.object' ? p.type : `${p.type} ${JSON.stringify(p.value)}`));
const decodeObject = (p: { value: unknown }) => Buffer.from((p.value as { data: string }).data, 'base64').toString('utf8');

async function assertInvalid(p: Promise<unknown>, match: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isGantryError(err, 'MANIFEST_INVALID'), String(err));
    assert.match(err.message, match);
    return true;
  });
}

test('render/minimal bundle: identity, olm.package, a gvk per CRD version, manifests inlined last', async () => {
  const b = await render({ 'manifests/foos.test.io.crd.yaml': crd(['v1', 'v1alpha1']) });
  assert.equal(b.schema, 'olm.bundle');
  assert.equal(b.name, 'foo.v1.0.0');
  assert.equal(b.package, 'foo');
  assert.equal(b.image, '', 'opm leaves a directory bundle without an image');
  assert.deepEqual(summary(b.properties), [
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1alpha1"}',
    'olm.package {"packageName":"foo","version":"1.0.0"}',
    'olm.bundle.object',
    'olm.bundle.object',
  ]);
  assert.ok(b.properties.every((p) => p.ordered === true));
  assert.equal(b.properties[2]!.valueText, '{"packageName":"foo","version":"1.0.0"}');
  // Objects are sorted by their value text, i.e. by base64 of the JSON: here the CRD before the CSV.
  assert.deepEqual(b.properties.slice(3).map((p) => JSON.parse(decodeObject(p)).kind), ['CustomResourceDefinition', 'ClusterServiceVersion']);
  assert.deepEqual(b.relatedImages, [{ name: '', image: 'quay.io/foo/op:v1' }]);
});

test('render/bundle objects are json.Marshal of the manifest: keys sorted, <>& escaped, no newline', async () => {
  const b = await render({ 'manifests/foo.clusterserviceversion.yaml': csv({}, { annotations: { 'olm.skipRange': '<1.0.0', b: 'x&y' } }) });
  const text = decodeObject(b.properties.find((p) => p.type === 'olm.bundle.object' && decodeObject(p).includes('ClusterService'))!);
  assert.ok(text.startsWith('{"apiVersion":"operators.coreos.com/v1alpha1","kind":"ClusterServiceVersion","metadata":{"annotations":{"b":"x\\u0026y","olm.skipRange":"\\u003c1.0.0"}'), text.slice(0, 160));
  assert.ok(!text.endsWith('\n'));
});

test('render/v1beta1 CRD: spec.version and spec.versions both provide', async () => {
  const legacy = crd([], { apiVersion: 'apiextensions.k8s.io/v1beta1' });
  (legacy.spec as Obj).version = 'v1';
  (legacy.spec as Obj).versions = [{ name: 'v1' }, { name: 'v2' }];
  const b = await render({ 'manifests/foos.test.io.crd.yaml': legacy });
  assert.deepEqual(
    b.properties.filter((p) => p.type === 'olm.gvk').map((p) => (p.value as Obj).version),
    ['v1', 'v2'],
  );
});

test('render/CSV APIs: owned APIServices provide, required CRDs and APIServices require', async () => {
  const b = await render({
    'manifests/foo.clusterserviceversion.yaml': csv({
      apiservicedefinitions: {
        owned: [{ group: 'metrics.io', version: 'v1beta1', kind: 'Metric', name: 'metrics' }],
        required: [{ group: 'agg.io', version: 'v1', kind: 'Agg', name: 'aggs' }],
      },
      customresourcedefinitions: {
        owned: [{ name: 'foos.test.io', version: 'v1', kind: 'Foo' }],
        required: [{ name: 'bars.other.io', version: 'v2', kind: 'Bar' }],
      },
    }),
  });
  assert.deepEqual(summary(b.properties).filter((s) => s.startsWith('olm.gvk')), [
    'olm.gvk {"group":"metrics.io","kind":"Metric","version":"v1beta1"}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}',
    'olm.gvk.required {"group":"agg.io","kind":"Agg","version":"v1"}',
    'olm.gvk.required {"group":"other.io","kind":"Bar","version":"v2"}',
  ]);
});

test('render/dependencies.yaml: gvk → olm.gvk.required, package → olm.package.required, others as they are', async () => {
  const b = await render({
    'metadata/dependencies.yaml': {
      dependencies: [
        { type: 'olm.package', value: { packageName: 'bar', version: '<0.1.0' } },
        { type: 'olm.gvk', value: { group: 'bar.io', version: 'v1', kind: 'Bar' } },
        { type: 'olm.constraint', value: { failureMessage: 'needs <baz>', cel: { rule: 'properties.exists(p, p.type == "x")' } } },
        { type: 'olm.label', value: { label: 'l1' } },
      ],
    },
  });
  assert.deepEqual(summary(b.properties).slice(0, -2), [
    'olm.constraint {"cel":{"rule":"properties.exists(p, p.type == \\"x\\")"},"failureMessage":"needs <baz>"}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}',
    'olm.gvk.required {"group":"bar.io","kind":"Bar","version":"v1"}',
    'olm.label {"label":"l1"}',
    'olm.package {"packageName":"foo","version":"1.0.0"}',
    'olm.package.required {"packageName":"bar","versionRange":"<0.1.0"}',
  ]);
  // Passed-through values keep the bytes sigs.k8s.io/yaml made (json.Marshal: sorted, HTML-escaped);
  // values opm builds itself are encoded without HTML escaping.
  const constraint = b.properties.find((p) => p.type === 'olm.constraint')!;
  assert.equal(constraint.valueText, '{"cel":{"rule":"properties.exists(p, p.type == \\"x\\")"},"failureMessage":"needs \\u003cbaz\\u003e"}');
  assert.deepEqual(Object.keys(constraint.value as Obj), ['cel', 'failureMessage']);
  assert.equal(b.properties.find((p) => p.type === 'olm.package.required')!.valueText, '{"packageName":"bar","versionRange":"<0.1.0"}');
});

test('render/properties.yaml: passed through; its olm.gvk joins the set; the annotation package wins over its olm.package', async () => {
  const b = await render({
    'metadata/properties.yaml': {
      properties: [
        { type: 'olm.maxOpenShiftVersion', value: '4.14' },
        { type: 'olm.gvk', value: { version: 'v1', kind: 'Foo', group: 'test.io' } },
        { type: 'olm.package', value: { packageName: 'other', version: '9.9.9' } },
        { type: 'custom.thing', value: { z: 1, a: [true, null] } },
        { type: 'custom.thing', value: { z: 1, a: [true, null] } },
      ],
    },
  });
  assert.deepEqual(summary(b.properties).slice(0, -2), [
    'custom.thing {"a":[true,null],"z":1}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}',
    'olm.maxOpenShiftVersion "4.14"',
    'olm.package {"packageName":"foo","version":"1.0.0"}',
  ]);
});

test('render/CSV olm.properties annotation: raw values kept, a listed olm.package wins (it comes last)', async () => {
  const props = '[{"type": "olm.maxOpenShiftVersion", "value": "4.8"}, {"type":"olm.label","value":{"label": "x", "a": 1}}, {"type":"olm.package","value":{"packageName":"foo","version":"2.0.0"}}]';
  const r = await renderBundleDirDetailed(bundleTree({ 'manifests/foo.clusterserviceversion.yaml': csv({}, { annotations: { 'olm.properties': props } }) }));
  const b = r.bundle;
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(summary(b.properties).slice(0, -2), [
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}',
    'olm.label {"label":"x","a":1}',
    'olm.maxOpenShiftVersion "4.8"',
    'olm.package {"packageName":"foo","version":"2.0.0"}',
  ]);
  assert.equal(b.properties.find((p) => p.type === 'olm.label')!.valueText, '{"label": "x", "a": 1}');
});

test('render/CSV olm.properties annotation that is not JSON: ignored with a warning, as opm logs and goes on', async () => {
  const r = await renderBundleDirDetailed(bundleTree({ 'manifests/foo.clusterserviceversion.yaml': csv({}, { annotations: { 'olm.properties': '[{"type":' } }) }));
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!.message, /olm\.properties/);
  assert.deepEqual(summary(r.bundle.properties).slice(0, 2), ['olm.gvk {"group":"test.io","kind":"Foo","version":"v1"}', 'olm.package {"packageName":"foo","version":"1.0.0"}']);
});

test('render/property order: type, then value text byte-wise; objects and csv metadata after everything', async () => {
  const b = await render({
    'manifests/foos.test.io.crd.yaml': crd(['v2', 'v10', 'V1']),
    'manifests/foo.clusterserviceversion.yaml': csv({ customresourcedefinitions: { owned: [{ name: 'foos.test.io', version: 'v2', kind: 'Foo' }] } }),
    'metadata/properties.yaml': { properties: [{ type: 'a.first', value: 1 }, { type: 'zz.last', value: 'Z' }, { type: 'zz.last', value: 'A' }] },
  });
  assert.deepEqual(summary(b.properties), [
    'a.first 1',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"V1"}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v10"}',
    'olm.gvk {"group":"test.io","kind":"Foo","version":"v2"}',
    'olm.package {"packageName":"foo","version":"1.0.0"}',
    'zz.last "A"',
    'zz.last "Z"',
    'olm.bundle.object',
    'olm.bundle.object',
  ]);
});

test('render/related images: CSV list as is, bundle image when unlisted, unlisted operator images, sorted by image', async () => {
  const deployments = [
    { name: 'a', spec: { template: { spec: { containers: [{ image: 'quay.io/foo/op:v1' }, { name: 'no-image' }], initContainers: [{ image: 'quay.io/foo/init:v1' }] } } } },
    { name: 'b', spec: { template: { spec: { containers: [{ image: 'quay.io/foo/z:v1' }] } } } },
  ];
  const b = await render(
    {
      'manifests/foo.clusterserviceversion.yaml': csv({
        install: { strategy: 'deployment', spec: { deployments } },
        relatedImages: [
          { name: 'operator', image: 'quay.io/foo/op:v1' },
          { name: 'dup', image: 'quay.io/foo/x:v1' },
          { name: 'dup-again', image: 'quay.io/foo/x:v1' },
        ],
      }),
    },
    { image: 'quay.io/foo/bundle:v1' },
  );
  assert.equal(b.image, 'quay.io/foo/bundle:v1');
  assert.deepEqual(b.relatedImages, [
    { name: '', image: '' }, // a container without an image, as opm lists it
    { name: '', image: 'quay.io/foo/bundle:v1' },
    { name: '', image: 'quay.io/foo/init:v1' },
    { name: 'operator', image: 'quay.io/foo/op:v1' },
    { name: 'dup', image: 'quay.io/foo/x:v1' },
    { name: 'dup-again', image: 'quay.io/foo/x:v1' },
    { name: '', image: 'quay.io/foo/z:v1' },
  ]);
});

test('render/related images: only the "deployment" strategy contributes container images; a listed bundle image stays named', async () => {
  const b = await render(
    { 'manifests/foo.clusterserviceversion.yaml': csv({ install: { strategy: 'other', spec: {} }, relatedImages: [{ name: 'self', image: 'quay.io/foo/bundle:v1' }] }) },
    { image: 'quay.io/foo/bundle:v1' },
  );
  assert.deepEqual(b.relatedImages, [{ name: 'self', image: 'quay.io/foo/bundle:v1' }]);
});

test('render/migrate bundle-object-to-csv-metadata: the objects become one olm.csv.metadata in Go struct order', async () => {
  const spec: Obj = {
    description: 'Long <b>text</b>',
    keywords: ['a', 'b'],
    maintainers: [{ email: 'm@x.io', name: 'M' }],
    links: [{ url: 'https://x.io', name: 'Site' }],
    installModes: [{ supported: true, type: 'OwnNamespace' }, { type: 'AllNamespaces' }],
    maturity: 'alpha',
    minKubeVersion: '1.25.0',
    nativeAPIs: [{ kind: 'Pod', version: 'v1', group: '' }],
    customresourcedefinitions: {
      owned: [
        {
          kind: 'Foo',
          version: 'v1',
          name: 'foos.test.io',
          description: 'A foo',
          specDescriptors: [{ path: 'size', value: { z: 1, a: 2 }, 'x-descriptors': ['urn:a'] }],
          resources: [{ version: 'v1', kind: 'Pod', name: '' }],
        },
      ],
    },
    apiservicedefinitions: { owned: [{ name: 'metrics', group: 'metrics.io', version: 'v1', kind: 'Metric', containerPort: 8443, deploymentName: 'op' }] },
  };
  const r = await renderBundleDirDetailed(bundleTree({ 'manifests/foo.clusterserviceversion.yaml': csv(spec, { labels: { z: '1', a: '2' }, annotations: { 'olm.skipRange': '<1.0.0' } }) }), {
    image: 'quay.io/foo/bundle:v1',
    migrateLevel: 'bundle-object-to-csv-metadata',
  });
  const types = r.bundle.properties.map((p) => p.type);
  assert.deepEqual(types, ['olm.gvk', 'olm.gvk', 'olm.package', 'olm.csv.metadata']);
  const m = r.bundle.properties[3]!.value as Obj;
  assert.deepEqual(Object.keys(m), ['annotations', 'apiServiceDefinitions', 'crdDescriptions', 'description', 'displayName', 'installModes', 'keywords', 'labels', 'links', 'maintainers', 'maturity', 'minKubeVersion', 'nativeAPIs', 'provider']);
  assert.deepEqual(Object.keys(m.labels as Obj), ['a', 'z']);
  assert.deepEqual(m.installModes, [{ type: 'OwnNamespace', supported: true }, { type: 'AllNamespaces', supported: false }]);
  assert.deepEqual(Object.keys((m.installModes as Obj[])[0]!), ['type', 'supported']);
  assert.deepEqual(Object.keys((m.maintainers as Obj[])[0]!), ['name', 'email']);
  assert.deepEqual(Object.keys((m.links as Obj[])[0]!), ['name', 'url']);
  assert.deepEqual(Object.keys((m.nativeAPIs as Obj[])[0]!), ['group', 'version', 'kind']);
  assert.deepEqual(m.provider, {}, 'a struct: written even when empty');
  const owned = (m.crdDescriptions as { owned: Obj[] }).owned[0]!;
  assert.deepEqual(Object.keys(owned), ['name', 'version', 'kind', 'description', 'resources', 'specDescriptors']);
  assert.deepEqual(Object.keys((owned.resources as Obj[])[0]!), ['name', 'kind', 'version']);
  const desc = (owned.specDescriptors as Obj[])[0]!;
  assert.deepEqual(Object.keys(desc), ['path', 'x-descriptors', 'value']);
  assert.deepEqual(Object.keys(desc.value as Obj), ['a', 'z'], 'a RawMessage from json.Marshal: keys sorted');
  const apiSvc = (m.apiServiceDefinitions as { owned: Obj[] }).owned[0]!;
  assert.deepEqual(Object.keys(apiSvc), ['name', 'group', 'version', 'kind', 'deploymentName', 'containerPort']);
  assert.match(r.bundle.properties[3]!.valueText, /"description":"Long <b>text<\/b>"/, 'built without HTML escaping');
});

test('render/migrate without an image does nothing, as opm (its migration skips image-less bundles)', async () => {
  const b = await render({}, { migrateLevel: 'all' });
  assert.deepEqual(b.properties.map((p) => p.type), ['olm.gvk', 'olm.package', 'olm.bundle.object', 'olm.bundle.object']);
});

test('render/migrate leaves a bundle that already has olm.csv.metadata alone', async () => {
  const b = await render({ 'metadata/properties.yaml': { properties: [{ type: 'olm.csv.metadata', value: { displayName: 'Given' } }] } }, { image: 'quay.io/foo/b:1', migrateLevel: 'bundle-object-to-csv-metadata' });
  assert.deepEqual(b.properties.map((p) => p.type), ['olm.gvk', 'olm.package', 'olm.bundle.object', 'olm.bundle.object', 'olm.csv.metadata']);
  assert.deepEqual(b.properties[4]!.value, { displayName: 'Given' });
});

test('render/migrate fails where Go cannot decode the CSV: a version that is not semver', async () => {
  await assertInvalid(render({ 'manifests/foo.clusterserviceversion.yaml': csv({ version: 'one' }) }, { image: 'x/y:1', migrateLevel: 'all' }), /^migrate: /);
});

test('render/release: olm.package carries spec.release (numbers written as integers)', async () => {
  const a = await render({ 'manifests/foo.clusterserviceversion.yaml': csv({ release: 'rc.1' }) });
  assert.equal(a.properties.find((p) => p.type === 'olm.package')!.valueText, '{"packageName":"foo","version":"1.0.0","release":"rc.1"}');
  const b = await render({ 'manifests/foo.clusterserviceversion.yaml': csv({ release: 2 }) });
  assert.deepEqual(b.properties.find((p) => p.type === 'olm.package')!.value, { packageName: 'foo', version: '1.0.0', release: '2' });
});

test('render/graph fields, channels and default channel for a channel entry', async () => {
  const r = await renderBundleDirDetailed(
    bundleTree({
      'manifests/foo.clusterserviceversion.yaml': csv({ replaces: 'foo.v0.9.0', skips: ['foo.v0.9.1', 'foo.v0.9.2'] }, { annotations: { 'olm.skipRange': '>=0.5.0 <1.0.0', 'olm.substitutesFor': 'foo.v1.0.0-old' } }),
      'metadata/annotations.yaml': annotations('foo', 'stable, fast', 'stable'),
    }),
  );
  assert.deepEqual(r.graph, { name: 'foo.v1.0.0', replaces: 'foo.v0.9.0', skips: ['foo.v0.9.1', 'foo.v0.9.2'], skipRange: '>=0.5.0 <1.0.0' });
  assert.equal(r.substitutesFor, 'foo.v1.0.0-old');
  assert.deepEqual(r.channels, ['stable', ' fast'], 'split at "," without trimming, like opm');
  assert.equal(r.defaultChannel, 'stable');
  const plain = await renderBundleDirDetailed(bundleTree());
  assert.deepEqual(plain.graph, { name: 'foo.v1.0.0' });
});

test('render/JSON files: raw value bytes and key order kept from the file', async () => {
  const deps = '{\n  "dependencies": [\n    { "type": "olm.label", "value": { "z": "<", "a": 1 } },\n    { "type": "olm.package", "value": {"packageName": "bar", "version": ">=1.0.0"} }\n  ]\n}\n';
  const r = await renderBundleDirDetailed(
    bundleTree({
      'manifests/foo.clusterserviceversion.yaml': undefined,
      'manifests/foo.clusterserviceversion.json': JSON.stringify(csv(), null, 2),
      'metadata/dependencies.json': deps,
    }),
  );
  const label = r.bundle.properties.find((p) => p.type === 'olm.label')!;
  assert.equal(label.valueText, '{ "z": "<", "a": 1 }');
  assert.deepEqual(Object.keys(label.value as Obj), ['z', 'a']);
  assert.deepEqual(r.bundle.properties.find((p) => p.type === 'olm.package.required')!.value, { packageName: 'bar', versionRange: '>=1.0.0' });
  assert.equal(r.bundle.name, 'foo.v1.0.0');
});

test('render/YAML as go-yaml v2 reads it: merge keys, repeated keys (last wins), YAML 1.1 booleans', async () => {
  const text = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: foos.test.io',
    '  labels: {a: "1"}',
    '  labels: {b: "2"}',
    'spec:',
    '  group: test.io',
    '  names: {kind: Foo, plural: foos}',
    '  versions:',
    '  - &v {name: v1, served: yes, storage: on}',
    '  - !!merge <<: *v',
    '    name: v2',
    '',
  ].join('\n');
  const b = await render({ 'manifests/foos.test.io.crd.yaml': text });
  assert.deepEqual(b.properties.filter((p) => p.type === 'olm.gvk').map((p) => (p.value as Obj).version), ['v1', 'v2']);
  const obj = JSON.parse(decodeObject(b.properties.find((p) => p.type === 'olm.bundle.object' && decodeObject(p).includes('CustomResourceDefinition'))!));
  assert.deepEqual(obj.metadata.labels, { b: '2' });
  assert.deepEqual(obj.spec.versions[1], { name: 'v2', served: true, storage: true });
});

test('render/a manifest file is read up to its first document; a comment-only preamble is that document', async () => {
  const service = (name: string) => yaml({ apiVersion: 'v1', kind: 'Service', metadata: { name } });
  const r = await renderBundleDirDetailed(
    bundleTree({
      'manifests/two.yaml': `${service('first')}---\n${service('second')}`,
      'manifests/preamble.yaml': `# Copyright header\n---\n${service('hidden')}`,
    }),
  );
  const names = r.bundle.properties.filter((p) => p.type === 'olm.bundle.object').map((p) => JSON.parse(decodeObject(p)).metadata.name);
  assert.deepEqual(names.sort(), ['first', 'foo.v1.0.0', 'foos.test.io']);
  assert.deepEqual(
    r.warnings.map((w) => `${w.file}:${w.line}`),
    ['manifests/preamble.yaml:1', 'manifests/two.yaml:1'],
  );
  assert.match(r.warnings[0]!.message, /Kind' is missing/);
  assert.match(r.warnings[1]!.message, /first document/);
});

test('render/what opm skips: undecodable files, a second CSV, nested and dot files (warnings; strict makes them errors)', async () => {
  const files = {
    'manifests/broken.yaml': 'kind: Service\nmetadata:\n  name: [unclosed\n',
    'manifests/zz-second.clusterserviceversion.yaml': csv({}, { name: 'foo.v2.0.0' }),
    'manifests/nested/thing.yaml': yaml({ apiVersion: 'v1', kind: 'ConfigMap' }),
    'manifests/.hidden.yaml': 'not: [valid',
  };
  const r = await renderBundleDirDetailed(bundleTree(files));
  assert.equal(r.bundle.name, 'foo.v1.0.0', 'the first CSV is kept');
  assert.equal(r.bundle.properties.filter((p) => p.type === 'olm.bundle.object').length, 2);
  assert.deepEqual(
    r.warnings.map((w) => `${w.file}${w.line === undefined ? '' : `:${w.line}`}`),
    ['manifests/nested/thing.yaml', 'manifests/broken.yaml:4', 'manifests/zz-second.clusterserviceversion.yaml:1'],
  );
  await assertInvalid(renderBundleDir(bundleTree({ 'manifests/broken.yaml': files['manifests/broken.yaml'] }), { strict: true }), /^manifests\/broken\.yaml:4: skipped, opm cannot decode it: yaml: /);
  await assertInvalid(renderBundleDir(bundleTree({ 'manifests/zz-second.clusterserviceversion.yaml': files['manifests/zz-second.clusterserviceversion.yaml'] }), { strict: true }), /second ClusterServiceVersion/);
});

test('render/a metadata file that does not decode is skipped, so its dependencies are lost (as in opm)', async () => {
  const r = await renderBundleDirDetailed(bundleTree({ 'metadata/dependencies.yaml': 'dependencies:\n  - type: olm.gvk\n      value: {}\n' }));
  assert.ok(!r.bundle.properties.some((p) => p.type === 'olm.gvk.required'));
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0]!.file, 'metadata/dependencies.yaml');
  assert.equal(r.warnings[0]!.line, 3);
});

const errorCases: [string, Record<string, Obj | string | undefined>, RegExp][] = [
  ['error/no manifests', { 'manifests/foo.clusterserviceversion.yaml': undefined, 'manifests/foos.test.io.crd.yaml': undefined }, /^no bundle objects found$/],
  ['error/no CSV', { 'manifests/foo.clusterserviceversion.yaml': undefined }, /^no csv in bundle$/],
  ['error/no annotations file', { 'metadata/annotations.yaml': undefined }, /^Could not find annotations file$/],
  ['error/annotations without any of the three keys', { 'metadata/annotations.yaml': { annotations: { other: 'x' } } }, /^metadata\/annotations\.yaml:1: the annotations file has none of operators\.operatorframework\.io\.bundle\.package\.v1, /],
  ['error/annotations that are not YAML', { 'metadata/annotations.yaml': 'annotations:\n  operators.operatorframework.io.bundle.package.v1: foo\n    bad: [\n' }, /^metadata\/annotations\.yaml:3: invalid annotations file: /],
  ['error/annotations of the wrong shape', { 'metadata/annotations.yaml': { annotations: ['operators.operatorframework.io.bundle.package.v1'] } }, /^metadata\/annotations\.yaml:1: invalid annotations file: json: cannot unmarshal array into Go struct field/],
  ['error/annotations.json that is not JSON', { 'metadata/annotations.yaml': undefined, 'metadata/annotations.json': '{"annotations": {"operators.operatorframework.io.bundle.package.v1": "foo"\n' }, /^metadata\/annotations\.json:2: invalid annotations file: /],
  ['error/owned CRD missing from the bundle', { 'manifests/foos.test.io.crd.yaml': crd(['v2']) }, /^error checking provided apis in bundle foo\.v1\.0\.0: couldn't find test\.io\/v1\/Foo \(foos\) in bundle\. found: map\[test\.io\/v2\/Foo \(foos\):\{\}\]$/],
  ['error/owned CRD name without a group', { 'manifests/foo.clusterserviceversion.yaml': csv({ customresourcedefinitions: { owned: [{ name: 'foos', version: 'v1', kind: 'Foo' }] } }) }, /couldn't parse plural\.group from crd name: foos/],
  ['error/CSV version is a number', { 'manifests/foo.clusterserviceversion.yaml': 'apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata: {name: foo.v1}\nspec: {version: 1.10}\n', 'manifests/foos.test.io.crd.yaml': undefined }, /^failed to derive properties: .*cannot unmarshal number 1\.1 into Go value of type string$/],
  ['error/CSV annotation value not a string', { 'manifests/foo.clusterserviceversion.yaml': csv({}, { annotations: { replicas: 3 } }) }, /^manifests\/foo\.clusterserviceversion\.yaml: json: cannot unmarshal number 3/],
  ['error/olm.gvk property that is not an object', { 'metadata/properties.yaml': { properties: [{ type: 'olm.gvk', value: 'Foo' }] } }, /^get properties for bundle "foo\.v1\.0\.0": parse property\[0\] of type "olm\.gvk": json: cannot unmarshal string/],
  ['error/CRD of an unknown group', { 'manifests/x.yaml': { apiVersion: 'example.com/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' } } }, /no kind "CustomResourceDefinition" is registered for version "example\.com\/v1"/],
];

for (const [name, files, match] of errorCases) {
  test(`render/${name}`, async () => {
    await assertInvalid(render(files), match);
  });
}

test('render/an unknown migration level is a usage error', async () => {
  await assert.rejects(render({}, { migrateLevel: 'everything' as never }), (err: unknown) => isGantryError(err, 'USAGE'));
});

test('render/cancellation is honoured', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(render({}, { signal: ac.signal }), (err: unknown) => isGantryError(err, 'ABORTED'));
});
