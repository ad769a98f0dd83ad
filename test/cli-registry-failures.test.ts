// Failures that retrying cannot fix fail fast through the shipped CLI: an unresponsive registry (a timeout with its
// own code and flag), a plain-HTTP registry addressed over TLS (recognised at once, hint naming the command's flag),
// huge error bodies and input values (capped in messages), and credential masking that leaves hints readable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startCountingForwarder, startSilentServer, type CountingServer } from '../src/testing/tcp-servers.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let plain: RunningRegistry;
let locked: RunningRegistry;
let silent: CountingServer;
let fake: Server;
let fakeHost: string;
const BIG = 5 * 1024 * 1024;

before(async () => {
  [plain, locked] = await Promise.all([startRegistry(), startRegistry({ auth: { kind: 'htpasswd', users: [{ username: 'zoe', password: 'zoe-pw' }] } })]);
  await pushImageRaw(plain.url, 'app/one', 'v1', buildImage({ seed: 'failures', layerSizes: [1_000] }));
  silent = await startSilentServer();
  // A "registry" whose error answers are 5 MB: a plain-text page for one repository, a JSON errors body for another.
  fake = createServer((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
    if (req.url?.startsWith('/v2/stall/')) {
      // Headers and a first few bytes of a manifest, then nothing: a body that stops arriving.
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '1000' });
      res.write('{"schemaVersion":2,');
      return;
    }
    if (req.url?.startsWith('/v2/text/')) return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>' + 'x'.repeat(BIG) + '</h1>');
    // json/: larger than the cap (the JSON is cut, so unreadable); mid/: under the cap, with a 60 kB message.
    const message = 'm'.repeat(req.url?.startsWith('/v2/mid/') ? 60_000 : BIG);
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message }] }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
  fakeHost = `127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
after(async () => {
  await silent?.stop();
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  await Promise.all([plain?.stop(), locked?.stop()]);
});

test('failures/an unresponsive registry fails within --timeout with REGISTRY_TIMEOUT, once, not per scheme or retry', async () => {
  const before = silent.connections;
  const r = await runGantry(['inspect', '--tls-verify=false', '--timeout', '1s', `docker://${silent.host}/app/one:v1`]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error\[REGISTRY_TIMEOUT\]: .*did not answer within 1s/m);
  assert.match(r.stderr, /hint: .*--timeout/);
  assert.doesNotMatch(r.stderr, /UND_ERR|at .*\.js:\d+/, 'no raw undici code, no stack');
  assert.ok(r.ms < 6_000, `failed after ${r.ms} ms`);
  // One probe: no second scheme (http then https) and no retries of a registry that does not answer.
  assert.equal(silent.connections - before, 1);
});

test('failures/a body that stops arriving is REGISTRY_TIMEOUT, not a raw undici code', async () => {
  const r = await runGantry(['inspect', '--tls-verify=false', '--timeout', '1s', `docker://${fakeHost}/stall/app:v1`]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error\[REGISTRY_TIMEOUT\]: fetch manifest stall\/app:v1: .*did not answer within 1s/m);
  assert.doesNotMatch(r.stderr, /UND_ERR/);
  assert.ok(r.ms < 6_000, `failed after ${r.ms} ms`);
});

