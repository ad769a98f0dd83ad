// `gantry release graph` through the shipped CLI against a fake update service and a saved graph file: versions
// with the head, the shortest path with conditional updates flagged, -o json, UPDATE_URL_OVERRIDE, proxies, and
// every failure (unknown channel, unreachable, 500, hang, bad JSON, bad flags) as error[CODE] without a stack trace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cincinnatiJson, fakePayload, startUpdateService, type FakeGraph, type FakeUpdateService } from '../src/testing/update-service.js';
import { createTestCa, writeCertsDir } from '../src/testing/tls.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';

// 4.16.0 → 4.16.1 → 4.16.3 plainly; 4.16.0 → 4.16.3 only conditionally (risk AzureDNS); 4.16.2 is a dead end.
const STABLE_416: FakeGraph = {
  releases: [{ version: '4.16.1' }, { version: '4.16.0' }, { version: '4.16.3' }, { version: '4.16.2' }],
  edges: [['4.16.0', '4.16.1'], ['4.16.1', '4.16.3'], ['4.16.0', '4.16.2']],
  conditional: [{ edges: [['4.16.0', '4.16.3']], risks: [{ name: 'AzureDNS', message: 'DNS may fail on Azure' }, { name: 'OVNRestart' }] }],
};
const ARM_416: FakeGraph = { releases: [{ version: '4.16.0' }, { version: '4.16.1' }], edges: [['4.16.0', '4.16.1']] };

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '' };
let svc: FakeUpdateService;
let dir: { path: string; remove(): Promise<void> };
let graphFile: string;

before(async () => {
  svc = await startUpdateService({ amd64: { 'stable-4.16': STABLE_416 }, arm64: { 'stable-4.16': ARM_416 } }, { hangMs: 15_000 });
  dir = await tempDir('release-graph');
  graphFile = join(dir.path, 'stable-4.16.json');
  await writeFile(graphFile, cincinnatiJson(STABLE_416));
});
after(async () => {
  await svc?.close();
  await dir?.remove();
});

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runGantry(['release', 'graph', ...args], { env: { ...NO_PROXY_ENV, ...env } });

function assertCleanError(r: { code: number | null; stderr: string; stdout: string }, code: string, mentions: string[] = [], exit = 1): void {
  assert.equal(r.code, exit, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.equal(r.stdout, '');
  for (const m of mentions) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
}

test('release graph/lists the channel from the update service, head marked, asking for JSON by channel and arch', async () => {
  svc.requests.length = 0;
  const r = await run(['--channel', 'stable-4.16', '--update-url', svc.url]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'channel stable-4.16 (amd64): 4 releases, head 4.16.3');
  assert.ok(lines[1]!.startsWith('source: http://127.0.0.1:'));
  assert.deepEqual(
    lines.slice(2).map((l) => l.trim().split(/\s+/)),
    [
      ['4.16.0', fakePayload('4.16.0')],
      ['4.16.1', fakePayload('4.16.1')],
      ['4.16.2', fakePayload('4.16.2')],
      ['4.16.3', fakePayload('4.16.3'), '(head)'],
    ],
  );
  assert.deepEqual(svc.requests, [{ channel: 'stable-4.16', arch: 'amd64', accept: 'application/json' }]);
});

test('release graph/--from --to -o json: the shortest path, the conditional update flagged with its risks', async () => {
  const r = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '--from', '4.16.0', '--to', '4.16.3', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.head, '4.16.3');
  assert.deepEqual(doc.releases.filter((x: { head: boolean }) => x.head).map((x: { version: string }) => x.version), ['4.16.3']);
  assert.deepEqual(doc.path.versions, ['4.16.0', '4.16.3'], 'one conditional update beats two plain ones');
  assert.equal(doc.path.edges.length, 1);
  assert.equal(doc.path.edges[0].conditional, true);
  assert.deepEqual(doc.path.edges[0].risks.map((k: { name: string }) => k.name), ['AzureDNS', 'OVNRestart']);
  assert.equal(doc.path.edges[0].risks[0].message, 'DNS may fail on Azure');
});

test('release graph/text path: each update on a line, conditional ones with their risk names', async () => {
  const r = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '--from', '4.16.1', '--to', '4.16.3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\npath 4\.16\.1 → 4\.16\.3: 1 update\n {2}4\.16\.1 → 4\.16\.3\n$/);
  const c = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '--from', '4.16.0', '--to', '4.16.3']);
  assert.match(c.stdout, /\n {2}4\.16\.0 → 4\.16\.3 {2}conditional: AzureDNS, OVNRestart\n$/);
});

