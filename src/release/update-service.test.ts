// The update service side with the HTTP GET injected: the URL and query, the default and overridden services,
// the service's own error text in messages, network failures naming channel and URL, optional graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GantryError, isGantryError } from '../errors.js';
import { cincinnatiArch, fetchGraph, graphUrl, OCP_UPDATE_URL, OKD_UPDATE_URL, readGraphs, updateServiceUrl, type FetchText } from './update-service.js';

const GRAPH = '{"nodes":[{"version":"4.16.1","payload":"quay.io/x@sha256:' + 'a'.repeat(64) + '"}],"edges":[]}';

test('update service/the URL: channel and arch set, other parameters kept', () => {
  assert.equal(graphUrl('https://h/api/upgrades_info/v1/graph?id=abc', 'stable-4.16', 'arm64'), 'https://h/api/upgrades_info/v1/graph?id=abc&channel=stable-4.16&arch=arm64');
  assert.throws(() => graphUrl('not a url', 'c', 'amd64'), (e: unknown) => isGantryError(e, 'USAGE'));
  assert.throws(() => graphUrl('ftp://h/graph', 'c', 'amd64'), (e: unknown) => isGantryError(e, 'USAGE'));
});

test('update service/flag, then UPDATE_URL_OVERRIDE (ocp only), then the public service', () => {
  assert.equal(updateServiceUrl('ocp', {}), OCP_UPDATE_URL);
  assert.equal(updateServiceUrl('okd', {}), OKD_UPDATE_URL);
  assert.equal(updateServiceUrl('ocp', { env: { UPDATE_URL_OVERRIDE: 'http://osus/graph' } }), 'http://osus/graph');
  assert.equal(updateServiceUrl('okd', { env: { UPDATE_URL_OVERRIDE: 'http://osus/graph' } }), OKD_UPDATE_URL);
  assert.equal(updateServiceUrl('ocp', { updateUrl: 'http://flag/graph', env: { UPDATE_URL_OVERRIDE: 'http://osus/graph' } }), 'http://flag/graph');
});

test('update service/architecture names', () => {
  assert.deepEqual(['amd64', 'x86_64', 'aarch64', 'arm64', 'ppc64le', 's390x', 'multi', 'AMD64'].map(cincinnatiArch), ['amd64', 'amd64', 'arm64', 'arm64', 'ppc64le', 's390x', 'multi', 'amd64']);
  assert.throws(() => cincinnatiArch('i386'), (e: unknown) => isGantryError(e, 'USAGE'));
});

test('update service/asks for JSON and parses the answer', async () => {
  const seen: { url: string; accept: string | undefined }[] = [];
  const get: FetchText = async (url, o) => (seen.push({ url, accept: o.headers.accept }), { status: 200, text: GRAPH });
  const g = await fetchGraph({ channel: 'stable-4.16', arch: 'amd64', url: 'http://svc/graph' }, get);
  assert.deepEqual(g.nodes.map((n) => n.version), ['4.16.1']);
  assert.deepEqual(seen, [{ url: 'http://svc/graph?channel=stable-4.16&arch=amd64', accept: 'application/json' }]);
  assert.equal(g.origin.source, 'http://svc/graph?channel=stable-4.16&arch=amd64');
});

test('update service/an error status carries the service’s own words', async () => {
  const get: FetchText = async () => ({ status: 500, text: '{"kind":"upstream_unreachable","value":"failed to fetch"}' });
  await assert.rejects(fetchGraph({ channel: 'stable-4.16', arch: 'amd64', url: 'http://svc/graph' }, get), (e: unknown) => {
    assert.ok(isGantryError(e, 'UPDATE_SERVICE_ERROR'));
    assert.equal(e.status, 500);
    for (const m of ['stable-4.16', 'http://svc/graph', '500', 'upstream_unreachable: failed to fetch']) assert.ok(e.message.includes(m), `${e.message} has ${m}`);
    return true;
  });
});

test('update service/a network failure names channel and URL; TLS keeps its code and hint', async () => {
  const down: FetchText = async () => {
    throw new GantryError('IO_ERROR', 'cannot reach http://svc: ECONNREFUSED');
  };
  await assert.rejects(fetchGraph({ channel: 'c1', arch: 'amd64', url: 'http://svc/graph' }, down), (e: unknown) => isGantryError(e, 'UPDATE_SERVICE_ERROR') && e.message.includes('c1') && e.message.includes('ECONNREFUSED') && !!e.hint);
  const tls: FetchText = async () => {
    throw new GantryError('TLS_ERROR', 'self-signed certificate', { hint: 'pass --cert-dir' });
  };
  await assert.rejects(fetchGraph({ channel: 'c1', arch: 'amd64', url: 'https://svc/graph' }, tls), (e: unknown) => isGantryError(e, 'TLS_ERROR') && e.hint === 'pass --cert-dir');
});

test('update service/an optional graph that fails is left out; a required one fails the read', async () => {
  const read = async (r: { channel: string }) => {
    if (r.channel === 'stable-4.15') throw new GantryError('UPDATE_SERVICE_ERROR', 'down');
    return { origin: { source: 's', channel: r.channel, arch: 'amd64' }, nodes: [], edges: [] };
  };
  const got = await readGraphs(
    [
      { type: 'ocp', channel: 'stable-4.14', arch: 'amd64', optional: false },
      { type: 'ocp', channel: 'stable-4.15', arch: 'amd64', optional: true },
    ],
    read,
  );
  assert.deepEqual([...got.keys()], ['ocp/amd64/stable-4.14']);
  await assert.rejects(readGraphs([{ type: 'ocp', channel: 'stable-4.15', arch: 'amd64', optional: false }], read), (e: unknown) => isGantryError(e, 'UPDATE_SERVICE_ERROR'));
});
