import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCatalogSourceTemplate, catalogTemplateKey } from './catalog-source-template.js';
import { parseCatalogSourceTemplate } from '../config/catalog-source-template.js';

const HEAD = 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\n';

// Each case: the template text, and the issues expected as [code, line, column, path] (errors make the template absent).
const errors: { name: string; text: string; want: [string, number, number, string][] }[] = [
  { name: 'error/yaml syntax', text: `${HEAD}spec:\n  displayName: [unclosed\n`, want: [['YAML_SYNTAX', 5, 1, '']] },
  { name: 'error/duplicate key', text: `${HEAD}kind: CatalogSource\n`, want: [['YAML_SYNTAX', 3, 1, '']] },
  { name: 'error/empty file', text: '# nothing here\n', want: [['TEMPLATE_EMPTY', 1, 1, '']] },
  { name: 'error/two documents', text: `${HEAD}---\n${HEAD}`, want: [['TEMPLATE_MULTIPLE_DOCUMENTS', 4, 1, '']] },
  { name: 'error/not a mapping', text: '- apiVersion: operators.coreos.com/v1alpha1\n', want: [['NOT_A_MAPPING', 1, 1, '']] },
  { name: 'error/apiVersion', text: 'apiVersion: operators.coreos.com/v1\nkind: CatalogSource\n', want: [['API_VERSION_INVALID', 1, 13, 'apiVersion']] },
  { name: 'error/apiVersion missing (at the document)', text: 'kind: CatalogSource\n', want: [['API_VERSION_INVALID', 1, 1, 'apiVersion']] },
  { name: 'error/kind', text: 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\n', want: [['KIND_INVALID', 2, 7, 'kind']] },
  { name: 'error/sourceType not grpc', text: `${HEAD}spec:\n  sourceType: configmap\n`, want: [['SOURCE_TYPE_NOT_GRPC', 4, 15, 'spec.sourceType']] },
  { name: 'error/configMap', text: `${HEAD}spec:\n  sourceType: grpc\n  configMap: my-index\n`, want: [['CONFIG_MAP_SET', 5, 3, 'spec.configMap']] },
  { name: 'error/address', text: `${HEAD}spec:\n  address: 10.0.0.1:50051\n`, want: [['ADDRESS_SET', 4, 3, 'spec.address']] },
  { name: 'error/metadata.name', text: `${HEAD}metadata:\n  name: Red_Hat\n`, want: [['NAME_INVALID', 4, 9, 'metadata.name']] },
  { name: 'error/metadata.namespace', text: `${HEAD}metadata:\n  namespace: ${'n'.repeat(64)}\n`, want: [['NAME_INVALID', 4, 14, 'metadata.namespace']] },
  { name: 'error/annotation value not a string', text: `${HEAD}metadata:\n  annotations:\n    ok: "yes"\n    enabled: yes\n`, want: [['FIELD_TYPE', 6, 14, 'metadata.annotations.enabled']] },
  { name: 'error/labels not a mapping', text: `${HEAD}metadata:\n  labels: [a, b]\n`, want: [['FIELD_TYPE', 4, 11, 'metadata.labels']] },
  { name: 'error/spec not a mapping', text: `${HEAD}spec: grpc\n`, want: [['FIELD_TYPE', 3, 7, 'spec']] },
  { name: 'error/priority not an integer', text: `${HEAD}spec:\n  priority: high\n`, want: [['FIELD_TYPE', 4, 13, 'spec.priority']] },
  { name: 'error/updateStrategy not a mapping', text: `${HEAD}spec:\n  updateStrategy: 30m\n`, want: [['FIELD_TYPE', 4, 19, 'spec.updateStrategy']] },
  {
    name: 'error/all issues at once, in line order',
    text: 'apiVersion: v1\nkind: ConfigMap\nspec:\n  sourceType: internal\n  configMap: x\n  address: y\n',
    want: [
      ['API_VERSION_INVALID', 1, 13, 'apiVersion'],
      ['KIND_INVALID', 2, 7, 'kind'],
      ['SOURCE_TYPE_NOT_GRPC', 4, 15, 'spec.sourceType'],
      ['CONFIG_MAP_SET', 5, 3, 'spec.configMap'],
      ['ADDRESS_SET', 6, 3, 'spec.address'],
    ],
  },
];

for (const c of errors) {
  test(`template/${c.name}`, () => {
    const r = parseCatalogSourceTemplate(c.text, 'tmpl.yaml');
    assert.equal(r.template, undefined);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.line, i.column, i.path]),
      c.want,
    );
    for (const i of r.issues) {
      assert.equal(i.file, 'tmpl.yaml');
      assert.equal(i.severity, 'error');
      assert.ok(i.message.length > 0);
    }
  });
}

