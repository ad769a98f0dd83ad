// Tests of the in-memory Store: the conformance suite, plus what only the reference implementation promises
// (a retry after a failed push, tag grammar, media type checks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGantryError } from '../errors.js';
import { sha256 } from '../oci/digest.js';
import { MediaType } from '../oci/media-types.js';
import { describeStoreConformance } from '../testing/store-suite.js';
import { createMemoryStore } from './memory-store.js';

describeStoreConformance('memory', async () => ({ store: createMemoryStore(), cleanup: async () => {} }));

const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
const configDesc = { mediaType: MediaType.ociConfig, digest: sha256(config), size: config.length };
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc, layers: [] }));

test('memory/location', () => {
  assert.equal(createMemoryStore().location, 'memory:');
  assert.equal(createMemoryStore({ location: 'memory:src' }).location, 'memory:src');
});

test('memory/concurrent-pushes-open-once', async () => {
  const store = createMemoryStore();
  let opened = 0;
  const open = async () => {
    opened++;
    return (async function* () {
      await new Promise((r) => setImmediate(r));
      yield config;
    })();
  };
  await Promise.all(Array.from({ length: 10 }, () => store.pushBlob(configDesc, open)));
  assert.equal(opened, 1);
});

test('memory/invalid-tag', async () => {
  const store = createMemoryStore();
  await store.pushBlob(configDesc, async () => (async function* () { yield config; })());
  await assert.rejects(store.pushManifest(manifest, MediaType.ociManifest, 'bad tag'), (e) => isGantryError(e, 'REF_INVALID'));
  await assert.rejects(store.pushManifest(manifest, MediaType.ociManifest, '-lead'), (e) => isGantryError(e, 'REF_INVALID'));
});

test('memory/media-type-mismatch', async () => {
  const store = createMemoryStore();
  await store.pushBlob(configDesc, async () => (async function* () { yield config; })());
  await assert.rejects(store.pushManifest(manifest, MediaType.dockerManifest, 'v1'), (e) => isGantryError(e, 'MANIFEST_INVALID'));
});

test('memory/fetched-bytes-are-copies', async () => {
  const store = createMemoryStore();
  await store.pushBlob(configDesc, async () => (async function* () { yield config; })());
  await store.pushManifest(manifest, MediaType.ociManifest, 'v1');
  const first = await store.fetchManifest('v1');
  first.bytes.fill(0);
  const second = await store.fetchManifest('v1');
  assert.ok(Buffer.from(second.bytes).equals(manifest), 'a caller cannot change stored content');
});
