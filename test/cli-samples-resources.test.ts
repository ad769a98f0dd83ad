// gantry samples config's trust and support resources through bin/gantry.js: a TLS mirror checked with nothing but
// --ca (the same CA the registry-config ConfigMap carries, under <host>..<port>), must-gather, the install-time
// manifest, every document valid against the openshift/api schemas; and bad input, each a clear error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { validateSamplesResource } from '../src/testing/samples-schemas.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let tls: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const D = `sha256:${'b'.repeat(64)}`;

type Doc = { [field: string]: unknown; kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; spec?: Record<string, unknown> };
const documents = (text: string): Doc[] => (parseAllDocuments(text) as unknown as { toJS(): Doc }[]).map((d) => d.toJS());

before(async () => {
  [tls, dir] = await Promise.all([startRegistry({ tls: true }), tempDir('samples-res')]);
  const ca = await readFile(tls.caCert!);
  await pushImageRaw(tls.url, 'ubi8/ruby-33', 'latest', buildImage({ seed: 'ruby-33', layerSizes: [200] }), { ca });
  await writeFile(
    join(dir.path, 'ist.yaml'),
    ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: imagestreamtag-to-image', 'data:', `  ruby_3.3-ubi8: registry.redhat.io/ubi8/ruby-33:latest`, `  python_3.9-ubi8: registry.redhat.io/ubi8/python-39:latest`, ''].join('\n'),
  );
  await writeFile(join(dir.path, 'not-a-ca.pem'), 'hello\n');
  await writeFile(join(dir.path, 'ca.pem'), await readFile(tls.caCert!));
});
after(async () => {
  await tls?.stop();
  await dir?.remove();
});

test('samples-config/TLS mirror trusted through --ca alone; registry-config key <host>..<port>; must-gather; all valid', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', tls.host, '--ca', tls.caCert!, '--must-gather', `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`]);
  assert.equal(r.code, 0, r.stderr);
  const docs = documents(r.stdout);
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`), ['ConfigMap/openshift-config/registry-config', 'Image//cluster', 'Config//cluster', 'ImageStream/openshift/must-gather']);
  const ca = await readFile(tls.caCert!, 'utf8');
  assert.deepEqual(docs[0]!.data, { [`127.0.0.1..${tls.port}`]: ca });
  assert.deepEqual(docs[1]!.spec, { additionalTrustedCA: { name: 'registry-config' } });
  assert.deepEqual(docs[2]!.spec, { architectures: ['x86_64'], samplesRegistry: tls.host, skippedImagestreams: ['python'], managementState: 'Managed' });
  assert.deepEqual(docs[3]!.spec, { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}` }, importPolicy: { importMode: 'PreserveOriginal' } }] });
  for (const d of docs) assert.equal(validateSamplesResource(d), '', d.kind);
  assert.match(r.stdout, /oc import-image is\/must-gather -n openshift/);
});

test('samples-config/a mirror with a path prefix: samplesRegistry HOST/PREFIX, images looked up below it, CA key the host', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', `${tls.host}/samples`, '--ca', tls.caCert!]);
  assert.equal(r.code, 0, r.stderr);
  const docs = documents(r.stdout);
  assert.deepEqual(Object.keys(docs[0]!.data!), [`127.0.0.1..${tls.port}`]);
  // ruby-33 was pushed at ubi8/ruby-33, not samples/ubi8/ruby-33: the operator would pull the latter.
  assert.deepEqual(docs[2]!.spec, { architectures: ['x86_64'], samplesRegistry: `${tls.host}/samples`, skippedImagestreams: ['python', 'ruby'], managementState: 'Managed' });
  assert.match(r.stdout, new RegExp(`3\\.3-ubi8 \\(${tls.host}/samples/ubi8/ruby-33:latest: no tag latest\\)`));
});

test('samples-config/--ca-configmap: the CA goes into the ConfigMap additionalTrustedCA already names', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', tls.host, '--ca', tls.caCert!, '--ca-configmap', 'user-ca-bundle']);
  assert.equal(r.code, 0, r.stderr);
  const [cm, image] = documents(r.stdout);
  assert.deepEqual([cm!.kind, cm!.metadata], ['ConfigMap', { name: 'user-ca-bundle', namespace: 'openshift-config' }]);
  assert.deepEqual(image!.spec, { additionalTrustedCA: { name: 'user-ca-bundle' } });
});

test('samples-config/without --ca the TLS mirror is not trusted: an error, not a list of skips', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', tls.host]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[TLS_ERROR\]/m);
  assert.equal(r.stdout, '');
});

