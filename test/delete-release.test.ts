// Deleting releases with `gantry delete` against real registries (deletes enabled): mirror 4.16.0 and 4.16.1 (a
// z-stream sharing most components), generate a list from a DeleteImageSetConfiguration whose delete.platform names
// 4.16.0 — from a saved graph, with the source out of reach, so the payload is read from the mirror — then delete:
// 4.16.1 reads back whole (also after the registry's garbage collection), 4.16.0's own components are gone, the
// shared ones stay, and the signature ConfigMap no longer lists 4.16.0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { runSkopeo, runTool, skopeoInspectDigest } from '../src/testing/tools.js';
import { cincinnatiJson, startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '', OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json';
let src: RunningRegistry;
let dst: RunningRegistry;
let svc: FakeUpdateService;
let signedStore: SignedReleases;
let dir: { path: string; remove(): Promise<void> };
let r0: FixtureRelease;
let r1: FixtureRelease;

interface Item {
  imageName: string;
  imageReference: string;
  tag?: string;
}

before(async () => {
  [src, dst, dir] = await Promise.all([startRegistry(), startRegistry(), tempDir('delete-release')]);
  // 4.16.1 changes components 0, 3, 6 and 9; the other six are the same images in both releases.
  [r0, r1] = (await seedReleases(src.url, [
    { version: '4.16.0', arch: 'amd64', components: 10 },
    { version: '4.16.1', arch: 'amd64', components: 10, changeEvery: 3 },
  ])) as [FixtureRelease, FixtureRelease];
  svc = await startUpdateService({ amd64: { 'stable-4.16': releaseGraph([r0, r1]) } });
  signedStore = await startSignedStore(dir.path, [r0, r1]);
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop(), svc?.close(), signedStore?.store.close()]);
  await dir?.remove();
});

const WS = () => join(dir.path, 'ws');
const AT = () => `${dst.host}/mirror/openshift`;
const digestOf = (ref: string) => ref.slice(ref.indexOf('@') + 1);
const own0 = () => Object.entries(r0.components).filter(([name, ref]) => r1.components[name] !== ref);
const shared = () => Object.entries(r0.components).filter(([name, ref]) => r1.components[name] === ref);

