// The gantry CLI end to end, as a user runs it: copy (pairs and mapping files), inspect, tags, error output,
// and a copy killed with SIGKILL half-way then run again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, buildIndex, pushImageRaw, pushImagesRaw, pushIndexRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { runTool, skopeoInspectDigest } from '../src/testing/tools.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function gantry(args: string[], opts: { killWhen?: (stderr: string) => boolean; signal?: NodeJS.Signals; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.killWhen?.(stderr) && child.exitCode === null && !child.killed) child.kill(opts.signal ?? 'SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let src: RunningRegistry;
let dst: RunningRegistry;
let auth: RunningRegistry;
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const single = buildImage({ seed: 'cli-single', layerSizes: [100_000, 2_000], labels: { 'org.example.name': 'single' } });
const multi = buildIndex(['amd64', 'arm64'].map((a) => buildImage({ seed: `cli-${a}`, layerSizes: [30_000], platform: { os: 'linux', architecture: a } })));

before(async () => {
  [src, dst, auth] = await Promise.all([
    startRegistry(),
    startRegistry(),
    startRegistry({ auth: { kind: 'htpasswd', users: [{ username: 'carol', password: 'right-password' }] } }),
  ]);
  await pushImageRaw(src.url, 'app/single', 'v1', single);
  await pushIndexRaw(src.url, 'app/multi', 'v1', multi);
  await pushImageRaw(auth.url, 'app/private', 'v1', single, { username: 'carol', password: 'right-password' });
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop(), auth?.stop()]);
});

describe('gantry copy', () => {
  test('cli/copy a pair: exit 0, plain progress lines, summary, digest kept', async () => {
    const r = await gantry(['copy', ...NO_TLS, `docker://${src.host}/app/single:v1`, `docker://${dst.host}/mirror/single`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^copied docker:\/\/.*app\/single:v1 → docker:\/\/.*mirror\/single:v1/m);
    assert.match(r.stderr, /1 image ok \(0 already up to date\).*blobs: 3 copied/);
    assert.equal(await skopeoInspectDigest(`docker://${dst.host}/mirror/single:v1`, ['--tls-verify=false']), single.manifest.digest);
    const again = await gantry(['copy', ...NO_TLS, `docker://${src.host}/app/single:v1`, `docker://${dst.host}/mirror/single`]);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /^up to date /m);
  });

  test('cli/copy --mapping copies every pair in one run, registry and layout destinations', async () => {
    const dir = await tempDir('cli-map');
    try {
      const mapping = join(dir.path, 'mapping.txt');
      await writeFile(
        mapping,
        [
          '# oc-mirror mapping.txt format',
          `docker://${src.host}/app/single:v1=docker://${dst.host}/m/single:v1`,
          `docker://${src.host}/app/multi:v1=docker://${dst.host}/m/multi:v1`,
          `docker://${src.host}/app/multi:v1=oci:${dir.path}/layout:multi`,
          '',
        ].join('\n'),
      );
      const r = await gantry(['copy', ...NO_TLS, '--mapping', mapping]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /3 images ok/);
      assert.equal(await skopeoInspectDigest(`docker://${dst.host}/m/multi:v1`, ['--tls-verify=false']), multi.manifest.digest);
      assert.equal(await skopeoInspectDigest(`oci:${dir.path}/layout:multi`), multi.manifest.digest);
    } finally {
      await dir.remove();
    }
  });

  test('cli/copy --platform writes only that platform', async () => {
    const r = await gantry(['copy', ...NO_TLS, '--platform', 'linux/arm64', `docker://${src.host}/app/multi:v1`, `docker://${dst.host}/m/arm:v1`]);
    assert.equal(r.code, 0, r.stderr);
    const i = await gantry(['inspect', '--tls-verify=false', '-o', 'json', `docker://${dst.host}/m/arm:v1`]);
    const info = JSON.parse(i.stdout) as { manifests: { platform: string }[] };
    assert.deepEqual(info.manifests.map((m) => m.platform), ['linux/arm64']);
  });

  test('cli/errors: code and hint, exit non-zero, no stack, no credential even with --debug', async () => {
    const bad = await gantry(['copy', 'docker://quay.io/Bad/Name:v1', `docker://${dst.host}/x:v1`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error\[REF_INVALID\]: invalid image reference "quay.io\/Bad\/Name:v1": repository name must be lowercase/m);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);

    const denied = await gantry(['copy', '--debug', '--src-tls-verify=false', '--src-creds', 'carol:wrong-password', `docker://${auth.host}/app/private:v1`, `docker://${dst.host}/p:v1`, '--dest-tls-verify=false']);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, new RegExp(`^error\\[REGISTRY_UNAUTHORIZED\\]: docker://${auth.host}/app/private:v1: `, 'm'));
    assert.match(denied.stderr, /UNAUTHORIZED: authentication required/, 'the registry\'s own error');
    assert.doesNotMatch(denied.stderr, /wrong-password|right-password/);

    const ok = await gantry(['copy', '--src-tls-verify=false', '--src-creds', 'carol:right-password', '--dest-tls-verify=false', `docker://${auth.host}/app/private:v1`, `docker://${dst.host}/p:v1`]);
    assert.equal(ok.code, 0, ok.stderr);

    const missing = await gantry(['inspect', '--tls-verify=false', `docker://${src.host}/app/single:nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error\[MANIFEST_UNKNOWN\]: .*manifest unknown/m);

    const usage = await gantry(['copy', `docker://${src.host}/app/single:v1`]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /error\[USAGE\]/);
  });

  test('cli/a mapping file error names file and line', async () => {
    const dir = await tempDir('cli-badmap');
    const mapping = join(dir.path, 'bad.txt');
    await writeFile(mapping, `docker://${src.host}/app/single:v1=docker://${dst.host}/x:v1\nthis line is wrong\n`);
    const r = await gantry(['copy', '--mapping', mapping]);
    await dir.remove();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[MAPPING_INVALID\]: .*bad\.txt:2: expected SRC=DST/);
  });
});

