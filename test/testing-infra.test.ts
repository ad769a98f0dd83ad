// Integration tests of the test infrastructure itself (src/testing/): real docker-registry processes, the
// token server, the fault proxy and the image builders, each checked against skopeo or raw HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { sha256 } from '../src/oci/digest.js';
import { MediaType } from '../src/oci/media-types.js';
import { parseManifest } from '../src/oci/manifest.js';
import { createTestCa, writeCertsDir } from '../src/testing/tls.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startTokenServer, type TokenServer } from '../src/testing/token-server.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { buildImage, buildIndex, generateBytes, pushImageRaw, pushImagesRaw, pushIndexRaw } from '../src/testing/images.js';
import { runTool, skopeoInspectDigest } from '../src/testing/tools.js';

const INSECURE = ['--tls-verify=false'];

/** True while the process exists and is not a zombie (an orphan whose reaper has not run yet counts as gone). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Stops a registry and checks that its process and temp dir are gone. */
async function stopAndCheck(reg: RunningRegistry): Promise<void> {
  await reg.stop();
  assert.equal(isAlive(reg.pid), false, `registry pid ${reg.pid} still alive`);
  assert.equal(await exists(reg.configFile), false, 'temp dir left behind');
}

async function skopeo(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return runTool('skopeo', args, { timeoutMs: 60_000 });
}

/** A token fetched the way a client would, for driving the registry by hand. */
async function fetchToken(ts: TokenServer, scope: string, auth?: string): Promise<string> {
  const url = `${ts.realm}?service=${encodeURIComponent(ts.service)}&scope=${encodeURIComponent(scope)}`;
  const res = await fetch(url, { headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
  assert.equal(body.token, body.access_token);
  assert.ok(body.expires_in > 0);
  assert.ok(!Number.isNaN(Date.parse(body.issued_at)));
  return body.token;
}

/** GET through node:http, counting the body bytes that arrived before the end or an error. */
function getCounting(url: string): Promise<{ status: number | undefined; received: number; error: string | undefined }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let received = 0;
    const req = httpRequest(url, { agent: false }, (res) => {
      status = res.statusCode;
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () => resolve({ status, received, error: undefined }));
      res.on('error', (e) => resolve({ status, received, error: e.message }));
      res.on('aborted', () => resolve({ status, received, error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ status, received, error: e.message }));
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.end();
  });
}

describe('tools', () => {
  it('runTool returns exit code and output, feeds stdin', async () => {
    const r = await runTool('cat', [], { timeoutMs: 5_000, input: 'hello' });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'hello');
    const f = await runTool('sh', ['-c', 'echo oops >&2; exit 3'], { timeoutMs: 5_000 });
    assert.equal(f.code, 3);
    assert.equal(f.stderr.trim(), 'oops');
  });

  it('runTool kills a tool that overruns its timeout', async () => {
    const t0 = Date.now();
    await assert.rejects(runTool('sleep', ['10'], { timeoutMs: 200 }), /timed out/);
    assert.ok(Date.now() - t0 < 3_000);
  });
});

describe('tls', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-tls-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('createTestCa signs a server certificate for 127.0.0.1, localhost and ::1', async () => {
    const ca = await createTestCa(dir);
    const caCert = new X509Certificate(await readFile(ca.caCert));
    const server = new X509Certificate(await readFile(ca.serverCert));
    assert.equal(caCert.ca, true);
    assert.equal(server.ca, false);
    assert.ok(server.verify(caCert.publicKey), 'server certificate is signed by the CA');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkHost('example.com'), undefined);
    const hostDir = await writeCertsDir(join(dir, 'certs.d'), '127.0.0.1:5000', ca.caCert);
    assert.equal(hostDir, join(dir, 'certs.d', '127.0.0.1:5000'));
    assert.deepEqual(await readFile(join(hostDir, 'ca.crt')), await readFile(ca.caCert));
  });
});

