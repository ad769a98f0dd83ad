import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isGantryError } from '../errors.js';
import { validateSamplesResource } from '../testing/samples-schemas.js';
import type { TagPresence } from './mirror-presence.js';
import { buildSamplesConfig, installTimeManifest, mustGatherImageStream, renderDocuments } from './samples-resources.js';
import { parseSamplesMirror } from './samples-registry.js';

const M = parseSamplesMirror('mirror.test:5000');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const D = `sha256:${'1'.repeat(64)}` as const;
const p = (imagestream: string, tag: string, present: boolean): TagPresence => ({
  imagestream,
  tag,
  image: `registry.redhat.io/ubi8/${imagestream}:${tag}`,
  pullSpec: `mirror.test:5000/ubi8/${imagestream}:${tag}`,
  present,
  ...(present ? { digest: D } : { reason: `no tag ${tag}` }),
});

test('samples-resources/skippedImagestreams is every imagestream with a missing tag, skippedTemplates those using one', () => {
  const r = buildSamplesConfig({
    mirror: M,
    presence: [p('ruby', '3.3', true), p('ruby', '2.5', false), p('python', '3.9', true), p('perl', '5.32', false), p('perl', '5.30', false)],
    templates: [
      { name: 'rails-postgresql-example', imagestreams: ['ruby', 'postgresql'] },
      { name: 'django-psql-example', imagestreams: ['python'] },
      { name: 'dancer-mysql-example', imagestreams: ['perl'] },
    ],
    architectures: ['x86_64'],
    caPem: CA,
  });
  assert.deepEqual(r.skippedImagestreams, ['perl', 'ruby']);
  assert.deepEqual(r.mirroredImagestreams, ['python']);
  assert.deepEqual(r.skippedTemplates, ['dancer-mysql-example', 'rails-postgresql-example']);
  assert.deepEqual(r.documents.map((d) => d.resource.kind), ['ConfigMap', 'Image', 'Config']);
  const [cm, image, config] = r.documents.map((d) => d.resource);
  assert.deepEqual(cm!.data, { 'mirror.test..5000': CA });
  assert.deepEqual(image!.spec, { additionalTrustedCA: { name: 'registry-config' } });
  assert.deepEqual(config!.spec, { architectures: ['x86_64'], samplesRegistry: 'mirror.test:5000', skippedImagestreams: ['perl', 'ruby'], skippedTemplates: ['dancer-mysql-example', 'rails-postgresql-example'], managementState: 'Managed' });
  for (const d of r.documents) assert.equal(validateSamplesResource(d.resource), '', d.resource.kind);
});

test('samples-resources/without --ca no trust resources; everything mirrored gives no skip lists', () => {
  const r = buildSamplesConfig({ mirror: M, presence: [p('ruby', '3.3', true)] });
  assert.deepEqual(r.documents.map((d) => d.resource.kind), ['Config']);
  assert.deepEqual(r.documents[0]!.resource.spec, { architectures: ['x86_64'], samplesRegistry: 'mirror.test:5000', managementState: 'Managed' });
});

test('samples-resources/rendered YAML reads back as the resources, byte-identical for identical input', () => {
  const input = { mirror: M, presence: [p('ruby', '2.5', false), p('python', '3.9', true)], caPem: CA, mustGatherImage: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}` };
  const a = renderDocuments(buildSamplesConfig(input).documents, ['header']);
  assert.equal(a, renderDocuments(buildSamplesConfig(input).documents, ['header']));
  const docs = parseAllDocuments(a) as unknown as { toJS(): { kind: string } }[];
  assert.deepEqual(docs.map((d) => d.toJS().kind), ['ConfigMap', 'Image', 'Config', 'ImageStream']);
  for (const d of docs) assert.equal(validateSamplesResource(d.toJS()), '');
  assert.match(a, /^# header\n---\n# The mirror's CA/);
});

test('samples-resources/install-time manifest is the documented Removed Config', () => {
  const d = installTimeManifest(['x86_64']);
  assert.deepEqual(d.resource, { apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { architectures: ['x86_64'], managementState: 'Removed' } });
  assert.equal(validateSamplesResource(d.resource), '');
});

test('samples-resources/schema check catches a misspelt field and a bad managementState', () => {
  assert.match(validateSamplesResource({ apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { skippedImageStreams: ['x'] } }), /skippedImageStreams/);
  assert.match(validateSamplesResource({ apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'On' } }), /pattern/);
});

test('samples-resources/architectures are written as the operator accepts them (aarch64 → arm64, amd64 → x86_64)', () => {
  const r = buildSamplesConfig({ mirror: M, presence: [p('ruby', '3.3', true)], architectures: ['aarch64', 'amd64', 'x86_64', 's390x'] });
  assert.deepEqual((r.documents[0]!.resource.spec as { architectures: string[] }).architectures, ['arm64', 'x86_64', 's390x']);
});

test('samples-resources/error/must-gather by tag, CA without a certificate, unknown architecture', () => {
  assert.throws(() => mustGatherImageStream('quay.io/openshift/origin-must-gather:v4.0'), (e) => isGantryError(e, 'USAGE'));
  assert.throws(() => buildSamplesConfig({ mirror: M, presence: [], caPem: 'not a pem' }), (e) => isGantryError(e, 'CONFIG_INVALID'));
  assert.throws(() => buildSamplesConfig({ mirror: M, presence: [], architectures: ['i386'] }), (e) => isGantryError(e, 'USAGE'));
});

/** Golden files live in the source tree (testdata/); GANTRY_UPDATE_GOLDEN=1 rewrites them. */
async function golden(name: string, actual: string): Promise<void> {
  const file = new URL(`../../../src/samples/testdata/${name}`, import.meta.url).pathname;
  if (process.env.GANTRY_UPDATE_GOLDEN === '1') {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  assert.equal(actual, await readFile(file, 'utf8'), `golden ${name}`);
}

test('samples-resources/golden: every document with its comments, in the order of the procedure', async () => {
  const r = buildSamplesConfig({
    mirror: M,
    presence: [p('ruby', '3.3', true), p('ruby', '2.5', false), p('python', '3.9', true), p('perl', '5.32', false)],
    templates: [{ name: 'rails-postgresql-example', imagestreams: ['postgresql', 'ruby'] }, { name: 'django-psql-example', imagestreams: ['python'] }],
    architectures: ['x86_64', 'aarch64'],
    caPem: CA,
    mustGatherImage: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`,
  });
  await golden('samples-config.yaml', renderDocuments(r.documents, ['gantry samples config (golden)']));
  await golden('install-manifest.yaml', renderDocuments([installTimeManifest(['x86_64'])]));
});
