import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import { caConfigMapKey } from './mirror-ca.js';
import { operatorPullSpec, parseSamplesMirror } from './samples-registry.js';

for (const [registry, key] of [
  ['mirror.example.com:5000', 'mirror.example.com..5000'],
  ['mirror.example.com', 'mirror.example.com'],
  ['127.0.0.1:41234', '127.0.0.1..41234'],
] as const) {
  test(`mirror-ca/key for ${registry}`, () => assert.equal(caConfigMapKey(registry), key));
}

test('mirror-ca/key of a mirror with a path prefix names the host only', () => {
  assert.equal(caConfigMapKey(parseSamplesMirror('mirror.example.com:5000/samples').registry), 'mirror.example.com..5000');
});

test('mirror-ca/error/IPv6 literal has no ConfigMap key', () => {
  assert.throws(() => caConfigMapKey('[::1]:5000'), (e) => isGantryError(e, 'USAGE'));
});

// The rewrite the presence check relies on, as samples-out reads the operator (a second reading of the same facts).
for (const [name, spec, want] of [
  ['known registry replaced', 'registry.redhat.io/ubi8/ruby-27:latest', 'm:5000/ubi8/ruby-27:latest'],
  ['other host: first component replaced', 'other.example/ns/app:1', 'm:5000/ns/app:1'],
  ['already at the mirror: unchanged', 'm:5000/ubi8/ruby-27:latest', 'm:5000/ubi8/ruby-27:latest'],
  ['deep path: prefixed, not replaced', 'registry.redhat.io/a/b/c:1', 'm:5000/registry.redhat.io/a/b/c:1'],
] as const) {
  test(`mirror-ca/operator pull spec/${name}`, () => assert.equal(operatorPullSpec(spec, 'm:5000'), want));
}
