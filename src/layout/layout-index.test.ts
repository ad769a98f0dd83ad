// Tests of the pure index.json edits: tag replace-in-place, roots made and dropped, unknown fields carried
// through, and LAYOUT_INVALID naming the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGantryError } from '../errors.js';
import { sha256 } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import {
  REF_NAME_ANNOTATION as NAME,
  addRootEntry,
  createEmptyLayoutIndex,
  dropUntaggedEntries,
  findDigestEntry,
  findTaggedEntry,
  isValidRefName,
  listRefNames,
  parseLayoutIndex,
  serializeLayoutIndex,
  setTaggedEntry,
} from './layout-index.js';

const desc = (seed: string): Descriptor => ({ mediaType: MediaType.ociManifest, digest: sha256(seed), size: seed.length });
const [a, b, c] = [desc('a'), desc('b'), desc('c')];

test('layout-index/tag-appends-then-replaces-in-place', () => {
  let index = createEmptyLayoutIndex();
  index = setTaggedEntry(index, a, 'one');
  index = setTaggedEntry(index, b, 'two');
  index = setTaggedEntry(index, a, 'three');
  index = setTaggedEntry(index, c, 'two');
  assert.deepEqual(
    index.manifests.map((d) => [d.annotations?.[NAME], d.digest]),
    [['one', a.digest], ['two', c.digest], ['three', a.digest]],
  );
  assert.deepEqual(listRefNames(index), ['one', 'three', 'two']);
});

test('layout-index/retag-same-content-keeps-entry', () => {
  const extra = { ...a, platform: { os: 'linux', architecture: 'amd64' }, annotations: { [NAME]: 'x', other: 'kept' } };
  const index = { ...createEmptyLayoutIndex(), manifests: [extra] };
  assert.deepEqual(setTaggedEntry(index, a, 'x').manifests, [extra]);
});

test('layout-index/duplicate-names-collapse', () => {
  const index = { ...createEmptyLayoutIndex(), manifests: [{ ...a, annotations: { [NAME]: 'x' } }, { ...b, annotations: { [NAME]: 'x' } }] };
  assert.equal(findTaggedEntry(index, 'x')?.digest, a.digest, 'the first wins, as in containers/image');
  const after = setTaggedEntry(index, c, 'x');
  assert.deepEqual(after.manifests.map((d) => d.digest), [c.digest]);
});

test('layout-index/roots', () => {
  let index = addRootEntry(createEmptyLayoutIndex(), a);
  assert.equal(addRootEntry(index, a), index, 'adding a present root changes nothing');
  index = addRootEntry(index, b);
  assert.deepEqual(index.manifests, [a, b]);
  index = setTaggedEntry(index, a, 'v1');
  assert.deepEqual(index.manifests.map((d) => [d.digest, d.annotations?.[NAME]]), [[b.digest, undefined], [a.digest, 'v1']]);
  assert.equal(addRootEntry(index, a), index, 'a tag already roots the digest');
  assert.deepEqual(findDigestEntry(index, b.digest), b);
  index = dropUntaggedEntries(index, new Set([a.digest, b.digest]));
  assert.deepEqual(index.manifests.map((d) => d.annotations?.[NAME]), ['v1'], 'tagged entries stay');
});

test('layout-index/unknown-fields-survive', () => {
  const text = JSON.stringify({
    schemaVersion: 2,
    manifests: [{ ...a, annotations: { [NAME]: 'v1', 'org.example': 'y' } }],
    annotations: { 'org.example.index': 'z' },
    extension: { any: [1, 2] },
  });
  const index = setTaggedEntry(parseLayoutIndex(text, 'index.json'), b, 'v2');
  const out = JSON.parse(serializeLayoutIndex(index)) as Record<string, unknown>;
  assert.deepEqual(out.annotations, { 'org.example.index': 'z' });
  assert.deepEqual(out.extension, { any: [1, 2] });
  assert.equal(serializeLayoutIndex(index), serializeLayoutIndex(parseLayoutIndex(serializeLayoutIndex(index), 'x')), 'stable bytes');
});

test('layout-index/invalid', () => {
  const cases: Array<[string, string]> = [
    ['not-json', '{'],
    ['array', '[]'],
    ['schema-version', '{"schemaVersion":1,"manifests":[]}'],
    ['no-manifests', '{"schemaVersion":2}'],
    ['bad-digest', '{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:00","size":1}]}'],
    ['bad-size', `{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"${a.digest}","size":-1}]}`],
  ];
  for (const [name, text] of cases) {
    assert.throws(
      () => parseLayoutIndex(text, '/x/index.json'),
      (e) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes('/x/index.json'),
      name,
    );
  }
});

test('layout-index/ref-names', () => {
  for (const ok of ['v1', 'latest', '1.0.0', 'app:v1', 'quay.io/org/app:1.0', 'a--b', 'a+b', `app@${a.digest}`]) {
    assert.ok(isValidRefName(ok), ok);
  }
  for (const bad of ['', 'a b', '-a', 'a-', 'a//b', '/a', 'a/', 'a---b?', 'ü']) assert.ok(!isValidRefName(bad), bad);
});
