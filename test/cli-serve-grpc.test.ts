// gantry serve's gRPC registry API through the built CLI and a real grpc-js client: every RPC (streams too),
// errors (status + text), health, reflection, --grpc-catalog, usage errors, and SIGTERM with a stream in flight.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { runGantry } from './run-gantry.js';
import { startServe, stopServe as stop, type Served } from './serve-process.js';
import { REAL_CATALOG } from './corpus.js';
import { connectRegistry, type RegistryClient } from '../src/testing/registry-client.js';

const EDGE = join(new URL('.', import.meta.url).pathname, '..', '..', 'test', 'fixtures', 'opm-grpc', 'edge-catalog');

let served: Served | undefined;
let client: RegistryClient | undefined;

before(async () => {
  // Two catalogs; the gRPC API serves the one --grpc-catalog names (the second here).
  served = await startServe([`real=${join(REAL_CATALOG, 'kubevirt-wol')}`, `edge=${EDGE}`, '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0', '--grpc-catalog', 'edge']);
  client = connectRegistry(served.grpc);
});

after(async () => {
  client?.close();
  assert.equal(await stop(served), 0);
});

const ok = (r: Awaited<ReturnType<RegistryClient['call']>>): any => {
  if ('error' in r) assert.fail(`call failed: ${r.error.status} ${r.error.details}`);
  return r.answer;
};

describe('cli/serve gRPC: api.Registry over the built CLI', () => {
  test('serve-grpc/one ready line naming the HTTP and gRPC addresses and the gRPC catalog', async () => {
    assert.match(served!.line, /^serving http:\/\/127\.0\.0\.1:\d+ and gRPC 127\.0\.0\.1:\d+ \(catalogs: real, edge; gRPC: edge; web UI: http:\/\/127\.0\.0\.1:\d+\/\)$/);
    // The HTTP API keeps serving every catalog beside it.
    const r = await fetch(`${served!.base}/catalogs/real/api/v1/all`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /kubevirt-wol/);
  });

  test('serve-grpc/ListPackages (stream): the --grpc-catalog catalog only', async () => {
    assert.deepEqual(ok(await client!.call('ListPackages', {})), [{ name: 'alpha-op' }, { name: 'beta-op' }, { name: 'gamma-op' }]);
  });

  test('serve-grpc/GetPackage: channels sorted, heads, deprecation', async () => {
    assert.deepEqual(ok(await client!.call('GetPackage', { name: 'gamma-op' })), {
      name: 'gamma-op',
      channels: [
        { name: 'beta', csvName: 'gamma-op.v2.1.0', deprecation: { message: 'beta is gone' } },
        { name: 'stable', csvName: 'gamma-op.v2.0.0' },
      ],
      defaultChannelName: 'stable',
      deprecation: { message: 'gamma-op is end of life' },
    });
  });

  test('serve-grpc/GetBundle and GetBundleForChannel: the synthesised CSV, no replaces, deprecation', async () => {
    const b = ok(await client!.call('GetBundle', { pkgName: 'gamma-op', channelName: 'stable', csvName: 'gamma-op.v2.0.0' }));
    assert.equal(b.bundlePath, 'quay.io/edge/gamma-op-bundle:v2.0.0');
    assert.deepEqual(b.deprecation, { message: 'gamma-op.v2.0.0 has a flaw' });
    const head = ok(await client!.call('GetBundleForChannel', { pkgName: 'gamma-op', channelName: 'beta' }));
    assert.equal(head.csvName, 'gamma-op.v2.1.0');
    assert.equal(head.replaces, undefined, 'replaces is cleared, so not sent');
    assert.equal(JSON.parse(head.csvJson).spec.displayName, 'Gamma');
    assert.deepEqual(head.object, [head.csvJson]);
  });

  test('serve-grpc/GetChannelEntriesThatReplace (stream) and GetBundleThatReplaces', async () => {
    const entries = ok(await client!.call('GetChannelEntriesThatReplace', { csvName: 'alpha-op.v0.0.9' }));
    assert.deepEqual(entries, [{ packageName: 'alpha-op', channelName: 'fast', bundleName: 'alpha-op.v0.3.0', replaces: 'alpha-op.v0.2.0' }]);
    const b = ok(await client!.call('GetBundleThatReplaces', { csvName: 'alpha-op.v0.2.0', pkgName: 'alpha-op', channelName: 'fast' }));
    assert.equal(b.csvName, 'alpha-op.v0.3.0');
  });

  test('serve-grpc/GetChannelEntriesThatProvide, GetLatestChannelEntriesThatProvide (streams), GetDefaultBundleThatProvides', async () => {
    const gizmo = { group: 'edge.io', version: 'v2', kind: 'Gizmo' };
    assert.deepEqual(ok(await client!.call('GetChannelEntriesThatProvide', gizmo)), [{ packageName: 'gamma-op', channelName: 'beta', bundleName: 'gamma-op.v2.1.0', replaces: 'gamma-op.v2.0.0' }]);
    assert.deepEqual(ok(await client!.call('GetLatestChannelEntriesThatProvide', { ...gizmo, plural: 'gizmos' })), [
      { packageName: 'gamma-op', channelName: 'beta', bundleName: 'gamma-op.v2.1.0', replaces: 'gamma-op.v2.0.0' },
    ]);
    const d = ok(await client!.call('GetDefaultBundleThatProvides', { group: 'example.com', version: 'v1', kind: 'Widget' }));
    assert.equal(d.csvName, 'alpha-op.v0.2.0');
  });

  test('serve-grpc/ListBundles (stream): every channel entry, csvJson only where the bundle has no image', async () => {
    const list = ok(await client!.call('ListBundles', {})) as { csvName: string; channelName: string; csvJson?: string; bundlePath?: string }[];
    assert.equal(list.length, 10);
    for (const b of list) assert.equal(b.csvJson !== undefined, b.bundlePath === undefined, b.csvName);
  });

  test('serve-grpc/errors: status UNKNOWN with opm\'s texts', async () => {
    const cases: [Parameters<RegistryClient['call']>[0], Record<string, string>, string][] = [
      ['GetPackage', { name: 'nope' }, 'package "nope" not found'],
      ['GetBundle', { pkgName: 'alpha-op', channelName: 'nope', csvName: 'x' }, 'package "alpha-op", channel "nope" not found'],
      ['GetBundleForChannel', { pkgName: 'nope', channelName: 'stable' }, 'package "nope" not found'],
      ['GetBundleThatReplaces', { csvName: 'x', pkgName: 'nope', channelName: 'stable' }, 'package nope not found'],
      ['GetChannelEntriesThatReplace', { csvName: 'nope' }, 'no channel entries found that replace nope'],
      ['GetLatestChannelEntriesThatProvide', { group: 'example.com', version: 'v1alpha1', kind: 'Widget' }, 'no channel entries found that provide group:"example.com" version:"v1alpha1" kind:"Widget"'],
      ['GetDefaultBundleThatProvides', { group: 'edge.io', version: 'v2', kind: 'Gizmo' }, 'no entry found that provides group:"edge.io" version:"v2" kind:"Gizmo"'],
    ];
    for (const [method, request, details] of cases) {
      assert.deepEqual(await client!.call(method, request), { error: { code: 2, status: 'UNKNOWN', details } }, method);
    }
  });

  test('serve-grpc/health: Check is SERVING whatever the service name', async () => {
    for (const service of ['', 'api.Registry', 'no.such.Service']) assert.deepEqual(await client!.health(service), { answer: { status: 'SERVING' } });
  });

  test('serve-grpc/reflection: services listed (v1 and v1alpha, as grpcurl asks) and the registry proto described', async () => {
    for (const v of ['v1', 'v1alpha'] as const) {
      const services = await client!.listServices(v);
      assert.ok(services.includes('api.Registry'), `${v}: ${services.join(', ')}`);
      assert.ok(services.includes('grpc.health.v1.Health'), `${v}: ${services.join(', ')}`);
    }
    const files = await client!.fileContainingSymbol('api.Registry');
    const text = Buffer.concat(files).toString('latin1');
    assert.match(text, /registry\.proto/);
    assert.match(text, /GetBundleThatReplaces/);
    assert.match(text, /csvJson/);
  });
});

