import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapYaml, sampleStreams } from '../testing/samples-fixtures.js';
import { combineSamples, readSamplesFile } from './read-samples.js';
import { imageSetFragment, planSamples } from './plan-samples.js';
import { parseSamplesMirror } from './samples-registry.js';

function streamsOf(tags: [string, string, string][]) {
  const byName = new Map<string, { name: string; tag: string; image: string }[]>();
  for (const [name, tag, image] of tags) byName.set(name, [...(byName.get(name) ?? []), { name, tag, image }]);
  const items = [...byName].map(([name, ts]) => ({ kind: 'ImageStream', metadata: { name }, spec: { tags: ts.map((t) => ({ name: t.tag, from: { kind: 'DockerImage', name: t.image } })) } }));
  return combineSamples([readSamplesFile({ file: 'is.json', text: JSON.stringify({ kind: 'List', items }, null, 2) })]);
}

test('plan/entries sorted by imagestream and tag; images once each with who uses them', () => {
  const set = streamsOf([['ruby', 'b', 'quay.io/x/ruby:1'], ['ruby', 'a', 'quay.io/x/ruby:1'], ['perl', '1', 'quay.io/x/perl:1']]);
  const plan = planSamples(set);
  assert.deepEqual(plan.entries, [
    { imagestream: 'perl', tag: '1', image: 'quay.io/x/perl:1' },
    { imagestream: 'ruby', tag: 'a', image: 'quay.io/x/ruby:1' },
    { imagestream: 'ruby', tag: 'b', image: 'quay.io/x/ruby:1' },
  ]);
  assert.deepEqual(plan.images.map((i) => [i.image, i.usedBy]), [['quay.io/x/perl:1', ['perl:1']], ['quay.io/x/ruby:1', ['ruby:a', 'ruby:b']]]);
  assert.equal(plan.mirror, undefined);
  assert.ok(plan.images.every((i) => i.destination === undefined));
});

test('plan/identical input gives byte-identical output whatever the input order', () => {
  const a = planSamples(combineSamples([readSamplesFile({ file: 'cm.yaml', text: configMapYaml(sampleStreams('r.io')) })]), { mirror: parseSamplesMirror('m.io/p') });
  const b = planSamples(combineSamples([readSamplesFile({ file: 'cm.yaml', text: configMapYaml([...sampleStreams('r.io')].reverse()) })]), { mirror: parseSamplesMirror('m.io/p') });
  assert.equal(JSON.stringify(a.entries), JSON.stringify(b.entries));
  assert.equal(JSON.stringify(imageSetFragment(a)), JSON.stringify(imageSetFragment(b)));
});

test('plan/destinations follow the operator; targetRepo only where gantry mirror would name it otherwise', () => {
  const set = streamsOf([['a', '1', 'registry.redhat.io/ubi8/a:1'], ['b', '1', 'b:2'], ['c', '1', 'quay.io/x/y/z:3'], ['d', '1', 'docker.io/library/d:4']]);
  const plan = planSamples(set, { mirror: parseSamplesMirror('mirror.io:5000/pre') });
  assert.deepEqual(plan.images.map((i) => [i.image, i.destination, i.targetRepo]), [
    ['b:2', 'mirror.io:5000/pre/b:2', 'b'],
    ['docker.io/library/d:4', 'mirror.io:5000/pre/library/d:4', undefined],
    ['quay.io/x/y/z:3', 'mirror.io:5000/pre/quay.io/x/y/z:3', 'quay.io/x/y/z'],
    ['registry.redhat.io/ubi8/a:1', 'mirror.io:5000/pre/ubi8/a:1', undefined],
  ]);
  assert.deepEqual(imageSetFragment(plan), {
    kind: 'ImageSetConfiguration',
    apiVersion: 'mirror.openshift.io/v2alpha1',
    mirror: { additionalImages: [{ name: 'b:2', targetRepo: 'b' }, { name: 'docker.io/library/d:4' }, { name: 'quay.io/x/y/z:3', targetRepo: 'quay.io/x/y/z' }, { name: 'registry.redhat.io/ubi8/a:1' }] },
  });
});

test('plan/two sources landing at one destination: the second is named and left out of the ISC', () => {
  const set = streamsOf([['java', '17', 'registry.redhat.io/ubi8/openjdk-17:latest'], ['java-alt', '17', 'registry.access.redhat.com/ubi8/openjdk-17:latest']]);
  for (const opts of [{}, { mirror: parseSamplesMirror('m.io') }]) {
    const plan = planSamples(set, opts);
    assert.equal(plan.entries.length, 2, 'the JSON plan still lists every tag');
    const shared = plan.issues.filter((i) => i.code === 'DESTINATION_SHARED');
    assert.deepEqual(shared.map((i) => `${i.severity} ${i.imagestream}:${i.tag} ${i.file}`), ['warning java:17 is.json']);
    assert.deepEqual((imageSetFragment(plan).mirror as { additionalImages: { name: string }[] }).additionalImages.map((i) => i.name), ['registry.access.redhat.com/ubi8/openjdk-17:latest']);
  }
});

test('plan/a destination with host:port inside the path is an error on each tag that uses it', () => {
  const set = streamsOf([['x', '1', '10.0.0.1:5000/a/b/c:1'], ['y', '2', '10.0.0.1:5000/a/b/c:1']]);
  const plan = planSamples(set, { mirror: parseSamplesMirror('m.io') });
  assert.deepEqual(plan.issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.imagestream}:${i.tag}`), ['DESTINATION_INVALID x:1', 'DESTINATION_INVALID y:2']);
  assert.deepEqual((imageSetFragment(plan).mirror as { additionalImages: unknown[] }).additionalImages, []);
});

test('plan/aliases and non-DockerImage tags are not entries', () => {
  const text = JSON.stringify({ kind: 'ImageStream', metadata: { name: 'r' }, spec: { tags: [{ name: '1', from: { kind: 'DockerImage', name: 'q.io/r/r:1' } }, { name: 'latest', from: { kind: 'ImageStreamTag', name: '1' } }] } });
  const plan = planSamples(combineSamples([readSamplesFile({ file: 'r.json', text })]));
  assert.deepEqual(plan.entries, [{ imagestream: 'r', tag: '1', image: 'q.io/r/r:1' }]);
});
