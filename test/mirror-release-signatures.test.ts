// Release signatures in `gantry mirror`, through bin/gantry.js against a real registry, the fake update service and
// the fake signature store: verified before copying (m2m writes the ConfigMap, accumulated across runs), carried in
// archives (d2m with the store stopped still writes it, re-verifies with --key), a release signed by another key
// refused with nothing copied, --ignore-release-signature, an unreachable store and a missing key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { makeSigningKey, signRelease, startSignatureStore, type FakeSignatureStore } from '../src/testing/signature-store.js';
import { startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';

const ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '', OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let svc: FakeUpdateService;
let store: FakeSignatureStore;
let dir: { path: string; remove(): Promise<void> };
let a: FixtureRelease;
let b: FixtureRelease;
let bad: FixtureRelease;
let keyFile: string;
let strangerFile: string;
const sigs = new Map<string, Uint8Array>();

before(async () => {
  [src, dir, store] = await Promise.all([startRegistry(), tempDir('release-sigs'), startSignatureStore()]);
  [a, b, bad] = (await seedReleases(src.url, [
    { version: '4.17.0', arch: 'amd64', components: 2 },
    { version: '4.17.1', arch: 'amd64', components: 2, changeEvery: 1 },
    { version: '4.17.2', arch: 'amd64', components: 2, changeEvery: 2 },
  ])) as [FixtureRelease, FixtureRelease, FixtureRelease];
  svc = await startUpdateService({ amd64: { 'stable-4.17': releaseGraph([a, b, bad]) } });
  const [key, stranger] = await Promise.all([makeSigningKey(), makeSigningKey('not the release key')]);
  keyFile = join(dir.path, 'release-key.asc');
  strangerFile = join(dir.path, 'stranger.asc');
  await Promise.all([writeFile(keyFile, key.publicKey), writeFile(strangerFile, stranger.publicKey)]);
  for (const r of [a, b]) {
    sigs.set(r.digest, await signRelease(key, r.digest, r.tagged));
    store.put(r.digest, [sigs.get(r.digest)!]);
  }
  // 4.17.2 is signed, but not by the release key.
  store.put(bad.digest, [await signRelease(stranger, bad.digest, bad.tagged)]);
});
after(async () => {
  await Promise.all([src?.stop(), svc?.close(), store?.close()]);
  await dir?.remove();
});

const isc = (name: string, min: string, max: string) => writePlatformIsc(dir.path, name, ['channels:', `- {name: stable-4.17, minVersion: ${min}, maxVersion: ${max}}`]);

const mirror = (args: string[], env: NodeJS.ProcessEnv = {}) => runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', svc.url, ...args], { env: { ...ENV, ...env } });
const keyOf = (r: FixtureRelease) => `sha256-${r.digest.slice(7)}-1`;
const repositories = async (reg: RunningRegistry) => ((await (await fetch(`${reg.url}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;

interface ConfigMap {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  binaryData: Record<string, string>;
}
const readConfigMap = async (ws: string) => JSON.parse(await readFile(join(ws, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as ConfigMap;

function assertCleanError(r: { code: number | null; stderr: string }, code: string, mentions: string[]): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  for (const m of mentions) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
}

test('release signatures/mirror to mirror: verified before copying; the ConfigMap (keys, binaryData) and policy example written, accumulated over runs', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'm2m');
    const first = await mirror(['-c', await isc('a.yaml', '4.17.0', '4.17.0'), `docker://${dst.host}/ocp`, '--workspace', ws, '--signature-url', store.url, '--key', keyFile]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /release 4\.17\.0 \(amd64\): 1 signature verified \(key [0-9a-f]{16}\)/);
    assert.ok(store.requests.includes(`/signatures/${a.digest.replace(':', '=')}/signature-1`), 'fetched from the store given');
    const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8')) as { releases: { version: string; signatures: { verified: number; keyIds: string[]; fingerprints: string[]; store: string } }[] };
    const s = plan.releases[0]!.signatures;
    assert.equal(s.verified, 1);
    assert.match(s.keyIds[0]!, /^[0-9a-f]{16}$/);
    assert.match(s.fingerprints[0]!, /^[0-9a-f]{40,64}$/);
    assert.ok(s.fingerprints[0]!.endsWith(s.keyIds[0]!), 'the key ID is the fingerprint tail (v4 keys)');
    assert.equal(s.store, store.url);
    let cm = await readConfigMap(ws);
    assert.deepEqual([cm.metadata.name, cm.metadata.namespace, cm.metadata.labels], ['mirrored-release-signatures', 'openshift-config-managed', { 'release.openshift.io/verification-signatures': '' }]);
    assert.deepEqual(Object.keys(cm.binaryData), [keyOf(a)]);
    assert.deepEqual(Buffer.from(cm.binaryData[keyOf(a)]!, 'base64'), Buffer.from(sigs.get(a.digest)!), 'the signature bytes as served');
    const files = await readdir(join(ws, 'cluster-resources'));
    for (const f of ['signature-configmap.yaml', 'cluster-image-policy-example.yaml', 'idms-oc-mirror.yaml']) assert.ok(files.includes(f), `${f} in ${files.join()}`);
    assert.match(await readFile(join(ws, 'cluster-resources', 'signature-configmap.yaml'), 'utf8'), /release\.openshift\.io\/verification-signatures: ""/);
    assert.match(await readFile(join(ws, 'cluster-resources', 'cluster-image-policy-example.yaml'), 'utf8'), /kind: ClusterImagePolicy/);

    // A second run to the same destination adds its release; the first stays (as the IDMS entries do).
    const second = await mirror(['-c', await isc('b.yaml', '4.17.1', '4.17.1'), `docker://${dst.host}/ocp`, '--workspace', ws, '--signature-url', store.url, '--key', keyFile]);
    assert.equal(second.code, 0, second.stderr);
    cm = await readConfigMap(ws);
    assert.deepEqual(Object.keys(cm.binaryData), [keyOf(a), keyOf(b)].sort());

    // A dry run verifies too, and plan.json says so; the key comes from OCP_SIGNATURE_VERIFICATION_PK, the store from OCP_SIGNATURE_URL.
    const dry = await mirror(['-c', await isc('b.yaml', '4.17.1', '4.17.1'), `docker://${dst.host}/ocp`, '--workspace', join(dir.path, 'dry'), '--dry-run'], { OCP_SIGNATURE_URL: store.url, OCP_SIGNATURE_VERIFICATION_PK: keyFile });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /release 4\.17\.1 \(amd64\): 1 signature verified/);
    const dplan = JSON.parse(await readFile(join(dir.path, 'dry', 'plan.json'), 'utf8')) as { releases: { signatures: { verified: number } }[] };
    assert.equal(dplan.releases[0]!.signatures.verified, 1);
  } finally {
    await dst.stop();
  }
});

test('release signatures/a release signed by another key is refused, nothing copied; --ignore-release-signature mirrors it and says so', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'refused');
    const config = await isc('bad.yaml', '4.17.1', '4.17.2');
    const r = await mirror(['-c', config, `docker://${dst.host}/ocp`, '--workspace', ws, '--signature-url', store.url, '--key', keyFile]);
    assertCleanError(r, 'SIGNATURE_INVALID', ['4.17.2', 'amd64', bad.digest, 'nothing was copied']);
    assert.ok(!r.stderr.includes(`4.17.1 (amd64, ${b.digest})`), 'only the release that fails is named');
    assert.deepEqual(await repositories(dst), [], 'nothing copied, not even the release that verifies');
    const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8')) as { releases: { version: string; signatures: { failed?: string; verified?: number } }[] };
    assert.equal(plan.releases.find((x) => x.version === '4.17.2')!.signatures.failed !== undefined, true);
    assert.equal(plan.releases.find((x) => x.version === '4.17.1')!.signatures.verified, 1);
    assert.ok(!(await readdir(ws)).includes('cluster-resources'));

    // Mirror to disk refuses it the same way: no archive.
    const out = join(dir.path, 'refused-archive');
    const d = await mirror(['-c', config, `file://${out}`, '--signature-url', store.url, '--key', keyFile]);
    assertCleanError(d, 'SIGNATURE_INVALID', ['4.17.2', bad.digest]);
    assert.deepEqual((await readdir(out)).filter((f) => f.endsWith('.tar')), []);

    // The user says so: mirrored unchecked, the output says it was skipped, no ConfigMap claims signatures.
    const before = store.requests.length;
    const ws2 = join(dir.path, 'ignored');
    const ok = await mirror(['-c', await isc('bad-only.yaml', '4.17.2', '4.17.2'), `docker://${dst.host}/ocp`, '--workspace', ws2, '--signature-url', store.url, '--ignore-release-signature']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /warning: release signatures were not checked \(--ignore-release-signature\): 4\.17\.2 \(amd64\)/);
    assert.equal(store.requests.length, before, 'the store is not asked');
    const manifest = await fetch(`${dst.url}/v2/ocp/openshift/release-images/manifests/4.17.2-x86_64`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(manifest.headers.get('docker-content-digest'), bad.digest);
    const plan2 = JSON.parse(await readFile(join(ws2, 'plan.json'), 'utf8')) as { releases: { signatures: unknown }[] };
    assert.equal(plan2.releases[0]!.signatures, 'skipped');
    const files = await readdir(join(ws2, 'cluster-resources'));
    assert.ok(!files.includes('signature-configmap.json') && files.includes('cluster-image-policy-example.yaml'), files.join());

    // Through an archive: it records the release as skipped, and disk to mirror says so.
    const skippedOut = join(dir.path, 'skipped-archive');
    const m = await mirror(['-c', await isc('bad-only.yaml', '4.17.2', '4.17.2'), `file://${skippedOut}`, '--ignore-release-signature']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /--ignore-release-signature/);
    assert.deepEqual(archiveManifest(skippedOut, 1).manifest.releases, [{ version: '4.17.2', arch: 'amd64', digest: bad.digest, signatures: 'skipped' }]);
    const d2 = await mirror(['--from', `file://${skippedOut}`, `docker://${dst.host}/skipped`]);
    assert.equal(d2.code, 0, d2.stderr);
    assert.match(d2.stderr, /warning: release 4\.17\.2 \(amd64\): the archive was made with --ignore-release-signature/);
    const d3 = await mirror(['--from', `file://${skippedOut}`, `docker://${dst.host}/skipped`, '--signature-url', store.url, '--dry-run']);
    assert.equal(d3.code, 0, d3.stderr);
    assert.match(d3.stderr, /note: --signature-url is not used: disk to mirror takes the release signatures the archive carries/);
    assert.doesNotMatch(d2.stderr, /--signature-url is not used/);
    assert.ok(!(await readdir(join(skippedOut, 'cluster-resources'))).includes('signature-configmap.json'));

    // Both flags at once contradict each other: a usage error before any work.
    const both = await mirror(['-c', config, `docker://${dst.host}/ocp`, '--workspace', ws2, '--key', keyFile, '--ignore-release-signature']);
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /error\[USAGE\]: --key and --ignore-release-signature/);
  } finally {
    await dst.stop();
  }
});

