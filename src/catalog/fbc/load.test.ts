import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMemoryTree } from './file-tree.js';
import { loadCatalog } from './load.js';

const pkgJson = (name: string) => ({ schema: 'olm.package', name, defaultChannel: 'stable' });
const bundle = (pkg: string, v: string) => ({
  schema: 'olm.bundle',
  name: `${pkg}.v${v}`,
  package: pkg,
  image: `quay.io/x/${pkg}-bundle:v${v}`,
  properties: [{ type: 'olm.package', value: { packageName: pkg, version: v } }],
});

test('load/indented JSON stream: every blob with the line it starts on', async () => {
  const text = [pkgJson('a'), bundle('a', '1.0.0'), { schema: 'custom.thing', package: 'a', name: 'x', data: [1, 2] }]
    .map((o) => JSON.stringify(o, null, 4))
    .join('\n');
  const r = await loadCatalog(createMemoryTree({ 'a/catalog.json': `${text}\n` }));
  assert.deepEqual(r.issues, []);
  assert.equal(r.config.packages[0]!.source?.line, 1);
  assert.equal(r.config.bundles[0]!.source?.line, 6);
  assert.equal(r.config.others[0]!.schema, 'custom.thing');
  assert.deepEqual(r.config.others[0]!.blob.data, [1, 2]);
});

test('load/compact stream on one line and nested unindented objects take the careful path', async () => {
  const text = `${JSON.stringify(pkgJson('a'))}${JSON.stringify(bundle('a', '1.0.0'))}\n{\n"schema":"olm.channel","package":"a","name":"stable",\n"entries":[\n{\n"name":"a.v1.0.0"\n}\n]\n}\n`;
  const r = await loadCatalog(createMemoryTree({ 'c.json': text }));
  assert.deepEqual(r.issues, []);
  assert.equal(r.config.packages.length, 1);
  assert.equal(r.config.bundles.length, 1);
  assert.equal(r.config.channels[0]!.entries?.[0]?.name, 'a.v1.0.0');
  assert.equal(r.config.channels[0]!.source?.line, 2);
});

test('load/YAML documents with lines, comments, YAML 1.1 scalars', async () => {
  const yaml = [
    '# a comment',
    '---',
    'schema: olm.package',
    'name: a',
    'defaultChannel: stable',
    '---',
    '',
    'schema: custom.flags',
    'name: f',
    'enabled: yes',
    'off: off',
    'mode: 0755',
    'nothing: ~',
    '...',
  ].join('\n');
  const r = await loadCatalog(createMemoryTree({ 'catalog.yaml': yaml }));
  assert.deepEqual(r.issues, []);
  assert.equal(r.config.packages[0]!.source?.line, 3);
  const other = r.config.others[0]!;
  assert.equal(other.source?.line, 8);
  // YAML 1.1 reads the key `off` as the boolean false too, as go-yaml v2 does (its JSON key is "false").
  assert.deepEqual(other.blob, { schema: 'custom.flags', name: 'f', enabled: true, false: false, mode: 493, nothing: null });
});

test('load/.indexignore at any depth, in gitignore syntax; other files parsed whatever their name', async () => {
  const r = await loadCatalog(
    createMemoryTree({
      '.indexignore': 'README.md\n',
      'a/.indexignore': '*.txt\n!keep.txt\n',
      'README.md': '# not a catalog',
      'a/notes.txt': 'not yaml: [',
      'a/keep.txt': JSON.stringify(pkgJson('a')),
      'b/stray.md': '# Stray\nsome text',
    }),
  );
  assert.deepEqual(r.files, ['a/keep.txt', 'b/stray.md']);
  assert.equal(r.config.packages.length, 1);
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0]!.file, 'b/stray.md');
  assert.match(r.issues[0]!.message, /must be an object, not string/);
});

