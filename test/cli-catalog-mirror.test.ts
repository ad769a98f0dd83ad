// gantry catalog mirror through bin/gantry.js against real registries: the whole index to a registry with oc's
// path folding, --manifests-only, the file:// round trip, --index-filter-by-os, and the manifests directory's files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { parsePlatform } from '../src/oci/platform.js';
import { PLAIN, tempDir, testSession } from './helpers.js';
import { pushDemoCatalog } from './demo-catalog.js';
import { runGantry } from './run-gantry.js';

const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json';
let src: RunningRegistry;
let dst: RunningRegistry;
let dst2: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};

before(async () => {
  [src, dst, dst2] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
  dir = await tempDir('catalog-mirror');
  for (const [name, repo, tag] of [
    ['operator', 'demo/operator', 'v1'],
    ['bundle1', 'demo/bundle', 'v1.0.0'],
    ['bundle2', 'demo/bundle', 'v1.1.0'],
  ] as const) {
    images[name] = buildImage({ seed: `catalog-mirror-${name}`, layerSizes: [5_000] });
    await pushImageRaw(src.url, repo, tag, images[name]!);
  }
  await pushDemoCatalog(src, images.operator!, [['1.0.0', images.bundle1!], ['1.1.0', images.bundle2!]]);
  // The same catalog for two platforms: --index-filter-by-os picks which one is read.
  const session = testSession();
  try {
    const op = `${src.host}/demo/operator@${images.operator!.manifest.digest}`;
    const fbc = [
      { schema: 'olm.package', name: 'solo', defaultChannel: 'stable' },
      { schema: 'olm.channel', package: 'solo', name: 'stable', entries: [{ name: 'solo.v1.0.0' }] },
      { schema: 'olm.bundle', package: 'solo', name: 'solo.v1.0.0', image: op, properties: [{ type: 'olm.package', value: { packageName: 'solo', version: '1.0.0' } }], relatedImages: [{ name: '', image: op }] },
    ].map((b) => JSON.stringify(b)).join('\n');
    await buildCatalogImage({ catalog: createMemoryTree({ 'solo/catalog.json': fbc }), base: 'scratch', platforms: [parsePlatform('linux/amd64'), parsePlatform('linux/arm64')], dest: session.store(src.host, 'catalogs/multi-index', PLAIN), tag: 'v1' });
  } finally {
    await session.close();
  }
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop(), dst2?.stop()]);
  await dir?.remove();
});

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const catalogMirror = (args: string[]) => runGantry(['catalog', 'mirror', ...NO_TLS, '--plain', ...args], { cwd: dir.path });

