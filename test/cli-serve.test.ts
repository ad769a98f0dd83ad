// gantry serve through the built CLI: catalogd's HTTP API over a real corpus catalog slice, checked with gantry's
// own catalogd reader (round trip), real curl for resumed downloads, raw HTTP for 304/gzip/errors, TLS, SIGTERM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runGantry } from './run-gantry.js';
import { raw, startServe, stopServe as stop, type Served } from './serve-process.js';
import { REAL_CATALOG } from './corpus.js';
import { tempDir } from './helpers.js';
import { createTestCa, type TestCa } from '../src/testing/tls.js';
import { runTool } from '../src/testing/tools.js';

const PACKAGES = ['kubevirt-wol', 'libredb-studio-operator', 'nfs-provisioner-operator'];

const sortKeysDeep = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeysDeep) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeysDeep((v as Record<string, unknown>)[k])])) : v;

let work: { path: string; remove(): Promise<void> };
let catalogDir: string;
let served: Served | undefined;
let tlsServed: Served | undefined;
let ca: TestCa;

before(async () => {
  work = await tempDir('serve');
  catalogDir = join(work.path, 'corpus');
  await mkdir(catalogDir);
  for (const p of PACKAGES) await cp(join(REAL_CATALOG, p), join(catalogDir, p), { recursive: true });
  served = await startServe([`ops=${catalogDir}`, catalogDir, '--listen', '127.0.0.1:0']);
});

after(async () => {
  await stop(served);
  await stop(tlsServed);
  await work?.remove();
});

