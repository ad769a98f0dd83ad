import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { configMapData, configMapJson, configMapYaml, imageStreamListJson, imageStreamObject, sampleStreams, sampleTemplates, templateObject } from '../testing/samples-fixtures.js';
import { combineSamples, readSamplesFile, readSamplesTree, type SamplesTree } from './read-samples.js';
import type { SamplesSet } from './samples-model.js';
import { operatorPullSpec, parseSamplesMirror } from './samples-registry.js';
import { isGantryError } from '../errors.js';

const REG = 'registry.example.com';

function tagsOf(set: SamplesSet): string[] {
  return set.imagestreams.flatMap((s) => s.tags.map((t) => `${s.architecture ?? '-'} ${s.name}:${t.tag} ${t.image ?? '?'}${t.aliasOf ? ` (alias ${t.aliasOf})` : ''}`)).sort();
}

function memoryTree(files: Record<string, string>): SamplesTree {
  return {
    async list() {
      return Object.keys(files).sort();
    },
    async read(path) {
      return new TextEncoder().encode(files[path]!);
    },
  };
}

test('read/configmap yaml: each key is a DockerImage tag at its line, jenkins left out as the operator does', () => {
  const text = configMapYaml(sampleStreams(REG));
  const set = combineSamples([readSamplesFile({ file: 'cm.yaml', text })]);
  assert.deepEqual(set.issues, []);
  const expected = Object.entries(configMapData(sampleStreams(REG))).map(([k, v]) => `- ${k.replace('_', ':')} ${v}`).sort();
  assert.deepEqual(tagsOf(set), expected);
  const ruby = set.imagestreams.find((s) => s.name === 'ruby')!.tags.find((t) => t.tag === '3.3-ubi9')!;
  const lineText = text.split('\n')[ruby.at.line! - 1]!;
  assert.match(lineText, /ruby_3\.3-ubi9:/);
  assert.equal(ruby.at.file, 'cm.yaml');
});

test('read/configmap json reads the same tags as yaml', () => {
  const a = combineSamples([readSamplesFile({ file: 'cm.json', text: configMapJson(sampleStreams(REG)) })]);
  const b = combineSamples([readSamplesFile({ file: 'cm.yaml', text: configMapYaml(sampleStreams(REG)) })]);
  assert.deepEqual(tagsOf(a), tagsOf(b));
  assert.ok(tagsOf(a).length >= 7);
});

test('read/imagestream list: tags, labels, hidden, aliases resolved and said so', () => {
  for (const kind of ['List', 'ImageStreamList'] as const) {
    const set = combineSamples([readSamplesFile({ file: 'is.json', text: imageStreamListJson(sampleStreams(REG), kind) })]);
    assert.ok(tagsOf(set).includes(`- ruby:latest ${REG}/ubi9/ruby-33:latest (alias 3.3-ubi9)`), kind);
    assert.ok(tagsOf(set).includes(`- jenkins:2 ${REG}/ocp-tools-4/jenkins-rhel8:v4.14.0`));
    const ruby30 = set.imagestreams.find((s) => s.name === 'ruby')!.tags.find((t) => t.tag === '3.0-ubi8')!;
    assert.deepEqual([ruby30.labels, ruby30.hidden], [['builder', 'ruby'], true]);
    const notes = set.issues.filter((i) => i.code === 'ALIAS_RESOLVED').map((i) => `${i.imagestream}:${i.tag}`).sort();
    assert.deepEqual(notes, ['java:latest', 'ruby:latest']);
    assert.ok(set.issues.every((i) => i.severity === 'info'));
  }
});

test('read/imagestream list items without kind (typed list) and multi-document yaml', () => {
  const items = sampleStreams(REG).map(imageStreamObject).map(({ kind: _k, ...rest }) => rest);
  const typed = readSamplesFile({ file: 'l.json', text: JSON.stringify({ kind: 'ImageStreamList', apiVersion: 'image.openshift.io/v1', items }) });
  const multi = readSamplesFile({ file: 'm.yaml', text: sampleStreams(REG).map((s) => stringify(imageStreamObject(s))).join('---\n') });
  assert.deepEqual(tagsOf(combineSamples([typed])), tagsOf(combineSamples([multi])));
  assert.equal(combineSamples([multi]).imagestreams.length, sampleStreams(REG).length);
});

