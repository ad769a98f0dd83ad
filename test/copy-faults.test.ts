// Faults between gantry and a real registry, injected by a proxy: wrong bytes, connections cut mid-blob,
// bursts of 500/429, dropped connections. Nothing corrupt may land; transient faults must not fail the copy.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCopyRun } from '../src/copy/copy-run.js';
import type { CopyEvent } from '../src/copy/events.js';
import { createLayoutStore } from '../src/layout/index.js';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { FAST_RETRY, PLAIN, countRequests, readAll, tempDir, testSession } from './helpers.js';

let src: RunningRegistry;
let dst: RunningRegistry;
let proxy: FaultProxy;
let image: TestImage;
let n = 0;

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  proxy = await startFaultProxy({ upstream: src.url });
  image = buildImage({ seed: 'faults', layerSizes: [2_000_000, 700_000] });
  await pushImageRaw(src.url, 'app/faulty', 'v1', image);
});
after(async () => {
  await proxy?.stop();
  await Promise.all([src?.stop(), dst?.stop()]);
});
beforeEach(() => proxy.reset());

async function copyThroughProxy(events: CopyEvent[] = []) {
  const session = testSession();
  const dest = session.store(dst.host, `mirror/faulty${++n}`, PLAIN);
  const r = await createCopyRun({ retry: FAST_RETRY, onEvent: (e) => events.push(e) }).copyImage({
    source: session.store(proxy.host, 'app/faulty', PLAIN),
    sourceRef: 'v1',
    dest,
    destRef: 'v1',
  });
  return { r, dest, close: () => session.close() };
}

test('faults/a corrupted blob is retried and the copy lands intact', async () => {
  const layer = image.layers[0]!;
  proxy.corruptBlob(layer.digest, 1);
  const events: CopyEvent[] = [];
  const { r, dest, close } = await copyThroughProxy(events);
  try {
    assert.equal(r.ok, true, String(r.error));
    assert.ok(events.some((e) => e.type === 'blob-retry' && e.digest === layer.digest && /digest/i.test(e.reason)));
    const back = await readAll(await dest.fetchBlob(layer));
    assert.ok(back.equals(layer.bytes));
  } finally {
    await close();
  }
});

test('faults/a blob corrupt every time fails the image and nothing lands', async () => {
  const layer = image.layers[0]!;
  proxy.corruptBlob(layer.digest, 100);
  const { r, dest, close } = await copyThroughProxy();
  try {
    assert.equal(r.ok, false);
    assert.equal((r.error as { code?: string }).code, 'DIGEST_MISMATCH');
    assert.equal(await dest.statBlob(layer.digest), undefined, 'corrupt blob not committed');
    assert.equal(await dest.statManifest('v1'), undefined, 'image not tagged');
  } finally {
    await close();
  }
});

test('faults/a connection cut mid-blob resumes with a Range request', async () => {
  const layer = image.layers[0]!;
  proxy.cutBlob(layer.digest, { afterBytes: 600_000, times: 2 });
  const { r, dest, close } = await copyThroughProxy();
  try {
    assert.equal(r.ok, true, String(r.error));
    const ranged = proxy.requests.filter((e) => e.method === 'GET' && e.path.includes(layer.digest) && e.rangeHeader);
    assert.ok(ranged.length >= 1, 'resumed with Range');
    assert.match(ranged[0]!.rangeHeader!, /^bytes=\d+-$/);
    assert.ok(Number(/=(\d+)-/.exec(ranged[0]!.rangeHeader!)![1]) > 0);
    assert.equal(await dest.statBlob(layer.digest), layer.size);
  } finally {
    await close();
  }
});

test('faults/bursts of 500 and 429 (with Retry-After) are retried', async () => {
  proxy.failRequests({ method: 'GET', pathPattern: /\/manifests\//, status: 500, times: 2 });
  proxy.failRequests({ method: 'GET', pathPattern: /\/blobs\//, status: 429, times: 3, retryAfter: 0 });
  proxy.failRequests({ method: 'HEAD', pathPattern: /\/blobs\//, status: 503, times: 2 });
  const { r, close } = await copyThroughProxy();
  await close();
  assert.equal(r.ok, true, String(r.error));
  assert.ok(proxy.requests.filter((e) => e.status === 500 || e.status === 429 || e.status === 503).length >= 5);
});

test('faults/dropped connections before an answer are retried', async () => {
  proxy.dropConnections({ pathPattern: /\/v2\/app\/faulty\/manifests\//, times: 2 });
  const { r, close } = await copyThroughProxy();
  await close();
  assert.equal(r.ok, true, String(r.error));
});

test('faults/a registry that keeps failing gives the registry\'s own error after the configured retries', async () => {
  proxy.failRequests({ pathPattern: /\/manifests\//, status: 500, times: 1000 });
  const { r, close } = await copyThroughProxy();
  await close();
  assert.equal(r.ok, false);
  const err = r.error as { code?: string; message: string; status?: number };
  assert.equal(err.code, 'REGISTRY_ERROR');
  assert.equal(err.status, 500);
  // 1 attempt + 5 retries, no more: the loop is bounded.
  assert.equal(countRequests(proxy.requests, 'GET', /\/manifests\//), 6);
});

test('faults/a corrupt blob never reaches a layout', async () => {
  const layer = image.layers[1]!;
  proxy.corruptBlob(layer.digest, 100);
  const dir = await tempDir('faults-layout');
  const session = testSession();
  try {
    const layout = await createLayoutStore({ path: dir.path, create: true });
    const r = await createCopyRun({ retry: FAST_RETRY }).copyImage({ source: session.store(proxy.host, 'app/faulty', PLAIN), sourceRef: 'v1', dest: layout, destRef: 'v1' });
    assert.equal(r.ok, false);
    assert.equal(await layout.statBlob(layer.digest), undefined);
    assert.equal(await layout.statManifest('v1'), undefined);
  } finally {
    await session.close();
    await dir.remove();
  }
});
