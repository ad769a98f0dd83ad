// Release payloads through `gantry mirror` against real local registries and the fake update service: the dry run
// explains each release; mirror to mirror (one multi-arch release kept whole) read back by skopeo with identical
// digests and IDMS release entries; mirror to disk then disk to mirror, an incremental z-stream archive carrying
// only new blobs; bad input (a version not in the graph, an unreachable update service, an image that is not a
// release) as error[CODE] naming the channel or version, with nothing claimed complete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentName, buildFilesImage, releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { skopeoInspectDigest } from '../src/testing/tools.js';
import { cincinnatiJson, startUpdateService, type FakeGraph, type FakeUpdateService } from '../src/testing/update-service.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '', OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let svc: FakeUpdateService;
let signedStore: SignedReleases;
let dir: { path: string; remove(): Promise<void> };
let r0: FixtureRelease;
let r1: FixtureRelease;
let r2: FixtureRelease;
let m1: FixtureRelease;
let amdGraph: FakeGraph;

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('mirror-release')]);
  const seeded = await seedReleases(src.url, [
    { version: '4.16.0', arch: 'amd64', components: 10 },
    // z-streams: a few components change, the rest are the same images.
    { version: '4.16.1', arch: 'amd64', components: 10, changeEvery: 3 },
    { version: '4.16.2', arch: 'amd64', components: 10, changeEvery: 2 },
    { version: '4.16.1', arch: 'multi', components: 4 },
  ]);
  [r0, r1, r2, m1] = seeded as [FixtureRelease, FixtureRelease, FixtureRelease, FixtureRelease];
  await pushImageRaw(src.url, 'tools/plain', 'v1', await buildFilesImage({ seed: 'plain', layers: [{ 'usr/bin/x': 'x' }] }));
  // 4.16.0 → 4.16.1 → 4.16.2 plainly, 4.16.0 → 4.16.2 only conditionally.
  amdGraph = { ...releaseGraph([r0, r1, r2]), edges: [['4.16.0', '4.16.1'], ['4.16.1', '4.16.2']], conditional: [{ edges: [['4.16.0', '4.16.2']], risks: [{ name: 'AzureDNS' }] }] };
  svc = await startUpdateService({ amd64: { 'stable-4.16': amdGraph }, multi: { 'stable-4.16': releaseGraph([m1]) } });
  // Every release is signed with the test key: release mirroring verifies each before copying it.
  signedStore = await startSignedStore(dir.path, [r0, r1, r2, m1]);
});
after(async () => {
  await Promise.all([src?.stop(), svc?.close(), signedStore?.store.close()]);
  await dir?.remove();
});

const isc = (name: string, platform: string[]) => writePlatformIsc(dir.path, name, platform);

const signed = () => signedStore.flags;
const mirror = (args: string[], url = svc.url) => runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', url, ...signed(), ...args], { env: NO_PROXY_ENV });
const sorted = (r: FixtureRelease) => Object.entries(r.components).sort(([a], [b]) => (a < b ? -1 : 1));
const digestOf = (ref: string) => ref.slice(ref.indexOf('@') + 1);

function assertCleanError(r: { code: number | null; stderr: string }, code: string, mentions: string[]): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  for (const m of mentions) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
}