describe('images', () => {
  it('buildImage is deterministic and seeds separate content', () => {
    const a = buildImage({ seed: 'a', layerSizes: [10, 20] });
    const again = buildImage({ seed: 'a', layerSizes: [10, 20] });
    const b = buildImage({ seed: 'b', layerSizes: [10, 20] });
    assert.equal(a.manifest.digest, again.manifest.digest);
    assert.notEqual(a.manifest.digest, b.manifest.digest);
    assert.notEqual(a.layers[0]!.digest, b.layers[0]!.digest);
    assert.notEqual(a.layers[0]!.digest, a.layers[1]!.digest);
    assert.notEqual(buildImage({ seed: 1, layerSizes: [] }).manifest.digest, buildImage({ seed: 2, layerSizes: [] }).manifest.digest);
    for (const blob of [a.manifest, a.config, ...a.layers]) {
      assert.equal(blob.digest, sha256(blob.bytes));
      assert.equal(blob.size, blob.bytes.length);
    }
    const m = parseManifest(a.manifest.bytes);
    assert.equal(m.kind, 'manifest');
    assert.equal(m.mediaType, MediaType.ociManifest);
    if (m.kind === 'manifest') {
      assert.equal(m.config.digest, a.config.digest);
      assert.deepEqual(m.layers.map((l) => l.size), [10, 20]);
    }
    const config = JSON.parse(a.config.bytes.toString()) as { os: string; architecture: string; rootfs: { diff_ids: string[] } };
    assert.equal(config.os, 'linux');
    assert.equal(config.architecture, 'amd64');
    assert.equal(config.rootfs.diff_ids.length, 2);
  });

  it('docker format, labels and platform', () => {
    const img = buildImage({
      seed: 3,
      layerSizes: [5],
      format: 'docker',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      labels: { z: '1', a: '2' },
    });
    assert.equal(img.manifest.mediaType, MediaType.dockerManifest);
    assert.equal(img.config.mediaType, MediaType.dockerConfig);
    assert.equal(img.layers[0]!.mediaType, MediaType.dockerLayerGzip);
    const config = JSON.parse(img.config.bytes.toString()) as { architecture: string; variant: string; config: { Labels: Record<string, string> } };
    assert.equal(config.architecture, 'arm64');
    assert.equal(config.variant, 'v8');
    assert.deepEqual(Object.keys(config.config.Labels), ['a', 'z']);
  });

  it('generates 10 MiB of layer content quickly', () => {
    const t0 = performance.now();
    const img = buildImage({ seed: 'big', layerSizes: [10 * 1024 * 1024] });
    const ms = performance.now() - t0;
    assert.equal(img.layers[0]!.size, 10 * 1024 * 1024);
    assert.ok(ms < 1_000, `took ${ms} ms`);
    assert.deepEqual(generateBytes('k', 100).subarray(0, 50), generateBytes('k', 50));
  });

  it('tarLayer makes a real gzip tar that tar can list', async () => {
    const img = buildImage({ seed: 't', layerSizes: [3000], tarLayer: true });
    const r = await runTool('tar', ['-tvzf', '-'], { timeoutMs: 10_000, input: img.layers[0]!.bytes });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /gantry\/\n/);
    assert.match(r.stdout, /3000 .*gantry\/layer-0\.bin/);
    const content = await runTool('tar', ['-xzOf', '-', 'gantry/layer-0.bin'], { timeoutMs: 10_000, input: img.layers[0]!.bytes });
    assert.deepEqual(content.stdoutBytes, generateBytes('gantry-test/t/layer/0', 3000));
  });

  it('buildIndex lists children with platforms', () => {
    const amd = buildImage({ seed: 'i', layerSizes: [1] });
    const arm = buildImage({ seed: 'i', layerSizes: [1], platform: { os: 'linux', architecture: 'arm64' } });
    const index = buildIndex([amd, arm]);
    const m = parseManifest(index.manifest.bytes);
    assert.equal(m.kind, 'index');
    if (m.kind === 'index') {
      assert.deepEqual(m.manifests.map((d) => d.digest), [amd.manifest.digest, arm.manifest.digest]);
      assert.deepEqual(m.manifests.map((d) => d.platform?.architecture), ['amd64', 'arm64']);
    }
    assert.equal(buildIndex([amd], { format: 'docker' }).manifest.mediaType, MediaType.dockerManifestList);
  });
});