test('release graph/--update-graph FILE: the same answer without the network', async () => {
  const before = svc.requests.length;
  const file = await run(['--channel', 'stable-4.16', '--update-graph', graphFile, '--from', '4.16.0', '--to', '4.16.3', '-o', 'json']);
  const net = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '--from', '4.16.0', '--to', '4.16.3', '-o', 'json']);
  assert.equal(file.code, 0, file.stderr);
  const a = JSON.parse(file.stdout);
  const b = JSON.parse(net.stdout);
  assert.equal(a.source, graphFile);
  assert.deepEqual({ ...a, source: '' }, { ...b, source: '' });
  assert.equal(svc.requests.length, before + 1, 'only the --update-url run asked the service');
});

test('release graph/UPDATE_URL_OVERRIDE points at another service; --arch aarch64 asks for arm64', async () => {
  svc.requests.length = 0;
  const r = await run(['--channel', 'stable-4.16', '--arch', 'aarch64', '-o', 'json'], { UPDATE_URL_OVERRIDE: svc.url });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).releases.map((x: { version: string }) => x.version), ['4.16.0', '4.16.1']);
  assert.deepEqual(svc.requests, [{ channel: 'stable-4.16', arch: 'arm64', accept: 'application/json' }]);
});

test('release graph/HTTP_PROXY is honoured (NO_PROXY empty)', async () => {
  // A CONNECT proxy that counts tunnels: undici tunnels through it to the fake service.
  let tunnels = 0;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket) => {
    tunnels++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) (sockets.add(s), s.on('error', () => undefined));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const r = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '-o', 'json'], { HTTP_PROXY: url, NO_PROXY: '' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).head, '4.16.3');
    assert.ok(tunnels >= 1, 'the request went through the proxy');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

test('release graph/an unknown channel: RELEASE_CHANNEL_UNKNOWN naming it', async () => {
  assertCleanError(await run(['--channel', 'stable-9.99', '--update-url', svc.url]), 'RELEASE_CHANNEL_UNKNOWN', ['stable-9.99', 'amd64']);
});

test('release graph/a version not in the channel, and no path between two versions', async () => {
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-graph', graphFile, '--from', '4.16.0', '--to', '4.16.9']), 'RELEASE_VERSION_NOT_FOUND', ['4.16.9', 'stable-4.16']);
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-graph', graphFile, '--from', '4.16.2', '--to', '4.16.3']), 'RELEASE_NO_PATH', ['4.16.2', '4.16.3', 'stable-4.16']);
});

test('release graph/an unreachable update service: clear error, exit 1, no stack trace', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-url', `http://127.0.0.1:${port}/graph`]), 'UPDATE_SERVICE_ERROR', ['stable-4.16', `127.0.0.1:${port}`, 'ECONNREFUSED', '--update-graph']);
});

test('release graph/the service failing: its own error text, a bounded hang, bad JSON', async () => {
  try {
    svc.fault = 'status-500';
    assertCleanError(await run(['--channel', 'stable-4.16', '--update-url', svc.url]), 'UPDATE_SERVICE_ERROR', ['500', 'upstream_unreachable', 'fake outage', 'stable-4.16']);
    svc.fault = 'bad-json';
    assertCleanError(await run(['--channel', 'stable-4.16', '--update-url', svc.url]), 'UPDATE_GRAPH_INVALID', ['stable-4.16', svc.url]);
    svc.fault = 'hang';
    const r = await run(['--channel', 'stable-4.16', '--update-url', svc.url, '--timeout', '1s']);
    assertCleanError(r, 'UPDATE_SERVICE_ERROR', ['stable-4.16', 'did not answer within 1s']);
    assert.ok(r.ms < 10_000, `gave up after ${r.ms} ms`);
  } finally {
    svc.fault = 'none';
  }
});

test('release graph/a missing or unreadable graph file', async () => {
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-graph', join(dir.path, 'nope.json')]), 'NOT_FOUND', ['nope.json']);
  const bad = join(dir.path, 'bad.json');
  await writeFile(bad, '{"nodes": "no"}');
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-graph', bad]), 'UPDATE_GRAPH_INVALID', ['bad.json', 'stable-4.16']);
});