test('mirror release/dry run: each release explained (channel, reason, components, tag); mapping with oc-mirror names; nothing copied', async () => {
  const dst = await startRegistry();
  try {
    const config = await isc('range.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.1}']);
    const ws = join(dir.path, 'dry');
    const r = await mirror(['-c', config, `docker://${dst.host}/mirror`, '--dry-run', '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /RELEASES_NOT_SUPPORTED|not built yet/);
    const lines = r.stderr.split('\n');
    const at = lines.indexOf('releases: 2 selected by mirror.platform, 22 images (release images and their components)');
    assert.ok(at >= 0, r.stderr);
    assert.deepEqual(lines.slice(at + 1, at + 3), [
      `  4.16.0  amd64  stable-4.16  range  ${r0.payload}  (10 components → openshift/release-images:4.16.0-x86_64)`,
      `  4.16.1  amd64  stable-4.16  range  ${r1.payload}  (10 components → openshift/release-images:4.16.1-x86_64)`,
    ]);
    const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
    assert.equal(mapping.length, 22);
    assert.ok(mapping.includes(`docker://${r0.payload}=docker://${dst.host}/mirror/openshift/release-images:4.16.0-x86_64`), mapping.join('\n'));
    for (const [name, ref] of sorted(r1)) assert.ok(mapping.includes(`docker://${ref}=docker://${dst.host}/mirror/openshift/release:4.16.1-x86_64-${name}`), name);
    const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8'));
    assert.deepEqual(plan.releases.map((x: { version: string; channel: string; reason: string; tag: string; components: number; multiArch: boolean }) => [x.version, x.channel, x.reason, x.tag, x.components, x.multiArch]), [
      ['4.16.0', 'stable-4.16', 'range', '4.16.0-x86_64', 10, false],
      ['4.16.1', 'stable-4.16', 'range', '4.16.1-x86_64', 10, false],
    ]);
    const mg = plan.images.find((i: { destination: string }) => i.destination.endsWith(':4.16.1-x86_64-must-gather'));
    assert.deepEqual(mg.reasons, [{ release: '4.16.1', arch: 'amd64', channel: 'stable-4.16', selected: 'range', component: 'must-gather' }]);
    assert.equal(mg.kind, 'release');
    const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories, [], 'a dry run copies nothing');

    // Mirror to disk, from a saved graph (no update service): the shortest path, its conditional update explained.
    const graphs = join(dir.path, 'graphs');
    await mkdir(graphs, { recursive: true });
    await writeFile(join(graphs, 'amd64-stable-4.16.json'), cincinnatiJson(amdGraph));
    const pathIsc = await isc('path.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.2, shortestPath: true}']);
    const out = join(dir.path, 'dry-archive');
    const d = await runGantry(['mirror', ...NO_TLS, '--plain', '--update-graph', graphs, ...signed(), '-c', pathIsc, `file://${out}`, '--dry-run'], { env: NO_PROXY_ENV });
    assert.equal(d.code, 0, d.stderr);
    const dl = d.stderr.split('\n');
    const p = dl.indexOf('releases: 2 selected by mirror.platform, 22 images (release images and their components)');
    assert.ok(p >= 0, d.stderr);
    assert.deepEqual(dl.slice(p + 1, p + 3), [
      `  4.16.0  amd64  stable-4.16  path  ${r0.payload}  (10 components → openshift/release-images:4.16.0-x86_64)`,
      `  4.16.2  amd64  stable-4.16  path from 4.16.0 (conditional: AzureDNS)  ${r2.payload}  (10 components → openshift/release-images:4.16.2-x86_64)`,
    ]);
    const dplan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8'));
    assert.deepEqual(dplan.releases[1].edge, { from: '4.16.0', to: '4.16.2', conditional: true, risks: dplan.releases[1].edge.risks });
    assert.equal(dplan.releases[1].edge.risks[0].name, 'AzureDNS');
    assert.deepEqual((await readdir(out)).filter((f) => f.endsWith('.tar')), [], 'a dry run writes no archive');
  } finally {
    await dst.stop();
  }
});