describe('cli/serve gRPC: flags and stopping', () => {
  test('serve-grpc/usage: a bad --grpc-listen or an unknown --grpc-catalog exits 2 before listening', async () => {
    const bad = await runGantry(['serve', EDGE, '--listen', '127.0.0.1:0', '--grpc-listen', 'nowhere']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error\[USAGE\]: --grpc-listen must be HOST:PORT, got "nowhere"/);
    const unknown = await runGantry(['serve', EDGE, '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0', '--grpc-catalog', 'other']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /error\[USAGE\]: --grpc-catalog other: no catalog of that name/);
  });

  test('serve-grpc/a taken gRPC port is an error naming the address, exit 1, no stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runGantry(['serve', EDGE, '--listen', '127.0.0.1:0', '--grpc-listen', `127.0.0.1:${port}`]);
      assert.equal(r.code, 1);
      // The first line is gantry's error: grpc-js's own log line ("E No address added…") is not shown.
      assert.match(r.stderr, new RegExp(`^error\\[IO_ERROR\\]: cannot serve gRPC on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  test('serve-grpc/SIGTERM with a ListBundles stream in flight: the stream completes, then exit 0', async () => {
    const s = await startServe([REAL_CATALOG, '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0']);
    const c = connectRegistry(s.grpc);
    try {
      const expected = ok(await c.call('ListBundles', {})).length as number;
      assert.ok(expected > 800, `${expected} bundles`);
      const stream = c.stream('ListBundles', {});
      let received = 0;
      const done = new Promise<string>((resolve) => {
        stream.on('end', () => resolve('end'));
        stream.on('error', (e) => resolve(`error: ${e.message}`));
      });
      // Read one message, then stop reading: the rest waits in flow control, so the call is in flight.
      await new Promise<void>((resolve) => {
        stream.once('data', () => {
          received++;
          stream.pause();
          resolve();
        });
      });
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(s.child.exitCode, null, 'still running while the stream is unfinished');
      stream.on('data', () => received++);
      stream.resume();
      assert.equal(await done, 'end');
      assert.equal(received, expected);
      assert.equal(await s.exited, 0);
      // Stopped: new calls are refused.
      const after = await c.call('ListPackages', {}, { deadlineMs: 2_000 });
      assert.ok('error' in after);
    } finally {
      c.close();
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });
});