describe('registry: plain HTTP', () => {
  let reg: RunningRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(async () => {
    await stopAndCheck(reg);
  });

  it('answers GET /v2/ with 200', async () => {
    assert.match(reg.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(reg.host, `127.0.0.1:${reg.port}`);
    const res = await fetch(`${reg.url}/v2/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
  });

  it('pushImageRaw pushes what skopeo then reads back', async () => {
    const img = buildImage({ seed: 'plain', layerSizes: [1024, 300_000] });
    await pushImageRaw(reg.url, 'test/plain', 'v1', img);
    assert.equal(await skopeoInspectDigest(`docker://${reg.host}/test/plain:v1`, INSECURE), img.manifest.digest);
    const r = await skopeo(['inspect', ...INSECURE, '--format', '{{.Digest}}', `docker://${reg.host}/test/plain:v1`]);
    assert.equal(r.stdout.trim(), img.manifest.digest);
  });

  it('pushIndexRaw pushes a multi-arch index (OCI and Docker list)', async () => {
    for (const format of ['oci', 'docker'] as const) {
      const children = ['amd64', 'arm64'].map((architecture) =>
        buildImage({ seed: `multi-${format}`, layerSizes: [100], format, platform: { os: 'linux', architecture } }),
      );
      const index = buildIndex(children, { format });
      await pushIndexRaw(reg.url, `test/multi-${format}`, 'v1', index);
      assert.equal(await skopeoInspectDigest(`docker://${reg.host}/test/multi-${format}:v1`, INSECURE), index.manifest.digest);
      assert.equal(
        await skopeoInspectDigest(`docker://${reg.host}/test/multi-${format}@${children[1]!.manifest.digest}`, INSECURE),
        children[1]!.manifest.digest,
      );
    }
  });

  it('skopeo copy recompresses raw random layers unless --preserve-digests; tar layers keep digests', async () => {
    const raw = buildImage({ seed: 'recompress', layerSizes: [2000] });
    const tar = buildImage({ seed: 'recompress', layerSizes: [2000], tarLayer: true });
    await pushImageRaw(reg.url, 'copy/raw', 'v1', raw);
    await pushImageRaw(reg.url, 'copy/tar', 'v1', tar);
    const copy = async (from: string, to: string, extra: string[] = []) => {
      const r = await skopeo(['copy', ...extra, '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${reg.host}/${from}`, `docker://${reg.host}/${to}`]);
      assert.equal(r.code, 0, r.stderr);
      return skopeoInspectDigest(`docker://${reg.host}/${to}`, INSECURE);
    };
    assert.notEqual(await copy('copy/raw:v1', 'copy/raw-copied:v1'), raw.manifest.digest);
    assert.equal(await copy('copy/raw:v1', 'copy/raw-preserved:v1', ['--preserve-digests']), raw.manifest.digest);
    assert.equal(await copy('copy/tar:v1', 'copy/tar-copied:v1'), tar.manifest.digest);
  });

  it('pushImagesRaw seeds 100 images concurrently', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      repository: `seed/r${i % 10}`,
      tag: `t${i}`,
      image: buildImage({ seed: `seed-${i}`, layerSizes: [2048] }),
    }));
    const t0 = performance.now();
    await pushImagesRaw(reg.url, items, { concurrency: 16 });
    const ms = performance.now() - t0;
    assert.ok(ms < 20_000, `seeding took ${ms} ms`);
    const last = items[99]!;
    assert.equal(await skopeoInspectDigest(`docker://${reg.host}/${last.repository}:${last.tag}`, INSECURE), last.image.manifest.digest);
  });
});