test('mirror release/mirror to mirror: heads of amd64 and multi; skopeo reads every release image with identical digests; IDMS release entries', async () => {
  const dst = await startRegistry();
  try {
    const config = await isc('heads.yaml', ['architectures: [amd64, multi]', 'channels:', '- name: stable-4.16']);
    const ws = join(dir.path, 'm2m');
    const r = await mirror(['-c', config, `docker://${dst.host}/mirror`, '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    const at = `${dst.host}/mirror/openshift`;
    const sk = (ref: string) => skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
    assert.equal(await sk(`${at}/release-images:4.16.2-x86_64`), r2.digest);
    assert.equal(await sk(`${at}/release-images:4.16.1-multi`), m1.digest, 'the multi-arch payload is kept whole');
    for (const [rel, tag] of [[r2, '4.16.2-x86_64'], [m1, '4.16.1-multi']] as const) {
      for (const [name, ref] of sorted(rel)) assert.equal(await sk(`${at}/release:${tag}-${name}`), digestOf(ref), `${tag} ${name}`);
    }
    assert.equal(await sk(`${at}/release:4.16.1-multi-${componentName(0)}`).then((d) => d.startsWith('sha256:')), true);
    const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.match(idms, /name: idms-release-0/);
    assert.ok(idms.includes(`source: ${src.host}/openshift-release-dev/ocp-release`) && idms.includes(`- ${at}/release-images`), idms);
    assert.ok(idms.includes(`source: ${src.host}/openshift-release-dev/ocp-v4.0-art-dev`) && idms.includes(`- ${at}/release\n`), idms);
    const cm = JSON.parse(await readFile(join(ws, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as { binaryData: Record<string, string> };
    assert.deepEqual(Object.keys(cm.binaryData), [r2, m1].map((x) => `sha256-${x.digest.slice(7)}-1`).sort(), 'the multi-arch payload is signed by its index digest');
    // The mirrored release reads back as the same release.
    const info = await runGantry(['release', 'info', '--tls-verify=false', '-o', 'json', `${at}/release-images:4.16.2-x86_64`]);
    assert.equal(info.code, 0, info.stderr);
    assert.deepEqual(JSON.parse(info.stdout).components, r2.components);
  } finally {
    await dst.stop();
  }
});

test('mirror release/platform.release by tag: read from the image (version, multi-arch), pinned by digest, no graph read', async () => {
  const dst = await startRegistry();
  try {
    const before = svc.requests.length;
    const ws = join(dir.path, 'by-tag');
    const r = await mirror(['-c', await isc('by-tag.yaml', [`release: ${m1.tagged}`]), `docker://${dst.host}/m`, '--dry-run', '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(svc.requests.length, before, 'platform.release reads no graph');
    assert.ok(r.stderr.includes(`  4.16.1  multi  -  platform.release  ${m1.payload}  (4 components → openshift/release-images:4.16.1-multi)`), r.stderr);
    const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
    assert.ok(mapping.includes(`docker://${m1.tagged}@${m1.digest}=docker://${dst.host}/m/openshift/release-images:4.16.1-multi`), mapping.join('\n'));
    assert.equal(mapping.length, 5);
  } finally {
    await dst.stop();
  }
});

interface PartIndex {
  members: { name: string }[];
}

function archiveMembers(out: string, file: string): { blobs: string[]; manifest: { manifests: Record<string, string>; carried: { blobs: number }; omitted: { blobs: number } } | undefined } {
  const list = spawnSync('tar', ['-tf', join(out, file)], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const names = list.stdout.trim().split('\n');
  const index = JSON.parse(spawnSync('tar', ['-xOf', join(out, file), names[0]!], { encoding: 'utf8' }).stdout) as PartIndex;
  const seqManifest = names.find((n) => /^gantry\/archive-seq\d+\.json$/.test(n));
  const manifest = seqManifest ? JSON.parse(spawnSync('tar', ['-xOf', join(out, file), seqManifest], { encoding: 'utf8' }).stdout) : undefined;
  return { blobs: index.members.map((m) => m.name).filter((n) => n.startsWith('blobs/')), manifest };
}

async function sequence(out: string, seq: number) {
  const files = (await readdir(out)).filter((f) => f.startsWith(`mirror_seq${seq}_`)).sort();
  assert.ok(files.length > 0, `sequence ${seq} written`);
  const parts = files.map((f) => archiveMembers(out, f));
  return { files, blobs: new Set(parts.flatMap((p) => p.blobs)), manifest: parts.find((p) => p.manifest)!.manifest! };
}

test('mirror release/mirror to disk, then a z-stream: the second archive carries only new blobs; disk to mirror pushes both sequences', async () => {
  const out = join(dir.path, 'archive');
  const first = await mirror(['-c', await isc('z0.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.0}']), `file://${out}`]);
  assert.equal(first.code, 0, first.stderr);
  const s1 = await sequence(out, 1);
  const second = await mirror(['-c', await isc('z1.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.1}']), `file://${out}`]);
  assert.equal(second.code, 0, second.stderr);
  const s2 = await sequence(out, 2);
  // Manifests are carried again (each sequence describes the whole set); no other blob of sequence 1 is.
  const again = [...s2.blobs].filter((b) => s1.blobs.has(b));
  const manifestBlobs = new Set(Object.keys(s2.manifest.manifests).map((d) => `blobs/${d.replace(':', '/')}`));
  assert.deepEqual(again.filter((b) => !manifestBlobs.has(b)), [], 'no layer or config of 4.16.0 again');
  assert.ok(s2.manifest.omitted.blobs > 0, 'the shared components were left out');
  // The new release image and the components that changed in 4.16.1 are in it.
  assert.ok(s2.blobs.has(`blobs/sha256/${r1.digest.slice(7)}`));
  for (const i of [0, 3, 6, 9]) assert.ok(s2.blobs.has(`blobs/sha256/${digestOf(r1.components[componentName(i)]!).slice(7)}`), componentName(i));

  // The disconnected side: sequence 1, then sequence 2, into an empty registry.
  const dst = await startRegistry();
  try {
    const site = join(dir.path, 'site');
    spawnSync('mkdir', ['-p', site]);
    for (const f of s1.files) spawnSync('cp', [join(out, f), site]);
    const d1 = await runGantry(['mirror', '--from', `file://${site}`, `docker://${dst.host}/ocp`, ...NO_TLS, '--plain'], { env: NO_PROXY_ENV });
    assert.equal(d1.code, 0, d1.stderr);
    for (const f of s2.files) spawnSync('cp', [join(out, f), site]);
    const d2 = await runGantry(['mirror', '--from', `file://${site}`, `docker://${dst.host}/ocp`, ...NO_TLS, '--plain'], { env: NO_PROXY_ENV });
    assert.equal(d2.code, 0, d2.stderr);
    const sk = (ref: string) => skopeoInspectDigest(`docker://${dst.host}/ocp/openshift/${ref}`, ['--tls-verify=false']);
    assert.equal(await sk('release-images:4.16.0-x86_64'), r0.digest);
    assert.equal(await sk('release-images:4.16.1-x86_64'), r1.digest);
    for (const [name, ref] of sorted(r1)) assert.equal(await sk(`release:4.16.1-x86_64-${name}`), digestOf(ref), name);
    for (const [name, ref] of sorted(r0)) assert.equal(await sk(`release:4.16.0-x86_64-${name}`), digestOf(ref), name);
    const idms = await readFile(join(site, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.match(idms, /name: idms-release-0/);
    assert.ok(idms.includes(`- ${dst.host}/ocp/openshift/release-images`), idms);
    // Both sequences' releases are in the signature ConfigMap, from the archives alone.
    const cm = JSON.parse(await readFile(join(site, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as { binaryData: Record<string, string> };
    assert.deepEqual(Object.keys(cm.binaryData), [r0, r1].map((x) => `sha256-${x.digest.slice(7)}-1`).sort());
  } finally {
    await dst.stop();
  }
});

test('mirror release/bad input: a version not in the graph, an unreachable update service, not a release image — nothing claimed complete', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'bad');
    const missing = await mirror(['-c', await isc('bad1.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.9, shortestPath: true}']), `docker://${dst.host}/m`, '--workspace', ws]);
    assertCleanError(missing, 'RELEASE_VERSION_NOT_FOUND', ['stable-4.16', '4.16.9']);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await mirror(['-c', await isc('bad2.yaml', ['channels:', '- name: stable-4.16']), `file://${join(dir.path, 'bad-archive')}`], `http://127.0.0.1:${port}/graph`);
    assertCleanError(down, 'UPDATE_SERVICE_ERROR', ['stable-4.16']);
    assert.deepEqual((await readdir(join(dir.path, 'bad-archive')).catch(() => [])).filter((f) => f.endsWith('.tar')), [], 'no archive written');
    const plain = await mirror(['-c', await isc('bad3.yaml', [`release: ${src.host}/tools/plain:v1`]), `docker://${dst.host}/m`, '--workspace', ws]);
    assertCleanError(plain, 'RELEASE_INVALID', [`${src.host}/tools/plain`, 'image-references']);
    const files = await readdir(ws).catch(() => [] as string[]);
    assert.ok(!files.includes('cluster-resources'), `no cluster resources claim a mirror: ${files.join()}`);
    const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories, []);
  } finally {
    await dst.stop();
  }
});
