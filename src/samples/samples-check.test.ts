import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { sha256 } from '../oci/digest.js';
import type { MirrorLookup } from './mirror-presence.js';
import { checkSamples, parseSamplesConfig } from './samples-check.js';

const CONFIG = `apiVersion: samples.operator.openshift.io/v1
kind: Config
metadata:
  name: cluster
spec:
  managementState: Managed
  samplesRegistry: mirror.test:5000
  skippedImagestreams: [perl]
`;

test('samples-check/parse the Config from YAML, from a List in JSON, from a multi-document file', () => {
  const c = parseSamplesConfig(CONFIG, 'c.yaml');
  assert.deepEqual([c.samplesRegistry, c.skippedImagestreams, c.architectures, c.managementState], ['mirror.test:5000', ['perl'], [], 'Managed']);
  const list = JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [{ apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { samplesRegistry: 'm:1' } }] });
  assert.equal(parseSamplesConfig(list, 'l.json').samplesRegistry, 'm:1');
  assert.equal(parseSamplesConfig(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${CONFIG}`, 'm.yaml').samplesRegistry, 'mirror.test:5000');
});

for (const [name, text] of [
  ['no Config', 'apiVersion: v1\nkind: ConfigMap\n'],
  ['two Configs', `${CONFIG}---\n${CONFIG}`],
  ['skipped list not strings', CONFIG.replace('[perl]', '[1, {a: b}]')],
  ['not YAML', '{ unclosed: ['],
] as const) {
  test(`samples-check/error/${name}`, () => assert.throws(() => parseSamplesConfig(text, 'f.yaml'), (e) => isGantryError(e, 'CONFIG_INVALID')));
}

test('samples-check/lists tags not at samplesRegistry, leaves skipped imagestreams out', async () => {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('c'), size: 1 }, layers: [] }));
  const digest = sha256(bytes);
  const seen: string[] = [];
  const lookup: MirrorLookup = {
    async manifest(registry, repository, reference) {
      seen.push(`${registry}/${repository}:${reference}`);
      return repository === 'ubi8/ruby-33' && reference === 'latest' ? { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes } : undefined;
    },
    async hasManifest(_r, repository, d) {
      return repository === 'ubi8/ruby-33' && d === digest;
    },
  };
  const r = await checkSamples(parseSamplesConfig(CONFIG, 'c'), [
    { imagestream: 'ruby', tag: '3.3', image: 'registry.redhat.io/ubi8/ruby-33:latest' },
    { imagestream: 'ruby', tag: '2.5', image: 'registry.redhat.io/ubi8/ruby-25:latest' },
    { imagestream: 'perl', tag: '5.32', image: 'registry.redhat.io/ubi8/perl-532:latest' },
  ], { lookup });
  assert.deepEqual(r.failing.map((f) => `${f.imagestream}:${f.tag} ${f.pullSpec}`), ['ruby:2.5 mirror.test:5000/ubi8/ruby-25:latest']);
  assert.deepEqual([r.checked, r.skipped], [2, 1]);
  assert.deepEqual(r.unskippable, [], 'perl is skipped and still missing');
  const r2 = await checkSamples(parseSamplesConfig(CONFIG.replace('[perl]', '[perl, ruby]'), 'c'), [
    { imagestream: 'ruby', tag: '3.3', image: 'registry.redhat.io/ubi8/ruby-33:latest' },
    { imagestream: 'perl', tag: '5.32', image: 'registry.redhat.io/ubi8/perl-532:latest' },
  ], { lookup });
  assert.deepEqual([r2.failing, r2.checked, r2.skipped, r2.unskippable], [[], 0, 2, ['ruby']]);
  assert.ok(seen.some((s) => s.includes('perl')), 'skipped imagestreams are looked up (for unskippable)');
});
