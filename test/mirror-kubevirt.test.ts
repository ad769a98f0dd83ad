// platform.kubeVirtContainer and platform.architectures through `gantry mirror` and `gantry release info` against
// real local registries and the fake update service: the KubeVirt container of each release (from the payload's
// coreos-bootimages ConfigMap) mirrored by digest with oc-mirror's names, in m2m and m2d → d2m; per-arch graphs
// for amd64 + arm64 with matching tags (and a graph that lists another architecture's payload, warned about); a release
// without one warned about by name; a malformed stream refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { skopeoInspectDigest } from '../src/testing/tools.js';
import { startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const BOOTIMAGES = 'release-manifests/0000_50_installer_coreos-bootimages.yaml';
let src: RunningRegistry;
/** The destination of dry runs (a dry run checks what the destination already has; nothing is pushed to it). */
let dry: RunningRegistry;
let svc: FakeUpdateService;
let dir: { path: string; remove(): Promise<void> };
let amd: FixtureRelease;
let arm: FixtureRelease;
let multi: FixtureRelease;
let bare: FixtureRelease;
let broken: FixtureRelease;
let signed: SignedReleases;

before(async () => {
  [src, dry, dir] = await Promise.all([startRegistry(), startRegistry(), tempDir('mirror-kubevirt')]);
  const seeded = await seedReleases(src.url, [
    // As real 4.16 streams: x86_64 and s390x carry a KubeVirt container, aarch64 does not.
    { version: '4.16.1', arch: 'amd64', components: 4, kubeVirt: ['x86_64', 's390x'] },
    { version: '4.16.1', arch: 'arm64', components: 4, kubeVirt: ['x86_64', 's390x'] },
    // A multi-arch payload of amd64 and arm64 whose stream has both, to see one image per architecture.
    { version: '4.16.1', arch: 'multi', components: 3, kubeVirt: ['x86_64', 'aarch64'], changeEvery: 1 },
    { version: '4.16.0', arch: 'amd64', components: 4 },
    { version: '4.16.9', arch: 'amd64', components: 2, kubeVirt: 'malformed' },
  ]);
  [amd, arm, multi, bare, broken] = seeded as [FixtureRelease, FixtureRelease, FixtureRelease, FixtureRelease, FixtureRelease];
  signed = await startSignedStore(dir.path, seeded);
  svc = await startUpdateService({
    amd64: { 'stable-4.16': releaseGraph([bare, amd]) },
    arm64: { 'stable-4.16': releaseGraph([arm]) },
    multi: { 'stable-4.16': releaseGraph([multi]) },
    // A graph that lists an amd64 payload for s390x: named as the graph says, and said.
    s390x: { 'stable-4.16': releaseGraph([amd]) },
  });
});
after(async () => {
  await Promise.all([src?.stop(), dry?.stop(), svc?.close(), signed?.store.close()]);
  await dir?.remove();
});

const isc = (name: string, platform: string[]) => writePlatformIsc(dir.path, name, platform);

const mirror = (args: string[]) => runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', svc.url, ...signed.flags, ...args], { env: NO_PROXY_ENV });
const sk = (ref: string) => skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
const digestOf = (ref: string) => ref.slice(ref.indexOf('@') + 1);

test('kubevirt/dry run: platform.release with kubeVirtContainer plans the payload\'s KubeVirt container with its reason; no "not supported" warning', async () => {
  const ws = join(dir.path, 'dry');
  const r = await mirror(['-c', await isc('dry.yaml', [`release: ${amd.tagged}`, 'kubeVirtContainer: true']), `docker://${dry.host}/ocp`, '--dry-run', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /RELEASES_NOT_SUPPORTED|kubeVirtContainer.*not mirrored yet/);
  assert.ok(r.stderr.includes(`  4.16.1  amd64  -  platform.release  ${amd.payload}  (4 components + 1 KubeVirt container (x86_64) → openshift/release-images:4.16.1-x86_64)`), r.stderr);
  assert.match(r.stderr, /releases: 1 selected by mirror\.platform, 6 images/);
  const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
  assert.ok(mapping.includes(`docker://${amd.kubeVirt!.x86_64}=docker://${dry.host}/ocp/openshift/release:4.16.1-x86_64-kube-virt-container`), mapping.join('\n'));
  assert.ok(!mapping.some((l) => l.includes(digestOf(amd.kubeVirt!.s390x!))), 'only the release\'s own architecture');
  const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8'));
  assert.deepEqual(plan.releases[0].kubeVirtContainer, [{ arch: 'x86_64', image: amd.kubeVirt!.x86_64, tag: '4.16.1-x86_64-kube-virt-container' }]);
  const kv = plan.images.find((i: { destination: string }) => i.destination.endsWith(':4.16.1-x86_64-kube-virt-container'));
  assert.equal(kv.kind, 'release');
  assert.deepEqual(kv.reasons, [{ release: '4.16.1', arch: 'amd64', selected: 'release', component: 'kube-virt-container', kubeVirt: { arch: 'x86_64', rhcos: '416.94.202406-0' } }]);

  // Without the flag the same release plans no KubeVirt container.
  const off = await mirror(['-c', await isc('off.yaml', [`release: ${amd.tagged}`]), `docker://${dry.host}/ocp`, '--dry-run', '--workspace', join(dir.path, 'off')]);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stderr, /releases: 1 selected by mirror\.platform, 5 images/);
  assert.doesNotMatch(off.stderr, /KubeVirt/);
});

test('kubevirt/architectures [amd64, arm64, multi]: each graph read with Cincinnati\'s arch names, tags with the kernel\'s; multi gets one KubeVirt container per architecture; arm64 without one is a warning naming the release', async () => {
  const before = svc.requests.length;
  const ws = join(dir.path, 'archs');
  const config = await isc('archs.yaml', ['architectures: [amd64, arm64, multi]', 'kubeVirtContainer: true', 'channels:', '- name: stable-4.16']);
  const r = await mirror(['-c', config, `docker://${dry.host}/ocp`, '--dry-run', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(svc.requests.slice(before).map((q) => `${q.arch}/${q.channel}`).sort(), ['amd64/stable-4.16', 'arm64/stable-4.16', 'multi/stable-4.16']);
  const lines = r.stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('releases: 3 selected'));
  assert.ok(at >= 0, r.stderr);
  assert.deepEqual(lines.slice(at + 1, at + 4), [
    `  4.16.1  amd64  stable-4.16  head  ${amd.payload}  (4 components + 1 KubeVirt container (x86_64) → openshift/release-images:4.16.1-x86_64)`,
    `  4.16.1  arm64  stable-4.16  head  ${arm.payload}  (4 components → openshift/release-images:4.16.1-aarch64)`,
    `  4.16.1  multi  stable-4.16  head  ${multi.payload}  (3 components + 2 KubeVirt containers (x86_64, aarch64) → openshift/release-images:4.16.1-multi)`,
  ]);
  const warning = lines.find((l) => l.includes('platform.kubeVirtContainer is set but'));
  assert.ok(warning?.startsWith('warning: '), r.stderr);
  assert.ok(warning!.includes('release 4.16.1 (arm64, channel stable-4.16)') && warning!.includes('no KubeVirt image for aarch64'), warning);
  const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
  for (const arch of ['x86_64', 'aarch64']) {
    assert.ok(mapping.includes(`docker://${multi.kubeVirt![arch]}=docker://${dry.host}/ocp/openshift/release:4.16.1-multi-kube-virt-container-${arch}`), arch);
  }
  assert.ok(mapping.includes(`docker://${arm.payload}=docker://${dry.host}/ocp/openshift/release-images:4.16.1-aarch64`), mapping.join('\n'));
});

test('kubevirt/mirror to mirror: skopeo reads the KubeVirt container at its oc-mirror name with the same digest; the IDMS covers its source', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'm2m');
    const r = await mirror(['-c', await isc('m2m.yaml', [`release: ${amd.tagged}`, 'kubeVirtContainer: true']), `docker://${dst.host}/ocp`, '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    const at = `${dst.host}/ocp/openshift`;
    assert.equal(await sk(`${at}/release:4.16.1-x86_64-kube-virt-container`), digestOf(amd.kubeVirt!.x86_64!));
    assert.equal(await sk(`${at}/release-images:4.16.1-x86_64`), amd.digest);
    const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.ok(idms.includes(`source: ${src.host}/openshift-release-dev/ocp-v4.0-art-dev`) && idms.includes(`- ${at}/release\n`), idms);
  } finally {
    await dst.stop();
  }
});

test('kubevirt/mirror to disk, then disk to mirror: the archive carries the KubeVirt container and the disconnected side pushes it', async () => {
  const out = join(dir.path, 'archive');
  const m2d = await mirror(['-c', await isc('m2d.yaml', ['architectures: [multi]', 'kubeVirtContainer: true', 'channels:', '- name: stable-4.16']), `file://${out}`]);
  assert.equal(m2d.code, 0, m2d.stderr);
  assert.ok((await readdir(out)).some((f) => /^mirror_seq1_.*\.tar$/.test(f)));
  const dst = await startRegistry();
  try {
    const d2m = await runGantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/ocp`, ...NO_TLS, '--plain'], { env: NO_PROXY_ENV });
    assert.equal(d2m.code, 0, d2m.stderr);
    for (const arch of ['x86_64', 'aarch64']) {
      assert.equal(await sk(`${dst.host}/ocp/openshift/release:4.16.1-multi-kube-virt-container-${arch}`), digestOf(multi.kubeVirt![arch]!), arch);
    }
    assert.equal(await sk(`${dst.host}/ocp/openshift/release-images:4.16.1-multi`), multi.digest, 'the multi-arch payload is kept whole');
  } finally {
    await dst.stop();
  }
});

test('kubevirt/a payload without the ConfigMap is a warning naming the release; a malformed stream is error[RELEASE_INVALID] naming the release and the file, nothing copied', async () => {
  const noCm = await mirror(['-c', await isc('nocm.yaml', [`release: ${bare.tagged}`, 'kubeVirtContainer: true']), `docker://${dry.host}/ocp`, '--dry-run', '--workspace', join(dir.path, 'nocm')]);
  assert.equal(noCm.code, 0, noCm.stderr);
  const w = noCm.stderr.split('\n').find((l) => l.includes('platform.kubeVirtContainer is set but'));
  assert.ok(w?.startsWith('warning: ') && w.includes(bare.tagged) && w.includes(`has no ${BOOTIMAGES}`), noCm.stderr);

  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'broken');
    const r = await mirror(['-c', await isc('broken.yaml', [`release: ${broken.tagged}`, 'kubeVirtContainer: true']), `docker://${dst.host}/ocp`, '--workspace', ws]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[RELEASE_INVALID\]/);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    for (const m of ['4.16.9', broken.tagged, BOOTIMAGES, 'data.stream is not JSON']) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
    const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories, [], 'nothing copied');
    const files = await readdir(ws).catch(() => [] as string[]);
    assert.ok(!files.includes('cluster-resources'), files.join());
  } finally {
    await dst.stop();
  }
});