async function manifestStatus(repo: string, reference: string): Promise<number> {
  const res = await fetch(`${dst.url}/v2/${repo}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } });
  await res.arrayBuffer();
  return res.status;
}

async function tagsOf(repo: string): Promise<string[]> {
  const res = await fetch(`${dst.url}/v2/${repo}/tags/list`);
  const body = (await res.json()) as { tags?: string[] | null };
  return (body.tags ?? []).sort();
}

async function writeDisc(name: string, lines: string[]): Promise<string> {
  const file = join(dir.path, name);
  await writeFile(file, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: DeleteImageSetConfiguration', 'delete:', '  platform:', ...lines.map((l) => `    ${l}`), ''].join('\n'));
  return file;
}

/** The channel's graph as a disconnected site saved it, its payloads on a source that cannot be reached. */
async function savedGraph(): Promise<string> {
  const graphs = join(dir.path, 'graphs');
  await mkdir(graphs, { recursive: true });
  const away = (r: FixtureRelease) => ({ version: r.version, payload: `127.0.0.1:1/openshift-release-dev/ocp-release@${r.digest}` });
  await writeFile(join(graphs, 'amd64-stable-4.16.json'), cincinnatiJson({ releases: [away(r0), away(r1)], edges: [['4.16.0', '4.16.1']] }));
  return graphs;
}

test('delete release/mirror 4.16.0 and 4.16.1, delete 4.16.0: shared components kept, its own gone, 4.16.1 whole after GC, signatures updated', async () => {
  const isc = join(dir.path, 'isc.yaml');
  await writeFile(isc, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  platform:', '    channels:', '    - {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.1}', ''].join('\n'));
  const m = await runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', svc.url, ...signedStore.flags, '-c', isc, '--workspace', WS(), `docker://${dst.host}/mirror`], { env: NO_PROXY_ENV });
  assert.equal(m.code, 0, m.stderr);
  const cmFile = join(WS(), 'cluster-resources', 'signature-configmap.json');
  const keys = async () => Object.keys((JSON.parse(await readFile(cmFile, 'utf8')) as { binaryData: Record<string, string> }).binaryData);
  assert.deepEqual(await keys(), [r0, r1].map((r) => `sha256-${r.digest.slice(7)}-1`).sort());
  assert.equal(own0().length, 4);
  assert.equal(shared().length, 6);

  // Phase 1, disconnected: the graph from a file, the source unreachable; the payload is read from the mirror.
  const disc = await writeDisc('disc.yaml', ['channels:', '- {name: stable-4.16, minVersion: 4.16.0, maxVersion: 4.16.0}']);
  const graphs = await savedGraph();
  const gen = await runGantry(['delete', '--generate', '-c', disc, '--update-graph', graphs, '--workspace', WS(), ...NO_TLS, '-o', 'json', `docker://${dst.host}/mirror`], { env: NO_PROXY_ENV });
  assert.equal(gen.code, 0, gen.stderr);
  const out = JSON.parse(gen.stdout) as { items: Item[]; skipped: { imageName: string; destination: string; reason: string; keptBy?: string[] }[]; failed: unknown[] };
  const want: Item[] = [
    { imageName: `127.0.0.1:1/openshift-release-dev/ocp-release@${r0.digest}`, imageReference: `docker://${AT()}/release-images@${r0.digest}`, tag: '4.16.0-x86_64' },
    ...own0().map(([name, ref]) => ({ imageName: ref, imageReference: `docker://${AT()}/release@${digestOf(ref)}`, tag: `4.16.0-x86_64-${name}` })),
  ].sort((a, b) => (a.imageReference < b.imageReference ? -1 : a.imageReference > b.imageReference ? 1 : 0));
  assert.deepEqual(out.items, want);
  assert.deepEqual(out.failed, []);
  assert.deepEqual(
    out.skipped.map((s) => [s.destination, s.reason, s.keptBy]).sort(),
    shared().map(([name]) => [`docker://${AT()}/release:4.16.0-x86_64-${name}`, 'shared', [`4.16.1-x86_64-${name}`]]).sort(),
  );
  assert.match(gen.stderr, /kept: docker:\/\/\S+\/release:4\.16\.0-x86_64-\S+ \(sha256:[0-9a-f]{64}\) is also tagged 4\.16\.1-x86_64-\S+, which stays; not listed/);
  const listFile = join(WS(), 'delete', 'delete-images.yaml');
  assert.deepEqual((parse(await readFile(listFile, 'utf8')) as { items: Item[] }).items, want);
  assert.equal(await manifestStatus('mirror/openshift/release-images', r0.digest), 200, 'generating deletes nothing');

  // A layer only 4.16.0's own first component has: the garbage collection below must free it.
  const [ownName, ownRef] = own0()[0]!;
  const ownManifest = (await (await fetch(`${dst.url}/v2/mirror/openshift/release/manifests/${digestOf(ownRef)}`, { headers: { accept: MANIFEST_ACCEPT } })).json()) as { layers: { digest: string }[] };
  const ownLayer = ownManifest.layers.at(-1)!.digest;
  const blobStatus = async (digest: string) => (await fetch(`${dst.url}/v2/mirror/openshift/release/blobs/${digest}`, { method: 'HEAD' })).status;
  assert.equal(await blobStatus(ownLayer), 200, ownName);

  // Phase 2: the list as reviewed; the signature record is the workspace's the list lies in.
  const del = await runGantry(['delete', '--delete-yaml-file', listFile, ...NO_TLS, '-o', 'json', `docker://${dst.host}/mirror`], { env: NO_PROXY_ENV });
  assert.equal(del.code, 0, del.stderr);
  const done = JSON.parse(del.stdout) as { counts: Record<string, number>; releaseSignaturesRemoved: { version: string; digest: string }[] };
  assert.equal(done.counts.deleted, 5);
  assert.deepEqual(done.releaseSignaturesRemoved.map((r) => [r.version, r.digest]), [['4.16.0', r0.digest]]);
  assert.deepEqual(await keys(), [`sha256-${r1.digest.slice(7)}-1`], 'the ConfigMap lists only the release that stays');
  assert.match(await readFile(join(WS(), 'cluster-resources', 'signature-configmap.yaml'), 'utf8'), new RegExp(`sha256-${r1.digest.slice(7)}-1`));

  assert.equal(await manifestStatus('mirror/openshift/release-images', r0.digest), 404);
  assert.deepEqual(await tagsOf('mirror/openshift/release-images'), ['4.16.1-x86_64']);
  for (const [name, ref] of own0()) assert.equal(await manifestStatus('mirror/openshift/release', digestOf(ref)), 404, `4.16.0's own ${name} is gone`);
  for (const [name, ref] of shared()) assert.equal(await manifestStatus('mirror/openshift/release', digestOf(ref)), 200, `shared ${name} stays`);

  // The registry's garbage collection frees what no manifest references; 4.16.1 must still copy whole.
  const gc = await runTool('docker-registry', ['garbage-collect', dst.configFile], { timeoutMs: 60_000 });
  assert.equal(gc.code, 0, gc.stderr);
  assert.equal(await blobStatus(ownLayer), 404, `the garbage collection freed ${ownName}'s own layer`);
  const sk = (ref: string) => skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
  assert.equal(await sk(`${AT()}/release-images:4.16.1-x86_64`), r1.digest);
  const copies = join(dir.path, 'copies');
  await mkdir(copies, { recursive: true });
  await runSkopeo(['copy', '--src-tls-verify=false', `docker://${AT()}/release-images:4.16.1-x86_64`, `dir:${join(copies, 'release')}`]);
  for (const [name, ref] of Object.entries(r1.components)) {
    assert.equal(await sk(`${AT()}/release:4.16.1-x86_64-${name}`), digestOf(ref), name);
    await runSkopeo(['copy', '--src-tls-verify=false', `docker://${AT()}/release:4.16.1-x86_64-${name}`, `dir:${join(copies, name)}`]);
  }
  const info = await runGantry(['release', 'info', '--tls-verify=false', '-o', 'json', `${AT()}/release-images:4.16.1-x86_64`]);
  assert.equal(info.code, 0, info.stderr);
  assert.deepEqual(JSON.parse(info.stdout).components, r1.components);

  // Again, with 4.16.0 gone from the mirror and the source out of reach: nothing to list, said as a warning.
  const again = await runGantry(['delete', '--generate', '-c', disc, '--update-graph', graphs, '--workspace', WS(), '--delete-id', 'again', ...NO_TLS, '-o', 'json', `docker://${dst.host}/mirror`], { env: NO_PROXY_ENV });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as { items: Item[] }).items, []);
  assert.match(again.stderr, /warning: release 4\.16\.0 \(amd64, channel stable-4\.16\): not at the destination/);
});

test('delete release/--update-url and --update-graph are usage errors without --generate -c', async () => {
  const r = await runGantry(['delete', '--delete-yaml-file', join(dir.path, 'none.yaml'), '--update-url', svc.url, `docker://${dst.host}/mirror`], { env: NO_PROXY_ENV });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /error\[USAGE\]/);
});
