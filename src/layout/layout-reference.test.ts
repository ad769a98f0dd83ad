// Table test of the oci:PATH[:REF] parser against the rule skopeo (containers/image) applies on Linux;
// test/layout-interop.test.ts checks the same rule against skopeo itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGantryError } from '../errors.js';
import { formatLayoutReference, parseLayoutReference, type LayoutReference } from './layout-reference.js';

const HEX = 'a'.repeat(64);

const valid: Array<[string, string, LayoutReference]> = [
  ['path-only', 'oci:/srv/layout', { path: '/srv/layout' }],
  ['relative-path', 'oci:./out', { path: './out' }],
  ['tag', 'oci:/srv/layout:v1.2', { path: '/srv/layout', reference: 'v1.2' }],
  ['empty-reference', 'oci:/srv/layout:', { path: '/srv/layout' }],
  ['reference-with-colon', 'oci:dir:app:v1', { path: 'dir', reference: 'app:v1' }],
  ['reference-with-slash', 'oci:dir:quay.io/org/app:1.0', { path: 'dir', reference: 'quay.io/org/app:1.0' }],
  ['digest', `oci:dir:sha256:${HEX}`, { path: 'dir', reference: `sha256:${HEX}` }],
  ['name-at-digest', `oci:dir:app@sha256:${HEX}`, { path: 'dir', reference: `app@sha256:${HEX}` }],
  ['path-with-at', 'oci:dir@v2:latest', { path: 'dir@v2', reference: 'latest' }],
];

const invalid: Array<[string, string]> = [
  ['no-prefix', '/srv/layout:v1'],
  ['other-transport', 'docker://quay.io/app'],
  ['empty-path', 'oci::v1'],
  ['empty', 'oci:'],
  ['at-digest-after-path', `oci:dir@sha256:${HEX}`],
  ['by-position', 'oci:dir:@0'],
  ['space-in-reference', 'oci:dir:a b'],
  ['leading-separator', 'oci:dir:-v1'],
  ['double-slash', 'oci:dir:a//b'],
];

for (const [name, text, want] of valid) {
  test(`layout-reference/valid/${name}`, () => {
    assert.deepEqual(parseLayoutReference(text), want);
  });
}

for (const [name, text] of invalid) {
  test(`layout-reference/invalid/${name}`, () => {
    assert.throws(() => parseLayoutReference(text), (e) => isGantryError(e, 'REF_INVALID'));
  });
}

test('layout-reference/format-round-trips', () => {
  for (const [, text, want] of valid) {
    if (text.endsWith(':')) continue;
    assert.equal(formatLayoutReference(want), text);
    assert.deepEqual(parseLayoutReference(formatLayoutReference(want)), want);
  }
  assert.throws(() => formatLayoutReference({ path: 'a:b' }), (e) => isGantryError(e, 'REF_INVALID'));
});
