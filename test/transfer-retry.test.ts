// One transfer, one retry policy: requests are retried by the transport only, the blob transfer retries only what
// the transport cannot (a corrupt body from a registry, a cut upload), and a local blob that fails its digest is not
// retried at all. Attempts are counted at a fault proxy.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCopyRun } from '../src/copy/copy-run.js';
import type { CopyEvent } from '../src/copy/events.js';
import { putBlobs } from '../src/catalog/image/blob-transfer.js';
import { createLayoutStore } from '../src/layout/index.js';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { FAST_RETRY, PLAIN, countRequests, tempDir, testSession } from './helpers.js';

let src: RunningRegistry;
let dst: RunningRegistry;
let srcProxy: FaultProxy;
let dstProxy: FaultProxy;
let image: TestImage;
let n = 0;

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  [srcProxy, dstProxy] = await Promise.all([startFaultProxy({ upstream: src.url }), startFaultProxy({ upstream: dst.url })]);
  image = buildImage({ seed: 'transfer-retry', layerSizes: [300_000, 20_000] });
  await pushImageRaw(src.url, 'app/retry', 'v1', image);
});
after(async () => {
  await Promise.all([srcProxy?.stop(), dstProxy?.stop()]);
  await Promise.all([src?.stop(), dst?.stop()]);
});
beforeEach(() => {
  srcProxy.reset();
  dstProxy.reset();
});

async function copyVia(opts: { srcHost: string; dstHost: string }, events: CopyEvent[] = []) {
  const session = testSession();
  try {
    return await createCopyRun({ retry: FAST_RETRY, onEvent: (e) => events.push(e) }).copyImage({
      source: session.store(opts.srcHost, 'app/retry', PLAIN),
      sourceRef: 'v1',
      dest: session.store(opts.dstHost, `mirror/retry${++n}`, PLAIN),
      destRef: 'v1',
    });
  } finally {
    await session.close();
  }
}

test('transfer/a blob GET that keeps failing is asked 1 + retries times in all, not retries squared', async () => {
  const layer = image.layers[0]!;
  const esc = layer.digest.replace(':', '\\:');
  srcProxy.failRequests({ method: 'GET', pathPattern: new RegExp(`/blobs/${esc}`), status: 500, times: 1000 });
  const events: CopyEvent[] = [];
  const r = await copyVia({ srcHost: srcProxy.host, dstHost: dst.host }, events);
  assert.equal(r.ok, false);
  assert.equal((r.error as { code?: string }).code, 'REGISTRY_ERROR');
  // The transport retried FAST_RETRY.times; the transfer did not start the whole thing again on top.
  assert.equal(countRequests(srcProxy.requests, 'GET', new RegExp(`/blobs/${esc}`)), 1 + FAST_RETRY.times);
  assert.equal(events.filter((e) => e.type === 'blob-retry').length, 0);
});

test('transfer/an upload whose connection is dropped is retried by the transfer (the transport cannot reopen its body)', async () => {
  dstProxy.dropConnections({ method: 'PUT', pathPattern: /\/blobs\/uploads\//, times: 1 });
  const events: CopyEvent[] = [];
  const r = await copyVia({ srcHost: src.host, dstHost: dstProxy.host }, events);
  assert.equal(r.ok, true, String(r.error));
  assert.equal(events.filter((e) => e.type === 'blob-retry').length, 1);
  // Each blob once, plus the one dropped attempt.
  assert.equal(countRequests(dstProxy.requests, 'PUT', /\/blobs\/uploads\//), 1 + 1 + image.layers.length);
});

test('transfer/a corrupt body from a registry is retried by the transfer, once per corruption', async () => {
  const layer = image.layers[0]!;
  srcProxy.corruptBlob(layer.digest, 2);
  const events: CopyEvent[] = [];
  const r = await copyVia({ srcHost: srcProxy.host, dstHost: dst.host }, events);
  assert.equal(r.ok, true, String(r.error));
  assert.equal(events.filter((e) => e.type === 'blob-retry' && e.digest === layer.digest).length, 2);
  assert.equal(countRequests(srcProxy.requests, 'GET', new RegExp(`/blobs/${layer.digest.replace(':', '\\:')}`)), 3);
});

test('transfer/a local blob that fails its digest is not retried, and nothing lands', async () => {
  const dir = await tempDir('transfer-local');
  const session = testSession();
  try {
    const layout = await createLayoutStore({ path: dir.path, create: true });
    const fill = await createCopyRun({ retry: FAST_RETRY }).copyImage({ source: session.store(src.host, 'app/retry', PLAIN), sourceRef: 'v1', dest: layout, destRef: 'v1' });
    assert.equal(fill.ok, true, String(fill.error));
    const layer = image.layers[0]!;
    const file = join(dir.path, 'blobs', 'sha256', layer.digest.slice(7));
    const bytes = await readFile(file);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await writeFile(file, bytes);
    const events: CopyEvent[] = [];
    const dest = dstProxy.host;
    const r = await createCopyRun({ retry: FAST_RETRY, onEvent: (e) => events.push(e) }).copyImage({ source: layout, sourceRef: 'v1', dest: session.store(dest, `mirror/local${++n}`, PLAIN), destRef: 'v1' });
    assert.equal(r.ok, false);
    assert.equal((r.error as { code?: string }).code, 'DIGEST_MISMATCH');
    assert.equal(events.filter((e) => e.type === 'blob-retry').length, 0, 'no retry of local content');
    // One upload started per blob (config and layers): the bad layer's was not started again.
    assert.equal(countRequests(dstProxy.requests, 'POST', /\/blobs\/uploads\//), 1 + image.layers.length);
  } finally {
    await session.close();
    await dir.remove();
  }
});

test('transfer/the catalog image builder puts blobs through the same transfer: new local content is not retried on a mismatch', async () => {
  const session = testSession();
  try {
    const dest = session.store(dstProxy.host, `catalog/put${++n}`, PLAIN);
    const good = image.layers[1]!;
    const outcomes = await putBlobs(dest, [{ descriptor: good, open: async () => [good.bytes] }], { concurrency: 2, retry: FAST_RETRY });
    assert.equal(outcomes.get(good.digest), 'copied');
    const again = await putBlobs(dest, [{ descriptor: good, open: async () => [good.bytes] }], { concurrency: 2, retry: FAST_RETRY });
    assert.equal(again.get(good.digest), 'exists');
    const wrong = Buffer.from(image.layers[0]!.bytes);
    wrong[5] = wrong[5]! ^ 1;
    dstProxy.reset();
    await assert.rejects(
      putBlobs(dest, [{ descriptor: image.layers[0]!, open: async () => [wrong] }], { concurrency: 2, retry: FAST_RETRY }),
      (err: { code?: string }) => err.code === 'DIGEST_MISMATCH',
    );
    assert.equal(countRequests(dstProxy.requests, 'POST', /\/blobs\/uploads\//), 1, 'one upload started, not retried');
  } finally {
    await session.close();
  }
});
