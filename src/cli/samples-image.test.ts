import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentCandidates, isImageInput } from './samples-image.js';
import { parseImageLocation } from './locations.js';

const D = `sha256:${'a'.repeat(64)}`;

for (const [text, want] of [
  ['docker://quay.io/a/b:1', true],
  ['oci:/tmp/layout:rel', true],
  ['quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64', true],
  [`127.0.0.1:5000/x@${D}`, true],
  ['127.0.0.1:5000/x/y', false],
  ['ist.yaml', false],
  ['assets/x86_64', false],
  ['ruby:2.7', false],
] as const) {
  test(`samples-image/isImageInput/${text}`, () => assert.equal(isImageInput(text), want));
}

test('samples-image/component candidates: beside a mirrored release first, then as the payload names it', () => {
  const texts = (release: string) => componentCandidates(`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`, parseImageLocation(release)).map((l) => l.text);
  assert.deepEqual(texts('docker://m.example:5000/pre/openshift/release-images:4.16.1-x86_64'), [
    `docker://m.example:5000/pre/openshift/release@${D}`,
    `docker://m.example:5000/pre/openshift/release-images@${D}`,
    `docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`,
  ]);
  // The release at the payload's own registry: the named image first, the release's repository after (once).
  assert.deepEqual(texts('quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64'), [
    `docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`,
    `docker://quay.io/openshift-release-dev/ocp-release@${D}`,
  ]);
  assert.deepEqual(texts('oci:/tmp/layout:rel'), [`oci:/tmp/layout@${D}`, `docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`]);
});