test('template/warnings keep the template: unknown fields (with a did-you-mean), cluster-owned fields dropped', () => {
  const text = `${HEAD}metadata:\n  name: mine\n  resourceVersion: "12345"\n  uid: 0b7c\n  labelz: {}\nspec:\n  updateStratgy: {}\n  image: quay.io/x/y:1\nstatus:\n  connectionState: {}\n`;
  const r = parseCatalogSourceTemplate(text, 't.yaml');
  assert.deepEqual(
    r.issues.map((i) => [i.severity, i.code, i.line, i.path, i.hint ?? '']),
    [
      ['warning', 'FIELD_DROPPED', 5, 'metadata.resourceVersion', ''],
      ['warning', 'FIELD_DROPPED', 6, 'metadata.uid', ''],
      ['warning', 'FIELD_UNKNOWN', 7, 'metadata.labelz', 'did you mean "labels"?'],
      ['warning', 'FIELD_UNKNOWN', 9, 'spec.updateStratgy', 'did you mean "updateStrategy"?'],
      ['warning', 'FIELD_DROPPED', 11, 'status', ''],
    ],
  );
  assert.ok(r.template);
  assert.deepEqual(r.template.resource, {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'CatalogSource',
    metadata: { name: 'mine', labelz: {} },
    spec: { updateStratgy: {}, image: 'quay.io/x/y:1' },
  });
  assert.deepEqual(r.template.positions, { 'metadata.name': { line: 4, column: 9 } });
});

test('template/valid: sourceType grpc or absent, spec.image allowed (it is replaced), no issues', () => {
  for (const text of [HEAD, `${HEAD}spec:\n  sourceType: grpc\n  image: x\n  secrets: [pull]\n  runAsRoot: false\n`, `${HEAD}metadata:\nspec:\n`]) {
    const r = parseCatalogSourceTemplate(text, 't.yaml');
    assert.deepEqual(r.issues, [], text);
    assert.ok(r.template, text);
  }
});

test('template/apply: overrides image and sourceType, keeps the rest, does not change the template', () => {
  const r = parseCatalogSourceTemplate(`${HEAD}metadata:\n  labels: {a: b}\nspec:\n  image: old\n  sourceType: grpc\n  priority: 5\nextra: kept\n`, 't.yaml');
  const before = structuredClone(r.template!.resource);
  const out = applyCatalogSourceTemplate(r.template, { name: 'cs-x-v1', namespace: 'ns', image: 'h/x@sha256:1', annotations: { k: 'v' } });
  assert.deepEqual(out, {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'CatalogSource',
    metadata: { name: 'cs-x-v1', namespace: 'ns', labels: { a: 'b' }, annotations: { k: 'v' } },
    spec: { priority: 5, image: 'h/x@sha256:1', sourceType: 'grpc' },
    extra: 'kept',
  });
  assert.deepEqual(r.template!.resource, before);
  assert.deepEqual(Object.keys(out), ['apiVersion', 'kind', 'metadata', 'spec', 'extra']);
});

test('template/key is the destination as pushed, host/path:tag', () => {
  assert.equal(catalogTemplateKey({ registry: 'mirror:5000', repository: 'ocp/redhat/index', tag: 'v4.16' }), 'mirror:5000/ocp/redhat/index:v4.16');
  assert.equal(catalogTemplateKey({ registry: 'm', repository: 'r' }), 'm/r:latest');
});