test('release signatures/an unreachable store, a missing key: clear errors naming the URL or the key, nothing copied', async () => {
  const dst = await startRegistry();
  try {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/sigs/`;
    const ws = join(dir.path, 'unreachable');
    const r = await mirror(['-c', await isc('a.yaml', '4.17.0', '4.17.0'), `docker://${dst.host}/ocp`, '--workspace', ws, '--signature-url', url, '--key', keyFile, '--timeout', '5s']);
    assertCleanError(r, 'SIGNATURE_STORE_UNREACHABLE', [url, '4.17.0', a.digest]);
    assert.deepEqual(await repositories(dst), []);

    const missing = join(dir.path, 'no-such-key.asc');
    const k = await mirror(['-c', await isc('a.yaml', '4.17.0', '4.17.0'), `docker://${dst.host}/ocp`, '--workspace', ws, '--signature-url', store.url], { OCP_SIGNATURE_VERIFICATION_PK: missing });
    assertCleanError(k, 'NOT_FOUND', [missing, '--key']);
    assert.deepEqual(await repositories(dst), []);
  } finally {
    await dst.stop();
  }
});

interface ArchiveManifestJson {
  releases?: { version: string; arch: string; digest: string; signatures: { member: string; keyId: string }[] | 'skipped' }[];
}