test('release graph/usage errors exit 2 before any request', async () => {
  const before = svc.requests.length;
  assertCleanError(await run(['--update-url', svc.url]), 'USAGE', ['--channel'], 2);
  assertCleanError(await run(['--channel', 'c', '--update-url', svc.url, '--from', '4.16.0']), 'USAGE', ['--from and --to'], 2);
  assertCleanError(await run(['--channel', 'c', '--update-url', svc.url, '-o', 'yaml']), 'USAGE', [], 2);
  assertCleanError(await run(['--channel', 'c', '--update-url', svc.url, '--arch', 'i386']), 'USAGE', ['i386'], 2);
  assertCleanError(await run(['--channel', 'c', '--update-url', 'not a url']), 'USAGE', ['not a url'], 2);
  assertCleanError(await run(['--channel', 'c', '--update-url', svc.url, '--update-graph', graphFile]), 'USAGE', [], 2);
  assert.equal(svc.requests.length, before);
});

test('release graph/--update-graph DIR reads ARCH-CHANNEL.json, as oc-mirror saves graphs', async () => {
  const graphs = join(dir.path, 'graphs');
  await mkdir(graphs, { recursive: true });
  await writeFile(join(graphs, 'arm64-stable-4.16.json'), cincinnatiJson(ARM_416, 'arm64'));
  const r = await run(['--channel', 'stable-4.16', '--arch', 'arm64', '--update-graph', graphs, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).head, '4.16.1');
  assertCleanError(await run(['--channel', 'stable-4.16', '--update-graph', graphs]), 'NOT_FOUND', ['amd64-stable-4.16.json']);
});

const platformConfig = (name: string, lines: string[]) => writePlatformIsc(dir.path, name, lines);

// What a mirror run plans for the releases (payloads read from a registry) is in test/mirror-release.test.ts; here
// only what fails before any release image is read: the selection itself.
test('mirror --dry-run/a selection that cannot be made is an error naming the channel and version; so is an unreachable service', async () => {
  // arm64's stable-4.16 has no 4.16.3.
  const arm = await platformConfig('both.yaml', ['architectures: [amd64, arm64]', 'channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.3, shortestPath: true}']);
  const r = await runGantry(['mirror', '-c', arm, `file://${join(dir.path, 'dry-both')}`, '--dry-run', '--update-url', svc.url], { env: NO_PROXY_ENV });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error\[RELEASE_VERSION_NOT_FOUND\]: channel "stable-4\.16" \(arm64\) has no release 4\.16\.3/);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const isc = await platformConfig('head.yaml', ['channels:', '- name: stable-4.16']);
  const down = await runGantry(['mirror', '-c', isc, `file://${join(dir.path, 'dry-down')}`, '--dry-run', '--update-url', `http://127.0.0.1:${port}/graph`], { env: NO_PROXY_ENV });
  assert.equal(down.code, 1, down.stderr);
  assert.match(down.stderr, /error\[UPDATE_SERVICE_ERROR\]: cannot read the update graph of channel "stable-4\.16"/);
});

test('release graph/an HTTPS update service: a private CA needs --cert-dir; --tls-verify=false skips the check', async () => {
  const certs = join(dir.path, 'tls');
  await mkdir(certs, { recursive: true });
  const ca = await createTestCa(certs);
  const https = await startUpdateService({ amd64: { 'stable-4.16': STABLE_416 } }, { tls: { cert: await readFile(ca.serverCert, 'utf8'), key: await readFile(ca.serverKey, 'utf8') } });
  try {
    const host = new URL(https.url).host;
    assertCleanError(await run(['--channel', 'stable-4.16', '--update-url', https.url]), 'TLS_ERROR', ['stable-4.16', '--cert-dir']);
    const certDir = await writeCertsDir(join(certs, 'certs.d'), host, ca.caCert);
    const withCa = await run(['--channel', 'stable-4.16', '--update-url', https.url, '--cert-dir', certDir, '-o', 'json']);
    assert.equal(withCa.code, 0, withCa.stderr);
    assert.equal(JSON.parse(withCa.stdout).head, '4.16.3');
    const skip = await run(['--channel', 'stable-4.16', '--update-url', https.url, '--tls-verify=false', '-o', 'json']);
    assert.equal(skip.code, 0, skip.stderr);
    assert.equal(JSON.parse(skip.stdout).head, '4.16.3');
  } finally {
    await https.close();
  }
});

test('release graph/--type okd reads the same API from the URL given; an unknown type is a usage error', async () => {
  svc.requests.length = 0;
  const r = await run(['--channel', 'stable-4.16', '--type', 'okd', '--update-url', svc.url, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).head, '4.16.3');
  assert.equal(svc.requests.length, 1);
  assertCleanError(await run(['--channel', 'stable-4.16', '--type', 'rhcos', '--update-url', svc.url]), 'USAGE', [], 2);
});
