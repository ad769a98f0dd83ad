import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { catalogQueryFromBlobs } from './catalog-query.js';
import { createHttpHandler, type HttpRequest } from './http-handler.js';

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

const INVALID_NAME =
  "invalid catalog name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n";
const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', vary: 'Accept-Encoding' };

test('server/errors: catalogd\'s statuses, headers and bodies byte for byte', async (t) => {
  const cases: { name: string; method?: string; url: string; status: number; body: string; headers?: Record<string, string> }[] = [
    { name: 'unknown catalog', url: '/catalogs/nope/api/v1/all', status: 404, body: '404 Not Found\n' },
    { name: 'unknown catalog on metas', url: '/catalogs/nope/api/v1/metas', status: 404, body: '404 Not Found\n' },
    { name: 'no such route (ServeMux)', url: '/catalogs/ops/api/v2/all', status: 404, body: '404 page not found\n' },
    { name: 'trailing slash is another route', url: '/catalogs/ops/api/v1/all/', status: 404, body: '404 page not found\n' },
    { name: 'unknown metas parameter', url: '/catalogs/ops/api/v1/metas?schema=olm.package&version=1', status: 400, body: '400 Bad Request\n' },
    { name: 'invalid name before unknown parameter', url: '/catalogs/Bad_Name/api/v1/metas?version=1', status: 400, body: INVALID_NAME },
    { name: 'invalid catalog name', url: '/catalogs/Bad_Name/api/v1/all', status: 400, body: INVALID_NAME },
    { name: 'name too long', url: `/catalogs/${'a'.repeat(254)}/api/v1/all`, status: 400, body: 'invalid catalog name: must be no more than 253 characters\n' },
    { name: 'POST', method: 'POST', url: '/catalogs/ops/api/v1/all', status: 405, body: 'Method Not Allowed\n' },
    { name: 'DELETE on metas, before the name is checked', method: 'DELETE', url: '/catalogs/Bad/api/v1/metas', status: 405, body: 'Method Not Allowed\n' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = get(c.url, {}, c.method);
      assert.equal(r.status, c.status);
      assert.equal(r.body.toString(), c.body);
      assert.deepEqual(r.headers, TEXT);
    });
  }
});

test('server/path traversal and odd names never reach a catalog', async (t) => {
  const cases: { name: string; url: string; status: number; body?: string; location?: string }[] = [
    { name: 'dot-dot segment: ServeMux redirects to the cleaned path', url: '/catalogs/../etc/passwd', status: 301, location: '/etc/passwd' },
    { name: 'dot-dot inside the route', url: '/catalogs/ops/../ops/api/v1/all', status: 301, location: '/catalogs/ops/api/v1/all' },
    { name: 'double slash', url: '/catalogs//ops/api/v1/all?x=1', status: 301, location: '/catalogs/ops/api/v1/all?x=1' },
    { name: 'encoded dot-dot is a name, and an invalid one', url: '/catalogs/%2e%2e/api/v1/all', status: 400, body: INVALID_NAME },
    { name: 'encoded slash stays in the name', url: '/catalogs/ops%2F..%2F..%2Fetc/api/v1/all', status: 400, body: INVALID_NAME },
    { name: 'NUL', url: '/catalogs/ops%00/api/v1/all', status: 400, body: INVALID_NAME },
    { name: 'encoded slash making up a route', url: '/catalogs/ops%2Fapi%2Fv1%2Fall', status: 404, body: '404 page not found\n' },
    { name: 'malformed escape', url: '/catalogs/%zz/api/v1/all', status: 400, body: '400 Bad Request' },
    { name: 'metas parameters are lookups, not paths', url: '/catalogs/ops/api/v1/metas?package=../../etc/passwd&name=%00', status: 200, body: '' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = get(c.url);
      assert.equal(r.status, c.status);
      if (c.body !== undefined) assert.equal(r.body.toString(), c.body);
      if (c.location) {
        assert.equal(r.headers.location, c.location);
        assert.equal(r.body.toString(), `<a href="${c.location.replace(/&/g, '&amp;')}">Moved Permanently</a>.\n\n`);
      }
    });
  }
  assert.equal(get('/catalogs/%6fps/api/v1/al%6c').status, 200, 'escaped letters match as Go unescapes segments');
  assert.equal(get('/catalogs//x?q=\u00e9').headers.location, '/catalogs/x?q=%e9', 'raw bytes ≥ 0x80 hex-escaped (hexEscapeNonASCII)');
  assert.equal(get('/a//b', {}, 'POST').body.length, 0, 'a redirect has a body for GET only');
  const absolute = get('http://example.invalid/catalogs/ops/api/v1/all');
  assert.deepEqual(absolute.body, catalog.body, 'absolute-form request target');
});

