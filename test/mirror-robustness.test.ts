// gantry mirror and gantry delete under the conditions of an adversarial run, through the shipped CLI: a very large
// additionalImages list (linear planning, SIGTERM/SIGINT end the run with 130), an unreachable destination on a dry
// run, two runs sharing a directory (the second is refused), and oc-mirror's file:// spelling of --workspace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { access, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
/** A loopback port nothing listens on: connections are refused at once. */
let deadPort: number;

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('mirror-robust');
  for (const [repo, seed] of [['tools/a', 'a'], ['tools/b', 'b']] as const) await pushImageRaw(src.url, repo, '1', buildImage({ seed: `robust-${seed}`, layerSizes: [50_000] }));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  deadPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  await writeFile(join(dir.path, 'small.yaml'), isc([`${src.host}/tools/a:1`, `${src.host}/tools/b:1`]));
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

function isc(images: string[], kind = 'ImageSetConfiguration', section = 'mirror'): string {
  return ['apiVersion: mirror.openshift.io/v2alpha1', `kind: ${kind}`, `${section}:`, '  additionalImages:', ...images.map((i) => `  - name: ${i}`), ''].join('\n');
}

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir.path, maxBuffer: 64 << 20 });

interface Started {
  child: ChildProcess;
  done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; at: number }>;
}

function start(args: string[]): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir.path, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; at: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stderr, at: performance.now() }));
  });
  return { child, done };
}

