import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { caConfigMapKey, parseMirrorHost, pullSpecAtSamplesRegistry } from './samples-registry.js';

const M = 'mirror.example.com:5000';

for (const [name, spec, want] of [
  ['known registry replaced', 'registry.redhat.io/ubi8/ruby-27:latest', `${M}/ubi8/ruby-27:latest`],
  ['registry.access.redhat.com replaced', 'registry.access.redhat.com/ubi8/openjdk-17:1.12', `${M}/ubi8/openjdk-17:1.12`],
  ['digest kept', 'quay.io/org/app@sha256:' + 'a'.repeat(64), `${M}/org/app@sha256:${'a'.repeat(64)}`],
  ['other host: first component replaced', 'other.example/ns/app:1', `${M}/ns/app:1`],
  ['already at the mirror: unchanged', `${M}/ubi8/ruby-27:latest`, `${M}/ubi8/ruby-27:latest`],
  ['deep path: prefixed, not replaced', 'registry.redhat.io/a/b/c:1', `${M}/registry.redhat.io/a/b/c:1`],
  ['one slash: prefixed', 'library/ruby:3', `${M}/library/ruby:3`],
] as const) {
  test(`samples-registry/pull spec/${name}`, () => assert.equal(pullSpecAtSamplesRegistry(spec, M), want));
}

test('samples-registry/empty samplesRegistry leaves the spec', () => {
  assert.equal(pullSpecAtSamplesRegistry('registry.redhat.io/ubi8/ruby-27:latest', ''), 'registry.redhat.io/ubi8/ruby-27:latest');
});

test('samples-registry/mirror host and CA key', () => {
  assert.deepEqual(parseMirrorHost(M), { samplesRegistry: M, host: 'mirror.example.com', port: '5000' });
  assert.equal(caConfigMapKey(parseMirrorHost(M)), 'mirror.example.com..5000');
  assert.equal(caConfigMapKey(parseMirrorHost('mirror.example.com')), 'mirror.example.com');
  assert.equal(caConfigMapKey(parseMirrorHost('docker://127.0.0.1:41234')), '127.0.0.1..41234');
});

for (const bad of ['mirror.example.com:5000/ns', 'http://x', 'bad host', '']) {
  test(`samples-registry/error/mirror ${JSON.stringify(bad)}`, () => {
    assert.throws(() => parseMirrorHost(bad), (e) => isGantryError(e, 'USAGE'));
  });
}
test('samples-registry/error/IPv6 literal has no CA key', () => {
  assert.throws(() => caConfigMapKey(parseMirrorHost('[::1]:5000')), (e) => isGantryError(e, 'USAGE'));
});
