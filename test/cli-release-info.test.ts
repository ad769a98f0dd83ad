// `gantry release info` through the shipped CLI against a real local registry holding synthetic releases: the
// text and JSON forms, --image-for, a multi-arch release with --arch, an OCI layout, and bad input as error[CODE].
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildFilesImage, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let reg: RunningRegistry;
let single: FixtureRelease;
let multi: FixtureRelease;

before(async () => {
  reg = await startRegistry();
  const seeded = await seedReleases(reg.url, [
    { version: '4.16.1', arch: 'amd64', components: 12 },
    { version: '4.16.1', arch: 'multi', components: 4 },
  ]);
  single = seeded[0]!;
  multi = seeded[1]!;
  await pushImageRaw(reg.url, 'tools/plain', 'v1', await buildFilesImage({ seed: 'plain', layers: [{ 'usr/bin/x': 'x' }] }));
});
after(async () => {
  await reg?.stop();
});

const info = (args: string[]) => runGantry(['release', 'info', '--tls-verify=false', ...args]);

function assertCleanError(r: { code: number | null; stderr: string; stdout: string }, code: string, mentions: string[] = []): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.equal(r.stdout, '');
  for (const m of mentions) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
}

test('release info/text: name, digest, pull spec and every component by digest, sorted by name', async () => {
  const r = await info([single.tagged]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'Name:      4.16.1');
  assert.equal(lines[1], `Digest:    ${single.digest}`);
  assert.equal(lines[2], 'OS/Arch:   linux/amd64');
  assert.ok(lines.includes(`Pull From: ${single.tagged}`));
  const at = lines.findIndex((l) => /^\s+NAME\s+DIGEST$/.test(l));
  const rows = lines.slice(at + 1).filter(Boolean).map((l) => l.trim().split(/\s+/));
  const expected = Object.entries(single.components).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, ref]) => [n, ref.slice(ref.indexOf('@') + 1)]);
  assert.deepEqual(rows, expected);
  assert.equal(rows.length, 12);
});

test('release info/-o json: version and components (name → image by digest); by digest through docker://', async () => {
  const r = await info(['-o', 'json', `docker://${single.payload}`]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.version, '4.16.1');
  assert.equal(doc.digest, single.digest);
  assert.equal(doc.arch, 'amd64');
  assert.deepEqual(doc.components, single.components);
});

test('release info/--image-for must-gather prints just that image by digest', async () => {
  const r = await info(['--image-for', 'must-gather', single.tagged]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${single.components['must-gather']}\n`);
  assert.match(r.stdout, /@sha256:[0-9a-f]{64}\n$/);
});

test('release info/multi-arch: the manifests listed, amd64 shown by default, --arch arm64 picks the other payload', async () => {
  const r = await info([multi.tagged]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^OS\/Arch:   linux\/multi$/m);
  assert.match(r.stdout, /^Manifests: 2$/m);
  assert.match(r.stdout, /^  linux\/amd64 +sha256:/m);
  assert.match(r.stdout, /^  linux\/arm64 +sha256:/m);
  assert.match(r.stdout, /^Images: \(amd64\)$/m);
  const all = JSON.parse((await info(['-o', 'json', multi.tagged])).stdout);
  assert.equal(all.arch, 'amd64');
  assert.deepEqual(Object.keys(all.architectures), ['amd64', 'arm64']);
  assert.notEqual(all.architectures.amd64, all.architectures.arm64);
  const j = JSON.parse((await info(['-o', 'json', '--arch', 'aarch64', multi.tagged])).stdout);
  assert.equal(j.arch, 'arm64');
  assert.deepEqual(j.architectures, { arm64: all.architectures.arm64 });
  assert.deepEqual(j.components, multi.components);
});

test('release info/an OCI layout: the release copied there reads the same', async () => {
  const dir = await tempDir('release-info-oci');
  try {
    const layout = join(dir.path, 'layout');
    const copied = await runGantry(['copy', '--src-tls-verify=false', `docker://${single.tagged}`, `oci:${layout}:4.16.1-x86_64`]);
    assert.equal(copied.code, 0, copied.stderr);
    const r = await runGantry(['release', 'info', '-o', 'json', `oci:${layout}:4.16.1-x86_64`]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.digest, single.digest);
    assert.deepEqual(doc.components, single.components);
  } finally {
    await dir.remove();
  }
});

test('release info/bad input: not a release image, unknown component, unknown arch, absent image, bad -o', async () => {
  assertCleanError(await info([`${reg.host}/tools/plain:v1`]), 'RELEASE_INVALID', [`${reg.host}/tools/plain:v1`, 'image-references']);
  assertCleanError(await info(['--image-for', 'nope', single.tagged]), 'NOT_FOUND', ['"nope"', '4.16.1']);
  assertCleanError(await info(['--arch', 's390x', multi.tagged]), 'PLATFORM_NOT_FOUND', ['s390x']);
  assertCleanError(await info([`${reg.host}/openshift-release-dev/ocp-release:9.9.9-x86_64`]), 'MANIFEST_UNKNOWN');
  const usage = await info(['-o', 'yaml', single.tagged]);
  assert.equal(usage.code, 2, usage.stderr);
});
