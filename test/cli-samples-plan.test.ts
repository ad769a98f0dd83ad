// gantry samples plan through the shipped CLI: the three input shapes (ConfigMap YAML/JSON, ImageStreamList,
// assets tree) and stdin, every output (-o text/json/yaml/isc), the selection flags, destination naming checked by
// mirroring the ISC fragment to a real registry, and bad input (file:line, exit codes, nothing silently dropped).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configMapData, configMapJson, configMapYaml, imageStreamListJson, sampleImages, sampleStreams, sampleTemplates, pushSampleImages, writeAssetsTree, type SampleStreamSpec } from '../src/testing/samples-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { BIN, runGantry } from './run-gantry.js';

const REG = 'registry.redhat.io';
let dir: { path: string; remove(): Promise<void> };
const at = (name: string) => join(dir.path, name);
const plan = (args: string[]) => runGantry(['samples', 'plan', ...args], { cwd: dir.path });

before(async () => {
  dir = await tempDir('samples-plan');
  await writeFile(at('cm.yaml'), configMapYaml(sampleStreams(REG)));
  await writeFile(at('cm.json'), configMapJson(sampleStreams(REG)));
  await writeFile(at('is.json'), imageStreamListJson(sampleStreams(REG)));
  await writeAssetsTree(at('assets'), { streams: sampleStreams(REG), templates: sampleTemplates(), architectures: ['x86_64', 'aarch64'] });
});
after(async () => {
  await dir?.remove();
});

/** The plan the ConfigMap implies: one {imagestream, tag, image} per key, in imagestream then tag order. */
function expectedFromConfigMap(streams: SampleStreamSpec[]): { imagestream: string; tag: string; image: string }[] {
  return Object.entries(configMapData(streams))
    .map(([k, image]) => ({ imagestream: k.slice(0, k.indexOf('_')), tag: k.slice(k.indexOf('_') + 1), image }))
    .sort((a, b) => (a.imagestream + '\0' + a.tag < b.imagestream + '\0' + b.tag ? -1 : 1));
}

