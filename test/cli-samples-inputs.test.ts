// samples config and check over every input shape, through bin/gantry.js and a real registry: the operator's assets
// tree (two architectures, templates → skippedTemplates, aliases), an ImageStreamList and the ConfigMap; and bad
// input reaching config/check — each a clear error naming the entry, nothing checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configMapYaml, imageStreamListJson, pushSampleImages, sampleImages, sampleStreams, sampleTemplates, writeAssetsTree } from '../src/testing/samples-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { validateSamplesResource } from '../src/testing/samples-schemas.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let reg: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const NO_TLS = ['--tls-verify=false'];

type Doc = { [field: string]: unknown; kind: string; spec?: Record<string, unknown> };
const configSpec = (text: string) => (parseAllDocuments(text) as unknown as { toJS(): Doc }[]).map((d) => d.toJS()).find((d) => d.kind === 'Config')!.spec!;

async function deleteTag(repo: string, tag: string): Promise<void> {
  const head = await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const digest = head.headers.get('docker-content-digest');
  assert.ok(digest, `${repo}:${tag} is there`);
  assert.equal((await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' })).status, 202);
}

before(async () => {
  [reg, dir] = await Promise.all([startRegistry(), tempDir('samples-inputs')]);
  const streams = sampleStreams(reg.host);
  await pushSampleImages(reg.url, sampleImages(streams));
  await writeAssetsTree(join(dir.path, 'assets'), { streams, templates: sampleTemplates(), architectures: ['x86_64', 'aarch64'] });
  await writeFile(join(dir.path, 'is.json'), imageStreamListJson(streams));
  await writeFile(join(dir.path, 'ist.yaml'), configMapYaml(streams));
  // MySQL and Ruby 3.3 are not at the mirror: every input shape must skip mysql and ruby.
  await deleteTag('rhel8/mysql-80', 'latest');
  await deleteTag('ubi9/ruby-33', 'latest');
});
after(async () => {
  await reg?.stop();
  await dir?.remove();
});

test('samples-config/assets tree: skippedImagestreams, skippedTemplates through aliases and parameters, architectures from the tree', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'assets'), '--mirror', reg.host, ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  const spec = configSpec(r.stdout);
  assert.deepEqual(spec.skippedImagestreams, ['mysql', 'ruby']);
  // rails-mysql-example uses ruby:${RUBY_VERSION} and mysql:8.0-el8; nodejs-example only nodejs, which is mirrored.
  assert.deepEqual(spec.skippedTemplates, ['rails-mysql-example']);
  assert.deepEqual([...(spec.architectures as string[])].sort(), ['arm64', 'x86_64']);
  assert.equal(validateSamplesResource((parseAllDocuments(r.stdout) as unknown as { toJS(): Doc }[])[0]!.toJS()), '');
  assert.match(r.stderr, /1 template\(s\) skipped/);
  assert.match(r.stderr, /^note: .*×\d+ .*--verbose lists each/m);
  const verbose = await runGantry(['samples', 'config', '--from', join(dir.path, 'assets'), '--mirror', reg.host, ...NO_TLS, '--verbose']);
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.ok(verbose.stderr.split('\n').filter((l) => l.startsWith('note:') && l.includes('ALIAS_RESOLVED')).length > 1, verbose.stderr);

  const none = await runGantry(['samples', 'config', '--from', join(dir.path, 'assets'), '--mirror', reg.host, ...NO_TLS, '--no-skipped-templates', '--architecture', 'x86_64']);
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(configSpec(none.stdout), { architectures: ['x86_64'], samplesRegistry: reg.host, skippedImagestreams: ['mysql', 'ruby'], managementState: 'Managed' });
});

test('samples-config/ImageStreamList and ConfigMap give the same skip list as the assets tree', async () => {
  for (const input of ['is.json', 'ist.yaml']) {
    const r = await runGantry(['samples', 'config', '--from', join(dir.path, input), '--mirror', reg.host, ...NO_TLS]);
    assert.equal(r.code, 0, `${input}: ${r.stderr}`);
    assert.deepEqual(configSpec(r.stdout).skippedImagestreams, ['mysql', 'ruby'], input);
    assert.equal(configSpec(r.stdout).skippedTemplates, undefined, `${input} has no templates`);
  }
});

