// platform.graph through `gantry mirror` against real local registries and the fake update service serving a
// graph-data tar.gz: mirror to mirror pushes <dest>/openshift/graph-image:latest (skopeo and umoci read it back: the
// files under /var/lib/cincinnati-graph-data, the copy command, the base's layers) and writes updateService.yaml;
// mirror to disk then disk to mirror with the update service and the base's registry stopped; bad graph data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildFilesImage, releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { descriptorOf, makeBlob, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { MediaType } from '../src/oci/media-types.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { runSkopeo, skopeoInspectDigest } from '../src/testing/tools.js';
import { graphDataTarball, SAMPLE_GRAPH_DATA, startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const CMD = ['/bin/sh', '-c', 'exec cp -rp /var/lib/cincinnati-graph-data/* /var/lib/cincinnati/graph-data'];
let src: RunningRegistry;
let svc: FakeUpdateService;
let dir: { path: string; remove(): Promise<void> };
let r0: FixtureRelease;
let graphData: Uint8Array;
let base: TestImage;

/** A tiny synthetic base with an ENTRYPOINT of its own (the graph image must clear it) and a file in a layer. */
async function syntheticBase(): Promise<TestImage> {
  const img = await buildFilesImage({ seed: 'graph-base', layers: [{ 'bin/sh': '#!not a real shell\n', 'etc/os-release': 'ID=synthetic\n' }] });
  const config = JSON.parse(img.config.bytes.toString('utf8'));
  config.config = { Entrypoint: ['/bin/base-entry'], Env: ['PATH=/usr/bin:/bin'] };
  const configBlob = makeBlob(Buffer.from(JSON.stringify(config)), MediaType.ociConfig);
  const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: descriptorOf(configBlob), layers: img.layers.map((l) => descriptorOf(l)) };
  return { ...img, config: configBlob, manifest: makeBlob(Buffer.from(JSON.stringify(manifest)), MediaType.ociManifest) };
}

let signed: SignedReleases;

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('mirror-graph')]);
  [r0] = (await seedReleases(src.url, [{ version: '4.16.0', arch: 'amd64', components: 3 }])) as [FixtureRelease];
  base = await syntheticBase();
  await pushImageRaw(src.url, 'base/shell', 'v1', base);
  graphData = await graphDataTarball(SAMPLE_GRAPH_DATA);
  svc = await startUpdateService({ amd64: { 'stable-4.16': releaseGraph([r0]) } }, { graphData });
  signed = await startSignedStore(dir.path, [r0]);
});
after(async () => {
  await Promise.all([src?.stop(), svc?.close(), signed?.store.close()]);
  await dir?.remove();
});

const isc = (name: string) => writePlatformIsc(dir.path, name, ['graph: true', 'channels:', '- name: stable-4.16']);

const mirror = (args: string[], graphDataUrl = svc.graphDataUrl, baseImage = `${src.host}/base/shell:v1`) =>
  runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', svc.url, '--graph-data-url', graphDataUrl, '--graph-base-image', baseImage, ...signed.flags, ...args], { env: NO_PROXY_ENV });

function assertCleanError(r: { code: number | null; stderr: string }, code: string, mentions: string[]): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  for (const m of mentions) assert.ok(r.stderr.includes(m), `${r.stderr} mentions ${m}`);
}

