import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, parseReference } from './reference.js';
import { isGantryError } from '../errors.js';

const D = 'sha256:' + 'ab'.repeat(32);

const ok: [string, string, string][] = [
  ['docker hub short name', 'ubuntu', 'docker.io/library/ubuntu:latest'],
  ['docker hub namespace', 'bitnami/redis:7', 'docker.io/bitnami/redis:7'],
  ['index.docker.io alias', 'index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
  ['host with port', '127.0.0.1:5000/app', '127.0.0.1:5000/app:latest'],
  ['localhost', 'localhost/app:1', 'localhost/app:1'],
  ['nested path', 'quay.io/org/team/app:v1.2.3', 'quay.io/org/team/app:v1.2.3'],
  ['digest only', `quay.io/org/app@${D}`, `quay.io/org/app@${D}`],
  ['tag and digest', `quay.io/org/app:1.0@${D}`, `quay.io/org/app:1.0@${D}`],
  ['separators', 'reg.io/a_b/c__d/e--f/g.h:tag_1.0-x', 'reg.io/a_b/c__d/e--f/g.h:tag_1.0-x'],
  ['ipv6 host', '[::1]:5000/app:1', '[::1]:5000/app:1'],
];

for (const [name, input, want] of ok) {
  test(`reference/ok/${name}`, () => assert.equal(formatReference(parseReference(input)), want));
}

const bad: [string, string][] = [
  ['empty', ''],
  ['uppercase repo', 'quay.io/Org/app'],
  ['bad tag', 'app:-x'],
  ['bad digest', 'app@sha256:1234'],
  ['scheme', 'https://quay.io/app'],
  ['trailing slash', 'quay.io/app/'],
  ['double slash', 'quay.io//app'],
  ['space', 'quay.io/a pp'],
  ['long tag', 'app:' + 'x'.repeat(129)],
  ['bad port', 'host:port/app:1'],
];

for (const [name, input] of bad) {
  test(`reference/error/${name}`, () => {
    assert.throws(() => parseReference(input), (err: unknown) => isGantryError(err, 'REF_INVALID'));
  });
}

test('reference/default tag can be suppressed', () => {
  assert.equal(parseReference('quay.io/app', { defaultTag: null }).tag, undefined);
  assert.equal(parseReference('quay.io/app', { defaultTag: 'v1' }).tag, 'v1');
});

test('reference/lowercase hint for uppercase repo', () => {
  assert.throws(() => parseReference('quay.io/Org/app'), /must be lowercase/);
});
