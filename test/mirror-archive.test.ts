// gantry mirror to disk and disk to mirror against real registries: archives split into parts that tar, skopeo and
// umoci read; digests identical after the round trip; incremental sequences; damaged or hostile archives rejected with
// nothing pushed; partial archives and re-runs; platform filtering; cluster resources accumulated per destination.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pack as tarPack } from 'tar-stream';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw, type TestImage, type TestIndex } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy } from '../src/testing/fault-proxy.js';
import { digestTag } from '../src/generate/destination.js';
import { tempDir } from './helpers.js';
import { pushDemoCatalog } from './demo-catalog.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
let src: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};
let multi: TestIndex;

const gantry = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--plain'], { encoding: 'utf8', cwd: dir.path, maxBuffer: 64 << 20 });
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const m2d = (config: string, out: string, extra: string[] = []) => gantry(['mirror', '-c', join(dir.path, config), `file://${out}`, '--archive-size', '64KiB', ...NO_TLS, ...extra]);
const d2m = (from: string, dest: string, extra: string[] = []) => gantry(['mirror', '--from', `file://${from}`, `docker://${dest}`, ...NO_TLS, ...extra]);
const inspect = (ref: string) => JSON.parse(spawnSync(process.execPath, [BIN, 'inspect', '-o', 'json', '--tls-verify=false', ref], { encoding: 'utf8' }).stdout || '{}') as { digest?: string };
const rawManifest = (ref: string) => JSON.parse(spawnSync(process.execPath, [BIN, 'inspect', '--raw', '--tls-verify=false', ref], { encoding: 'utf8' }).stdout || '{}') as { manifests?: unknown[] };

async function catalogs(host: string): Promise<string[]> {
  const res = await fetch(`http://${host}/v2/_catalog`);
  return ((await res.json()) as { repositories: string[] }).repositories;
}

function isc(extra: string[]): string {
  return [
    'apiVersion: mirror.openshift.io/v2alpha1',
    'kind: ImageSetConfiguration',
    'mirror:',
    '  operators:',
    `  - catalog: ${src.host}/catalogs/demo-index:v1`,
    `    targetCatalogSourceTemplate: ${join(dir.path, 'cs-template.yaml')}`,
    '    packages:',
    '    - name: demo-op',
    '  additionalImages:',
    `  - name: ${src.host}/tools/extra:1`,
    `  - name: ${src.host}/tools/multi:1`,
    '    platforms:',
    '    - {os: linux, architecture: amd64}',
    ...extra,
    '',
  ].join('\n');
}

before(async () => {
  src = await startRegistry();
  dir = await tempDir('archive');
  for (const [name, repo, tag, sizes] of [
    ['operator', 'demo/operator', 'v1', [150_000, 40_000]],
    ['bundle', 'demo/bundle', 'v1.0.0', [9_000]],
    ['extra', 'tools/extra', '1', [30_000]],
    ['extra2', 'tools/extra2', '1', [25_000]],
  ] as const) {
    images[name] = buildImage({ seed: `archive-${name}`, layerSizes: [...sizes] });
    await pushImageRaw(src.url, repo, tag, images[name]!);
  }
  multi = buildIndex([
    buildImage({ seed: 'multi-amd64', layerSizes: [12_000] }),
    buildImage({ seed: 'multi-arm64', layerSizes: [12_000], platform: { os: 'linux', architecture: 'arm64' } }),
  ]);
  await pushIndexRaw(src.url, 'tools/multi', '1', multi);
  await pushDemoCatalog(src, images.operator!, [['1.0.0', images.bundle!]]);
  await writeFile(
    join(dir.path, 'cs-template.yaml'),
    'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata:\n  name: demo-mirror\nspec:\n  displayName: Demo Mirror\n  updateStrategy:\n    registryPoll:\n      interval: 30m\n',
  );
  await writeFile(join(dir.path, 'isc.yaml'), isc([]));
  await writeFile(join(dir.path, 'isc2.yaml'), isc([`  - name: ${src.host}/tools/extra2:1`]));
});
after(async () => {
  await src?.stop();
  await dir?.remove();
});

interface PartIndex {
  sequence: number;
  members: { name: string; size: number; sha256: string }[];
}