test('read/assets tree: architecture from the path, templates with parameters substituted', async () => {
  const files: Record<string, string> = { 'README.md': '# not read' };
  for (const arch of ['ocp-x86_64', 'aarch64']) {
    for (const s of sampleStreams(REG)) files[`${arch}/${s.name}/imagestreams/${s.name}-rhel.json`] = JSON.stringify(imageStreamObject(s), null, '\t');
    for (const t of sampleTemplates()) files[`${arch}/${t.group}/templates/${t.name}.json`] = JSON.stringify(templateObject(t), null, '\t');
  }
  const set = combineSamples([await readSamplesTree(memoryTree(files), 'assets')]);
  assert.deepEqual([...new Set(set.imagestreams.map((s) => s.architecture))].sort(), ['aarch64', 'x86_64']);
  assert.equal(set.imagestreams.length, 2 * sampleStreams(REG).length);
  const rails = set.templates.find((t) => t.name === 'rails-mysql-example' && t.architecture === 'x86_64')!;
  assert.deepEqual(rails.references.map((r) => `${r.imagestream}:${r.tag} ${r.object}`).sort(), ['mysql:8.0-el8 DeploymentConfig/db-1', 'ruby:3.3-ubi9 BuildConfig/${NAME}-0']);
  assert.equal(rails.at.file, 'assets/ocp-x86_64/rails/templates/rails-mysql-example.json');
  const three = templateObject({ name: 't', group: 'g', uses: ['a:1', 'b:2', 'python:3.11-ubi9'] });
  const t = readSamplesFile({ file: 't.json', text: JSON.stringify(three) }).templates[0]!;
  assert.deepEqual(t.references.map((r) => `${r.imagestream}:${r.tag} ${r.object}`), ['a:1 BuildConfig/${NAME}-0', 'b:2 DeploymentConfig/db-1', 'python:3.11-ubi9 Deployment/app-2']);
  assert.deepEqual(set.issues.filter((i) => i.code === 'IGNORED_FILE').map((i) => i.file), ['assets/README.md']);
});

test('read/assets tree without any imagestreams or templates is refused with a hint', async () => {
  await assert.rejects(readSamplesTree(memoryTree({ 'a.txt': 'x' }), 'dir'), (e: unknown) => isGantryError(e, 'CONFIG_INVALID') && /release payload/.test(e.hint ?? ''));
});

test('bad/configmap malformed keys and values name the key and its line', () => {
  const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: imagestreamtag-to-image', 'data:', '  ruby_3.0: registry.redhat.io/ubi8/ruby-30:latest', '  noseparator: registry.redhat.io/a/b:1', '  _3.0: registry.redhat.io/a/b:1', '  Ruby_1: registry.redhat.io/a/b:1', '  python_3.9: ""', '  perl_5: "NOT A REF"', ''].join('\n');
  const set = combineSamples([readSamplesFile({ file: 'cm.yaml', text })]);
  const issues = set.issues.map((i) => `${i.severity} ${i.code} ${i.line}`);
  assert.deepEqual(issues, ['error KEY_INVALID 7', 'error KEY_INVALID 8', 'error KEY_INVALID 9', 'error VALUE_INVALID 10', 'error VALUE_INVALID 11']);
  assert.deepEqual(tagsOf(set), ['- ruby:3.0 registry.redhat.io/ubi8/ruby-30:latest']);
});

test('bad/duplicate key in a ConfigMap is a syntax error at its line', () => {
  const text = 'kind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_1: a.io/b/c:1\n  ruby_1: a.io/b/c:2\n';
  const set = readSamplesFile({ file: 'cm.yaml', text });
  assert.deepEqual(set.issues.map((i) => `${i.code} ${i.line}`), ['SYNTAX 6']);
});

test('bad/aliases: dangling, cycle, other namespace are named; resolution across streams works', () => {
  const is = (name: string, tags: unknown[]) => ({ kind: 'ImageStream', metadata: { name }, spec: { tags } });
  const list = {
    kind: 'List',
    items: [
      is('a', [
        { name: 'one', from: { kind: 'DockerImage', name: 'quay.io/x/a:1' } },
        { name: 'dangling', from: { kind: 'ImageStreamTag', name: 'nope' } },
        { name: 'c1', from: { kind: 'ImageStreamTag', name: 'c2' } },
        { name: 'c2', from: { kind: 'ImageStreamTag', name: 'a:c1' } },
        { name: 'other', from: { kind: 'ImageStreamTag', name: 'x:1', namespace: 'myproject' } },
        { name: 'img', from: { kind: 'ImageStreamImage', name: 'a@sha256:' + '0'.repeat(64) } },
      ]),
      is('b', [{ name: 'cross', from: { kind: 'ImageStreamTag', name: 'a:one', namespace: 'openshift' } }]),
    ],
  };
  const set = combineSamples([readSamplesFile({ file: 'is.json', text: JSON.stringify(list, null, 2) })]);
  const got = set.issues.map((i) => `${i.severity} ${i.code} ${i.imagestream}:${i.tag}`).sort();
  assert.deepEqual(got, [
    'error ALIAS_CYCLE a:c1',
    'error ALIAS_CYCLE a:c2',
    'error ALIAS_DANGLING a:dangling',
    'info ALIAS_RESOLVED b:cross',
    'warning ALIAS_OTHER_NAMESPACE a:other',
    'warning FROM_UNSUPPORTED a:img',
  ]);
  assert.ok(set.issues.every((i) => i.file === 'is.json' && typeof i.line === 'number'));
  assert.ok(tagsOf(set).includes('- b:cross quay.io/x/a:1 (alias a:one)'));
});