async function waitFor(file: string, started: Started, timeoutMs = 120_000): Promise<number> {
  const until = performance.now() + timeoutMs;
  let exited = false;
  void started.done.then(() => (exited = true));
  for (;;) {
    if (await access(file).then(() => true, () => false)) return performance.now();
    if (exited) throw new Error(`exited before ${file} appeared: ${(await started.done).stderr}`);
    if (performance.now() > until) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A dry run to disk of N images on an unreachable source: the plan is written, then every image waits on retries. */
async function bigDryRun(n: number, name: string): Promise<{ planMs: number; started: Started; startedAt: number }> {
  const images = Array.from({ length: n }, (_, i) => `127.0.0.1:${deadPort}/big/image-${i}:1`);
  await writeFile(join(dir.path, `${name}.yaml`), isc(images));
  const out = join(dir.path, name);
  const startedAt = performance.now();
  const started = start(['mirror', '-c', `${name}.yaml`, `file://${out}`, '--dry-run', '--src-tls-verify=false', '-q']);
  const planned = await waitFor(join(out, 'plan.json'), started);
  return { planMs: planned - startedAt, started, startedAt };
}

test('mirror-robustness/20,000 additionalImages: planning scales linearly, and SIGTERM ends the run within seconds with 130', async () => {
  const small = await bigDryRun(2_000, 'big-2k');
  small.started.child.kill('SIGTERM');
  const smallEnd = await small.started.done;
  assert.equal(smallEnd.status, 130, smallEnd.stderr);

  const large = await bigDryRun(20_000, 'big-20k');
  // Let the measuring start (the step that queued one abort listener per image), then stop it.
  await new Promise((r) => setTimeout(r, 500));
  const sent = performance.now();
  large.started.child.kill('SIGTERM');
  const end = await large.started.done;
  assert.equal(end.status, 130, end.stderr);
  assert.match(end.stderr, /error\[ABORTED\]: interrupted/);
  assert.ok(end.at - sent < 10_000, `stopped ${Math.round(end.at - sent)} ms after SIGTERM`);
  // 10× the images: a linear planner takes about 10× as long after start-up; a quadratic one 100×.
  assert.ok(large.planMs < 30 * Math.max(small.planMs, 300), `2k planned in ${Math.round(small.planMs)} ms, 20k in ${Math.round(large.planMs)} ms`);
  assert.equal(JSON.parse(await readFile(join(dir.path, 'big-20k', 'plan.json'), 'utf8')).images.length, 20_000);
});

test('mirror-robustness/Ctrl-C (SIGINT) ends mirror to mirror and delete with 130', async () => {
  await writeFile(join(dir.path, 'dead.yaml'), isc(Array.from({ length: 200 }, (_, i) => `127.0.0.1:${deadPort}/dead/image-${i}:1`)));
  const m = start(['mirror', '-c', 'dead.yaml', `docker://${dst.host}/mirror`, ...NO_TLS, '--plain', '--workspace', join(dir.path, 'ws-sigint')]);
  await waitFor(join(dir.path, 'ws-sigint', 'plan.json'), m);
  await new Promise((r) => setTimeout(r, 300));
  m.child.kill('SIGINT');
  const mEnd = await m.done;
  assert.equal(mEnd.status, 130, mEnd.stderr);
  assert.match(mEnd.stderr, /error\[ABORTED\]/);
  assert.doesNotMatch(mEnd.stderr, /\n\s+at /, 'no stack trace');

  // Deleting what a DISC selects first looks each image up at the destination: unreachable, so it waits on retries.
  await writeFile(join(dir.path, 'disc.yaml'), isc([`${src.host}/tools/a:1`, `${src.host}/tools/b:1`], 'DeleteImageSetConfiguration', 'delete'));
  const d = start(['delete', '--generate', '-c', 'disc.yaml', `docker://127.0.0.1:${deadPort}/mirror`, ...NO_TLS, '--workspace', join(dir.path, 'ws-delete')]);
  await new Promise((r) => setTimeout(r, 1500));
  const sent = performance.now();
  d.child.kill('SIGINT');
  const dEnd = await d.done;
  assert.equal(dEnd.status, 130, dEnd.stderr);
  assert.ok(dEnd.at - sent < 8000);
  await assert.rejects(stat(join(dir.path, 'ws-delete', 'delete', 'delete-images.yaml')), 'no list written');
});

test('mirror-robustness/dry run against an unreachable destination: says so and exits 1, soon', async () => {
  const t0 = performance.now();
  const r = run(['mirror', '-c', 'small.yaml', `docker://127.0.0.1:${deadPort}/mirror`, '--dry-run', ...NO_TLS, '--workspace', join(dir.path, 'ws-unreach')]);
  const ms = performance.now() - t0;
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[REGISTRY_UNREACHABLE\\]: the destination 127\\.0\\.0\\.1:${deadPort} cannot be reached`));
  assert.doesNotMatch(r.stderr, /dry run: .* planned/, 'no "0 B planned" summary');
  // Asked once (one request's retries), not once per image.
  assert.ok(ms < 20_000, `${Math.round(ms)} ms`);
  // The source was readable: the plan is there.
  assert.equal(JSON.parse(await readFile(join(dir.path, 'ws-unreach', 'plan.json'), 'utf8')).images.length, 2);
});

test('mirror-robustness/--workspace file:///abs/dir is /abs/dir (oc-mirror spelling), in mirror and delete', async () => {
  const ws = join(dir.path, 'ws-file-url');
  const r = run(['mirror', '-c', 'small.yaml', `docker://${dst.host}/mirror`, '--dry-run', ...NO_TLS, '--workspace', `file://${ws}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok((await readdir(ws)).includes('plan.json'));
  assert.ok(!(await readdir(dir.path)).includes('file:'), 'nothing under ./file:');
  assert.match(r.stderr, new RegExp(`see ${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/plan\\.json`));

  const bad = run(['mirror', '-c', 'small.yaml', `docker://${dst.host}/mirror`, '--dry-run', ...NO_TLS, '--workspace', 'https://example.com/ws']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /error\[USAGE\]: --workspace "https:\/\/example.com\/ws" is not a directory/);

  await writeFile(join(dir.path, 'disc-ok.yaml'), isc([`${src.host}/tools/a:1`], 'DeleteImageSetConfiguration', 'delete'));
  const m = run(['mirror', '-c', 'small.yaml', `docker://${dst.host}/mirror`, ...NO_TLS, '--plain', '--workspace', join(dir.path, 'ws-for-delete')]);
  assert.equal(m.status, 0, m.stderr);
  const dws = join(dir.path, 'ws-delete-url');
  const d = run(['delete', '--generate', '-c', 'disc-ok.yaml', `docker://${dst.host}/mirror`, ...NO_TLS, '--workspace', `file://${dws}`]);
  assert.equal(d.status, 0, d.stderr);
  assert.match(await readFile(join(dws, 'delete', 'delete-images.yaml'), 'utf8'), /tools\/a/);
});

test('mirror-robustness/a directory in use is refused: a live holder, a second concurrent run; a dead holder is taken over', async () => {
  const out = join(dir.path, 'locked-archive');
  // A holder that is alive: a sleeping process's pid in the lock.
  const sleeper = spawn('sleep', ['60']);
  try {
    await run(['mirror', '-c', 'small.yaml', `file://${out}`, '--dry-run', ...NO_TLS]);
    await writeFile(join(out, '.gantry', 'lock'), JSON.stringify({ pid: sleeper.pid, host: hostname(), started: '2026-01-01T00:00:00Z', what: 'mirror to disk' }));
    const refused = run(['mirror', '-c', 'small.yaml', `file://${out}`, ...NO_TLS, '--plain']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`error\\[WORKSPACE_LOCKED\\]: .*in use by another gantry run \\(mirror to disk, pid ${sleeper.pid}`));
    assert.match(refused.stderr, /hint: wait for it to finish/);
    assert.deepEqual((await readdir(out)).filter((f) => f.endsWith('.tar')), [], 'nothing written');
    const refusedPush = run(['mirror', '--from', `file://${out}`, `docker://${dst.host}/m2`, ...NO_TLS, '--plain']);
    assert.equal(refusedPush.status, 1);
    assert.match(refusedPush.stderr, /WORKSPACE_LOCKED/);
  } finally {
    sleeper.kill();
  }
  await new Promise((r) => sleeper.on('close', r));
  // The holder is gone: its lock is stale and taken over.
  const ok = run(['mirror', '-c', 'small.yaml', `file://${out}`, ...NO_TLS, '--plain']);
  assert.equal(ok.status, 0, ok.stderr);

  // Two real runs into one workspace: the first is held (stopped) while holding the lock, the second is refused.
  const ws = join(dir.path, 'ws-two');
  const first = start(['mirror', '-c', 'small.yaml', `docker://${dst.host}/two`, ...NO_TLS, '--plain', '--workspace', ws]);
  await waitFor(join(ws, '.gantry', 'lock'), first);
  first.child.kill('SIGSTOP');
  try {
    const second = run(['mirror', '-c', 'small.yaml', `docker://${dst.host}/two`, ...NO_TLS, '--plain', '--workspace', ws]);
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`WORKSPACE_LOCKED\\]: ${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another gantry run \\(mirror to mirror, pid ${first.child.pid}`));
  } finally {
    first.child.kill('SIGCONT');
  }
  const firstEnd = await first.done;
  assert.equal(firstEnd.status, 0, firstEnd.stderr);
  await assert.rejects(stat(join(ws, '.gantry', 'lock')), 'released at the end');
  const record = await readdir(join(ws, '.gantry', 'mirrored'));
  assert.equal(record.length, 1);
});
