// Hostile and foreign archives through the shipped CLI: everything an archive carries is checked before the first
// push (blob contents against their digest names even when the member lists were recomputed, target names, the
// CatalogSource templates it carries), archives made by oc-mirror are named as such, and a disk that fills up while
// a part is written gives a clean error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract, pack as tarPack } from 'tar-stream';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
let archive: string;
const images: Record<string, TestImage> = {};

async function repositories(host: string): Promise<string[]> {
  const res = await fetch(`http://${host}/v2/_catalog`);
  return ((await res.json()) as { repositories: string[] }).repositories;
}

const d2m = (from: string) => runGantry(['mirror', '--from', `file://${from}`, `docker://${dst.host}/mirror`, ...NO_TLS, '--plain']);

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('hostile');
  images.first = buildImage({ seed: 'hostile-first', layerSizes: [40_000] });
  images.second = buildImage({ seed: 'hostile-second', layerSizes: [50_000] });
  await pushImageRaw(src.url, 'tools/first', '1', images.first);
  await pushImageRaw(src.url, 'tools/second', '1', images.second);
  const config = ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', `  - name: ${src.host}/tools/first:1`, `  - name: ${src.host}/tools/second:1`, ''].join('\n');
  await writeFile(join(dir.path, 'isc.yaml'), config);
  archive = join(dir.path, 'archive');
  const r = await runGantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `file://${archive}`, ...NO_TLS, '--plain'], { cwd: dir.path });
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

async function copyOfArchive(name: string): Promise<string> {
  const to = join(dir.path, name);
  await mkdir(to);
  for (const p of (await readdir(archive)).filter((f) => f.endsWith('.tar'))) await copyFile(join(archive, p), join(to, p));
  return to;
}

/** Members of a tar file, in order. */
async function readTar(file: string): Promise<{ name: string; body: Buffer }[]> {
  const ex = extract();
  const out: { name: string; body: Buffer }[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      out.push({ name: entry.header.name, body: Buffer.concat(chunks) });
    }
  })();
  ex.end(await readFile(file));
  await done;
  return out;
}

async function writeTar(file: string, members: { name: string; body: Buffer }[]): Promise<void> {
  const p = tarPack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const ended = new Promise<void>((res) => p.on('end', () => res()));
  for (const m of members) p.entry({ name: m.name, size: m.body.length }, m.body);
  p.finalize();
  await ended;
  await writeFile(file, Buffer.concat(chunks));
}

/**
 * Alters the member `name` wherever the archive holds it, and recomputes that part's member list (size and sha256)
 * as a forger would, so the part's own checksums all agree with the altered content.
 */
async function forge(archiveDir: string, name: string, change: (body: Buffer) => Buffer): Promise<void> {
  let found = false;
  for (const f of (await readdir(archiveDir)).filter((x) => x.endsWith('.tar'))) {
    const members = await readTar(join(archiveDir, f));
    const target = members.find((m) => m.name === name);
    if (!target) continue;
    found = true;
    target.body = change(target.body);
    const index = JSON.parse(members[0]!.body.toString()) as { members: { name: string; size: number; sha256: string }[] };
    for (const m of index.members) {
      if (m.name !== name) continue;
      m.size = target.body.length;
      m.sha256 = createHash('sha256').update(target.body).digest('hex');
    }
    members[0]!.body = Buffer.from(`${JSON.stringify(index)}\n`);
    await writeTar(join(archiveDir, f), members);
  }
  assert.ok(found, `${name} is in the archive`);
}

const editManifest = (archiveDir: string, edit: (doc: { images: Record<string, unknown>[] }) => void) =>
  forge(archiveDir, 'gantry/archive-seq1.json', (body) => {
    const doc = JSON.parse(body.toString()) as { images: Record<string, unknown>[] };
    edit(doc);
    return Buffer.from(JSON.stringify(doc));
  });