describe('registry: lifecycle', () => {
  it('stops, kills the process and removes its temp dir', async () => {
    const reg = await startRegistry();
    assert.ok(isAlive(reg.pid));
    await stopAndCheck(reg);
    await reg.stop(); // idempotent
  });

  it('a registry does not outlive a SIGKILLed test process', async () => {
    const moduleUrl = new URL('../src/testing/registry-process.js', import.meta.url).href;
    const script = `import { startRegistry } from ${JSON.stringify(moduleUrl)};
      const r = await startRegistry();
      console.log(JSON.stringify({ pid: r.pid, configFile: r.configFile }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', () => reject(new Error(`helper exited early: ${out}`)));
      });
      const info = JSON.parse(line) as { pid: number; configFile: string };
      assert.ok(isAlive(info.pid));
      child.kill('SIGKILL');
      assert.ok(await waitUntilDead(info.pid, 5_000), `registry ${info.pid} outlived its parent`);
      await rm(dirname(info.configFile), { recursive: true, force: true });
    } finally {
      clearTimeout(killTimer);
      child.kill('SIGKILL');
    }
  });

  it('serves an existing storage dir across restarts and leaves it in place', async () => {
    const storage = await mkdtemp(join(tmpdir(), 'gantry-shared-storage-'));
    try {
      const first = await startRegistry({ storageDir: storage });
      const img = buildImage({ seed: 'shared', layerSizes: [10] });
      await pushImageRaw(first.url, 'shared/app', 'v1', img);
      await stopAndCheck(first);
      assert.ok((await stat(join(storage, 'docker'))).isDirectory());
      const second = await startRegistry({ storageDir: storage });
      try {
        assert.notEqual(second.port, 0);
        assert.equal(await skopeoInspectDigest(`docker://${second.host}/shared/app:v1`, INSECURE), img.manifest.digest);
      } finally {
        await stopAndCheck(second);
      }
      assert.ok(await exists(join(storage, 'docker')));
    } finally {
      await rm(storage, { recursive: true, force: true });
    }
  });

  it('reports the log tail when the registry cannot start', async () => {
    const server = { realm: 'http://127.0.0.1:1/token', service: 's', issuer: 'i', rootCertBundle: '/nonexistent/bundle.pem' };
    await assert.rejects(startRegistry({ auth: { kind: 'token', server }, startTimeoutMs: 5_000 }), (err: Error) => {
      assert.match(err.message, /log tail/);
      assert.match(err.message, /nonexistent/);
      return true;
    });
  });
});

describe('registry: htpasswd', () => {
  let reg: RunningRegistry;
  const users = [
    { username: 'alice', password: 'wonderland' },
    { username: 'bob', password: 'builder' },
  ];
  before(async () => {
    reg = await startRegistry({ auth: { kind: 'htpasswd', users } });
  });
  after(async () => {
    await stopAndCheck(reg);
  });

  it('answers GET /v2/ with 401 and a Basic challenge over plain HTTP', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/);
    const ok = await fetch(`${reg.url}/v2/`, { headers: { authorization: `Basic ${Buffer.from('bob:builder').toString('base64')}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(reg.credentials, users[0]);
  });

  it('skopeo works with --creds and fails without or with a wrong password', async () => {
    const img = buildImage({ seed: 'basic', layerSizes: [100] });
    await pushImageRaw(reg.url, 'auth/app', 'v1', img, { username: 'alice', password: 'wonderland' });
    const ref = `docker://${reg.host}/auth/app:v1`;
    assert.equal(await skopeoInspectDigest(ref, [...INSECURE, '--creds', 'alice:wonderland']), img.manifest.digest);
    const anonymous = await skopeo(['inspect', '--raw', ...INSECURE, '--no-creds', ref]);
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stderr, /unauthorized|authentication required/i);
    const wrong = await skopeo(['inspect', '--raw', ...INSECURE, '--creds', 'alice:nope', ref]);
    assert.notEqual(wrong.code, 0);
  });
});

describe('registry: TLS', () => {
  let reg: RunningRegistry;
  let ca: Buffer;
  before(async () => {
    reg = await startRegistry({ tls: true, auth: { kind: 'htpasswd', users: [{ username: 'u', password: 'p' }] } });
    ca = await readFile(reg.caCert!);
  });
  after(async () => {
    await stopAndCheck(reg);
  });

  it('serves https with the test CA and writes a certs.d dir', async () => {
    assert.match(reg.url, /^https:\/\//);
    assert.equal(reg.certDir, join(reg.certsDir!, reg.host));
    assert.ok(await exists(join(reg.certDir!, 'ca.crt')));
    const agent = new Agent({ connect: { ca } });
    try {
      const res = await fetch(`${reg.url}/v2/`, { dispatcher: agent } as unknown as RequestInit);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
    } finally {
      await agent.close();
    }
    await assert.rejects(fetch(`${reg.url}/v2/`), 'an untrusted CA must fail');
  });

  it('skopeo trusts it through --cert-dir, and not without', async () => {
    const img = buildImage({ seed: 'tls', layerSizes: [100] });
    await pushImageRaw(reg.url, 'tls/app', 'v1', img, { username: 'u', password: 'p', ca });
    const ref = `docker://${reg.host}/tls/app:v1`;
    assert.equal(await skopeoInspectDigest(ref, ['--cert-dir', reg.certDir!, '--creds', 'u:p']), img.manifest.digest);
    const untrusted = await skopeo(['inspect', '--raw', '--creds', 'u:p', ref]);
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /certificate/i);
  });
});