test('samples-config/release payload imagestreams in `oc get is` output are said and left out, not skipped', async () => {
  const streams = [...sampleStreams(reg.host), { name: 'must-gather', tags: [{ name: 'latest', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'c'.repeat(64) }] }];
  await writeFile(join(dir.path, 'is-payload.json'), imageStreamListJson(streams));
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'is-payload.json'), '--mirror', reg.host, ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(configSpec(r.stdout).skippedImagestreams, ['mysql', 'ruby']);
  assert.match(r.stderr, /^note: must-gather: release payload imagestreams, not managed by the samples operator/m);
});

test('samples-check/exported imagestreams: the alias tag fails with the tag it resolves to; skipped streams are not checked', async () => {
  await writeFile(join(dir.path, 'cfg-skip-mysql.yaml'), `apiVersion: samples.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  managementState: Managed\n  samplesRegistry: ${reg.host}\n  skippedImagestreams:\n  - mysql\n`);
  const r = await runGantry(['samples', 'check', '-c', join(dir.path, 'cfg-skip-mysql.yaml'), '--from', join(dir.path, 'is.json'), ...NO_TLS, '-o', 'json', '--verbose']);
  assert.equal(r.code, 1, r.stderr);
  const rows = JSON.parse(r.stdout) as { imagestream: string; tag: string; pullSpec: string }[];
  assert.deepEqual(rows.map((x) => `${x.imagestream}:${x.tag} ${x.pullSpec}`), [`ruby:3.3-ubi9 ${reg.host}/ubi9/ruby-33:latest`, `ruby:latest ${reg.host}/ubi9/ruby-33:latest`]);
  assert.match(r.stderr, /2 of \d+ tag\(s\) would fail/);
  assert.match(r.stderr, /^note: .*is\.json.*imagestream ruby tag latest: .*\(ALIAS_RESOLVED\)$/m, '--verbose lists each note');
});

for (const [name, content, pattern] of [
  ['ConfigMap with a malformed key', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.3-ubi9: quay.io/a/b:1\n  noseparator: quay.io/a/c:1\n', /^error\[CONFIG_INVALID\]: .*bad\.yaml:7: key "noseparator".*\(KEY_INVALID\)$/m],
  ['conflicting tags', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.3-ubi9: quay.io/a/b:1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.3-ubi9: quay.io/a/other:1\n', /^error\[CONFIG_INVALID\]: .*bad\.yaml:\d+: imagestream ruby tag 3\.3-ubi9: .*\(CONFLICTING_TAG\)$/m],
] as const) {
  test(`samples-config/error/${name}: the entry named, nothing checked`, async () => {
    await writeFile(join(dir.path, 'bad.yaml'), content);
    for (const args of [
      ['samples', 'config', '--from', join(dir.path, 'bad.yaml'), '--mirror', reg.host, ...NO_TLS],
      ['samples', 'check', '-c', join(dir.path, 'cfg-skip-mysql.yaml'), '--from', join(dir.path, 'bad.yaml'), ...NO_TLS],
    ]) {
      const r = await runGantry(args);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /^error\[CONFIG_INVALID\]: 1 error in the samples input/m);
      assert.equal(r.stdout, '');
    }
  });
}

test('samples-config/a DockerImage without a registry host: warned, named, and looked up where the operator will pull it', async () => {
  await writeFile(join(dir.path, 'nohost.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  python_3.11-ubi9: ubi9/python-311:latest\n  nodejs_20-ubi9: nodejs-20:latest\n');
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'nohost.yaml'), '--mirror', reg.host, ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: .*nohost\.yaml:6: imagestream python tag 3\.11-ubi9: DockerImage "ubi9\/python-311:latest" names no registry host.*\(NO_REGISTRY\)$/m);
  // One slash: the operator pulls MIRROR/ubi9/python-311 (there); none: MIRROR/nodejs-20 (not there).
  assert.deepEqual(configSpec(r.stdout).skippedImagestreams, ['nodejs']);
  assert.match(r.stdout, new RegExp(`nodejs: 20-ubi9 \\(${reg.host}/nodejs-20:latest: no tag latest\\)`));
});

test('samples-config/error/--from that does not exist', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'nope.yaml'), '--mirror', reg.host]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[NOT_FOUND\]: .*nope\.yaml: no such file or directory/m);
});