test('server/OPTIONS * is answered by the server itself', () => {
  const r = get('*', {}, 'OPTIONS');
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 0);
});

test('server/metas: a parameter Go cannot parse is neither a filter nor an unknown parameter', () => {
  assert.equal(get('/catalogs/ops/api/v1/metas?schema=olm.package;version=1').body, catalog.body);
  assert.equal(get('/catalogs/ops/api/v1/metas?version%zz=1').status, 200);
  assert.deepEqual(lines(get('/catalogs/ops/api/v1/metas?name=foo%2Ev1&package=bar').body).map((b) => b.image), ['r/bar:1']);
});

test('server/metas: empty values filter nothing, the first of repeated parameters counts', () => {
  assert.deepEqual(get('/catalogs/ops/api/v1/metas?package=').body, catalog.body);
  assert.equal(get('/catalogs/ops/api/v1/metas').body, catalog.body, 'no filter: the shared body, not a copy');
  assert.deepEqual(lines(get('/catalogs/ops/api/v1/metas?schema=olm.package&schema=olm.bundle').body).map((b) => b.name), ['foo', 'bar']);
});

const LM = 'Sat, 01 Mar 2025 10:00:00 GMT';
const BEFORE = 'Sat, 01 Mar 2025 09:59:59 GMT';

test('server/preconditions as http.ServeContent (all) and catalogd (metas)', async (t) => {
  const cases: { name: string; headers: Record<string, string>; status: number }[] = [
    { name: 'If-Modified-Since equal: 304', headers: { 'if-modified-since': LM }, status: 304 },
    { name: 'If-Modified-Since older: 200', headers: { 'if-modified-since': BEFORE }, status: 200 },
    { name: 'If-Modified-Since RFC 850', headers: { 'if-modified-since': 'Saturday, 01-Mar-25 10:00:00 GMT' }, status: 304 },
    { name: 'If-Modified-Since ANSI C', headers: { 'if-modified-since': 'Sat Mar  1 10:00:00 2025' }, status: 304 },
    { name: 'If-Modified-Since unparseable: ignored', headers: { 'if-modified-since': 'yesterday' }, status: 200 },
    { name: 'If-None-Match wins over If-Modified-Since', headers: { 'if-none-match': '"abc"', 'if-modified-since': LM }, status: 200 },
    { name: 'If-None-Match *', headers: { 'if-none-match': '*' }, status: 304 },
    { name: 'If-Unmodified-Since equal: 200', headers: { 'if-unmodified-since': LM }, status: 200 },
    { name: 'If-Unmodified-Since older: 412', headers: { 'if-unmodified-since': BEFORE }, status: 412 },
    { name: 'If-Match * passes', headers: { 'if-match': '*', 'if-unmodified-since': BEFORE }, status: 200 },
    { name: 'If-Match with a tag never matches (no ETag)', headers: { 'if-match': '"abc"' }, status: 412 },
    { name: 'If-Match malformed', headers: { 'if-match': 'abc' }, status: 412 },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      for (const url of ['/catalogs/ops/api/v1/all', '/catalogs/ops/api/v1/metas?schema=olm.package']) {
        const r = get(url, c.headers);
        assert.equal(r.status, c.status, url);
        if (c.status !== 200) assert.equal(r.body.length, 0);
        if (c.status === 304) assert.deepEqual(r.headers, { 'last-modified': LM, vary: 'Accept-Encoding' });
      }
    });
  }
  assert.deepEqual(get('/catalogs/ops/api/v1/all', { 'if-unmodified-since': BEFORE }).headers, { 'content-type': 'application/jsonl', 'last-modified': LM, vary: 'Accept-Encoding' });
  assert.deepEqual(get('/catalogs/ops/api/v1/metas', { 'if-unmodified-since': BEFORE }).headers, { 'last-modified': LM, vary: 'Accept-Encoding' });
});