/** The member lists of the parts of one sequence, read with GNU tar (an independent reader). */
function partIndexes(out: string, files: string[]): PartIndex[] {
  return files.map((f) => {
    const list = spawnSync('tar', ['-tf', join(out, f)], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const first = list.stdout.split('\n')[0]!;
    assert.match(first, /^gantry\/parts\/seq\d+-\d{6}\.json$/, 'each part opens with its member list');
    return JSON.parse(spawnSync('tar', ['-xOf', join(out, f), first], { encoding: 'utf8' }).stdout) as PartIndex;
  });
}

const partsOf = async (out: string, seq: number) => (await readdir(out)).filter((f) => f.startsWith(`mirror_seq${seq}_`)).sort();

let seq1Blobs: Set<string>;

test('archive/mirror to disk: parts under the size limit, a standard OCI layout inside, no caches', async () => {
  const out = join(dir.path, 'a');
  const r = m2d('isc.yaml', out);
  assert.equal(r.status, 0, r.stderr);
  const parts = await partsOf(out, 1);
  assert.ok(parts.length >= 3, `split into parts: ${parts.join()}`);
  for (const p of parts) {
    const size = (await stat(join(out, p))).size;
    // A member bigger than the limit (the 150 kB layer) sits alone in its part; every other part fits.
    const indexes = partIndexes(out, [p]);
    if (indexes[0]!.members.length > 1) assert.ok(size <= 64 * 1024, `${p} is ${size} bytes`);
  }
  const members = partIndexes(out, parts).flatMap((i) => i.members.map((m) => m.name));
  assert.ok(members.every((n) => /^(oci-layout|index\.json|gantry\/[a-z0-9.-]+|blobs\/sha256\/[0-9a-f]{64})$/.test(n)), `only layout and gantry metadata: ${members.join()}`);
  assert.ok(!members.includes(`blobs/sha256/${multi.images[1]!.layers[0]!.digest.slice(7)}`), 'the arm64 layer is filtered out');
  seq1Blobs = new Set(members.filter((n) => n.startsWith('blobs/')));
  // Nothing left behind but the parts, the plan, the history.
  assert.deepEqual((await readdir(join(out, '.gantry'))).sort(), ['history.json']);

  // Unpacked with GNU tar, the parts form one OCI layout that skopeo and umoci read.
  const unpacked = join(dir.path, 'a-unpacked');
  await mkdir(unpacked);
  for (const p of parts) assert.equal(spawnSync('tar', ['-xf', join(out, p), '-C', unpacked]).status, 0);
  const key = `${src.host}/tools/extra:1`;
  const sk = spawnSync('skopeo', ['inspect', '--raw', `oci:${unpacked}:${key}`], { encoding: 'utf8' });
  assert.equal(sk.status, 0, sk.stderr);
  assert.equal(`sha256:${createHash('sha256').update(sk.stdout).digest('hex')}`, images.extra!.manifest.digest);
  const umoci = spawnSync('umoci', ['stat', '--image', `${unpacked}:${key}`], { encoding: 'utf8' });
  assert.equal(umoci.status, 0, umoci.stderr);
});

test('archive/disk to mirror: digests identical to the source, catalog rebuilt, cluster resources written', async () => {
  const dst = await startRegistry();
  try {
    const out = join(dir.path, 'a');
    const r = d2m(out, `${dst.host}/mirror`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /verified .*mirror_seq1_000001\.tar/);
    assert.equal(inspect(`docker://${dst.host}/mirror/demo/bundle:${digestTag(images.bundle!.manifest.digest)}`).digest, images.bundle!.manifest.digest);
    assert.equal(inspect(`docker://${dst.host}/mirror/demo/operator:${digestTag(images.operator!.manifest.digest)}`).digest, images.operator!.manifest.digest);
    assert.equal(inspect(`docker://${dst.host}/mirror/tools/extra:1`).digest, images.extra!.manifest.digest);
    const filtered = rawManifest(`docker://${dst.host}/mirror/tools/multi:1`);
    assert.equal(filtered.manifests?.length, 1, 'only linux/amd64 of the multi-platform image');
    const cat = spawnSync(process.execPath, [BIN, 'catalog', 'render', '--tls-verify=false', `docker://${dst.host}/mirror/catalogs/demo-index:v1`], { encoding: 'utf8' });
    assert.equal(cat.status, 0, cat.stderr);
    assert.match(cat.stdout, /"name": "demo-op\.v1\.0\.0"/);
    const idms = await readFile(join(out, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.match(idms, new RegExp(`- ${dst.host.replace('.', '\\.')}/mirror/demo/operator`));
    // The CatalogSource follows the template the configuration named (carried inside the archive).
    const cs = (await readdir(join(out, 'cluster-resources'))).find((f) => f.startsWith('cs-'))!;
    const csText = await readFile(join(out, 'cluster-resources', cs), 'utf8');
    assert.match(csText, /name: demo-mirror/);
    assert.match(csText, /interval: 30m/);
    assert.match(csText, new RegExp(`image: ${dst.host.replace('.', '\\.')}/mirror/catalogs/demo-index@sha256:[0-9a-f]{64}`));
    // The MicroShift blueprint: the catalog as its CatalogSource names it; the platform-filtered image by its tag,
    // since the filtered index's digest exists only at the mirror.
    const blueprint = await readFile(join(out, 'cluster-resources', 'microshift', 'blueprint-containers.toml'), 'utf8');
    assert.ok(blueprint.includes(`source = "${/image: (\S+)/.exec(csText)![1]}"`), blueprint);
    assert.match(blueprint, new RegExp(`source = "${src.host.replace('.', '\\.')}/tools/multi:1"`));
    // Pushing again moves nothing.
    const again = d2m(out, `${dst.host}/mirror`);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already up to date/);
  } finally {
    await dst.stop();
  }
});

test('archive/incremental: the next sequence carries only new blobs; pushed alone after the first it completes the mirror', async () => {
  const out = join(dir.path, 'a');
  const r = m2d('isc2.yaml', out);
  assert.equal(r.status, 0, r.stderr);
  const parts = await partsOf(out, 2);
  const blobs = partIndexes(out, parts).flatMap((i) => i.members.map((m) => m.name)).filter((n) => n.startsWith('blobs/'));
  const extra2 = [images.extra2!.config, ...images.extra2!.layers].map((b) => `blobs/sha256/${b.digest.slice(7)}`);
  for (const b of extra2) assert.ok(blobs.includes(b), `new blob ${b} carried`);
  const layers = blobs.filter((b) => seq1Blobs.has(b));
  // Manifests are always carried (small; each sequence describes the whole set). Layers never twice.
  const manifests = new Set([images.bundle!, images.operator!, images.extra!].map((i) => `blobs/sha256/${i.manifest.digest.slice(7)}`));
  assert.ok(layers.every((b) => manifests.has(b) || !b.endsWith(images.operator!.layers[0]!.digest.slice(7))), 'no layer of sequence 1 again');
  assert.ok(!blobs.includes(`blobs/sha256/${images.operator!.layers[0]!.digest.slice(7)}`));

  // The disconnected side received sequence 1 earlier; now only sequence 2's files are in the directory.
  const dst = await startRegistry();
  const first = join(dir.path, 'site-1');
  const second = join(dir.path, 'site-2');
  await mkdir(first);
  await mkdir(second);
  try {
    for (const p of await partsOf(out, 1)) await copyFile(join(out, p), join(first, p));
    for (const p of parts) await copyFile(join(out, p), join(second, p));
    // Without sequence 1 at the destination, sequence 2 alone cannot complete: a clear error names it.
    const early = d2m(second, `${dst.host}/m`, ['--fail-fast']);
    assert.equal(early.status, 1);
    assert.match(early.stderr, /error\[BLOB_UNKNOWN\][\s\S]*sequence 1/);
    assert.equal(d2m(first, `${dst.host}/m`).status, 0);
    const r2 = d2m(second, `${dst.host}/m`);
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(inspect(`docker://${dst.host}/m/tools/extra2:1`).digest, images.extra2!.manifest.digest);
    // Cluster resources in site-2 cover everything mirrored to this destination from that directory.
    const itms = await readFile(join(second, 'cluster-resources', 'itms-oc-mirror.yaml'), 'utf8');
    assert.match(itms, /tools\/extra2/);
    assert.match(itms, /tools\/extra\n/);
  } finally {
    await dst.stop();
  }
});

test('archive/--ignore-history carries everything again; with nothing new a sequence carries manifests only; dry runs push nothing', async () => {
  const out = join(dir.path, 'full');
  assert.equal(m2d('isc.yaml', out).status, 0);
  const blobsOf = async (seq: number) => partIndexes(out, await partsOf(out, seq)).flatMap((i) => i.members.map((m) => m.name)).filter((n) => n.startsWith('blobs/')).sort();
  const first = await blobsOf(1);
  const full = m2d('isc.yaml', out, ['--ignore-history']);
  assert.equal(full.status, 0, full.stderr);
  assert.deepEqual(await blobsOf(2), first);
  const dry = m2d('isc.yaml', out, ['--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stderr, /0 B still to move \(0 images not complete/);
  assert.equal(await readFile(join(out, 'missing.txt'), 'utf8'), '');
  assert.match(dry.stderr, /blueprint: \d+ containers, 0 excluded/);
  assert.match(await readFile(join(out, 'blueprint-containers.toml'), 'utf8'), new RegExp(`source = "${src.host.replace('.', '\\.')}/demo/operator@${images.operator!.manifest.digest}"`));
  const none = m2d('isc.yaml', out);
  assert.equal(none.status, 0, none.stderr);
  const third = await blobsOf(3);
  const layers = [images.operator!, images.extra!, images.bundle!].flatMap((i) => [i.config, ...i.layers]).map((b) => `blobs/sha256/${b.digest.slice(7)}`);
  assert.ok(third.length > 0 && third.every((b) => !layers.includes(b)), 'manifests only');

  const dst = await startRegistry();
  try {
    const r = d2m(out, `${dst.host}/ns`, ['--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    const mapping = await readFile(join(out, 'mapping.txt'), 'utf8');
    assert.match(mapping, new RegExp(`=docker://${dst.host.replace('.', '\\.')}/ns/tools/extra:1\n`));
    assert.deepEqual(await catalogs(dst.host), [], 'a dry run pushes nothing');
  } finally {
    await dst.stop();
  }
});

/** A copy of sequence 1's parts in a new directory, for tampering. */
async function copyOfArchive(name: string): Promise<string> {
  const to = join(dir.path, name);
  await mkdir(to);
  for (const p of await partsOf(join(dir.path, 'a'), 1)) await copyFile(join(dir.path, 'a', p), join(to, p));
  return to;
}

test('archive/a flipped byte is rejected before anything is pushed', async () => {
  const dst = await startRegistry();
  try {
    const bad = await copyOfArchive('flipped');
    // Flip one byte in the middle of a layer, wherever the archive put it.
    const layer = images.operator!.layers[1]!.bytes;
    let damaged = '';
    for (const p of await partsOf(bad, 1)) {
      const bytes = await readFile(join(bad, p));
      const at = bytes.indexOf(layer.subarray(0, 64));
      if (at < 0) continue;
      const fh = await open(join(bad, p), 'r+');
      const buf = Buffer.from([bytes[at + 20_000]! ^ 0xff]);
      await fh.write(buf, 0, 1, at + 20_000);
      await fh.close();
      damaged = p;
    }
    assert.ok(damaged, 'the layer is in the archive');
    const r = d2m(bad, `${dst.host}/mirror`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error\[ARCHIVE_INVALID\]/);
    assert.match(r.stderr, new RegExp(`${damaged.replace('.', '\\.')}: member "blobs/sha256/${images.operator!.layers[1]!.digest.slice(7)}" does not match its checksum`));
    assert.deepEqual(await catalogs(dst.host), [], 'nothing pushed');
  } finally {
    await dst.stop();
  }
});

test('archive/path traversal, links and unexpected members are rejected before anything is pushed', async () => {
  const dst = await startRegistry();
  try {
    for (const [name, entry] of [
      ['traversal', { name: '../../evil', type: 'file' }],
      ['symlink', { name: 'blobs/sha256/' + 'a'.repeat(64), type: 'symlink', linkname: '/etc/passwd' }],
      ['unexpected', { name: 'gantry/extra', type: 'file' }],
    ] as const) {
      const bad = await copyOfArchive(name);
      const parts = await partsOf(bad, 1);
      // Rewrite the last part with the hostile entry appended after its listed members.
      const file = join(bad, parts.at(-1)!);
      const original = await readFile(file);
      const p = tarPack();
      const chunks: Buffer[] = [];
      p.on('data', (c: unknown) => void chunks.push(c as Buffer));
      const ended = new Promise<void>((res) => p.on('end', () => res()));
      const list = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' }).stdout.trim().split('\n');
      const names = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.trim().split('\n');
      assert.equal(list.length, names.length);
      for (const n of names) {
        const body = spawnSync('tar', ['-xOf', file, n], { maxBuffer: 64 << 20 }).stdout;
        p.entry({ name: n, size: body.length }, body);
      }
      if (entry.type === 'symlink') p.entry({ name: entry.name, type: 'symlink', linkname: entry.linkname });
      else p.entry({ name: entry.name }, Buffer.from('x'));
      p.finalize();
      await ended;
      assert.notDeepEqual(Buffer.concat(chunks), original);
      await writeFile(file, Buffer.concat(chunks));
      const r = d2m(bad, `${dst.host}/mirror`);
      assert.equal(r.status, 1, name);
      assert.match(r.stderr, /error\[ARCHIVE_INVALID\]/, name);
      assert.deepEqual(await catalogs(dst.host), [], `${name}: nothing pushed`);
    }
    await assert.rejects(stat(join(dir.path, '..', 'evil')), 'nothing written outside');
  } finally {
    await dst.stop();
  }
});

test('archive/a missing part is named; nothing is pushed', async () => {
  const dst = await startRegistry();
  try {
    const bad = await copyOfArchive('missing');
    const parts = await partsOf(bad, 1);
    const { rm } = await import('node:fs/promises');
    await rm(join(bad, parts[1]!));
    const r = d2m(bad, `${dst.host}/mirror`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`error\\[ARCHIVE_INVALID\\].*${parts[1]!.replace('.', '\\.')} is missing`));
    assert.deepEqual(await catalogs(dst.host), []);
  } finally {
    await dst.stop();
  }
});

test('archive/a failed image gives a partial archive and an errors report; the re-run carries only what was missing', async () => {
  const out = join(dir.path, 'partial');
  await writeFile(join(dir.path, 'isc-missing.yaml'), isc([`  - name: ${src.host}/tools/late:1`]));
  const r = m2d('isc-missing.yaml', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /PARTIAL archive: 1 failed/);
  const report = await readFile(join(out, 'mirror-errors.txt'), 'utf8');
  assert.match(report, /tools\/late:1\n {2}error\[MANIFEST_UNKNOWN\]/);
  const [index] = partIndexes(out, [(await partsOf(out, 1))[0]!]);
  assert.ok(index);
  const manifest = JSON.parse(spawnSync('tar', ['-xOf', join(out, (await partsOf(out, 1))[0]!), 'gantry/archive-seq1.json'], { encoding: 'utf8' }).stdout) as { partial: boolean; failed: { what: string }[] };
  assert.equal(manifest.partial, true);
  assert.match(manifest.failed[0]!.what, /tools\/late:1/);

  const late = buildImage({ seed: 'archive-late', layerSizes: [7_000] });
  await pushImageRaw(src.url, 'tools/late', '1', late);
  const again = m2d('isc-missing.yaml', out);
  assert.equal(again.status, 0, again.stderr);
  await assert.rejects(stat(join(out, 'mirror-errors.txt')), 'the report goes once nothing fails');
  const blobs = partIndexes(out, await partsOf(out, 2)).flatMap((i) => i.members.map((m) => m.name)).filter((n) => n.startsWith('blobs/'));
  const layerNames = [late.config, ...late.layers].map((b) => `blobs/sha256/${b.digest.slice(7)}`);
  for (const b of layerNames) assert.ok(blobs.includes(b));
  assert.ok(!blobs.includes(`blobs/sha256/${images.operator!.layers[0]!.digest.slice(7)}`), 'what sequence 1 carried is not carried again');
});

/** Runs gantry until `ready()` holds (polled, at most 20 s), then kills it with SIGKILL. */
async function killWhen(args: string[], ready: () => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args, '--plain'], { cwd: dir.path, stdio: 'ignore' });
  const exited = new Promise((res) => child.once('exit', res));
  try {
    for (let i = 0; i < 200 && !(await ready()); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(await ready(), 'the run got far enough before the kill');
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** gantry without blocking this process (the fault proxies live in it). */
function gantryAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--plain'], { cwd: dir.path, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((res) => child.once('exit', (status) => res({ status, stderr })));
}

const countFiles = async (d: string) => (await readdir(d).catch(() => [] as string[])).filter((f) => /^[0-9a-f]{64}$/.test(f)).length;

test('archive/killed with kill -9 and run again: mirror to disk and disk to mirror move only what is missing', async () => {
  const proxy = await startFaultProxy({ upstream: src.url });
  const dst = await startRegistry();
  const dstProxy = await startFaultProxy({ upstream: dst.url });
  try {
    const out = join(dir.path, 'killed');
    await writeFile(
      join(dir.path, 'isc-proxy.yaml'),
      ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', `  - name: ${proxy.host}/demo/operator:v1`, `  - name: ${proxy.host}/tools/extra:1`, ''].join('\n'),
    );
    // One layer is held back (503, Retry-After 60 s) so the run is surely mid-way when it is killed.
    const held = images.operator!.layers[0]!;
    proxy.failRequests({ method: 'GET', pathPattern: new RegExp(held.digest), status: 503, retryAfter: 60, times: 1 });
    const staged = join(out, '.gantry', 'staging', 'blobs', 'sha256');
    await killWhen(['mirror', '-c', join(dir.path, 'isc-proxy.yaml'), `file://${out}`, ...NO_TLS], async () => (await countFiles(staged)) >= 4);
    const all = [images.operator!, images.extra!].flatMap((i) => [i.config, ...i.layers]);
    const stagedNames = new Set(await readdir(staged));
    const before = all.filter((b) => stagedNames.has(b.digest.slice(7))).length;
    assert.ok(before >= 2 && before < all.length, `${before} of ${all.length} blobs staged before the kill`);
    proxy.reset();
    const r = await gantryAsync(['mirror', '-c', join(dir.path, 'isc-proxy.yaml'), `file://${out}`, '--archive-size', '64KiB', ...NO_TLS]);
    assert.equal(r.status, 0, r.stderr);
    const blobGets = proxy.requests.filter((e) => e.method === 'GET' && /\/blobs\//.test(e.path));
    assert.equal(blobGets.length, all.length - before, `only the ${all.length - before} blobs not staged before the kill are downloaded`);
    assert.ok(blobGets.some((e) => e.path.includes(held.digest)));

    // Disk to mirror, killed while the held-back layer waits, then run again.
    dstProxy.failRequests({ method: 'POST', pathPattern: /demo\/operator\/blobs\/uploads/, status: 503, retryAfter: 60, times: 1 });
    const pushed = async () => (await catalogs(dst.host)).includes('m/tools/extra');
    await killWhen(['mirror', '--from', `file://${out}`, `docker://${dstProxy.host}/m`, ...NO_TLS], async () => (await pushed()) && inspect(`docker://${dst.host}/m/tools/extra:1`).digest !== undefined);
    dstProxy.reset();
    const again = await gantryAsync(['mirror', '--from', `file://${out}`, `docker://${dstProxy.host}/m`, ...NO_TLS]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(dstProxy.requests.filter((e) => e.method === 'PUT' && e.path.includes('/m/tools/extra/')).length, 0, 'the image pushed before the kill is not pushed again');
    assert.equal(inspect(`docker://${dst.host}/m/demo/operator:v1`).digest, images.operator!.manifest.digest);
  } finally {
    await Promise.all([proxy.stop(), dstProxy.stop()]);
    await dst.stop();
  }
});

test('archive/an invalid CatalogSource template is reported with file and line before anything is copied', async () => {
  const bad = join(dir.path, 'bad-template.yaml');
  await writeFile(bad, 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nspec:\n  sourceType: configmap\n  configMap: my-map\n');
  await writeFile(join(dir.path, 'isc-bad-template.yaml'), isc([]).replace(join(dir.path, 'cs-template.yaml'), bad));
  const out = join(dir.path, 'bad-template-out');
  const r = m2d('isc-bad-template.yaml', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad-template\.yaml:4:\d+: /);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]/);
  await assert.rejects(readdir(out), 'nothing written');
});

test('archive/plan.json names archive keys; blockedImages that match destination names apply when the archive is pushed', async () => {
  const out = join(dir.path, 'blocked');
  await writeFile(
    join(dir.path, 'isc-blocked.yaml'),
    ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', `  - name: ${src.host}/tools/extra:1`, `  - name: ${src.host}/tools/extra2:1`, '  blockedImages:', '  - name: "^[^/]+/site-b/tools/extra2"', ''].join('\n'),
  );
  const r = m2d('isc-blocked.yaml', out);
  assert.equal(r.status, 0, r.stderr);
  const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { images: { destination: string }[] };
  assert.deepEqual(plan.images.map((i) => i.destination), [`file://${out}/${src.host}/tools/extra2:1`, `file://${out}/${src.host}/tools/extra:1`].sort());
  const dst = await startRegistry();
  try {
    const a = d2m(out, `${dst.host}/site-a`);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(inspect(`docker://${dst.host}/site-a/tools/extra2:1`).digest, images.extra2!.manifest.digest, 'not blocked at site-a');
    const b = d2m(out, `${dst.host}/site-b`);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /blocked: .*site-b\/tools\/extra2:1/);
    assert.equal(inspect(`docker://${dst.host}/site-b/tools/extra2:1`).digest, undefined);
    assert.equal(inspect(`docker://${dst.host}/site-b/tools/extra:1`).digest, images.extra!.manifest.digest);
  } finally {
    await dst.stop();
  }
});