test('samples plan/configmap yaml and json: -o json is exactly the list of {imagestream, tag, image}', async () => {
  for (const file of ['cm.yaml', 'cm.json']) {
    const r = await plan(['--from', file, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(got, expectedFromConfigMap(sampleStreams(REG)));
    assert.ok(got.every((e) => Object.keys(e).join() === 'imagestream,tag,image'));
    assert.match(r.stderr, /7 tags, 7 images to mirror/);
  }
});

test('samples plan/imagestream list: aliases follow their target, jenkins included (the ConfigMap leaves it out)', async () => {
  const r = await plan(['--from', 'is.json', '-o', 'json', '--verbose']);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { imagestream: string; tag: string; image: string }[];
  const all = sampleStreams(REG).flatMap((s) => s.tags.filter((t) => t.image).map((t) => `${s.name}:${t.name} ${t.image}`)).sort();
  assert.deepEqual(got.map((e) => `${e.imagestream}:${e.tag} ${e.image}`).sort(), all);
  assert.match(r.stderr, /note: is\.json:\d+: imagestream ruby tag latest: alias of ruby:3\.3-ubi9/);
  assert.match(r.stderr, /note: is\.json:\d+: imagestream java tag latest: alias of java:openjdk-17-ubi8/);
  // Without --verbose the notes are one line: the count and the first.
  const quiet = await plan(['--from', 'is.json', '-o', 'json']);
  assert.equal(quiet.stdout, r.stdout);
  assert.match(quiet.stderr, /^note: ImageStreamTag aliases resolved .* ×2 \(first: java:latest: alias of java:openjdk-17-ubi8/m);
  assert.doesNotMatch(quiet.stderr, /note: is\.json/);
});

test('samples plan/stdin and several inputs at once: the same tags read twice are planned once, with a warning', async () => {
  const r = spawnSync(process.execPath, [BIN, 'samples', 'plan', '--from', '-', 'cm.json', '-o', 'yaml'], { cwd: dir.path, input: configMapYaml(sampleStreams(REG)), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(parse(r.stdout), expectedFromConfigMap(sampleStreams(REG)));
  assert.equal((r.stderr.match(/warning: cm\.json:\d+: imagestream \S+ tag \S+: the tag is listed again \(first at <stdin>:\d+\)/g) ?? []).length, 7);
});

test('samples plan/text table, with the destination the operator pulls under --mirror (prefix kept)', async () => {
  const r = await plan(['--from', 'cm.yaml', '--mirror', 'mirror.example.com:5000/samples']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^IMAGESTREAM\s+TAG\s+IMAGE\s+DESTINATION$/);
  assert.equal(lines.length, 1 + 7);
  assert.match(r.stdout, /^ruby\s+3\.3-ubi9\s+registry\.redhat\.io\/ubi9\/ruby-33:latest\s+mirror\.example\.com:5000\/samples\/ubi9\/ruby-33:latest$/m);
  assert.match(r.stderr, /samplesRegistry: mirror\.example\.com:5000\/samples/);
  const plain = await plan(['--from', 'cm.yaml']);
  assert.match(plain.stdout.split('\n')[0]!, /^IMAGESTREAM\s+TAG\s+IMAGE$/);
});

test('samples plan/assets tree selection: --referenced, --arch, --language, --name', async () => {
  const json = async (args: string[]) => {
    const r = await plan(['--from', 'assets', '-o', 'json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { imagestream: string; tag: string }[]).map((e) => `${e.imagestream}:${e.tag}`);
  };
  // rails uses ruby:${RUBY_VERSION} (default 3.3-ubi9) and mysql; the nodejs template nodejs:20-ubi9.
  assert.deepEqual(await json(['--referenced']), ['mysql:8.0-el8', 'nodejs:20-ubi9', 'ruby:3.3-ubi9']);
  assert.deepEqual(await json(['--language', 'Ruby', '--language', 'node.js']), ['nodejs:20-ubi9', 'ruby:3.0-ubi8', 'ruby:3.3-ubi9']);
  assert.deepEqual(await json(['--language', 'go,java']), ['golang:1.22-ubi9', 'java:openjdk-17-ubi8']);
  assert.deepEqual(await json(['--name', 'py*', '--name', 'mysql']), ['mysql:8.0-el8', 'python:3.11-ubi9']);
  assert.deepEqual(await json(['--arch', 'arm64', '--name', 'ruby']), ['ruby:3.0-ubi8', 'ruby:3.3-ubi9']);
  const none = await plan(['--from', 'assets', '--arch', 's390x', '-o', 'json']);
  assert.equal(none.code, 0);
  assert.deepEqual(JSON.parse(none.stdout), []);
  assert.match(none.stderr, /warning: .*--arch s390x: no imagestream for that architecture/);
});

test('samples plan/--arch on a ConfigMap cannot filter and says so; --referenced without templates is an error', async () => {
  const r = await plan(['--from', 'cm.yaml', '--arch', 'x86_64', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as unknown[]).length, 7);
  assert.match(r.stderr, /warning: cm\.yaml: --arch cannot filter this input/);
  const ref = await plan(['--from', 'cm.yaml', '--referenced']);
  assert.equal(ref.code, 1);
  assert.match(ref.stderr, /error\[CONFIG_INVALID\]: .*--referenced needs templates/);
  assert.equal(ref.stdout, '');
});

let src: RunningRegistry | undefined;
let dst: RunningRegistry | undefined;
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
});

test('samples plan/-o isc mirrored by gantry mirror puts every image where the operator pulls it (operatorPullSpec)', async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  // A source registry holding the samples' images (host/ns/name, as the operator's own content has them).
  const streams = sampleStreams(src.host).filter((s) => ['ruby', 'python'].includes(s.name));
  await pushSampleImages(`http://${src.host}`, sampleImages(streams));
  await writeFile(at('src-is.json'), imageStreamListJson(streams));
  const mirror = `${dst.host}/samples`;
  const isc = await plan(['--from', 'src-is.json', '--mirror', mirror, '-o', 'isc']);
  assert.equal(isc.code, 0, isc.stderr);
  const doc = parse(isc.stdout) as { kind: string; apiVersion: string; mirror: { additionalImages: { name: string }[] } };
  assert.deepEqual([doc.kind, doc.apiVersion], ['ImageSetConfiguration', 'mirror.openshift.io/v2alpha1']);
  assert.deepEqual(doc.mirror.additionalImages.map((i) => i.name), sampleImages(streams));
  await writeFile(at('samples-isc.yaml'), isc.stdout);
  const m = await runGantry(['mirror', '-c', at('samples-isc.yaml'), `docker://${mirror}`, '--workspace', at('ws'), '--src-tls-verify=false', '--dest-tls-verify=false', '--quiet']);
  assert.equal(m.code, 0, m.stderr);
  const table = await plan(['--from', 'src-is.json', '--mirror', mirror]);
  const destinations = table.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[3]!);
  assert.equal(destinations.length, 3);
  for (const d of destinations) {
    const r = await runGantry(['inspect', '-o', 'json', '--tls-verify=false', `docker://${d}`]);
    assert.equal(r.code, 0, `${d}: ${r.stderr}`);
    assert.ok(d.startsWith(`${mirror}/`));
  }
});

test('samples plan/a pull spec without "/" gets the targetRepo the operator needs in the ISC', async () => {
  await writeFile(at('bare.json'), JSON.stringify({ kind: 'ImageStream', metadata: { name: 'bare' }, spec: { tags: [{ name: '1', from: { kind: 'DockerImage', name: 'ruby:2.5' } }, { name: '2', from: { kind: 'DockerImage', name: 'quay.io/a/b/c:1' } }] } }, null, 2));
  const r = await plan(['--from', 'bare.json', '--mirror', 'm.example.com:5000/pre', '-o', 'isc']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((parse(r.stdout) as { mirror: { additionalImages: unknown[] } }).mirror.additionalImages, [
    { name: 'quay.io/a/b/c:1', targetRepo: 'quay.io/a/b/c' },
    { name: 'ruby:2.5', targetRepo: 'ruby' },
  ]);
  assert.match(r.stderr, /warning: bare\.json:\d+: imagestream bare tag 1: DockerImage "ruby:2\.5" names no registry host/);
});

test('bad input/a destination the operator would build with a host:port inside its path is refused, naming the tag', async () => {
  await writeFile(at('deep.json'), JSON.stringify({ kind: 'ImageStream', metadata: { name: 'deep' }, spec: { tags: [{ name: '1', from: { kind: 'DockerImage', name: '127.0.0.1:5000/a/b/c:1' } }] } }, null, 2));
  const r = await plan(['--from', 'deep.json', '--mirror', 'm.example.com']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: deep\.json:\d+: imagestream deep tag 1: under samplesRegistry m\.example\.com the operator would pull m\.example\.com\/127\.0\.0\.1:5000\/a\/b\/c:1, which is no image reference/);
  const without = await plan(['--from', 'deep.json', '-o', 'json']);
  assert.equal(without.code, 0, without.stderr);
});

test('bad input/ConfigMap with malformed keys: each named with file:line, exit 1, nothing planned', async () => {
  await writeFile(at('bad-cm.yaml'), ['kind: ConfigMap', 'metadata:', '  name: imagestreamtag-to-image', 'data:', '  ruby_3.0: registry.redhat.io/ubi8/ruby-30:latest', '  rubylatest: registry.redhat.io/ubi8/ruby-30:latest', '  python_: registry.redhat.io/ubi9/python-311:latest', ''].join('\n'));
  const r = await plan(['--from', 'bad-cm.yaml', '-o', 'json']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: bad-cm\.yaml:6: key "rubylatest" is not <imagestream>_<tag>/);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: bad-cm\.yaml:7: key "python_"/);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: 2 errors in the samples input/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('bad input/ImageStreamTag aliases: resolved and said so; dangling, cycle and other namespace named', async () => {
  const is = { kind: 'ImageStream', metadata: { name: 'ruby' }, spec: { tags: [
    { name: '3.3', from: { kind: 'DockerImage', name: 'registry.redhat.io/ubi9/ruby-33:latest' } },
    { name: 'latest', from: { kind: 'ImageStreamTag', name: '3.3' } },
    { name: 'gone', from: { kind: 'ImageStreamTag', name: 'ruby:9' } },
    { name: 'x', from: { kind: 'ImageStreamTag', name: 'y' } },
    { name: 'y', from: { kind: 'ImageStreamTag', name: 'x' } },
    { name: 'elsewhere', from: { kind: 'ImageStreamTag', name: 'ruby:3.3', namespace: 'myproject' } },
  ] } };
  await writeFile(at('alias.json'), JSON.stringify(is, null, 2));
  const r = await plan(['--from', 'alias.json', '--verbose']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /note: alias\.json:\d+: imagestream ruby tag latest: alias of ruby:3\.3/);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: alias\.json:\d+: imagestream ruby tag gone: from ImageStreamTag ruby:9 leads to ruby:9, which is not in the input \(ALIAS_DANGLING\)/);
  assert.match(r.stderr, /imagestream ruby tag x: from ImageStreamTag y is a cycle: ruby:x → ruby:y → ruby:x/);
  assert.match(r.stderr, /warning: alias\.json:\d+: imagestream ruby tag elsewhere: .*another namespace/);
  // Without the broken entries the same stream plans its one image, the alias not listed twice.
  is.spec.tags = is.spec.tags.slice(0, 2);
  await writeFile(at('alias-ok.json'), JSON.stringify(is));
  const ok = await plan(['--from', 'alias-ok.json', '-o', 'json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), [{ imagestream: 'ruby', tag: '3.3', image: 'registry.redhat.io/ubi9/ruby-33:latest' }]);
});

test('bad input/duplicate tags with different images are an error naming both places', async () => {
  await writeFile(at('other.yaml'), 'kind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.3-ubi9: quay.io/someone/ruby:3.3\n');
  const r = await plan(['--from', 'cm.yaml', 'other.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: other\.yaml:5: imagestream ruby tag 3\.3-ubi9: the tag is listed again \(first at cm\.yaml:\d+\) with from DockerImage quay\.io\/someone\/ruby:3\.3 instead of DockerImage registry\.redhat\.io\/ubi9\/ruby-33:latest/);
});

test('bad input/usage: an unreachable image, an unknown language or architecture, a bad --mirror, no --from', async () => {
  // Images are inputs (test/cli-samples-image.test.ts); one nobody can reach is an error naming the registry.
  const image = await plan(['--from', 'docker://127.0.0.1:1/openshift4/ose-cluster-samples-operator:latest', '--retry-times', '0']);
  assert.equal(image.code, 1);
  assert.match(image.stderr, /error\[REGISTRY_UNREACHABLE\]: .*127\.0\.0\.1:1/);
  for (const [args, pattern] of [
    [['--from', 'cm.yaml', '--language', 'cobol'], /--language cobol is not one of the S2I languages/],
    [['--from', 'cm.yaml', '--arch', 'mips'], /--arch mips is not an architecture/],
    [['--from', 'cm.yaml', '--mirror', 'https://m.io'], /is not a mirror registry/],
    [['--from', 'cm.yaml', '--mirror', 'm.io/ns:tag'], /is not a repository path prefix/],
    [[], /--from is required/],
    [['--from', 'cm.yaml', '-o', 'xml'], /argument 'xml' is invalid/],
  ] as [string[], RegExp][]) {
    const r = await plan(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, pattern);
  }
  const missing = await plan(['--from', 'nope.yaml']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error\[NOT_FOUND\]: nope\.yaml: no such file or directory/);
  // A name that is neither a file nor an image reference with a registry host: the hint names both forms.
  const neither = await plan(['--from', 'ose-cluster-samples-rhel9-operator:v4.16']);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /error\[NOT_FOUND\]: .*no such file or directory\n\s+hint: an image is read as docker:\/\/REF/);
  const wrongKind = await plan(['--from', 'assets/x86_64/rails/templates/rails-mysql-example.json', '--name', 'ruby']);
  assert.equal(wrongKind.code, 1);
  assert.match(wrongKind.stderr, /--name ruby matches no imagestream/);
});