/** Copies the image into an OCI layout with skopeo and unpacks it with umoci: the files a container would see. */
async function unpack(ref: string, into: string): Promise<{ rootfs: string; args: string[] }> {
  await mkdir(into, { recursive: true });
  await runSkopeo(['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${join(into, 'layout')}:img`]);
  const u = spawnSync('umoci', ['unpack', '--rootless', '--image', `${join(into, 'layout')}:img`, join(into, 'bundle')], { encoding: 'utf8' });
  assert.equal(u.status, 0, u.stderr);
  const runtime = JSON.parse(await readFile(join(into, 'bundle', 'config.json'), 'utf8'));
  return { rootfs: join(into, 'bundle', 'rootfs'), args: runtime.process.args };
}

async function assertGraphImage(ref: string, work: string): Promise<void> {
  const { rootfs, args } = await unpack(ref, work);
  assert.deepEqual(args, CMD, 'the copy command alone: the base ENTRYPOINT is cleared');
  for (const [name, text] of Object.entries(SAMPLE_GRAPH_DATA)) assert.equal(await readFile(join(rootfs, 'var/lib/cincinnati-graph-data', name), 'utf8'), text, name);
  assert.equal(await readFile(join(rootfs, 'etc/os-release'), 'utf8'), 'ID=synthetic\n', 'the base layers are there');
}

async function updateService(ws: string): Promise<{ apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> }> {
  return parse(await readFile(join(ws, 'cluster-resources', 'updateService.yaml'), 'utf8'));
}

test('mirror graph/dry run names the graph image and fetches no graph data; mirror to mirror pushes it, updateService.yaml points at it', async () => {
  const dst = await startRegistry();
  try {
    const config = await isc('graph.yaml');
    const ws = join(dir.path, 'm2m');
    const dry = await mirror(['-c', config, `docker://${dst.host}/mirror`, '--dry-run', '--workspace', join(dir.path, 'm2m-dry')]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.doesNotMatch(dry.stderr, /RELEASES_NOT_SUPPORTED|not built yet/);
    assert.ok(dry.stderr.includes(`graph image: built from ${svc.graphDataUrl} on ${src.host}/base/shell:v1 → ${dst.host}/mirror/openshift/graph-image:latest, with updateService.yaml`), dry.stderr);
    const plan = JSON.parse(await readFile(join(dir.path, 'm2m-dry', 'plan.json'), 'utf8'));
    assert.deepEqual(plan.graphImage, { graphData: svc.graphDataUrl, base: `${src.host}/base/shell:v1`, destination: `${dst.host}/mirror/openshift/graph-image:latest`, name: 'openshift/graph-image:latest' });
    assert.equal(svc.graphDataRequests, 0, 'a dry run fetches no graph data');

    const r = await mirror(['-c', config, `docker://${dst.host}/mirror`, '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(svc.graphDataRequests, 1);
    const ref = `${dst.host}/mirror/openshift/graph-image:latest`;
    const digest = await skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
    assert.ok(r.stderr.includes(`graph image: built (${Object.keys(SAMPLE_GRAPH_DATA).length} graph-data files) as ${ref} ${digest}`), r.stderr);
    await assertGraphImage(ref, join(dir.path, 'm2m-unpack'));

    const us = await updateService(ws);
    assert.equal(us.apiVersion, 'updateservice.operator.openshift.io/v1');
    assert.equal(us.kind, 'UpdateService');
    assert.deepEqual([us.metadata.name, us.metadata.namespace], ['update-service-oc-mirror', 'openshift-update-service']);
    assert.deepEqual(us.spec, { replicas: 2, releases: `${dst.host}/mirror/openshift/release-images`, graphDataImage: ref });
    // As oc-mirror: the graph image is named by the UpdateService, not mirrored from anywhere.
    const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.match(idms, /idms-release-0/);
    assert.doesNotMatch(idms, /graph-image/);
    assert.doesNotMatch(await readFile(join(ws, 'mapping.txt'), 'utf8'), /graph-image/);
    // The same graph data again gives the same image.
    const again = await mirror(['-c', config, `docker://${dst.host}/mirror`, '--workspace', ws]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']), digest);
  } finally {
    await dst.stop();
  }
});

test('mirror graph/mirror to disk carries the graph image and its base; disk to mirror pushes it with the update service and the base registry stopped', async () => {
  // A registry and an update service of this test's own, stopped before disk to mirror.
  const [baseReg, ownSvc] = await Promise.all([startRegistry(), startUpdateService({ amd64: { 'stable-4.16': releaseGraph([r0]) } }, { graphData })]);
  let baseStopped = false;
  let svcStopped = false;
  const dst = await startRegistry();
  try {
    await pushImageRaw(baseReg.url, 'ubi9/ubi', 'latest', base);
    const out = join(dir.path, 'archive');
    const args = ['mirror', ...NO_TLS, '--plain', '--update-url', ownSvc.url, '--graph-data-url', ownSvc.graphDataUrl, '--graph-base-image', `${baseReg.host}/ubi9/ubi:latest`, ...signed.flags, '-c', await isc('m2d.yaml')];
    const dry = await runGantry([...args, `file://${join(dir.path, 'archive-dry')}`, '--dry-run'], { env: NO_PROXY_ENV });
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(dry.stderr.includes(`graph image: built from ${ownSvc.graphDataUrl} on ${baseReg.host}/ubi9/ubi:latest → openshift/graph-image:latest (named when the archive is pushed), with updateService.yaml`), dry.stderr);
    assert.equal(ownSvc.graphDataRequests, 0, 'a dry run fetches no graph data');
    const m2d = await runGantry([...args, `file://${out}`], { env: NO_PROXY_ENV });
    assert.equal(m2d.code, 0, m2d.stderr);
    assert.ok((await readdir(out)).some((f) => /^mirror_seq1_\d{6}\.tar$/.test(f)));
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8'));
    assert.equal(plan.graphImage.destination, `file://${out}/gantry-graph/openshift/graph-image:latest`);
    await Promise.all([baseReg.stop(), ownSvc.close()]);
    baseStopped = svcStopped = true;

    const d2m = await runGantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/ocp`, ...NO_TLS, '--plain'], { env: NO_PROXY_ENV });
    assert.equal(d2m.code, 0, d2m.stderr);
    const ref = `${dst.host}/ocp/openshift/graph-image:latest`;
    await assertGraphImage(ref, join(dir.path, 'd2m-unpack'));
    const us = await updateService(out);
    assert.deepEqual(us.spec, { replicas: 2, releases: `${dst.host}/ocp/openshift/release-images`, graphDataImage: ref });
    assert.equal(await skopeoInspectDigest(`docker://${dst.host}/ocp/openshift/release-images:4.16.0-x86_64`, ['--tls-verify=false']), r0.digest);
  } finally {
    await Promise.all([dst.stop(), baseStopped ? undefined : baseReg.stop(), svcStopped ? undefined : ownSvc.close()]);
  }
});

test('mirror graph/bad input: an unreachable graph-data URL, a file that is not gzip, gzip that is not tar — named, nothing copied or claimed complete', async () => {
  const dst = await startRegistry();
  try {
    const config = await isc('bad.yaml');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/api/upgrades_info/graph-data`;
    const ws = join(dir.path, 'bad-ws');
    const down = await mirror(['-c', config, `docker://${dst.host}/m`, '--workspace', ws], url);
    assertCleanError(down, 'GRAPH_DATA_UNREACHABLE', [url]);
    const archive = join(dir.path, 'bad-archive');
    const downDisk = await mirror(['-c', config, `file://${archive}`], url);
    assertCleanError(downDisk, 'GRAPH_DATA_UNREACHABLE', [url]);
    assert.deepEqual((await readdir(archive).catch(() => [] as string[])).filter((f) => f.endsWith('.tar')), [], 'no archive written');

    await mkdir(join(dir.path, 'files'), { recursive: true });
    const html = join(dir.path, 'files', 'graph-data.html');
    await writeFile(html, '<html>502 Bad Gateway</html>');
    const notGzip = await mirror(['-c', config, `docker://${dst.host}/m`, '--workspace', ws], `file://${html}`);
    assertCleanError(notGzip, 'GRAPH_DATA_INVALID', [html, 'not gzip']);
    const plainGz = join(dir.path, 'files', 'notes.gz');
    await writeFile(plainGz, gzipSync(Buffer.from('just some text, not a tar archive\n'.repeat(40))));
    const notTar = await mirror(['-c', config, `docker://${dst.host}/m`, '--workspace', ws], plainGz);
    assertCleanError(notTar, 'GRAPH_DATA_INVALID', [plainGz]);

    const files = await readdir(ws).catch(() => [] as string[]);
    assert.ok(!files.includes('cluster-resources'), `no cluster resources claim a mirror: ${files.join()}`);
    const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories, [], 'nothing copied');
  } finally {
    await dst.stop();
  }
});
