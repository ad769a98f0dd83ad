// Reading template files: kind detection from `schema` (opm's registry_test.go TestTemplateRegistry_CreateTemplateBySchema
// cases), syntax errors with lines, and the first-document rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from './parse-template.js';

test('parse-template/detection by schema', () => {
  assert.equal(parseTemplate('schema: olm.semver\nstable:\n  bundles:\n  - image: example.com/bundle:v1.0.0\n', 't.yaml').template?.schema, 'olm.semver');
  assert.equal(parseTemplate('{"schema": "olm.template.basic", "entries": []}', 't.json').template?.schema, 'olm.template.basic');

  const cases: [string, string, string, string, number][] = [
    ['unregistered schema', 'schema: olm.unknown\n', 'template-schema-unknown', 'unknown template schema: olm.unknown', 1],
    ['missing schema field', 'entries: []\n', 'template-schema-missing', "template input missing required 'schema' field", 1],
    ['schema not a string', '# c\nschema: 3\n', 'template-field-type', 'unmarshalling template schema: json: cannot unmarshal number into Go struct field .schema of type string', 2],
    ['not an object', '- a\n- b\n', 'template-field-type', 'unmarshalling template schema: json: cannot unmarshal array into Go value of type struct { Schema string "json:\\"schema\\"" }', 1],
    ['substitutes', 'schema: olm.template.substitutes\n', 'template-schema-unsupported', 'template schema "olm.template.substitutes" is not supported yet', 1],
    ['empty input', '# nothing here\n', 'template-empty', 'decoding template input: EOF', 1],
  ];
  for (const [name, text, rule, message, line] of cases) {
    const r = parseTemplate(text, 't.yaml');
    assert.equal(r.template, undefined, name);
    assert.deepEqual(r.issues.map((i) => [i.rule, i.message, i.file, i.line]), [[rule, message, 't.yaml', line]], name);
  }
});

test('parse-template/syntax errors name the file and line', () => {
  const yaml = parseTemplate('schema: olm.semver\nstable:\n  bundles: [unclosed\n', 't.yaml');
  assert.equal(yaml.template, undefined);
  assert.equal(yaml.issues[0]!.rule, 'syntax-error');
  assert.equal(yaml.issues[0]!.file, 't.yaml');
  assert.ok((yaml.issues[0]!.line ?? 0) >= 3);
  const json = parseTemplate('{\n  "schema": "olm.semver",\n  "stable": {,}\n}\n', 't.json');
  assert.equal(json.issues[0]!.rule, 'syntax-error');
  assert.equal(json.issues[0]!.line, 3);
});

test('parse-template/only the first document is read; later ones are a warning', () => {
  const r = parseTemplate('---\nschema: olm.semver\n---\nschema: olm.template.basic\nentries: 3\n', 't.yaml');
  assert.equal(r.template?.schema, 'olm.semver');
  assert.deepEqual(r.issues.map((i) => [i.rule, i.severity, i.line]), [['template-extra-documents', 'warning', 4]]);
});

test('parse-template/every problem is reported, not only the first', () => {
  const r = parseTemplate('schema: olm.semver\nfoo: 1\nstable:\n  bundles:\n  - image: 1\n  - image: x\n    bar: 2\n', 't.yaml');
  assert.deepEqual(
    r.issues.map((i) => [i.rule, i.line, i.path]),
    [
      ['template-field-unknown', 2, 'foo'],
      ['template-field-type', 5, 'stable.bundles[0].image'],
      ['template-field-unknown', 7, 'stable.bundles[1].bar'],
    ],
  );
});

test('parse-template/a repeated key: the last value in a basic template (a warning), an error in a semver template (opm reads it strictly)', () => {
  const basic = parseTemplate('schema: olm.template.basic\nentries:\n- schema: olm.package\n  name: p\n  name: q\n', 'b.yaml');
  assert.ok(basic.template);
  assert.equal((basic.template as { config: { packages: { name: string }[] } }).config.packages[0]!.name, 'q');
  assert.deepEqual(basic.issues.map((i) => [i.rule, i.severity, i.line]), [['duplicate-key', 'warning', 5]]);
  const semver = parseTemplate('schema: olm.semver\nschema: olm.semver\nstable:\n  bundles:\n  - image: x/y:1\n', 's.yaml');
  assert.equal(semver.template, undefined);
  assert.deepEqual(semver.issues.map((i) => [i.rule, i.severity, i.line]), [['duplicate-key', 'error', 2]]);
  assert.match(semver.issues[0]!.message, /^duplicated mapping key "schema": a semver template is read strictly/);
});

test('parse-template/the older plain-catalog basic form: detected from a catalog schema, or with the type given', () => {
  const text = '---\nschema: olm.package\nname: p\ndefaultChannel: s\n---\nschema: olm.bundle\nimage: x/y:1\n';
  for (const opts of [{}, { type: 'basic' as const }]) {
    const r = parseTemplate(text, 'l.yaml', opts);
    assert.deepEqual(r.issues, []);
    const t = r.template as { schema: string; config: { packages: unknown[]; bundles: { image: string }[] } };
    assert.equal(t.schema, 'olm.template.basic');
    assert.deepEqual([t.config.packages.length, t.config.bundles.map((b) => b.image)], [1, ['x/y:1']]);
  }
  // A custom schema first is not taken for a catalog when the type is detected.
  assert.match(parseTemplate('schema: my.custom\n', 'c.yaml').issues[0]!.message, /unknown template schema: my\.custom/);
});
