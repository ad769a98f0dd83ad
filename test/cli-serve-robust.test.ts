// gantry serve under load and abuse, through the built CLI: the 7,014-bundle corpus catalog byte-identical to
// catalogd's form, 200 concurrent clients, downloads cut off mid-stream (no sockets or memory left behind),
// path traversal in names and parameters, and HEAD answering with GET's headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { largeCatalog, REAL_CATALOG } from './corpus.js';
import { tempDir } from './helpers.js';
import { raw, rawBytes, startServe, stopServe, type Served } from './serve-process.js';

const PACKAGES = ['kubevirt-wol', 'libredb-studio-operator', 'nfs-provisioner-operator'];

/**
 * catalogd's catalog.jsonl for the large corpus catalog, as Go writes it: bench/catalogd-ref/main.go (declcfg's
 * walk with concurrency 1 and Meta.UnmarshalJSON's re-encode, standard library only), run with Go 1.19:
 *   go build -o /tmp/catalogd-ref bench/catalogd-ref/main.go
 *   /tmp/catalogd-ref -catalog DIR/community-operators-prod-all -write ref.jsonl && sha256sum ref.jsonl
 * The corpus has no \b, \f, U+2028 or U+2029, the only characters whose escaping differs between Go versions.
 */
const CATALOGD_ALL = { bytes: 131_751_715, sha256: '0d157313fcc0c727bd2d395a3b3a1fab9d25c5d444d38023bc0a6e264ccf56f1' };

let work: { path: string; remove(): Promise<void> };
let served: Served | undefined;
let ops: string;
let big: string;