describe('cli/serve: catalogd HTTP API', () => {
  test('serve/one ready line naming the address and the catalogs', () => {
    const lines = served!.stderr().trim().split('\n');
    assert.equal(lines.length, 1);
    const url = served!.base.replace(/\./g, '\\.');
    assert.match(lines[0]!, new RegExp(`^serving ${url} and gRPC 127\\.0\\.0\\.1:\\d+ \\(catalogs: ops, corpus; gRPC: ops; web UI: ${url}/\\)$`));
  });

  test('serve/api/v1/all: sorted compact JSON lines of every package, read back by gantry catalog validate', async () => {
    const r = await raw(`${served!.base}/catalogs/ops/api/v1/all`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/jsonl');
    assert.ok(r.headers['last-modified']);
    const lines = r.body.toString().split('\n');
    assert.equal(lines.pop(), '', 'every line ends in a newline');
    const blobs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    lines.forEach((l, i) => assert.equal(l, JSON.stringify(sortKeysDeep(blobs[i])), `line ${i + 1} is compact with sorted keys`));
    assert.deepEqual(blobs.filter((b) => b.schema === 'olm.package').map((b) => b.name), PACKAGES, 'packages in directory walk order');
    const legacy = await raw(`${served!.base}/catalogs/corpus/all.json`);
    assert.deepEqual(legacy.body, r.body, 'the second name and the legacy path serve the same bytes');

    const v = await runGantry(['catalog', 'validate', `${served!.base}/catalogs/ops/api/v1/all`]);
    assert.equal(v.code, 0, v.stderr);
  });

  test('serve/Range and a resumed download (curl -C -)', async () => {
    const url = `${served!.base}/catalogs/ops/api/v1/all`;
    const whole = (await raw(url)).body;
    const half = Math.floor(whole.length / 2);
    const part = await raw(url, { headers: { range: `bytes=${half}-` } });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes ${half}-${whole.length - 1}/${whole.length}`);
    assert.deepEqual(Buffer.concat([whole.subarray(0, half), part.body]), whole);
    assert.equal((await raw(url, { headers: { range: `bytes=${whole.length + 10}-` } })).status, 416);

    const out = join(work.path, 'resumed.jsonl');
    await writeFile(out, whole.subarray(0, half));
    // curl is installed by scripts/install-deps.sh.
    const c = await runTool('curl', ['-sS', '-f', '-C', '-', '-o', out, url], { timeoutMs: 30_000 });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(await readFile(out), whole);
  });

  test('serve/If-Modified-Since gives 304', async () => {
    const url = `${served!.base}/catalogs/ops/api/v1/all`;
    const first = await raw(url);
    const again = await raw(url, { headers: { 'if-modified-since': first.headers['last-modified']! } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const metas = await raw(`${url.replace(/all$/, 'metas')}?schema=olm.package`, { headers: { 'if-modified-since': first.headers['last-modified']! } });
    assert.equal(metas.status, 304);
    assert.equal((await raw(url, { headers: { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status, 200);
  });

  test('serve/gzip with Accept-Encoding: gzip', async () => {
    const url = `${served!.base}/catalogs/ops/api/v1/all`;
    const plain = await raw(url);
    const zipped = await raw(url, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.body.length < plain.body.length);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
  });

  test('serve/metas filters: schema, package (without the olm.package blob), AND', async (t) => {
    const cases: { name: string; query: string; check: (blobs: Record<string, unknown>[]) => void }[] = [
      { name: 'schema=olm.package', query: 'schema=olm.package', check: (b) => assert.deepEqual(b.map((x) => x.name), PACKAGES) },
      {
        name: 'package= quirk',
        query: 'package=kubevirt-wol',
        check: (b) => {
          assert.ok(b.length > 0);
          assert.ok(b.every((x) => x.package === 'kubevirt-wol' && x.schema !== 'olm.package'));
        },
      },
      { name: 'schema=olm.package&name=', query: 'schema=olm.package&name=kubevirt-wol', check: (b) => assert.deepEqual(b.map((x) => x.name), ['kubevirt-wol']) },
      {
        name: 'schema AND package',
        query: 'schema=olm.bundle&package=nfs-provisioner-operator',
        check: (b) => {
          assert.ok(b.length > 0);
          assert.ok(b.every((x) => x.schema === 'olm.bundle' && x.package === 'nfs-provisioner-operator'));
        },
      },
    ];
    for (const c of cases) {
      await t.test(c.name, async () => {
        const r = await raw(`${served!.base}/catalogs/ops/api/v1/metas?${c.query}`);
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-type'], 'application/jsonl');
        c.check(r.body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      });
    }
  });

  test('serve/HEAD has the headers and no body', async () => {
    const r = await raw(`${served!.base}/catalogs/ops/api/v1/all`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 0);
    assert.ok(Number(r.headers['content-length']) > 0);
  });

  test('serve/errors: 400, 404, 405', async (t) => {
    const cases: { name: string; path: string; method?: string; status: number; body: RegExp }[] = [
      { name: 'unknown metas parameter', path: '/catalogs/ops/api/v1/metas?version=1', status: 400, body: /^400 Bad Request\n$/ },
      { name: 'catalog name not DNS-1123', path: '/catalogs/Not_Valid/api/v1/all', status: 400, body: /RFC 1123/ },
      { name: 'unknown catalog', path: '/catalogs/nope/api/v1/all', status: 404, body: /^404 Not Found\n$/ },
      { name: 'POST', path: '/catalogs/ops/api/v1/all', method: 'POST', status: 405, body: /^Method Not Allowed\n$/ },
    ];
    for (const c of cases) {
      await t.test(c.name, async () => {
        const r = await raw(`${served!.base}${c.path}`, c.method ? { method: c.method } : {});
        assert.equal(r.status, c.status);
        assert.match(r.body.toString(), c.body);
      });
    }
  });

  test('serve/TLS with --tls-cert/--tls-key, then SIGINT exits 0', async () => {
    ca = await createTestCa(work.path);
    tlsServed = await startServe([`ops=${catalogDir}`, '--listen', '127.0.0.1:0', '--tls-cert', ca.serverCert, '--tls-key', ca.serverKey]);
    assert.match(tlsServed.base, /^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await raw(`${tlsServed.base}/catalogs/ops/api/v1/metas?schema=olm.package`, { ca: await readFile(ca.caCert) });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString().split('\n').filter(Boolean).length, PACKAGES.length);

    // The OpenShift 4.16/4.17 documentation's command, unmodified (-k: the test CA is not trusted by curl), first
    // cut short by a partial file, then resumed by -C -.
    const whole = (await raw(`${served!.base}/catalogs/ops/all.json`)).body;
    const out = join(work.path, 'seed-all.json');
    await writeFile(out, whole.subarray(0, Math.floor(whole.length / 3)));
    const c = await runTool('curl', ['-L', '-k', `${tlsServed.base}/catalogs/ops/all.json`, '-C', '-', '-o', out], { timeoutMs: 30_000 });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(await readFile(out), whole);
    assert.equal(await stop(tlsServed, 'SIGINT'), 0);
  });

  test('serve/a usage error exits 2 before listening', async () => {
    const r = await runGantry(['serve', catalogDir, '--listen', 'nowhere']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error\[USAGE\]: --listen must be HOST:PORT/);
  });

  test('serve/SIGTERM stops it with exit code 0', async () => {
    const code = await stop(served, 'SIGTERM');
    assert.equal(code, 0, served!.stderr());
  });
});
