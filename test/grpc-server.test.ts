// The gRPC glue in-process: a client that stops reading a stream cannot hold the server's stop past its drain
// limit, and a cancelled stream ends the server's write loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { buildCatalogModel } from '../src/catalog/model/catalog-model.js';
import { createRegistryAnswers, startGrpcServer } from '../src/server/grpc/index.js';
import { connectRegistry } from '../src/testing/registry-client.js';

/** One package, one channel, `n` bundles with a 2 KiB property each: a ListBundles far beyond a flow-control window. */
function bigCatalog(n: number): DeclarativeConfig {
  const names = Array.from({ length: n }, (_, i) => `p.v${i}`);
  return {
    packages: [{ schema: 'olm.package', name: 'p', defaultChannel: 'c' }],
    channels: [{ schema: 'olm.channel', package: 'p', name: 'c', entries: names.map((name, i) => (i === 0 ? { name } : { name, replaces: names[i - 1]! })) }],
    bundles: names.map((name, i) => ({
      schema: 'olm.bundle',
      name,
      package: 'p',
      image: `img/p:${i}`,
      properties: [
        { type: 'olm.package', value: { packageName: 'p', version: `0.0.${i}` } },
        { type: 'custom.padding', value: { text: 'x'.repeat(2048) } },
      ],
    })),
    deprecations: [],
    others: [],
  };
}

test('grpc-server/close cuts a stream whose client stopped reading after drainMs', async () => {
  const server = await startGrpcServer(createRegistryAnswers(buildCatalogModel(bigCatalog(3000))), { host: '127.0.0.1', port: 0, drainMs: 300 });
  const client = connectRegistry(server.address);
  try {
    const stream = client.stream('ListBundles', {});
    let received = 0;
    const ended = new Promise<string>((resolve) => {
      stream.on('error', (e) => resolve(`error ${e.message}`));
      stream.on('end', () => resolve('end'));
    });
    await new Promise<void>((resolve) =>
      stream.once('data', () => {
        received++;
        stream.pause();
        resolve();
      }),
    );
    const t = Date.now();
    await server.close();
    const took = Date.now() - t;
    assert.ok(took >= 250 && took < 5_000, `close took ${took} ms`);
    stream.resume();
    stream.on('data', () => received++);
    assert.match(await ended, /^error /, 'the cut stream ends with an error, not a silent end');
    assert.ok(received < 3000, `${received} of 3000 received`);
  } finally {
    client.close();
  }
});

test('grpc-server/a cancelled stream stops the write loop, and the server still stops at once', async () => {
  const server = await startGrpcServer(createRegistryAnswers(buildCatalogModel(bigCatalog(3000))), { host: '127.0.0.1', port: 0, drainMs: 10_000 });
  const client = connectRegistry(server.address);
  try {
    const stream = client.stream('ListBundles', {});
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.pause();
    stream.on('error', () => undefined);
    stream.cancel();
    await new Promise((r) => setTimeout(r, 200));
    const t = Date.now();
    await server.close();
    assert.ok(Date.now() - t < 2_000, `close took ${Date.now() - t} ms`);
  } finally {
    client.close();
  }
});
