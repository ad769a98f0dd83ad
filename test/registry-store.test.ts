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

test('registry/blob redirects are followed without sending credentials to the other host', async () => {
  const { createServer } = await import('node:http');
  const reg = await startRegistry({ auth: { kind: 'htpasswd', users: [{ username: 'erin', password: 'redirect-pw' }] } });
  const image = buildImage({ seed: 'redirect', layerSizes: [200_000] });
  const layer = image.layers[0]!;
  await pushImageRaw(reg.url, 'redir/app', 'v1', image, { username: 'erin', password: 'redirect-pw' });
  const seenByCdn: (string | undefined)[] = [];
  // A "CDN" on another host name (localhost, not 127.0.0.1) that serves the blob bytes.
  const cdn = createServer((req, res) => {
    seenByCdn.push(req.headers.authorization);
    res.writeHead(200, { 'content-length': String(layer.size) });
    res.end(layer.bytes);
  });
  // The registry's front: blob GETs are redirected to the CDN, everything else passes through.
  const front = createServer(async (req, res) => {
    if (req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')) {
      res.writeHead(307, { location: `http://localhost:${(cdn.address() as { port: number }).port}/cdn${req.url}` });
      return res.end();
    }
    const upstream = await fetch(`${reg.url}${req.url}`, { method: req.method, headers: req.headers.authorization ? { authorization: req.headers.authorization } : {} });
    const headers: Record<string, string> = {};
    upstream.headers.forEach((v, k) => (headers[k] = v));
    res.writeHead(upstream.status, headers);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await Promise.all([new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r)), new Promise<void>((r) => front.listen(0, '127.0.0.1', r))]);
  const session = testSession();
  try {
    const store = session.store(`127.0.0.1:${(front.address() as { port: number }).port}`, 'redir/app', { ...PLAIN, credentials: { username: 'erin', password: 'redirect-pw' } });
    const parts: Uint8Array[] = [];
    for await (const c of await store.fetchBlob(layer)) parts.push(c);
    assert.ok(Buffer.concat(parts).equals(layer.bytes));
    assert.deepEqual(seenByCdn, [undefined], 'the CDN got the request, without an Authorization header');
  } finally {
    await session.close();
    cdn.close();
    front.close();
    await reg.stop();
  }
});

test('registry/referrers through the tag-schema fallback (distribution 2.8 has no referrers API)', async () => {
  const { MediaType } = await import('../src/oci/media-types.js');
  const { makeBlob, descriptorOf } = await import('../src/testing/images.js');
  const session = testSession();
  const store = session.store(plain.host, 'referred/app', PLAIN);
  const image = buildImage({ seed: 'referred', layerSizes: [1000] });
  await pushImageRaw(plain.url, 'referred/app', 'v1', image);
  const empty = makeBlob(Buffer.from('{}'), MediaType.ociEmpty);
  await store.pushBlob(descriptorOf(empty), async () => [empty.bytes]);
  const sig = makeBlob(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, artifactType: 'application/vnd.example.signature', config: descriptorOf(empty), layers: [descriptorOf(empty)], subject: descriptorOf(image.manifest) })),
    MediaType.ociManifest,
  );
  await store.pushManifest(sig.bytes, MediaType.ociManifest, sig.digest);
  assert.deepEqual(await store.referrers(image.manifest.digest), [], 'nothing before the fallback tag exists');
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [descriptorOf(sig, { artifactType: 'application/vnd.example.signature' })] }));
  await store.pushManifest(index, MediaType.ociIndex, `sha256-${image.manifest.digest.slice(7)}`);
  const found = await store.referrers(image.manifest.digest);
  assert.deepEqual(found.map((d) => d.digest), [sig.digest]);
  assert.deepEqual(await store.referrers(image.manifest.digest, { artifactType: 'application/vnd.other' }), []);
  await session.close();
});