async function manifestStatus(url: string, repo: string, reference: string): Promise<number> {
  const res = await fetch(`${url}/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
  return res.status;
}

async function readManifests(path: string): Promise<{ mapping: [string, string][]; files: string[]; icsp?: any; cs?: any }> {
  const files = (await readdir(path)).sort();
  const mapping = (await readFile(join(path, 'mapping.txt'), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => l.split('=') as [string, string]);
  const yaml = async (f: string) => (files.includes(f) ? parseYaml(await readFile(join(path, f), 'utf8')) : undefined);
  return { mapping, files, icsp: await yaml('imageContentSourcePolicy.yaml'), cs: await yaml('catalogSource.yaml') };
}

const bySource = (m: [string, string][]) => new Map(m);

test('catalog mirror/to a registry: every bundle of the index, paths folded to 2 components, oc manifests', async () => {
  const out = join(dir.path, 'to-registry');
  const r = await catalogMirror([`${src.host}/catalogs/demo-index:v1`, `${dst.host}/ns`, '--to-manifests', out, '--workspace', join(dir.path, 'ws1')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote mirroring manifests to .*to-registry/);
  // The whole index: both bundles (not only the channel head) and the operator, by digest, under ns/<repo folded>.
  for (const [img, repo] of [
    [images.bundle1!, 'ns/demo-bundle'],
    [images.bundle2!, 'ns/demo-bundle'],
    [images.operator!, 'ns/demo-operator'],
  ] as const) {
    assert.equal(await manifestStatus(dst.url, repo, img.manifest.digest), 200, `${repo}@${img.manifest.digest}`);
  }
  const m = await readManifests(out);
  assert.deepEqual(m.files, ['catalogSource.yaml', 'imageContentSourcePolicy.yaml', 'mapping.txt']);
  const map = bySource(m.mapping);
  assert.equal(m.mapping.length, 4, 'three images and the index');
  assert.match(map.get(`${src.host}/demo/bundle@${images.bundle1!.manifest.digest}`)!, new RegExp(`^${dst.host}/ns/demo-bundle:sha256-[0-9a-f]{64}$`));
  assert.equal(map.get(`${src.host}/catalogs/demo-index:v1`), `${dst.host}/ns/catalogs-demo-index:v1`);
  assert.equal(m.icsp.kind, 'ImageContentSourcePolicy');
  assert.equal(m.icsp.apiVersion, 'operator.openshift.io/v1alpha1');
  assert.equal(m.icsp.metadata.name, 'demo-index');
  assert.deepEqual(m.icsp.spec.repositoryDigestMirrors, [
    { mirrors: [`${dst.host}/ns/demo-bundle`], source: `${src.host}/demo/bundle` },
    { mirrors: [`${dst.host}/ns/demo-operator`], source: `${src.host}/demo/operator` },
  ]);
  assert.deepEqual({ ...m.cs, spec: { ...m.cs.spec, image: undefined } }, { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: { name: 'demo-index', namespace: 'openshift-marketplace' }, spec: { image: undefined, sourceType: 'grpc' } });
  const csImage = m.cs.spec.image as string;
  assert.match(csImage, new RegExp(`^${dst.host}/ns/catalogs-demo-index@sha256:[0-9a-f]{64}$`));
  // The catalog the CatalogSource names serves every bundle of the index.
  const rendered = await runGantry(['catalog', 'render', '--tls-verify=false', `docker://${csImage}`]);
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.match(rendered.stdout, /"name": "demo-op\.v1\.0\.0"/);
  assert.match(rendered.stdout, /"name": "demo-op\.v1\.1\.0"/);
});

test('catalog mirror/--manifests-only: the manifests in manifests-<index>-<time>/, nothing pushed; --max-components 0 keeps paths', async () => {
  const r = await catalogMirror([`docker://${src.host}/catalogs/demo-index:v1`, `docker://${dst2.host}/only/deep`, '--manifests-only', '--max-components', '0']);
  assert.equal(r.code, 0, r.stderr);
  const name = (await readdir(dir.path)).find((f) => /^manifests-demo-index-\d+$/.test(f));
  assert.ok(name, 'oc names the directory manifests-<index>-<unix time>');
  const m = await readManifests(join(dir.path, name));
  assert.equal(bySource(m.mapping).get(`${src.host}/demo/operator@${images.operator!.manifest.digest}`)!.replace(/:[^:]*$/, ''), `${dst2.host}/only/deep/demo/operator`);
  assert.equal(m.cs.spec.image, `${dst2.host}/only/deep/catalogs/demo-index:v1`, 'nothing built: the CatalogSource names the tag');
  assert.equal(await manifestStatus(dst2.url, 'only/deep/demo/operator', images.operator!.manifest.digest), 404, 'nothing mirrored');
  assert.equal(await manifestStatus(dst2.url, 'only/deep/catalogs/demo-index', 'v1'), 404);
});