describe('gantry inspect and tags', () => {
  test('cli/inspect text, json and raw', async () => {
    const text = await gantry(['inspect', '--tls-verify=false', `docker://${src.host}/app/single:v1`]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Digest:\\s+${single.manifest.digest}`));
    assert.match(text.stdout, /Layers:\s+2/);
    assert.match(text.stdout, /label org\.example\.name=single/);
    const raw = await gantry(['inspect', '--raw', '--tls-verify=false', `docker://${src.host}/app/single:v1`]);
    assert.equal(raw.stdout, single.manifest.bytes.toString());
    const idx = await gantry(['inspect', '-o', 'json', '--tls-verify=false', `docker://${src.host}/app/multi:v1`]);
    const info = JSON.parse(idx.stdout) as { digest: string; manifests: { platform: string }[] };
    assert.equal(info.digest, multi.manifest.digest);
    assert.deepEqual(info.manifests.map((m) => m.platform), ['linux/amd64', 'linux/arm64']);
    const arm = await gantry(['inspect', '--platform', 'linux/arm64', '-o', 'json', '--tls-verify=false', `docker://${src.host}/app/multi:v1`]);
    assert.equal(JSON.parse(arm.stdout).digest, multi.images[1]!.manifest.digest);
  });

  test('cli/tags lists a repository', async () => {
    const r = await gantry(['tags', '--tls-verify=false', `docker://${src.host}/app/single`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['v1']);
  });
});

describe('interrupted runs', () => {
  const images = Array.from({ length: 8 }, (_, i) => buildImage({ seed: `kill-${i}`, layerSizes: [6 << 20, 6 << 20] }));
  let mapping: string;
  let dir: { path: string; remove(): Promise<void> };

  before(async () => {
    dir = await tempDir('cli-kill');
    await pushImagesRaw(src.url, images.map((image, i) => ({ repository: `kill/img${i}`, tag: 'v1', image })));
    mapping = join(dir.path, 'mapping.txt');
    await writeFile(mapping, images.map((_, i) => `docker://${src.host}/kill/img${i}:v1=docker://${dst.host}/killed/img${i}:v1`).join('\n'));
  });
  after(() => dir?.remove());

  test('cli/kill -9 half-way, the re-run moves only what is missing and finishes', async () => {
    const first = await gantry(['copy', ...NO_TLS, '--plain', '--concurrency', '1', '--mapping', mapping], { killWhen: (s) => /^copied /m.test(s) });
    assert.equal(first.signal, 'SIGKILL', 'the first run was killed before it finished');
    const present = (await Promise.all(images.map((_, i) => runTool('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${dst.host}/killed/img${i}:v1`], { timeoutMs: 30_000 })))).filter((r) => r.code === 0).length;
    assert.ok(present >= 1 && present < images.length, `images present after the kill: ${present}`);

    const second = await gantry(['copy', ...NO_TLS, '--plain', '--mapping', mapping]);
    assert.equal(second.code, 0, second.stderr);
    const upToDate = (second.stderr.match(/^up to date /gm) ?? []).length;
    assert.equal(upToDate, present, 'images finished before the kill are not copied again');
    const copiedBlobs = Number(/blobs: (\d+) copied/.exec(second.stderr)?.[1]);
    assert.ok(copiedBlobs <= (images.length - present) * 3, `blobs copied on re-run: ${copiedBlobs}`);
    for (const [i, img] of images.entries()) {
      assert.equal(await skopeoInspectDigest(`docker://${dst.host}/killed/img${i}:v1`, ['--tls-verify=false']), img.manifest.digest);
    }
  });

  test('cli/kill -9 while writing a layout, the re-run completes a layout skopeo reads', async () => {
    const layout = join(dir.path, 'layout');
    const pairs = images.map((_, i) => `docker://${src.host}/kill/img${i}:v1=oci:${layout}:img${i}`).join('\n');
    const layoutMapping = join(dir.path, 'layout-mapping.txt');
    await writeFile(layoutMapping, pairs);
    const first = await gantry(['copy', ...NO_TLS, '--plain', '--concurrency', '1', '--mapping', layoutMapping], { killWhen: (s) => /^copied /m.test(s) });
    assert.equal(first.signal, 'SIGKILL');
    const second = await gantry(['copy', ...NO_TLS, '--plain', '--mapping', layoutMapping]);
    assert.equal(second.code, 0, second.stderr);
    for (const [i, img] of images.entries()) assert.equal(await skopeoInspectDigest(`oci:${layout}:img${i}`), img.manifest.digest);
    const blobs = await readdir(join(layout, 'blobs', 'sha256'));
    assert.ok(blobs.filter((b) => !b.startsWith('.')).length >= images.length * 4);
  });
});

describe('terminal and signals', () => {
  const images = Array.from({ length: 6 }, (_, i) => buildImage({ seed: `sig-${i}`, layerSizes: [5 << 20, 5 << 20] }));
  let mapping: string;
  let dir: { path: string; remove(): Promise<void> };

  before(async () => {
    dir = await tempDir('cli-sig');
    await pushImagesRaw(src.url, images.map((image, i) => ({ repository: `sig/img${i}`, tag: 'v1', image })));
    mapping = join(dir.path, 'mapping.txt');
    await writeFile(mapping, images.map((_, i) => `docker://${src.host}/sig/img${i}:v1=oci:${dir.path}/layout:img${i}`).join('\n'));
  });
  after(() => dir?.remove());

  test('cli/Ctrl-C stops the run cleanly: exit 130, one message, no temp files left, the re-run completes', async () => {
    const r = await gantry(['copy', '--src-tls-verify=false', '--plain', '--concurrency', '1', '--mapping', mapping], { killWhen: (s) => /^copied /m.test(s), signal: 'SIGINT' });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /^error\[ABORTED\]: interrupted: \d+ of 6 images finished$/m);
    assert.equal((r.stderr.match(/error\[/g) ?? []).length, 1, 'a single error line');
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const leftovers = (await readdir(join(dir.path, 'layout', 'blobs', 'sha256'))).filter((f) => f.startsWith('.tmp-'));
    assert.deepEqual(leftovers, []);
    const again = await gantry(['copy', '--src-tls-verify=false', '--plain', '--mapping', mapping]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /6 images ok \([1-5] already up to date\)/);
  });

  test('cli/on a terminal, a progress bar with bytes, rate, ETA and images', async () => {
    const dest = `docker://${dst.host}/tty`;
    const lines = images.map((_, i) => `docker://${src.host}/sig/img${i}:v1=${dest}/img${i}:v1`).join('\n');
    const ttyMapping = join(dir.path, 'tty-mapping.txt');
    await writeFile(ttyMapping, lines);
    const cmd = `${process.execPath} ${BIN} copy --src-tls-verify=false --dest-tls-verify=false --mapping ${ttyMapping}`;
    // script(1) gives the command a pseudo-terminal, as a person at a shell would have.
    const r = await runTool('script', ['-qfec', cmd, '/dev/null'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout);
    const screen = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    assert.match(screen, /copying \|[█░ ]+\| 100% 60\.\d+ MiB\/60\.\d+ MiB [\d.]+ [KMG]?i?B\/s ETA \S+ images 6\/6/);
    assert.match(screen, /6 images ok \(0 already up to date\)/);
    assert.doesNotMatch(screen, /^copied /m, 'no per-image log lines on a terminal');
  });
});