describe('token server', () => {
  let source: RunningRegistry;
  let ts: TokenServer;
  let reg: RunningRegistry;
  // Real gzip'd layers, so that skopeo copy keeps the digests (see the recompression test above).
  const image = buildImage({ seed: 'token', layerSizes: [2000, 50_000], tarLayer: true });
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    source = await startRegistry();
    cleanups.push(() => source.stop());
    await pushImageRaw(source.url, 'src/app', 'v1', image);
    ts = await startTokenServer({
      users: [
        { username: 'alice', password: 'secret-pw' },
        { username: 'reader', password: 'reader-pw', actions: ['pull'] },
      ],
      anonymous: 'pull',
    });
    cleanups.push(() => ts.stop());
    reg = await startRegistry({ auth: { kind: 'token', server: ts } });
    cleanups.push(() => stopAndCheck(reg));
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('the registry challenges with Bearer realm and service', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer realm="${ts.realm}",service="${ts.service}"`);
    const scoped = await fetch(`${reg.url}/v2/some/repo/manifests/latest`);
    assert.equal(
      scoped.headers.get('www-authenticate'),
      `Bearer realm="${ts.realm}",service="${ts.service}",scope="repository:some/repo:pull"`,
    );
  });

  it('skopeo pushes with --dest-creds and inspects it back', async () => {
    ts.reset();
    const r = await skopeo([
      'copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', 'alice:secret-pw',
      `docker://${source.host}/src/app:v1`, `docker://${reg.host}/dst/app:v1`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await skopeoInspectDigest(`docker://${reg.host}/dst/app:v1`, [...INSECURE, '--creds', 'alice:secret-pw']), image.manifest.digest);
    const pushes = ts.requests.filter((q) => q.scopes.includes('repository:dst/app:pull,push'));
    assert.ok(pushes.length > 0, JSON.stringify(ts.requests));
    assert.ok(pushes.every((q) => q.credentials === 'valid' && q.username === 'alice' && q.status === 200));
    assert.deepEqual(pushes[0]!.granted, [{ type: 'repository', name: 'dst/app', actions: ['pull', 'push'] }]);
    assert.ok(!JSON.stringify(ts.requests).includes('secret-pw'), 'passwords must never be logged');
  });

  it('anonymous may pull but not push', async () => {
    ts.reset();
    assert.equal(await skopeoInspectDigest(`docker://${reg.host}/dst/app:v1`, [...INSECURE, '--no-creds']), image.manifest.digest);
    assert.ok(ts.requests.some((q) => q.credentials === 'none' && q.granted.length === 1));
    const push = await skopeo([
      'copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-no-creds',
      `docker://${source.host}/src/app:v1`, `docker://${reg.host}/anon/app:v1`,
    ]);
    assert.notEqual(push.code, 0);
    assert.match(push.stderr, /unauthorized|denied|authentication required/i);
  });

  it('a read-only user gets pull only; a wrong password gets 401 from the token server', async () => {
    const readerToken = await fetchToken(ts, 'repository:dst/app:pull,push', 'reader:reader-pw');
    const claims = JSON.parse(Buffer.from(readerToken.split('.')[1]!, 'base64url').toString()) as {
      access: { actions: string[] }[];
      aud: string;
      iss: string;
      sub: string;
    };
    assert.deepEqual(claims.access[0]!.actions, ['pull']);
    assert.equal(claims.aud, ts.service);
    assert.equal(claims.iss, ts.issuer);
    assert.equal(claims.sub, 'reader');
    const post = await fetch(`${reg.url}/v2/dst/app/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${readerToken}` } });
    assert.equal(post.status, 401);
    const bad = await fetch(`${ts.realm}?service=${ts.service}&scope=repository:x:pull`, {
      headers: { authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` },
    });
    assert.equal(bad.status, 401);
    assert.equal(ts.requests.at(-1)!.credentials, 'invalid');
  });

  it('tokens stop working after their lifetime, and issueExpiredTokens makes them dead on arrival', async () => {
    const url = `${reg.url}/v2/dst/app/manifests/v1`;
    const get = (token: string) =>
      fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, accept: MediaType.ociManifest } }).then((r) => r.status);
    // 2 s, not 1: exp is whole seconds, so a 1 s token issued late in a second can be dead on arrival.
    ts.setLifetime(2);
    try {
      const shortLived = await fetchToken(ts, 'repository:dst/app:pull', 'alice:secret-pw');
      assert.equal(await get(shortLived), 200);
      // A 2 s token is dead at most 3 s after it was issued.
      await new Promise((r) => setTimeout(r, 3_100));
      assert.equal(await get(shortLived), 401);
    } finally {
      ts.setLifetime(300);
    }
    ts.issueExpiredTokens();
    try {
      assert.equal(await get(await fetchToken(ts, 'repository:dst/app:pull', 'alice:secret-pw')), 401);
    } finally {
      ts.issueExpiredTokens(false);
    }
    assert.equal(await get(await fetchToken(ts, 'repository:dst/app:pull', 'alice:secret-pw')), 200);
  });

  it('also works with a libtrust kid header, anonymous none/reject, over HTTPS with --cert-dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-token-tls-'));
    const local: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
    try {
      const ca = await createTestCa(dir);
      const kidServer = await startTokenServer({
        users: [{ username: 'alice', password: 'pw' }],
        anonymous: 'none',
        keyIdentification: 'kid',
        tls: ca,
      });
      local.push(() => kidServer.stop());
      assert.match(kidServer.realm, /^https:/);
      const tlsReg = await startRegistry({ tls: ca, auth: { kind: 'token', server: kidServer } });
      local.push(() => stopAndCheck(tlsReg));
      await pushImageRaw(tlsReg.url, 'k/app', 'v1', image, { username: 'alice', password: 'pw', ca: await readFile(ca.caCert) });
      const ref = `docker://${tlsReg.host}/k/app:v1`;
      assert.equal(await skopeoInspectDigest(ref, ['--cert-dir', tlsReg.certDir!, '--creds', 'alice:pw']), image.manifest.digest);
      const anon = await skopeo(['inspect', '--raw', '--cert-dir', tlsReg.certDir!, '--no-creds', ref]);
      assert.notEqual(anon.code, 0, 'anonymous "none" gets a token without access');
      assert.ok(kidServer.requests.some((q) => q.credentials === 'none' && q.status === 200 && q.granted.length === 0));

      const rejecting = await startTokenServer({ anonymous: 'reject' });
      local.push(() => rejecting.stop());
      const res = await fetch(`${rejecting.realm}?service=${rejecting.service}&scope=repository:a:pull`);
      assert.equal(res.status, 401);
    } finally {
      for (const c of local.reverse()) await c();
    }
  });
});

