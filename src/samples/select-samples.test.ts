import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageStreamObject, sampleStreams, sampleTemplates, templateObject } from '../testing/samples-fixtures.js';
import { combineSamples, readSamplesFile } from './read-samples.js';
import type { SamplesSet } from './samples-model.js';
import { languageOf, parseLanguage, S2I_LANGUAGES, selectSamples, type SamplesSelection } from './select-samples.js';

const REG = 'registry.redhat.io';

/** The sample streams once per architecture (as an assets tree has them) and the templates for x86_64 only. */
function world(): SamplesSet {
  const sets = ['x86_64', 'aarch64'].map((arch) => {
    const set = readSamplesFile({ file: `${arch}.json`, text: JSON.stringify({ kind: 'List', items: sampleStreams(REG).map(imageStreamObject) }) });
    for (const s of set.imagestreams) s.architecture = arch as 'x86_64' | 'aarch64';
    return set;
  });
  const templates = readSamplesFile({ file: 't.json', text: JSON.stringify({ kind: 'List', items: sampleTemplates().map(templateObject) }) });
  for (const t of templates.templates) t.architecture = 'x86_64';
  return combineSamples([...sets, templates]);
}

function picked(set: SamplesSet): string[] {
  return set.imagestreams.flatMap((s) => s.tags.map((t) => `${s.architecture} ${s.name}:${t.tag}`)).sort();
}

const cases: [string, SamplesSelection, string[]][] = [
  ['select/all', {}, picked(world())],
  ['select/name glob', { names: ['ru*'] }, ['aarch64 ruby:3.0-ubi8', 'aarch64 ruby:3.3-ubi9', 'aarch64 ruby:latest', 'x86_64 ruby:3.0-ubi8', 'x86_64 ruby:3.3-ubi9', 'x86_64 ruby:latest']],
  ['select/name and arch', { names: ['python', 'golang'], architectures: ['aarch64'] }, ['aarch64 golang:1.22-ubi9', 'aarch64 python:3.11-ubi9']],
  ['select/language (mysql is not S2I)', { languages: ['java', 'nodejs'], architectures: ['x86_64'] }, ['x86_64 java:latest', 'x86_64 java:openjdk-17-ubi8', 'x86_64 nodejs:20-ubi9']],
  // rails: ruby:${RUBY_VERSION} → 3.3-ubi9 and mysql; nodejs-example: nodejs:20-ubi9; only x86_64 has templates.
  ['select/referenced by templates', { referencedByTemplates: true }, ['x86_64 mysql:8.0-el8', 'x86_64 nodejs:20-ubi9', 'x86_64 ruby:3.3-ubi9']],
  ['select/referenced and language', { referencedByTemplates: true, languages: ['ruby'] }, ['x86_64 ruby:3.3-ubi9']],
];

for (const [name, selection, want] of cases) {
  test(name, () => {
    const got = selectSamples(world(), selection);
    assert.deepEqual(picked(got), want);
    assert.deepEqual(got.issues.filter((i) => i.severity !== 'info'), []);
  });
}

test('select/referenced alias keeps the tag whose image it imports', () => {
  const set = world();
  const t = readSamplesFile({ file: 'u.json', text: JSON.stringify(templateObject({ name: 'u', group: 'g', uses: ['ruby:latest'] })) });
  const got = selectSamples(combineSamples([set, t]), { referencedByTemplates: true, names: ['ruby'], architectures: ['aarch64'] });
  assert.deepEqual(picked(got), ['aarch64 ruby:3.3-ubi9', 'aarch64 ruby:latest']);
});

test('select/what matches nothing is said: a name is an error, a language or an architecture a warning', () => {
  const got = selectSamples(world(), { names: ['nosuch'], languages: ['php'], architectures: ['s390x'] });
  assert.deepEqual(got.issues.filter((i) => i.severity !== 'info').map((i) => `${i.severity} ${i.code}`), ['error SELECTION_EMPTY', 'warning SELECTION_EMPTY', 'warning SELECTION_EMPTY']);
  assert.match(got.issues.find((i) => i.severity === 'error')!.message, /--name nosuch matches no imagestream \(there are: golang, java, jenkins, mysql, nodejs, python, ruby\)/);
  assert.deepEqual(got.imagestreams, []);
});

test('select/a template naming a tag that is not there is a warning with the template file and line', () => {
  const t = readSamplesFile({ file: 'old.json', text: JSON.stringify(templateObject({ name: 'old', group: 'g', uses: ['perl:5.30-ubi8'] }), null, 2) });
  const got = selectSamples(combineSamples([world(), t]), { referencedByTemplates: true });
  const w = got.issues.filter((i) => i.code === 'TEMPLATE_UNRESOLVED');
  assert.equal(w.length, 1);
  assert.equal(w[0]!.file, 'old.json');
  assert.ok((w[0]!.line ?? 0) > 1);
  assert.match(w[0]!.message, /perl:5\.30-ubi8, which is not in the input/);
});

test('select/languages: every issue language parses, spellings people use too, names map to streams', () => {
  assert.equal(Object.keys(S2I_LANGUAGES).length, 12);
  for (const [text, key] of [['Node.js', 'nodejs'], ['.NET', 'dotnet'], ['golang', 'go'], ['Web server', 'webserver'], ['EAP', 'eap'], ['HTTPD', 'httpd'], ['cobol', undefined]] as const) {
    assert.equal(parseLanguage(text), key, text);
  }
  for (const [stream, key] of [['jboss-eap74-openjdk11-openshift', 'eap'], ['ubi8-openjdk-17-runtime', 'java'], ['dotnet-runtime', 'dotnet'], ['jboss-webserver57-openjdk11-tomcat9-openshift-ubi8', 'webserver'], ['golang', 'go'], ['mysql', undefined], ['fuse7-java-openshift', undefined]] as const) {
    assert.equal(languageOf(stream), key, stream);
  }
});
