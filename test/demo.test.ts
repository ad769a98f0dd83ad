// The Quick start demo (scripts/demo.ts, built to dist/scripts/demo.js) end to end, twice into one output
// directory: it exits while the mirrored catalog stays served, the printed URLs answer, a second run stops the
// first run's server, and `kill $(cat serve.pid)` stops the last one. Nothing is left running.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { raw } from './serve-process.js';

const DEMO = join(new URL('.', import.meta.url).pathname, '..', 'scripts', 'demo.js');
const DEMO_TIMEOUT_MS = 300_000;

let work: { path: string; remove(): Promise<void> } | undefined;
const started: number[] = [];

const alive = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')) !== '';

/** Runs the demo to its exit (bounded) with its output directory and preferred port given. */
function runDemo(out: string, port: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO], { env: { ...process.env, GANTRY_DEMO_OUT: out, GANTRY_DEMO_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEMO_TIMEOUT_MS);
    child.on('error', reject);
    // 'exit', not 'close': the detached server holds no pipe of ours, but wait for the demo process only.
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

after(async () => {
  for (const pid of started) if (await alive(pid)) process.kill(pid, 'SIGKILL');
  await work?.remove();
});

test('demo/ends by serving the mirrored catalog in the background; a rerun replaces the server; the pid file stops it', { timeout: 2 * DEMO_TIMEOUT_MS }, async () => {
  work = await tempDir('demo');
  const out = join(work.path, 'demo-output');
  // A port of our own: the default 8080 may be busy on a developer machine (the demo then picks a free one).
  const port = 20_000 + Math.floor(Math.random() * 20_000);

  const first = await runDemo(out, port);
  assert.equal(first.code, 0, first.stderr + first.stdout.slice(-2000));
  const pid1 = Number((await readFile(join(out, 'serve.pid'), 'utf8')).trim());
  started.push(pid1);
  const tail = first.stdout.trimEnd().split('\n').slice(-7);
  assert.match(tail[0]!, /^The mirrored catalog is being served/);
  const page = /browse it:\s+(http:\/\/127\.0\.0\.1:\d+\/)$/.exec(tail[1]!)?.[1];
  assert.ok(page, tail.join('\n'));
  const ui = await raw(page);
  assert.equal(ui.status, 200);
  assert.match(String(ui.headers['content-type']), /^text\/html/);
  const url = /catalogd API:\s+(http:\/\/127\.0\.0\.1:\d+\/catalogs\/sample-catalog\/api\/v1\/all)$/.exec(tail[2]!)?.[1];
  assert.ok(url, tail.join('\n'));
  assert.match(tail[4]!, /gRPC \(opm\):\s+127\.0\.0\.1:\d+ /);
  assert.match(tail[6]!, new RegExp(`stop it:\\s+kill \\$\\(cat ${join(out, 'serve.pid').replace(/[.]/g, '\\.')}\\)$`));
  const all = await raw(url);
  assert.equal(all.status, 200);
  const blobs = all.body.toString().trim().split('\n').map((l) => JSON.parse(l) as { schema: string; name: string; image?: string });
  assert.deepEqual(blobs.filter((b) => b.schema === 'olm.package').map((b) => b.name), ['sample-operator']);
  const one = /one package:\s+(\S+)$/.exec(tail[3]!)![1]!;
  assert.equal(JSON.parse((await raw(one)).body.toString()).name, 'sample-operator');

  // A second run while the first server still holds the port: it stops that server and serves again.
  const second = await runDemo(out, port);
  assert.equal(second.code, 0, second.stderr + second.stdout.slice(-2000));
  assert.match(second.stdout, new RegExp(`stopped the catalog server of a previous run \\(pid ${pid1}\\)`));
  assert.equal(await alive(pid1), false, 'the first server is gone');
  const pid2 = Number((await readFile(join(out, 'serve.pid'), 'utf8')).trim());
  started.push(pid2);
  assert.notEqual(pid2, pid1);
  // The port the first server held is free again and taken again (unless something else already had it).
  if (new URL(url).port === String(port)) assert.match(second.stdout, new RegExp(`browse it:\\s+http://127\\.0\\.0\\.1:${port}/`));
  const url2 = /browse it:\s+(\S+)$/m.exec(second.stdout)![1]!;
  assert.equal((await raw(url2)).status, 200);

  // What the demo tells the user to run.
  process.kill(pid2, 'SIGTERM');
  for (let i = 0; i < 100 && (await alive(pid2)); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await alive(pid2), false, 'kill $(cat serve.pid) stops it');
  assert.match(await readFile(join(out, 'serve.log'), 'utf8'), /^serving http:\/\/127\.0\.0\.1:\d+ and gRPC 127\.0\.0\.1:\d+ \(catalogs: sample-catalog; gRPC: sample-catalog; web UI: http:\/\/127\.0\.0\.1:\d+\/\)$/m);
});