test('samples-install-manifest/the documented Removed Config, valid', async () => {
  const r = await runGantry(['samples', 'install-manifest']);
  assert.equal(r.code, 0, r.stderr);
  const [doc, ...rest] = documents(r.stdout);
  assert.equal(rest.length, 0);
  assert.deepEqual(doc, { apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { architectures: ['x86_64'], managementState: 'Removed' } });
  assert.equal(validateSamplesResource(doc!), '');
  assert.match(r.stdout, /openshift-install create manifests/);
  const arm = await runGantry(['samples', 'install-manifest', '--architecture', 'aarch64']);
  assert.deepEqual(documents(arm.stdout)[0]!.spec, { architectures: ['arm64'], managementState: 'Removed' });
});

for (const [name, args, code, pattern] of [
  ['mirror not a host', ['--mirror', 'bad host'], 2, /^error\[USAGE\]: .*is not a registry host/m],
  ['mirror with a tag', ['--mirror', 'm.example:5000/samples:v1'], 2, /^error\[USAGE\]: .*not a repository path prefix/m],
  ['must-gather by tag', ['--mirror', 'm.example:5000', '--must-gather', 'quay.io/openshift/origin-must-gather:v4.0'], 2, /^error\[USAGE\]: --must-gather .* names no digest\n {2}hint: .*gantry release info RELEASE --image-for must-gather.*--release/m],
  ['CA file without a certificate', ['--mirror', 'm.example:5000', '--ca', 'not-a-ca.pem'], 1, /^error\[CONFIG_INVALID\]: the --ca file holds no PEM certificate/m],
  ['CA file missing', ['--mirror', 'm.example:5000', '--ca', 'nope.pem'], 1, /^error\[NOT_FOUND\]: cannot read --ca file/m],
  ['unknown architecture', ['--mirror', 'm.example:5000', '--architecture', 'i386'], 2, /^error\[USAGE\]: architecture "i386"/m],
  ['no --mirror', [], 2, /^error\[USAGE\]: required option '--mirror/m],
  ['--ca-configmap without --ca', ['--mirror', 'm.example:5000', '--ca-configmap', 'x'], 2, /^error\[USAGE\]: --ca-configmap names the ConfigMap of --ca/m],
  ['--ca-configmap not a name', ['--mirror', 'm.example:5000', '--ca', 'ca.pem', '--ca-configmap', 'Bad_Name'], 2, /^error\[USAGE\]: "Bad_Name" is not a ConfigMap name/m],
] as const) {
  test(`samples-config/error/${name}`, async () => {
    const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), ...args.map((a) => (a.endsWith('.pem') ? join(dir.path, a) : a))], { cwd: dir.path });
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  });
}

test('samples-config/error/unreachable mirror is an error, not every imagestream skipped', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', '127.0.0.1:1', '--tls-verify=false', '--retry-times', '0']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[REGISTRY_UNREACHABLE\]/m);
  assert.equal(r.stdout, '');
});

test('samples-check/error/a file without a samples Config', async () => {
  const r = await runGantry(['samples', 'check', '-c', join(dir.path, 'ist.yaml'), '--from', join(dir.path, 'ist.yaml'), '--tls-verify=false']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[CONFIG_INVALID\]: .*ist\.yaml holds 0 samples\.operator\.openshift\.io Config resources, not one\n {2}hint: oc get configs\.samples/m);
});

test('samples-check/managementState Removed and no samplesRegistry are said, and checked at the source', async () => {
  await writeFile(join(dir.path, 'removed.yaml'), 'apiVersion: samples.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  managementState: Removed\n  skippedImagestreams: [python]\n');
  await writeFile(join(dir.path, 'ist-tls.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  ruby_3.3-ubi8: ${tls.host}/ubi8/ruby-33:latest\n  ruby_2.7-ubi8: ${tls.host}/ubi8/ruby-27:latest\n  python_3.9-ubi8: ${tls.host}/ubi8/python-39:latest\n`);
  const r = await runGantry(['samples', 'check', '-c', join(dir.path, 'removed.yaml'), '--from', join(dir.path, 'ist-tls.yaml'), '--cert-dir', tls.certDir!]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /note: managementState is Removed/);
  assert.match(r.stderr, /note: the Config sets no samplesRegistry/);
  assert.equal(r.stdout, `ruby:2.7-ubi8\t${tls.host}/ubi8/ruby-27:latest\tno tag latest\n`);
});