function tarNames(file: string): string[] {
  const list = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  return list.stdout.trim().split('\n');
}

function archiveManifest(out: string, seq: number): { manifest: ArchiveManifestJson; names: string[] } {
  const files = spawnSync('sh', ['-c', `ls ${out}/mirror_seq${seq}_*.tar`], { encoding: 'utf8' }).stdout.trim().split('\n');
  const names = files.flatMap((f) => tarNames(f).map((n) => ({ f, n })));
  const m = names.find((x) => x.n === `gantry/archive-seq${seq}.json`)!;
  const manifest = JSON.parse(spawnSync('tar', ['-xOf', m.f, m.n], { encoding: 'utf8' }).stdout) as ArchiveManifestJson;
  return { manifest, names: names.map((x) => x.n) };
}

test('release signatures/mirror to disk carries them; disk to mirror with the store stopped writes the ConfigMap, incrementally, and re-verifies with --key', async () => {
  const own = await startSignatureStore();
  for (const r of [a, b]) own.put(r.digest, [sigs.get(r.digest)!]);
  const out = join(dir.path, 'archive');
  const args = ['--signature-url', own.url, '--key', keyFile];
  try {
    const m1 = await mirror(['-c', await isc('a.yaml', '4.17.0', '4.17.0'), `file://${out}`, ...args]);
    assert.equal(m1.code, 0, m1.stderr);
    const m2 = await mirror(['-c', await isc('ab.yaml', '4.17.0', '4.17.1'), `file://${out}`, ...args]);
    assert.equal(m2.code, 0, m2.stderr);
  } finally {
    await own.close();
  }
  // The archive lists its releases and their signature members; each sequence carries every release it lists.
  const s1 = archiveManifest(out, 1);
  assert.deepEqual(s1.manifest.releases?.map((r) => [r.version, r.arch, r.digest]), [['4.17.0', 'amd64', a.digest]]);
  const s2 = archiveManifest(out, 2);
  assert.deepEqual(s2.manifest.releases?.map((r) => r.version).sort(), ['4.17.0', '4.17.1']);
  for (const r of s2.manifest.releases!) {
    assert.ok(Array.isArray(r.signatures));
    const member = (r.signatures as { member: string }[])[0]!.member;
    assert.equal(member, `gantry/signatures/sha256-${r.digest.slice(7)}-1`);
    assert.ok(s2.names.includes(member), `${member} carried again in sequence 2`);
  }

  // The disconnected side: the store is closed; sequence 1 then sequence 2.
  const dst = await startRegistry();
  try {
    const site = join(dir.path, 'site');
    await mkdir(site, { recursive: true });
    const copy = (seq: number) => spawnSync('sh', ['-c', `cp ${out}/mirror_seq${seq}_*.tar ${site}/`]);
    copy(1);
    const d1 = await mirror(['--from', `file://${site}`, `docker://${dst.host}/ocp`]);
    assert.equal(d1.code, 0, d1.stderr);
    assert.match(d1.stderr, /release 4\.17\.0 \(amd64\): 1 signature from the archive, as verified when the archive was made/);
    assert.deepEqual(Object.keys((await readConfigMap(site)).binaryData), [keyOf(a)]);
    assert.deepEqual(Buffer.from((await readConfigMap(site)).binaryData[keyOf(a)]!, 'base64'), Buffer.from(sigs.get(a.digest)!));
    assert.ok((await readdir(join(site, 'cluster-resources'))).includes('cluster-image-policy-example.yaml'));
    copy(2);
    const d2 = await mirror(['--from', `file://${site}`, `docker://${dst.host}/ocp`, '--key', keyFile]);
    assert.equal(d2.code, 0, d2.stderr);
    assert.match(d2.stderr, /release 4\.17\.1 \(amd64\): 1 signature from the archive, verified again with the key/);
    assert.deepEqual(Object.keys((await readConfigMap(site)).binaryData), [keyOf(a), keyOf(b)].sort());

    // Another key: refused before anything is pushed.
    const dst2 = await startRegistry();
    try {
      const wrong = await mirror(['--from', `file://${site}`, `docker://${dst2.host}/ocp`, '--key', strangerFile]);
      assertCleanError(wrong, 'SIGNATURE_INVALID', ['4.17.', 'nothing was pushed']);
      assert.deepEqual(await repositories(dst2), []);
    } finally {
      await dst2.stop();
    }
  } finally {
    await dst.stop();
  }
});