test('bad/DockerImage without a registry host is a warning naming the entry', () => {
  const text = JSON.stringify({ kind: 'ImageStream', metadata: { name: 'centos' }, spec: { tags: [{ name: '7', from: { kind: 'DockerImage', name: 'centos/ruby-25-centos7:latest' } }] } }, null, 2);
  const set = combineSamples([readSamplesFile({ file: 'is.json', text })]);
  assert.deepEqual(set.issues.map((i) => `${i.severity} ${i.code} ${i.imagestream}:${i.tag} ${i.line}`), ['warning NO_REGISTRY centos:7 10']);
  assert.deepEqual(tagsOf(set), ['- centos:7 centos/ruby-25-centos7:latest']);
});

test('bad/duplicate tags: the same from once with a warning, a different from an error naming both places', () => {
  const a = readSamplesFile({ file: 'a.yaml', text: configMapYaml(sampleStreams(REG)) });
  const b = readSamplesFile({ file: 'b.yaml', text: 'kind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.0-ubi8: registry.example.com/ubi8/ruby-30:latest\n  python_3.11-ubi9: quay.io/other/python:1\n' });
  const set = combineSamples([a, b]);
  const got = set.issues.map((i) => `${i.severity} ${i.code} ${i.file}:${i.line} ${i.imagestream}:${i.tag}`);
  assert.deepEqual(got, ['warning DUPLICATE_TAG b.yaml:5 ruby:3.0-ubi8', 'error CONFLICTING_TAG b.yaml:6 python:3.11-ubi9']);
  assert.match(set.issues[1]!.message, /first at a\.yaml:\d+/);
  assert.equal(set.imagestreams.find((s) => s.name === 'ruby')!.tags.filter((t) => t.tag === '3.0-ubi8').length, 1);
});

test('bad/unknown kinds and empty files are errors with a hint of what is read', () => {
  const set = readSamplesFile({ file: 'x.yaml', text: 'kind: Secret\nmetadata:\n  name: s\n' });
  assert.deepEqual(set.issues.map((i) => `${i.severity} ${i.code} ${i.line}`), ['error UNKNOWN_INPUT 1']);
  assert.match(set.issues[0]!.message, /imagestreamtag-to-image ConfigMap/);
  assert.deepEqual(readSamplesFile({ file: 'e.yaml', text: '' }).issues.map((i) => i.code), ['UNKNOWN_INPUT']);
  assert.deepEqual(readSamplesFile({ file: 'e.json', text: '{"kind": "ConfigMap",' }).issues.map((i) => i.code), ['SYNTAX']);
});

test('registry/operatorPullSpec follows the operator rewrite rule', () => {
  const cases: [string, string, string][] = [
    ['registry.redhat.io/ubi8/ruby-30:latest', 'mirror:5000', 'mirror:5000/ubi8/ruby-30:latest'],
    ['registry.redhat.io/ubi8/ruby-30:latest', 'mirror:5000/samples', 'mirror:5000/samples/ubi8/ruby-30:latest'],
    ['quay.io/a/b@sha256:' + '1'.repeat(64), 'm.io', 'm.io/a/b@sha256:' + '1'.repeat(64)],
    ['127.0.0.1:5001/ubi9/python-311:latest', 'm.io', 'm.io/ubi9/python-311:latest'],
    ['centos/ruby-25-centos7:latest', 'm.io', 'm.io/centos/ruby-25-centos7:latest'],
    ['ruby:2.5', 'm.io', 'm.io/ruby:2.5'],
    ['registry.redhat.io/a/b/c:1', 'm.io', 'm.io/registry.redhat.io/a/b/c:1'],
    ['m.io/ubi8/x:1', 'm.io', 'm.io/ubi8/x:1'],
    ['registry.redhat.io/ubi8/x:1', '', 'registry.redhat.io/ubi8/x:1'],
  ];
  for (const [from, reg, want] of cases) assert.equal(operatorPullSpec(from, reg), want, `${from} under ${reg}`);
});

test('registry/parseSamplesMirror: host, port, prefix; refuses tags and schemes', () => {
  assert.deepEqual(parseSamplesMirror('docker://mirror.example.com:5000/samples/'), { registry: 'mirror.example.com:5000', prefix: 'samples', samplesRegistry: 'mirror.example.com:5000/samples' });
  assert.deepEqual(parseSamplesMirror('127.0.0.1:5000'), { registry: '127.0.0.1:5000', prefix: '', samplesRegistry: '127.0.0.1:5000' });
  for (const bad of ['', 'https://m.io', 'm.io/a:tag', 'm.io/UPPER', 'bad host']) assert.throws(() => parseSamplesMirror(bad), (e: unknown) => isGantryError(e, 'USAGE'), bad);
});
