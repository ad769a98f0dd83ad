// The basic template: bundle entries (image only) replaced by rendered bundles, everything else kept, and opm's
// rules on what a bundle entry may hold (OR:alpha/template/basic/basic.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle } from '../fbc/types.js';
import { expandBasicTemplate, isBundleTemplate, type BasicTemplate } from './basic.js';
import { parseTemplate } from './parse-template.js';
import { TemplateError } from './template-error.js';

const rendered = (image: string): Bundle => {
  const version = image.slice(image.lastIndexOf(':v') + 2);
  return {
    schema: 'olm.bundle',
    name: `foo.v${version}`,
    package: 'foo',
    image,
    properties: [{ type: 'olm.package', value: { packageName: 'foo', version } }],
  };
};

const YAML_TEMPLATE = `# a basic template
schema: olm.template.basic
entries:
  - schema: olm.package
    name: foo
    defaultChannel: stable
  - schema: olm.channel
    package: foo
    name: stable
    entries:
      - name: foo.v0.1.0
      - name: foo.v0.2.0
        replaces: foo.v0.1.0
  - schema: olm.bundle
    image: quay.io/foo/bundle:v0.1.0
  - schema: olm.bundle
    image: quay.io/foo/bundle:v0.2.0
  - schema: custom.thing
    package: foo
    value: 1
`;

function parseBasic(text: string, file = 'basic.yaml'): BasicTemplate {
  const r = parseTemplate(text, file);
  assert.deepEqual(r.issues, []);
  assert.equal(r.template?.schema, 'olm.template.basic');
  return r.template as BasicTemplate;
}

test('basic/entries are kept, bundle entries replaced by rendered bundles in order', async () => {
  const doc = parseBasic(YAML_TEMPLATE);
  assert.equal(doc.config.bundles[1]!.source?.line, 16);
  const calls: string[] = [];
  const out = await expandBasicTemplate(doc, {
    renderBundle: async (image) => {
      calls.push(image);
      return rendered(image);
    },
  });
  assert.deepEqual(calls, ['quay.io/foo/bundle:v0.1.0', 'quay.io/foo/bundle:v0.2.0']);
  assert.deepEqual(out.packages.map((p) => [p.name, p.defaultChannel, p.source?.line]), [['foo', 'stable', 4]]);
  assert.deepEqual(out.channels[0]!.entries, [{ name: 'foo.v0.1.0' }, { name: 'foo.v0.2.0', replaces: 'foo.v0.1.0' }]);
  assert.deepEqual(out.bundles, [rendered('quay.io/foo/bundle:v0.1.0'), rendered('quay.io/foo/bundle:v0.2.0')]);
  assert.deepEqual(out.others.map((o) => o.blob), [{ schema: 'custom.thing', package: 'foo', value: 1 }]);
});

test('basic/JSON templates and case-insensitive top-level fields are read as Go reads them', async () => {
  const json = JSON.stringify({ Schema: 'olm.template.basic', Entries: [{ schema: 'olm.bundle', image: 'r/b:v1.0.0', name: 'ignored' }] }, null, 2);
  const doc = parseBasic(json, 'basic.json');
  assert.equal(doc.config.bundles[0]!.source?.line, 4);
  const out = await expandBasicTemplate(doc, { renderBundle: async (i) => rendered(i) });
  assert.equal(out.bundles[0]!.name, 'foo.v1.0.0');
});

test('basic/results keep template order whatever order renders finish in', async () => {
  const images = Array.from({ length: 9 }, (_, i) => `r/b:v1.${i}.0`);
  const text = `schema: olm.template.basic\nentries:\n${images.map((i) => `- schema: olm.bundle\n  image: ${i}\n`).join('')}`;
  const out = await expandBasicTemplate(
    parseBasic(text),
    { renderBundle: (i) => new Promise((resolve) => setTimeout(() => resolve(rendered(i)), (9 - Number(i.split('.')[1])) * 3)) },
    { concurrency: 4 },
  );
  assert.deepEqual(out.bundles.map((b) => b.image), images);
});

