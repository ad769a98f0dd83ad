// The registry Store passes the same conformance suite as the memory and layout stores, against a real
// docker-registry over plain HTTP and behind token authentication, plus what only a registry offers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStoreConformance } from '../src/testing/store-suite.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startTokenServer, type TokenServer } from '../src/testing/token-server.js';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { createRegistryStore } from '../src/registry/registry-store.js';
import { RegistryClient } from '../src/transport/registry-client.js';
import { PLAIN, FAST_RETRY, testSession } from './helpers.js';

let plain: RunningRegistry;
let tokens: TokenServer;
let guarded: RunningRegistry;

before(async () => {
  tokens = await startTokenServer({ users: [{ username: 'dana', password: 'store-pw' }] });
  [plain, guarded] = await Promise.all([startRegistry(), startRegistry({ auth: { kind: 'token', server: tokens } })]);
});
after(async () => {
  await Promise.all([plain?.stop(), guarded?.stop()]);
  await tokens?.stop();
});

const repo = () => `conformance/${randomBytes(4).toString('hex')}`;

describeStoreConformance('registry (plain http)', async () => {
  const session = testSession();
  return { store: session.store(plain.host, repo(), PLAIN), cleanup: () => session.close() };
});

describeStoreConformance('registry (token auth)', async () => {
  const session = testSession();
  const store = session.store(guarded.host, repo(), { ...PLAIN, credentials: { username: 'dana', password: 'store-pw' } });
  return { store, cleanup: () => session.close() };
});

test('registry/chunked upload of a blob above the threshold', async () => {
  const client = new RegistryClient({ registry: plain.host, plainHttp: true, retry: FAST_RETRY });
  const store = createRegistryStore({ client, repository: 'chunked/app', chunkedUploadThreshold: 1 << 20, chunkSize: 300_000 });
  const image = buildImage({ seed: 'chunked', layerSizes: [1_500_000] });
  const layer = image.layers[0]!;
  await store.pushBlob(layer, async () => [layer.bytes]);
  assert.equal(await store.statBlob(layer.digest), layer.size);
  await assert.rejects(store.pushBlob({ ...layer, digest: image.config.digest }, async () => [layer.bytes]));
  await client.close();
});

test('registry/tag listing follows Link pagination', async () => {
  const image = buildImage({ seed: 'tags', layerSizes: [100] });
  for (let i = 0; i < 5; i++) await pushImageRaw(plain.url, 'paged/app', `t${i}`, image);
  const { Defaults } = await import('../src/defaults.js');
  const client = new RegistryClient({ registry: plain.host, plainHttp: true });
  const store = createRegistryStore({ client, repository: 'paged/app' });
  const saved = Defaults.tagPageSize;
  (Defaults as { tagPageSize: number }).tagPageSize = 2;
  try {
    assert.deepEqual((await store.listTags()).sort(), ['t0', 't1', 't2', 't3', 't4']);
  } finally {
    (Defaults as { tagPageSize: number }).tagPageSize = saved;
    await client.close();
  }
});