describe('fault proxy', () => {
  let upstream: RunningRegistry;
  let proxy: FaultProxy;
  const image = buildImage({ seed: 'faults', layerSizes: [1 << 20] });
  const layer = image.layers[0]!;
  let blobUrl: string;

  before(async () => {
    upstream = await startRegistry();
    proxy = await startFaultProxy({ upstream: upstream.url });
    blobUrl = `${proxy.url}/v2/faults/app/blobs/${layer.digest}`;
  });
  after(async () => {
    await proxy.stop();
    await upstream.stop();
  });

  it('passes pushes through (Location rewritten to the proxy) and skopeo reads through it', async () => {
    await pushImageRaw(proxy.url, 'faults/app', 'v1', image);
    const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    assert.equal(puts.length, 2, 'both blob uploads were finished through the proxy');
    const post = await fetch(`${proxy.url}/v2/faults/app/blobs/uploads/`, { method: 'POST' });
    assert.equal(post.status, 202);
    assert.ok(post.headers.get('location')!.startsWith(`${proxy.url}/v2/faults/app/blobs/uploads/`));
    await fetch(post.headers.get('location')!, { method: 'DELETE' });
    assert.equal(await skopeoInspectDigest(`docker://${proxy.host}/faults/app:v1`, INSECURE), image.manifest.digest);
  });

  it('forwards Range requests (the registry answers 206)', async () => {
    proxy.reset();
    const res = await fetch(blobUrl, { headers: { range: 'bytes=1000-1999' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 1000-1999/${layer.size}`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), layer.bytes.subarray(1000, 2000));
    assert.deepEqual(proxy.requests, [
      { method: 'GET', path: `/v2/faults/app/blobs/${layer.digest}`, status: 206, rangeHeader: 'bytes=1000-1999', fault: undefined },
    ]);
  });

  it('corruptBlob flips one byte of the body, `times` times', async () => {
    proxy.reset();
    const rule = proxy.corruptBlob(layer.digest, 2);
    for (let i = 0; i < 2; i++) {
      const body = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
      assert.equal(body.length, layer.size);
      assert.notEqual(sha256(body), layer.digest);
      let differing = 0;
      for (let j = 0; j < body.length; j++) if (body[j] !== layer.bytes[j]) differing++;
      assert.equal(differing, 1);
    }
    assert.equal(rule.hits, 2);
    assert.equal(rule.remaining, 0);
    const clean = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
    assert.equal(sha256(clean), layer.digest);
    assert.deepEqual(proxy.requests.map((r) => r.fault), ['corrupt', 'corrupt', undefined]);
    // HEAD and other blobs are not affected.
    proxy.corruptBlob(layer.digest, 1);
    assert.equal((await fetch(blobUrl, { method: 'HEAD' })).status, 200);
    const config = Buffer.from(await (await fetch(`${proxy.url}/v2/faults/app/blobs/${image.config.digest}`)).arrayBuffer());
    assert.equal(sha256(config), image.config.digest);
    proxy.reset();
  });

  it('cutBlob sends afterBytes bytes and then resets the connection', async () => {
    proxy.reset();
    proxy.cutBlob(layer.digest, { afterBytes: 100_000, times: 1 });
    const cut = await getCounting(blobUrl);
    assert.equal(cut.status, 200);
    assert.equal(cut.received, 100_000);
    assert.ok(cut.error !== undefined, 'the body must not end cleanly');
    const whole = await getCounting(blobUrl);
    assert.deepEqual(whole, { status: 200, received: layer.size, error: undefined });
    // With a Range request the cut counts from the start of the partial body.
    proxy.cutBlob(layer.digest, { afterBytes: 10, times: 1 });
    await assert.rejects(async () => {
      const res = await fetch(blobUrl, { headers: { range: 'bytes=500000-' } });
      assert.equal(res.status, 206);
      await res.arrayBuffer();
    });
  });

  it('failRequests answers with the status and Retry-After, then passes through', async () => {
    proxy.reset();
    proxy.failRequests({ method: 'GET', pathPattern: /\/manifests\//, status: 503, times: 2, retryAfter: 2 });
    const url = `${proxy.url}/v2/faults/app/manifests/v1`;
    const headers = { accept: MediaType.ociManifest };
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { headers });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '2');
      await res.arrayBuffer();
    }
    const ok = await fetch(url, { headers });
    assert.equal(ok.status, 200);
    assert.equal(sha256(Buffer.from(await ok.arrayBuffer())), image.manifest.digest);
    assert.deepEqual(proxy.requests.map((r) => [r.status, r.fault]), [[503, 'fail'], [503, 'fail'], [200, undefined]]);
    // The method filter: a HEAD is not matched by a GET rule.
    proxy.failRequests({ method: 'GET', pathPattern: /\/manifests\//, status: 429, times: 1 });
    assert.equal((await fetch(url, { method: 'HEAD', headers })).status, 200);
    assert.equal((await fetch(url, { headers })).status, 429);
  });

  it('dropConnections destroys the socket without an answer, then passes through', async () => {
    proxy.reset();
    proxy.dropConnections({ pathPattern: /\/blobs\//, times: 1 });
    const dropped = await getCounting(blobUrl);
    assert.equal(dropped.status, undefined);
    assert.ok(dropped.error);
    assert.equal((await getCounting(blobUrl)).received, layer.size);
    assert.deepEqual(proxy.requests.map((r) => [r.status, r.fault]), [[undefined, 'drop'], [200, undefined]]);
  });

  it('reset clears rules and the log', async () => {
    proxy.failRequests({ pathPattern: /.*/, status: 500, times: 5 });
    proxy.reset();
    assert.equal(proxy.requests.length, 0);
    assert.equal((await fetch(`${proxy.url}/v2/`)).status, 200);
  });
});