test('server/Range on all: 206, suffix, clamp, 416 with Go\'s bodies, metas ignores it', () => {
  const whole = catalog.body;
  const size = whole.length;
  const r = get('/catalogs/ops/api/v1/all', { range: 'bytes=10-19' });
  assert.equal(r.status, 206);
  assert.deepEqual(r.headers, { 'content-type': 'application/jsonl', 'last-modified': LM, 'accept-ranges': 'bytes', 'content-range': `bytes 10-19/${size}`, vary: 'Accept-Encoding' });
  assert.deepEqual(r.body, whole.subarray(10, 20));
  assert.deepEqual(get('/catalogs/ops/api/v1/all', { range: 'bytes=-5' }).body, whole.subarray(size - 5));
  assert.deepEqual(get('/catalogs/ops/api/v1/all', { range: 'bytes=0-999999' }).headers['content-range'], `bytes 0-${size - 1}/${size}`);
  const noOverlap = get('/catalogs/ops/api/v1/all', { range: `bytes=${size}-` });
  assert.equal(noOverlap.status, 416);
  assert.equal(noOverlap.body.toString(), 'invalid range: failed to overlap\n');
  assert.deepEqual(noOverlap.headers, { ...TEXT, 'content-range': `bytes */${size}` });
  for (const bad of ['bytes=9-3', 'items=0-1', 'bytes=abc', 'bytes=--5', 'bytes=5']) {
    const b = get('/catalogs/ops/api/v1/all', { range: bad });
    assert.equal(b.status, 416, bad);
    assert.equal(b.body.toString(), 'invalid range\n', bad);
    assert.equal(b.headers['content-range'], undefined);
  }
  assert.equal(get('/catalogs/ops/api/v1/all', { range: 'bytes=0-,0-' }).status, 200, 'ranges adding up past the size: the whole body');
  assert.equal(get('/catalogs/ops/api/v1/metas', { range: 'bytes=0-1' }).status, 200);
  // Range wins over gzip: offsets are into the identity body, so a resumed download stays correct.
  const both = get('/catalogs/ops/api/v1/all', { range: 'bytes=0-9', 'accept-encoding': 'gzip' });
  assert.equal(both.status, 206);
  assert.equal(both.headers['content-encoding'], undefined);
});

test('server/If-Range: the modification date keeps the range, anything else sends the whole body', () => {
  const url = '/catalogs/ops/api/v1/all';
  assert.equal(get(url, { range: 'bytes=0-9', 'if-range': LM }).status, 206);
  assert.equal(get(url, { range: 'bytes=0-9', 'if-range': BEFORE }).status, 200);
  assert.equal(get(url, { range: 'bytes=0-9', 'if-range': '"an-etag"' }).status, 200);
  assert.equal(get(url, { range: 'bytes=0-9', 'if-range': 'garbage' }).status, 200);
  assert.equal(get(url, { range: 'bytes=zzz', 'if-range': BEFORE }).status, 200, 'a failed If-Range drops even a malformed Range');
});

test('server/several ranges: multipart/byteranges as Go writes it', () => {
  const whole = catalog.body;
  const r = get('/catalogs/ops/api/v1/all', { range: 'bytes=0-4, -3' });
  assert.equal(r.status, 206);
  const m = /^multipart\/byteranges; boundary=([0-9a-f]{60})$/.exec(r.headers['content-type']!);
  assert.ok(m, r.headers['content-type']);
  const b = m[1];
  const want =
    `--${b}\r\nContent-Range: bytes 0-4/${whole.length}\r\nContent-Type: application/jsonl\r\n\r\n${whole.subarray(0, 5).toString()}` +
    `\r\n--${b}\r\nContent-Range: bytes ${whole.length - 3}-${whole.length - 1}/${whole.length}\r\nContent-Type: application/jsonl\r\n\r\n${whole.subarray(whole.length - 3).toString()}` +
    `\r\n--${b}--\r\n`;
  assert.equal(r.body.toString(), want);
  assert.equal(r.headers['content-range'], undefined);
});

test('server/gzip when asked and the body is large enough', () => {
  const r = get('/catalogs/ops/api/v1/all', { 'accept-encoding': 'br, gzip' });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers['accept-ranges'], undefined);
  assert.deepEqual(gunzipSync(r.body), catalog.body);
  const small = get('/catalogs/ops/api/v1/metas?schema=olm.package', { 'accept-encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(get('/catalogs/ops/api/v1/all', { 'accept-encoding': 'gzip;q=0' }).headers['content-encoding'], undefined);
  const pre = Buffer.from('precomputed');
  const h = createHttpHandler(new Map([['ops', catalog]]), { gzipped: new Map([[catalog.body, pre]]) });
  assert.equal(h({ method: 'GET', url: '/catalogs/ops/api/v1/all', headers: { 'accept-encoding': 'gzip' } }).body, pre, 'a precomputed body is served as is');
});

test('server/a large answer not compressed ahead is marked for compressing while sending', () => {
  const many = Array.from({ length: 200 }, (_, i) => ({ schema: 'olm.bundle', package: 'big', name: `big.v${i}`, description: 'y'.repeat(2000) }));
  const h = createHttpHandler(new Map([['big', catalogQueryFromBlobs('big', [{ schema: 'olm.package', name: 'big' }, ...many], MODIFIED)]]));
  const r = h({ method: 'GET', url: '/catalogs/big/api/v1/metas?schema=olm.bundle', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.gzipWhileSending, true);
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(lines(r.body).length, 200, 'the identity bytes, for the socket side to compress');
  const small = h({ method: 'GET', url: '/catalogs/big/api/v1/metas?name=big.v1', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(small.gzipWhileSending, undefined);
  assert.equal(lines(gunzipSync(small.body)).length, 1);
});