test('load/meta keys are case-insensitive; two spellings are an error', async () => {
  const r = await loadCatalog(
    createMemoryTree({
      'x.json': `${JSON.stringify({ Schema: 'olm.package', Name: 'a', defaultChannel: 'stable' })}\n${JSON.stringify({ schema: 'olm.package', Schema: 'olm.package', name: 'b' })}\n`,
    }),
  );
  assert.equal(r.config.packages[0]!.name, 'a');
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0]!.message, 'duplicate keys for key "schema": [Schema schema]');
  assert.equal(r.issues[0]!.line, 2);
});

test('load/errors name file and line: missing schema, JSON and YAML syntax, NUL bytes, wrong field types', async () => {
  const r = await loadCatalog(
    createMemoryTree({
      'a.json': '{\n    "schema": "olm.package",\n    "name": "a"\n}\n{\n    "name": "no-schema"\n}\n{\n    "schema": "olm.bundle",\n    "name": 5\n}\n',
      'b.json': '{\n  "schema": "olm.package",\n  "name": "b",,\n}\n',
      'c.yaml': 'schema: olm.package\nname: c\n---\nschema: olm.channel\nentries: [\n',
      'd.bin': Buffer.from([0x7b, 0x00, 0x01]),
    }),
  );
  const got = r.issues.map((i) => `${i.file}:${i.line}: ${i.rule}`);
  assert.deepEqual(got, ['a.json:5: missing-schema', 'a.json:8: parse-error', 'b.json:3: syntax-error', 'c.yaml:6: syntax-error', 'd.bin:1: not-text']);
  assert.equal(r.issues[1]!.message, 'expected value for key "name" to be a string, got number');
});

test('load/property: arbitrary bytes never throw or hang', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 500 }), async (bytes, text) => {
      const r = await loadCatalog(createMemoryTree({ 'x.json': bytes, 'y.yaml': text, 'z': `{${text}` }));
      assert.ok(Array.isArray(r.issues));
    }),
    { numRuns: 300 },
  );
});

test('load/property: the same blobs from an indented stream, a compact stream and YAML', async () => {
  const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
  const value = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/^(schema|package|name)$/i.test(k)), scalar, { maxKeys: 5 });
  await fc.assert(
    fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 5 }), async (objs) => {
      const blobs = objs.map((o, i) => ({ schema: 'custom.x', name: `n${i}`, ...o }));
      const indented = blobs.map((b) => JSON.stringify(b, null, 4)).join('\n');
      const compact = blobs.map((b) => JSON.stringify(b)).join('');
      const a = await loadCatalog(createMemoryTree({ 'a.json': indented, 'b.json': compact }));
      assert.deepEqual(a.issues, []);
      assert.deepEqual(a.config.others.map((o) => o.blob), [...blobs, ...blobs]);
    }),
    { numRuns: 200 },
  );
});

test('load/repeated YAML keys: the last value wins, as in go-yaml; every repeat is a warning with its line', async () => {
  const text = 'schema: olm.package\nname: a\nname: b\ndefaultChannel: beta\ndefaultChannel: stable\nproperties:\n- type: x1\n  "type": x2\n  value: 1\n  value: 2\n---\nschema: olm.channel\npackage: b\nname: stable\nname: stable\nentries: []\n';
  const r = await loadCatalog(createMemoryTree({ 'p/catalog.yaml': text }));
  assert.deepEqual(
    r.issues.map((i) => [i.rule, i.severity, i.line, i.message.replace(/: the last value .*$/, '')]),
    [
      ['duplicate-key', 'warning', 3, 'duplicated mapping key "name"'],
      ['duplicate-key', 'warning', 5, 'duplicated mapping key "defaultChannel"'],
      ['duplicate-key', 'warning', 8, 'duplicated mapping key "type"'],
      ['duplicate-key', 'warning', 10, 'duplicated mapping key "value"'],
      ['duplicate-key', 'warning', 15, 'duplicated mapping key "name"'],
    ],
  );
  const pkg = r.config.packages[0]!;
  assert.deepEqual([pkg.name, pkg.defaultChannel, pkg.properties], ['b', 'stable', [{ type: 'x2', value: 2 }]]);
  assert.equal(r.config.channels[0]!.name, 'stable');
});