test('hostile/a forged blob with recomputed member checksums is refused before any image is pushed', async () => {
  const bad = await copyOfArchive('forged');
  const layer = images.second!.layers[0]!;
  await forge(bad, `blobs/sha256/${layer.digest.slice(7)}`, (body) => {
    const copy = Buffer.from(body);
    copy[100] = copy[100]! ^ 0xff;
    return copy;
  });
  const r = await d2m(bad);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[ARCHIVE_INVALID\\]: .*member "blobs/sha256/${layer.digest.slice(7)}" does not match its digest name`));
  assert.deepEqual(await repositories(dst.host), [], 'the valid image was not pushed either');
});

test('hostile/a targetRepo of "/x" is refused before anything is pushed, not turned into NS//x', async () => {
  const bad = await copyOfArchive('target-repo');
  await editManifest(bad, (doc) => {
    doc.images[1]!.targetRepo = '/x';
  });
  const r = await d2m(bad);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error\[ARCHIVE_INVALID\]: .*target repository "\/x" is not a repository path/);
  assert.deepEqual(await repositories(dst.host), []);
});

test('hostile/a blockedImages pattern that does not compile is refused, not skipped (that would push blocked images)', async () => {
  const bad = await copyOfArchive('blocked');
  await forge(bad, 'gantry/archive-seq1.json', (body) => {
    const doc = JSON.parse(body.toString()) as { blockedImages?: unknown[] };
    doc.blockedImages = ['tools/(second'];
    return Buffer.from(JSON.stringify(doc));
  });
  const r = await d2m(bad);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error\[ARCHIVE_INVALID\]: .*blockedImages pattern "tools\/\(second" does not compile/);
  assert.deepEqual(await repositories(dst.host), []);
});

test('hostile/a YAML alias bomb in a carried CatalogSource template is refused before anything is pushed', async () => {
  const bad = await copyOfArchive('alias-bomb');
  const bomb = [
    'apiVersion: operators.coreos.com/v1alpha1',
    'kind: CatalogSource',
    'metadata:',
    '  name: bomb',
    '  annotations:',
    '    a: &a ["x","x","x","x","x","x","x","x","x"]',
    '    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    '    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    '    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    '    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    '    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    '    g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'spec:',
    '  sourceType: grpc',
    '',
  ].join('\n');
  await editManifest(bad, (doc) => {
    doc.images[1]!.catalogSourceTemplate = { file: 'cs-template.yaml', text: bomb };
  });
  const r = await d2m(bad);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error\[ARCHIVE_INVALID\]: .*CatalogSource template cs-template\.yaml:\d+:\d+: .*alias/i);
  assert.doesNotMatch(r.stderr, /INTERNAL/);
  assert.deepEqual(await repositories(dst.host), []);
});

test('hostile/an oc-mirror v1 archive and an oc-mirror v2 archive are named as such, without "copy this file again"', async () => {
  const v1 = join(dir.path, 'oc-mirror-v1');
  await mkdir(v1);
  await writeTar(join(v1, 'mirror_seq1_000000.tar'), [
    { name: 'publish/.metadata.json', body: Buffer.from('{"kind":"Metadata","apiVersion":"mirror.openshift.io/v1alpha2"}') },
    { name: 'v2/openshift/release/manifests/sha256:' + 'a'.repeat(64), body: Buffer.from('{}') },
  ]);
  const r1 = await d2m(v1);
  assert.equal(r1.code, 1, r1.stderr);
  assert.match(r1.stderr, /error\[ARCHIVE_INVALID\]: mirror_seq1_000000\.tar: an oc-mirror v1 archive/);
  assert.doesNotMatch(r1.stderr, /copy this file again/);

  const v2 = join(dir.path, 'oc-mirror-v2');
  await mkdir(v2);
  await writeTar(join(v2, 'mirror_000001.tar'), [{ name: 'working-dir/.history/.history-x', body: Buffer.from('') }]);
  const r2 = await d2m(v2);
  assert.equal(r2.code, 1, r2.stderr);
  assert.match(r2.stderr, /error\[ARCHIVE_INVALID\]: .* holds an oc-mirror v2 archive \(mirror_000001\.tar\)/);
  assert.match(r2.stderr, /hint: .*oc-mirror/);
  assert.deepEqual(await repositories(dst.host), []);
});

test('hostile/the untouched archive still pushes (the checks above refuse only what was altered)', async () => {
  const good = await copyOfArchive('untouched');
  const r = await d2m(good);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await repositories(dst.host)).sort(), ['mirror/tools/first', 'mirror/tools/second']);
});

test('hostile/a disk that fills up while a tar part is written gives error[IO_ERROR] with a hint, no stack trace', async () => {
  // A 1 MiB tmpfs for the parts; the staging area (DIR/.gantry) is a link to a roomy disk, so only the part fails.
  const out = join(dir.path, 'full');
  const staging = join(dir.path, 'full-staging');
  await mkdir(out);
  await mkdir(staging);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', out], { encoding: 'utf8' });
  assert.equal(mounted.status, 0, `this test needs a tmpfs (run as root): ${mounted.stderr}`);
  try {
    await symlink(staging, join(out, '.gantry'));
    const r = await runGantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `file://${out}`, ...NO_TLS, '--plain'], { cwd: dir.path });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error\[IO_ERROR\]: write archive part mirror_seq1_\d{6}\.tar: .*ENOSPC/m);
    assert.match(r.stderr, /hint: the disk is full/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.deepEqual((await readdir(out)).filter((f) => /\.tar|tmp/.test(f)), [], 'no part and no temp file left behind');
  } finally {
    spawnSync('umount', [out]);
    await rm(staging, { recursive: true, force: true });
  }
});