test('failures/mirror and copy take --timeout too; a bad value is a usage error', async () => {
  const dir = await tempDir('timeout');
  try {
    const r = await runGantry(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--timeout', '800ms', `docker://${silent.host}/a:1`, `oci:${join(dir.path, 'l')}:a`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[REGISTRY_TIMEOUT\]/);
    const bad = await runGantry(['copy', '--timeout', 'soon', `docker://${silent.host}/a:1`, `oci:${join(dir.path, 'l')}:a`]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--timeout must be a duration/);
  } finally {
    await dir.remove();
  }
});

test('failures/a plain-HTTP registry addressed over TLS is recognised at once, with the flag of the side that needs it', async () => {
  const front = await startCountingForwarder(Number(plain.host.split(':')[1]));
  const dir = await tempDir('plain-tls');
  try {
    const r = await runGantry(['copy', '--dest-tls-verify=false', `docker://${front.host}/app/one:v1`, `oci:${join(dir.path, 'l')}:one`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error\[TLS_ERROR\]: .* speaks plain HTTP, not TLS/m);
    assert.match(r.stderr, /hint: for a plain-HTTP registry pass --src-tls-verify=false/);
    // One TLS handshake and one plain-HTTP probe to say which it is: no retries of the handshake.
    assert.equal(front.connections, 2);
    assert.ok(r.ms < 5_000, `failed after ${r.ms} ms`);
    // Many images of one run: the registry's answer is known after the first, not learnt again per image.
    const many = join(dir.path, 'mapping.txt');
    await writeFile(many, ['a', 'b', 'c', 'd'].map((t) => `docker://${front.host}/app/one:v1=oci:${join(dir.path, 'm')}:${t}`).join('\n'));
    const m = await runGantry(['copy', '--mapping', many]);
    assert.equal(m.code, 1, m.stderr);
    assert.equal((m.stderr.match(/TLS_ERROR/g) ?? []).length >= 1, true);
    assert.equal(front.connections, 4, 'one handshake and one probe for the whole run of four images');
    const i = await runGantry(['inspect', `docker://${front.host}/app/one:v1`]);
    assert.equal(i.code, 1);
    assert.match(i.stderr, /hint: for a plain-HTTP registry pass --tls-verify=false/);
  } finally {
    await front.stop();
    await dir.remove();
  }
});

test('failures/error bodies from a registry are read up to a cap and quoted briefly', async () => {
  for (const repo of ['text/app', 'json/app', 'mid/app']) {
    const r = await runGantry(['inspect', '--tls-verify=false', '--retry-times', '0', `docker://${fakeHost}/${repo}:v1`]);
    assert.equal(r.code, 1, repo);
    assert.match(r.stderr, /^error\[REGISTRY_ERROR\]: fetch manifest/m, repo);
    assert.ok(r.stderr.length < 2_000, `${repo}: ${r.stderr.length} characters of error output`);
  }
});

test('failures/a huge input value is not repeated whole in the message', async () => {
  const dir = await tempDir('huge');
  try {
    const file = join(dir.path, 'mapping.txt');
    await writeFile(file, `docker://${plain.host}/app/one:${'t'.repeat(10 * 1024 * 1024)}\n`);
    const r = await runGantry(['copy', '--mapping', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error\[MAPPING_INVALID\]: .*mapping\.txt:1: expected SRC=DST, got "docker:\/\/.*…" \(10485\d+ characters\)/m);
    assert.ok(r.stderr.length < 2_000, `${r.stderr.length} characters of error output`);
    const ref = await runGantry(['inspect', `docker://${plain.host}/app/one:${'v'.repeat(120_000)}`]);
    assert.equal(ref.code, 1);
    assert.match(ref.stderr, /error\[REF_INVALID\]/);
    assert.ok(ref.stderr.length < 2_000, `${ref.stderr.length} characters of error output`);
  } finally {
    await dir.remove();
  }
});

test('failures/a=b=c in a mapping file is an error with file and line', async () => {
  const dir = await tempDir('mapping');
  try {
    const file = join(dir.path, 'mapping.txt');
    await writeFile(file, `# ok\ndocker://${plain.host}/app/one:v1=docker://${plain.host}/app/two:v1\na=b=c\n`);
    const r = await runGantry(['copy', '--mapping', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[MAPPING_INVALID\]: .*mapping\.txt:3: expected one "=" between SRC and DST, got "a=b=c"/);
  } finally {
    await dir.remove();
  }
});

test('failures/credential masking leaves the hint "--creds / --authfile" readable and still masks a --creds value', async () => {
  const r = await runGantry(['inspect', '--tls-verify=false', `docker://${locked.host}/app/private:v1`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[REGISTRY_UNAUTHORIZED\]/);
  assert.match(r.stderr, /hint: .*pass --creds \/ --authfile/);
  const d = await runGantry(['inspect', '--tls-verify=false', '--creds', 'zoe:wrong-secret', '--debug', `docker://${locked.host}/app/private:v1`]);
  assert.doesNotMatch(d.stderr + d.stdout, /wrong-secret/);
  assert.match(d.stderr, /hint: the credentials were refused: check the username and password \(--creds, --authfile, your auth\.json\)/);
});

test('failures/credential hints name the flag of the side that needs them', async () => {
  const dir = await tempDir('creds-hint');
  try {
    const r = await runGantry(['copy', '--src-tls-verify=false', `docker://${locked.host}/app/private:v1`, `oci:${join(dir.path, 'l')}:p`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /hint: this registry needs credentials: log in \(auth\.json\), or pass --src-creds \/ --authfile/);
  } finally {
    await dir.remove();
  }
});
