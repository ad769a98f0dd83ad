import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { catalogQueryFromBlobs } from './catalog-query.js';
import { createHttpHandler, parseRange, type HttpRequest } from './http-handler.js';

const MODIFIED = new Date('2025-03-01T10:00:00.500Z');
const blobs = [
  { schema: 'olm.package', name: 'foo', defaultChannel: 'stable' },
  { schema: 'olm.channel', package: 'foo', name: 'stable', entries: [{ name: 'foo.v1' }] },
  { schema: 'olm.bundle', package: 'foo', name: 'foo.v1', image: 'r/foo:1', properties: [{ type: 'olm.package', value: { version: '1.0.0', packageName: 'foo' } }] },
  { schema: 'olm.package', name: 'bar' },
  { schema: 'olm.bundle', package: 'bar', name: 'foo.v1', image: 'r/bar:1', description: 'x'.repeat(2000) },
];
const catalog = catalogQueryFromBlobs('ops', blobs, MODIFIED);
const handle = createHttpHandler(new Map([['ops', catalog]]));
const get = (url: string, headers: HttpRequest['headers'] = {}, method = 'GET') => handle({ method, url, headers });
const lines = (b: Buffer) => b.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('server/all is compact JSON lines with sorted keys, in blob order', () => {
  const r = get('/catalogs/ops/api/v1/all');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/jsonl');
  const first = r.body.toString().split('\n')[0];
  assert.equal(first, '{"defaultChannel":"stable","name":"foo","schema":"olm.package"}');
  assert.deepEqual(lines(r.body), blobs);
  assert.equal(r.headers['last-modified'], 'Sat, 01 Mar 2025 10:00:00 GMT');
  assert.deepEqual(get('/catalogs/ops/all.json').body, r.body, 'legacy all.json serves the same bytes');
});

test('server/metas filters', async (t) => {
  const cases: { name: string; query: string; want: string[] }[] = [
    { name: 'no parameters: everything', query: '', want: ['foo', 'stable', 'foo.v1', 'bar', 'foo.v1'] },
    { name: 'schema', query: 'schema=olm.package', want: ['foo', 'bar'] },
    { name: 'package= skips the olm.package blob (catalogd quirk)', query: 'package=foo', want: ['stable', 'foo.v1'] },
    { name: 'AND of name and package', query: 'name=foo.v1&package=bar', want: ['foo.v1'] },
    { name: 'name across packages, file order', query: 'name=foo.v1', want: ['foo.v1', 'foo.v1'] },
    { name: 'no match', query: 'schema=olm.package&package=foo', want: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = get(`/catalogs/ops/api/v1/metas?${c.query}`);
      assert.equal(r.status, 200);
      assert.deepEqual(lines(r.body).map((b) => b.name), c.want);
    });
  }
  const r = get('/catalogs/ops/api/v1/metas?name=foo.v1&package=bar');
  assert.equal(lines(r.body)[0]!.image, 'r/bar:1');
});

test('server/errors', async (t) => {
  const cases: { name: string; method?: string; url: string; status: number; body?: RegExp }[] = [
    { name: 'unknown catalog', url: '/catalogs/nope/api/v1/all', status: 404, body: /^404 Not Found\n$/ },
    { name: 'unknown path', url: '/catalogs/ops/api/v2/all', status: 404 },
    { name: 'unknown metas parameter', url: '/catalogs/ops/api/v1/metas?schema=olm.package&version=1', status: 400, body: /version/ },
    { name: 'invalid catalog name', url: '/catalogs/Bad_Name/api/v1/all', status: 400, body: /RFC 1123/ },
    { name: 'POST', method: 'POST', url: '/catalogs/ops/api/v1/all', status: 405, body: /Method Not Allowed/ },
    { name: 'DELETE on metas', method: 'DELETE', url: '/catalogs/ops/api/v1/metas', status: 405 },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = get(c.url, {}, c.method);
      assert.equal(r.status, c.status);
      if (c.body) assert.match(r.body.toString(), c.body);
    });
  }
});

test('server/If-Modified-Since gives 304 at whole-second precision, 200 when older', () => {
  for (const path of ['/catalogs/ops/api/v1/all', '/catalogs/ops/api/v1/metas?schema=olm.package']) {
    assert.equal(get(path, { 'if-modified-since': 'Sat, 01 Mar 2025 10:00:00 GMT' }).status, 304);
    assert.equal(get(path, { 'if-modified-since': 'Sat, 01 Mar 2025 09:59:59 GMT' }).status, 200);
  }
});

test('server/Range on all: 206 slices, 416 outside, metas ignores it', () => {
  const whole = catalog.body;
  const r = get('/catalogs/ops/api/v1/all', { range: 'bytes=10-19' });
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-range'], `bytes 10-19/${whole.length}`);
  assert.deepEqual(r.body, whole.subarray(10, 20));
  const tail = get('/catalogs/ops/api/v1/all', { range: 'bytes=-5' });
  assert.deepEqual(tail.body, whole.subarray(whole.length - 5));
  const bad = get('/catalogs/ops/api/v1/all', { range: `bytes=${whole.length}-` });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers['content-range'], `bytes */${whole.length}`);
  assert.equal(get('/catalogs/ops/api/v1/metas', { range: 'bytes=0-1' }).status, 200);
  // Range wins over gzip: offsets are into the identity body, so a resumed download stays correct.
  const both = get('/catalogs/ops/api/v1/all', { range: 'bytes=0-9', 'accept-encoding': 'gzip' });
  assert.equal(both.status, 206);
  assert.equal(both.headers['content-encoding'], undefined);
});

test('server/parseRange', async (t) => {
  const cases: { name: string; value: string | undefined; want: ReturnType<typeof parseRange> }[] = [
    { name: 'absent', value: undefined, want: { kind: 'none' } },
    { name: 'open end', value: 'bytes=90-', want: { kind: 'one', start: 90, end: 99 } },
    { name: 'end clamped', value: 'bytes=0-500', want: { kind: 'one', start: 0, end: 99 } },
    { name: 'several ranges: whole body', value: 'bytes=0-1,5-6', want: { kind: 'none' } },
    { name: 'reversed', value: 'bytes=9-3', want: { kind: 'unsatisfiable' } },
    { name: 'other unit', value: 'items=0-1', want: { kind: 'none' } },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(parseRange(c.value, 100), c.want));
});

test('server/gzip when asked and the body is large enough', () => {
  const r = get('/catalogs/ops/api/v1/all', { 'accept-encoding': 'br, gzip' });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(r.body), catalog.body);
  const small = get('/catalogs/ops/api/v1/metas?schema=olm.package', { 'accept-encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(get('/catalogs/ops/api/v1/all', { 'accept-encoding': 'gzip;q=0' }).headers['content-encoding'], undefined);
});