test('catalog mirror/file:// and back: an archive with mapping.txt only, then pushed to a registry with ICSP and CatalogSource', async () => {
  const archive = join(dir.path, 'archive');
  const out1 = join(dir.path, 'm-file');
  const toDisk = await catalogMirror([`${src.host}/catalogs/demo-index:v1`, `file://${archive}`, '--to-manifests', out1]);
  assert.equal(toDisk.code, 0, toDisk.stderr);
  assert.match(toDisk.stderr, new RegExp(`gantry catalog mirror file://${archive} `));
  const m1 = await readManifests(out1);
  assert.deepEqual(m1.files, ['mapping.txt'], 'oc writes no ICSP or CatalogSource for file://');
  assert.equal(m1.mapping.length, 4);
  for (const [, to] of m1.mapping) assert.ok(to.startsWith(`file://${archive}/`), to);
  assert.ok((await readdir(archive)).some((f) => f.endsWith('.tar')), 'an archive was written');

  const out2 = join(dir.path, 'm-back');
  const back = await catalogMirror([`file://${archive}`, `${dst2.host}/air`, '--to-manifests', out2]);
  assert.equal(back.code, 0, back.stderr);
  for (const img of [images.bundle1!, images.bundle2!]) assert.equal(await manifestStatus(dst2.url, 'air/demo-bundle', img.manifest.digest), 200);
  const m2 = await readManifests(out2);
  assert.deepEqual(m2.files, ['catalogSource.yaml', 'imageContentSourcePolicy.yaml', 'mapping.txt']);
  assert.equal(bySource(m2.mapping).get(`${src.host}/catalogs/demo-index:v1`), `${dst2.host}/air/catalogs-demo-index:v1`);
  assert.equal(m2.cs.metadata.name, 'demo-index');
  assert.match(m2.cs.spec.image, new RegExp(`^${dst2.host}/air/catalogs-demo-index@sha256:`));
  assert.deepEqual(
    m2.icsp.spec.repositoryDigestMirrors.map((e: { source: string }) => e.source),
    [`${src.host}/demo/bundle`, `${src.host}/demo/operator`],
  );
});

test('catalog mirror/--manifests-only to file://: mapping.txt names the archive places, no archive is written', async () => {
  const archive = join(dir.path, 'never');
  const out = join(dir.path, 'm-file-only');
  const r = await catalogMirror([`${src.host}/catalogs/demo-index:v1`, `file://${archive}`, '--manifests-only', '--to-manifests', out]);
  assert.equal(r.code, 0, r.stderr);
  const m = await readManifests(out);
  assert.deepEqual(m.files, ['mapping.txt']);
  assert.equal(m.mapping.length, 4);
  for (const [, to] of m.mapping) assert.ok(to.startsWith(`file://${archive}/`), to);
  await assert.rejects(readdir(archive), 'nothing written there');
  const both = await catalogMirror([`file://${archive}`, `file://${archive}2`]);
  assert.equal(both.code, 2, both.stderr);
});

test('catalog mirror/--index-filter-by-os picks one platform of a multi-platform index; none or several is a usage error', async () => {
  const index = `${src.host}/catalogs/multi-index:v1`;
  const several = await catalogMirror([index, `${dst2.host}/x`, '--manifests-only', '--index-filter-by-os', 'linux/.*', '--to-manifests', join(dir.path, 'm-x')]);
  assert.equal(several.code, 2, several.stderr);
  assert.match(several.stderr, /error\[USAGE\].*matches 2/);
  assert.match(several.stderr, /linux\/amd64, linux\/arm64/);
  const none = await catalogMirror([index, `${dst2.host}/x`, '--manifests-only', '--index-filter-by-os', 's390x', '--to-manifests', join(dir.path, 'm-x')]);
  assert.equal(none.code, 2, none.stderr);
  const arm = await catalogMirror([index, `${dst2.host}/x`, '--manifests-only', '--index-filter-by-os', 'linux/arm64', '--to-manifests', join(dir.path, 'm-arm')]);
  assert.equal(arm.code, 0, arm.stderr);
  assert.equal((await readManifests(join(dir.path, 'm-arm'))).cs.spec.image, `${dst2.host}/x/catalogs-multi-index:v1`);
  const one = await catalogMirror([index, `${dst2.host}/x`, '--max-components', '1']);
  assert.equal(one.code, 2);
  assert.match(one.stderr, /--max-components/);
});