test('basic/a bundle entry with more than an image is rejected with opm message and its line', () => {
  const cases: [string, string, number][] = [
    ['package', 'schema: olm.template.basic\nentries:\n- schema: olm.bundle\n  image: r/b:v1\n- schema: olm.bundle\n  image: r/b:v2\n  package: foo\n', 5],
    ['properties', 'schema: olm.template.basic\nentries:\n- schema: olm.bundle\n  image: r/b:v1\n  properties:\n  - type: olm.package\n    value: {packageName: foo, version: 1.0.0}\n', 3],
    ['relatedImages', 'schema: olm.template.basic\nentries:\n- schema: olm.bundle\n  image: r/b:v1\n  relatedImages: [{name: x, image: quay.io/z}]\n', 3],
    ['no image', 'schema: olm.template.basic\nentries:\n- schema: olm.bundle\n  name: foo.v1\n', 3],
  ];
  for (const [name, text, line] of cases) {
    const r = parseTemplate(text, 't.yaml');
    assert.equal(r.template, undefined, name);
    assert.deepEqual(
      r.issues.map((i) => [i.rule, i.message, i.line]),
      [['template-bundle-fields', 'unexpected fields present in basic template bundle', line]],
      name,
    );
  }
  assert.equal(isBundleTemplate({ schema: 'olm.bundle', name: 'n', package: '', image: 'i' }), true);
});

test('basic/expansion refuses a hand-built template with a full bundle, and reports render failures with the line', async () => {
  const doc = parseBasic(YAML_TEMPLATE);
  const full: BasicTemplate = { ...doc, config: { ...doc.config, bundles: [rendered('r/b:v1.0.0')] } };
  await assert.rejects(
    expandBasicTemplate(full, { renderBundle: async (i) => rendered(i) }),
    (err: unknown) => err instanceof TemplateError && err.code === 'TEMPLATE_INVALID' && err.message === 'unexpected fields present in basic template bundle',
  );
  await assert.rejects(
    expandBasicTemplate(doc, {
      renderBundle: async (i) => {
        if (i.endsWith('v0.2.0')) throw new Error('failed to pull image "quay.io/foo/bundle:v0.2.0": not found');
        return rendered(i);
      },
    }),
    (err: unknown) =>
      err instanceof TemplateError &&
      err.code === 'TEMPLATE_BUNDLE_RENDER_FAILED' &&
      err.message === 'failed to pull image "quay.io/foo/bundle:v0.2.0": not found' &&
      err.file === 'basic.yaml' &&
      err.line === 16 &&
      err.image === 'quay.io/foo/bundle:v0.2.0',
  );
});

test('basic/cancellation stops rendering', async () => {
  const ac = new AbortController();
  const doc = parseBasic(YAML_TEMPLATE);
  await assert.rejects(
    expandBasicTemplate(
      doc,
      {
        renderBundle: async (i) => {
          ac.abort();
          return rendered(i);
        },
      },
      { signal: ac.signal, concurrency: 1 },
    ),
    (err: unknown) => (err as { code?: string }).code === 'ABORTED',
  );
});

test('basic/structural problems in the template', () => {
  const cases: [string, string, string, number][] = [
    ['entries not a list', 'schema: olm.template.basic\nentries: {}\n', 'unmarshalling template: json: cannot unmarshal object into Go struct field BasicTemplateData.entries of type []*declcfg.Meta', 2],
    ['entry without schema', 'schema: olm.template.basic\nentries:\n- name: x\n- schema: olm.package\n  name: [1]\n', 'object is missing root schema field', 3],
    ['wrong field type in an entry', 'schema: olm.template.basic\nentries:\n- schema: olm.package\n  name: p\n- schema: olm.channel\n  name: [1]\n', 'expected value for key "name" to be a string, got array', 5],
  ];
  for (const [name, text, message, line] of cases) {
    const r = parseTemplate(text, 't.yaml');
    assert.equal(r.template, undefined, name);
    assert.deepEqual([r.issues[0]!.message, r.issues[0]!.line], [message, line], name);
  }
  const forced = parseTemplate('schema: olm.semver\n', 't.yaml', { type: 'basic' });
  assert.equal(forced.issues[0]!.message, 'template has unknown schema ("olm.semver"), should be "olm.template.basic"');
});