/** Open file descriptors of a process (sockets included): Linux's /proc view. */
async function openFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** VmRSS (now) or VmHWM (the peak since the last reset) of a process, in bytes. */
async function memory(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** Waits (bounded) until check() holds; returns its last value either way. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

/** Reads at least `bytes` of the body, then destroys the connection. */
function abortAfter(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, timeout: 30_000 }, (res) => {
      let got = 0;
      res.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= bytes) {
          req.destroy();
          resolve(got);
        }
      });
      res.on('end', () => reject(new Error(`the whole body (${got} bytes) arrived before the abort`)));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => {
      if (!req.destroyed || (e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}

before(async () => {
  work = await tempDir('serve-robust');
  const dir = join(work.path, 'ops');
  await mkdir(dir);
  for (const p of PACKAGES) await cp(join(REAL_CATALOG, p), join(dir, p), { recursive: true });
  served = await startServe([`ops=${dir}`, `big=${await largeCatalog()}`, '--listen', '127.0.0.1:0']);
  ops = `${served.base}/catalogs/ops/api/v1`;
  big = `${served.base}/catalogs/big/api/v1`;
});

after(async () => {
  await stopServe(served);
  await work?.remove();
});

describe('cli/serve: compatibility and robustness', () => {
  test('serve/api/v1/all of the 7,014-bundle catalog is byte-identical to catalogd\'s catalog.jsonl', async () => {
    const r = await raw(`${big}/all`, { timeoutMs: 120_000 });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, CATALOGD_ALL.bytes);
    assert.equal(createHash('sha256').update(r.body).digest('hex'), CATALOGD_ALL.sha256);
    const zipped = await raw(`${big}/all`, { headers: { 'accept-encoding': 'gzip' }, timeoutMs: 120_000 });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(zipped.body).equals(r.body), 'the precomputed gzip holds the same bytes');
  });

  test('serve/a large gzip answer is compressed while sent, and other clients are served meanwhile', async () => {
    const url = `${big}/metas?schema=olm.bundle`;
    const identity = await raw(url, { timeoutMs: 120_000 });
    const started = Date.now();
    let smallMs = 0;
    const zipped = raw(url, { headers: { 'accept-encoding': 'gzip' }, timeoutMs: 120_000 }).then((r) => ({ r, ms: Date.now() - started }));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    assert.equal((await raw(`${ops}/metas?schema=olm.package`)).status, 200);
    smallMs = Date.now() - t0;
    const z = await zipped;
    assert.equal(z.r.status, 200);
    assert.equal(z.r.headers['content-encoding'], 'gzip');
    assert.equal(z.r.headers['content-length'], undefined, 'streamed, as gzhttp sends it');
    assert.ok(gunzipSync(z.r.body).equals(identity.body));
    // Compressing ~120 MiB takes seconds; a server compressing on its event loop would hold the small answer.
    assert.ok(smallMs < z.ms / 4, `small answer after ${smallMs} ms while the gzip one took ${z.ms} ms`);
  });

  test('serve/200 concurrent clients, every answer complete and right', async () => {
    const whole = (await raw(`${ops}/all`)).body;
    const packages = (await raw(`${ops}/metas?schema=olm.package`)).body;
    const agent = new Agent({ keepAlive: false, maxSockets: 200 });
    try {
      const kinds: { url: string; headers: Record<string, string>; check: (b: Buffer) => boolean }[] = [
        { url: `${ops}/all`, headers: {}, check: (b: Buffer) => b.equals(whole) },
        { url: `${ops}/metas?schema=olm.package`, headers: {}, check: (b: Buffer) => b.equals(packages) },
        { url: `${ops}/all`, headers: { 'accept-encoding': 'gzip' }, check: (b: Buffer) => gunzipSync(b).equals(whole) },
        { url: `${ops}/all`, headers: { range: 'bytes=100-199' }, check: (b: Buffer) => b.equals(whole.subarray(100, 200)) },
      ];
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const k = kinds[i % kinds.length]!;
          const r = await raw(k.url, { headers: k.headers, agent, timeoutMs: 60_000 });
          return r.status < 300 && k.check(r.body);
        }),
      );
      assert.equal(results.filter(Boolean).length, 200);
    } finally {
      agent.destroy();
    }
  });

  test('serve/downloads cut off mid-stream leave no sockets and no per-request copies behind', async () => {
    const pid = served!.child.pid!;
    // A first full answer so that lazily allocated state is counted in the baseline.
    await raw(`${big}/all`, { timeoutMs: 120_000 });
    const fdsBefore = await eventually(() => openFds(pid), () => true);
    const rssBefore = await memory(pid, 'VmRSS');
    // Resets the peak (VmHWM) to the current RSS (proc(5), clear_refs "5"), so the peak below is this test's.
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    // 60 downloads of the 126 MiB body, 12 at a time, each dropped after its first 256 KiB: a server that copied
    // the body per request would hold 12 × 126 MiB at once.
    for (let round = 0; round < 5; round++) {
      const got = await Promise.all(Array.from({ length: 12 }, () => abortAfter(`${big}/all`, 256 * 1024)));
      assert.ok(got.every((n) => n < CATALOGD_ALL.bytes));
    }
    const fdsAfter = await eventually(() => openFds(pid), (n) => n <= fdsBefore);
    assert.ok(fdsAfter <= fdsBefore, `open descriptors: ${fdsBefore} before, ${fdsAfter} after the aborted downloads`);
    const peak = await memory(pid, 'VmHWM');
    assert.ok(peak - rssBefore < 256 * 1024 * 1024, `RSS peaked at ${peak >> 20} MiB, from ${rssBefore >> 20} MiB`);
    // And it still answers.
    assert.equal((await raw(`${ops}/metas?schema=olm.package`)).status, 200);
  });

  test('serve/path traversal in names and parameters never reaches a file', async (t) => {
    const INVALID = /^invalid catalog name: a lowercase RFC 1123 subdomain/;
    const cases: { name: string; target: string; status: number; location?: string; body?: RegExp }[] = [
      { name: 'dot-dot segments', target: '/catalogs/../../../../etc/passwd', status: 301, location: '/etc/passwd' },
      { name: 'double slash', target: '//etc/passwd', status: 301, location: '/etc/passwd' },
      { name: 'the redirect target itself', target: '/etc/passwd', status: 404, body: /^404 page not found\n$/ },
      { name: 'encoded dot-dot as the name', target: '/catalogs/%2e%2e/api/v1/all', status: 400, body: INVALID },
      { name: 'encoded dot-dot walking out', target: '/catalogs/%2e%2e/%2e%2e/etc/passwd', status: 404, body: /^404 page not found\n$/ },
      { name: 'encoded slashes in the name', target: '/catalogs/ops%2f..%2f..%2fetc%2fpasswd/api/v1/all', status: 400, body: INVALID },
      { name: 'encoded backslashes', target: '/catalogs/..%5c..%5cetc%5cpasswd/api/v1/all', status: 400, body: INVALID },
      { name: 'encoded NUL', target: '/catalogs/ops%00/api/v1/all', status: 400, body: INVALID },
      { name: 'absolute-form target', target: 'http://127.0.0.1/catalogs/../../etc/passwd', status: 301, location: '/etc/passwd' },
      { name: 'traversal in metas parameters', target: '/catalogs/ops/api/v1/metas?package=../../../etc/passwd&name=%00', status: 200, body: /^$/ },
    ];
    for (const c of cases) {
      await t.test(c.name, async () => {
        const text = await rawBytes(served!.base, `GET ${c.target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        const [head, body = ''] = text.split('\r\n\r\n');
        assert.match(head!, new RegExp(`^HTTP/1\\.1 ${c.status} `), head);
        if (c.location) assert.match(head!, new RegExp(`\r\nlocation: ${c.location}\r\n`, 'i'));
        if (c.body) assert.match(body, c.body);
        assert.doesNotMatch(text, /root:/);
      });
    }
    await t.test('a raw NUL in the request line is refused by the HTTP parser', async () => {
      const text = await rawBytes(served!.base, Buffer.from('GET /catalogs/ops\0/api/v1/all HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
      assert.match(text, /^HTTP\/1\.1 400 /);
    });
  });

  test('serve/HEAD answers with exactly the headers GET would', async (t) => {
    const cases: { name: string; url: string; headers?: Record<string, string> }[] = [
      { name: 'all', url: `${ops}/all` },
      { name: 'all, gzip', url: `${ops}/all`, headers: { 'accept-encoding': 'gzip' } },
      { name: 'one range', url: `${ops}/all`, headers: { range: 'bytes=5-50' } },
      { name: 'several ranges', url: `${ops}/all`, headers: { range: 'bytes=0-1,10-20' } },
      { name: 'metas', url: `${ops}/metas?package=kubevirt-wol` },
      { name: '304', url: `${ops}/all`, headers: { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() } },
      { name: '412', url: `${ops}/all`, headers: { 'if-unmodified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' } },
      { name: '416', url: `${ops}/all`, headers: { range: 'bytes=999999999-' } },
      { name: '404', url: `${served!.base}/catalogs/nope/api/v1/all` },
      { name: '400', url: `${served!.base}/catalogs/No/api/v1/all` },
    ];
    const comparable = (h: Record<string, unknown>) => {
      const { date: _date, ...rest } = h;
      if (typeof rest['content-type'] === 'string') rest['content-type'] = rest['content-type'].replace(/boundary=[0-9a-f]+/, 'boundary=…');
      return rest;
    };
    for (const c of cases) {
      await t.test(c.name, async () => {
        const get = await raw(c.url, c.headers ? { headers: c.headers } : {});
        const head = await raw(c.url, { method: 'HEAD', ...(c.headers ? { headers: c.headers } : {}) });
        assert.equal(head.status, get.status);
        assert.equal(head.body.length, 0);
        assert.deepEqual(comparable(head.headers), comparable(get.headers));
      });
    }
    await t.test('If-Range: the Last-Modified date keeps the range, an older one sends everything', async () => {
      const lm = (await raw(`${ops}/all`, { method: 'HEAD' })).headers['last-modified']!;
      assert.equal((await raw(`${ops}/all`, { headers: { range: 'bytes=0-9', 'if-range': lm } })).status, 206);
      assert.equal((await raw(`${ops}/all`, { headers: { range: 'bytes=0-9', 'if-range': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status, 200);
    });
  });
});