test('kubevirt/release info: the KubeVirt container of the shown architecture in text and JSON; absent when the payload has none; a malformed stream is a warning', async () => {
  const info = (args: string[]) => runGantry(['release', 'info', '--tls-verify=false', ...args]);
  const json = await info(['-o', 'json', amd.tagged]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).kubeVirtContainer, amd.kubeVirt!.x86_64);
  const text = await info([amd.tagged]);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.split('\n').includes(`  KubeVirt: ${amd.kubeVirt!.x86_64} (RHCOS 416.94.202406-0)`), text.stdout);
  const armArch = await info(['-o', 'json', '--arch', 'arm64', multi.tagged]);
  assert.equal(armArch.code, 0, armArch.stderr);
  assert.equal(JSON.parse(armArch.stdout).kubeVirtContainer, multi.kubeVirt!.aarch64, 'the shown architecture\'s');
  for (const rel of [bare, arm]) {
    const none = await info(['-o', 'json', rel.tagged]);
    assert.equal(none.code, 0, none.stderr);
    assert.equal('kubeVirtContainer' in JSON.parse(none.stdout), false, rel.tagged);
  }
  const bad = await info(['-o', 'json', broken.tagged]);
  assert.equal(bad.code, 0, bad.stderr);
  assert.equal(JSON.parse(bad.stdout).version, '4.16.9');
  assert.match(bad.stderr, /^warning: release 4\.16\.9 .*0000_50_installer_coreos-bootimages\.yaml data\.stream is not JSON.*\(RELEASE_INVALID\)$/m);
  const one = await info(['--image-for', 'cli', broken.tagged]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, `${broken.components.cli}\n`);
  assert.equal(one.stderr, '', '--image-for does not look at the ConfigMap');
});

test('kubevirt/a graph listing a payload under another architecture: RELEASE_ARCH_MISMATCH names the release and both architectures; the tag keeps the graph\'s', async () => {
  const ws = join(dir.path, 'mismatch');
  const r = await mirror(['-c', await isc('mismatch.yaml', ['architectures: [s390x]', 'channels:', '- name: stable-4.16']), `docker://${dry.host}/ocp`, '--dry-run', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  const w = r.stderr.split('\n').find((l) => l.includes('the update graph lists it for'));
  assert.ok(w?.startsWith('warning: release 4.16.1 (s390x, channel stable-4.16)') && w.includes('lists it for s390x') && w.includes(`${amd.payload} is built for amd64`), r.stderr);
  const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
  assert.ok(mapping.includes(`docker://${amd.payload}=docker://${dry.host}/ocp/openshift/release-images:4.16.1-s390x`), mapping.join('\n'));
});
