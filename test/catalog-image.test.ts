// The catalog image builder against a real docker-registry and OCI layouts, checked with the reference tools:
// skopeo reads label/entrypoint/cmd, skopeo+umoci unpack /configs byte-identical to the FBC, digests repeat,
// multi-arch bases keep their platforms and layers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isGantryError } from '../src/errors.js';
import { sha256 } from '../src/oci/digest.js';
import { buildCatalogImage, CACHE_LABEL, CONFIGS_LABEL, type CatalogBase } from '../src/catalog-image/index.js';
import { createMemoryTree, type FileTree } from '../src/catalog/fbc/file-tree.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { createLayoutStore } from '../src/layout/index.js';
import { parseManifest, type ImageIndex, type ImageManifest } from '../src/oci/manifest.js';
import { MediaType } from '../src/oci/media-types.js';
import { parsePlatform } from '../src/oci/platform.js';
import type { Store } from '../src/content/store.js';
import type { RegistrySession } from '../src/registry/registry-session.js';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw, type TestIndex } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { runSkopeo, runTool } from '../src/testing/tools.js';
import { PLAIN, readAll, tempDir, testSession } from './helpers.js';

const TOOL_TIMEOUT_MS = 30_000;
import { REAL_CATALOG } from './corpus.js';

const SMALL_FBC: Record<string, string> = {
  'etcd/catalog.json': `${JSON.stringify({ schema: 'olm.package', name: 'etcd', defaultChannel: 'stable' }, null, 4)}\n`,
  'etcd/channels.yaml': '---\nschema: olm.channel\npackage: etcd\nname: stable\nentries:\n  - name: etcd.v1.0.0\n',
  'prometheus/catalog.yaml': 'schema: olm.package\nname: prometheus\ndefaultChannel: beta\n',
  'prometheus/nested/deeper/bundle.json': '{"schema":"olm.bundle","name":"prometheus.v0.1.0","package":"prometheus","image":"quay.io/x/p:1"}\n',
  // A name longer than ustar's 100-byte field (split into prefix+name) and one that needs a PAX path record.
  [`${'long-directory-name-'.repeat(5)}/${'f'.repeat(80)}.json`]: '{}\n',
  'notes/übersicht.md': 'not FBC, shipped as opm ADD would\n',
};

let registry: RunningRegistry;
let session: RegistrySession;
let work: { path: string; remove(): Promise<void> };
let multiBase: TestIndex;

function repo(name: string): Store {
  return session.store(registry.host, name, PLAIN);
}

function ref(repository: string, tagOrDigest: string): string {
  return `docker://${registry.host}/${repository}${tagOrDigest.includes(':') ? '@' : ':'}${tagOrDigest}`;
}

async function skopeoJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await runSkopeo(args, { timeoutMs: TOOL_TIMEOUT_MS });
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Every regular file below `dir`, relative paths with '/', sorted. */
async function walkFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await walkFiles(dir, p)));
    else out.push(p);
  }
  return out.sort();
}

/** skopeo copies the image into a fresh layout, umoci unpacks it; returns the bundle's rootfs. */
async function unpackWithUmoci(source: string, name: string, extraCopyArgs: string[] = []): Promise<string> {
  const layout = join(work.path, `${name}-oci`);
  const bundle = join(work.path, `${name}-bundle`);
  await runSkopeo(['copy', ...extraCopyArgs, '--src-tls-verify=false', source, `oci:${layout}:img`], { timeoutMs: TOOL_TIMEOUT_MS });
  const r = await runTool('umoci', ['unpack', '--rootless', '--image', `${layout}:img`, bundle], { timeoutMs: TOOL_TIMEOUT_MS });
  assert.equal(r.code, 0, r.stderr);
  return join(bundle, 'rootfs');
}

/** The unpacked /configs holds exactly the FBC's files, byte for byte, with mode 0644. */
async function assertConfigsMatch(rootfs: string, tree: FileTree): Promise<void> {
  const expected = [...(await tree.list())].sort();
  assert.deepEqual(await walkFiles(join(rootfs, 'configs')), expected);
  for (const p of expected) {
    const got = await readFile(join(rootfs, 'configs', p));
    assert.ok(got.equals(Buffer.from(await tree.read(p))), `configs/${p} differs`);
    assert.equal((await stat(join(rootfs, 'configs', p))).mode & 0o777, 0o644, p);
  }
}

async function fetchManifest(store: Store, reference: string): Promise<ImageManifest | ImageIndex> {
  const f = await store.fetchManifest(reference);
  return parseManifest(f.bytes, f.descriptor.mediaType);
}

async function fetchConfig(store: Store, m: ImageManifest): Promise<Record<string, unknown>> {
  return JSON.parse((await readAll(await store.fetchBlob(m.config))).toString('utf8')) as Record<string, unknown>;
}

before(async () => {
  [registry, work] = await Promise.all([startRegistry(), tempDir('catalog-image')]);
  session = testSession();
  multiBase = buildIndex([
    buildImage({ seed: 'cat-base-amd64', layerSizes: [4_000, 1_000], tarLayer: true, platform: parsePlatform('linux/amd64'), labels: { 'base.label': 'kept' } }),
    buildImage({ seed: 'cat-base-arm64', layerSizes: [3_000], tarLayer: true, platform: parsePlatform('linux/arm64/v8') }),
  ]);
  await pushIndexRaw(registry.url, 'base/opm', 'v1', multiBase);
});

after(async () => {
  await session?.close();
  await registry?.stop();
  await work?.remove();
});

describe('catalog image on scratch, in a registry', () => {
  test('catalog-image/skopeo sees the label, entrypoint, cmd and the no-cache label', async () => {
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: repo('catalogs/small'), tag: 'v1' });
    assert.equal(r.mediaType, MediaType.ociManifest);
    assert.deepEqual(r.manifests.map((m) => m.platform), [{ os: 'linux', architecture: 'amd64' }]);
    const config = await skopeoJson(['inspect', '--config', '--tls-verify=false', ref('catalogs/small', 'v1')]);
    const run = config.config as Record<string, unknown>;
    assert.deepEqual((run.Labels as Record<string, string>)[CONFIGS_LABEL], '/configs');
    assert.deepEqual((run.Labels as Record<string, string>)[CACHE_LABEL], 'none');
    assert.deepEqual(run.Entrypoint, ['/bin/opm']);
    assert.deepEqual(run.Cmd, ['serve', '/configs']);
    assert.deepEqual([config.os, config.architecture, config.created], ['linux', 'amd64', '1970-01-01T00:00:00Z']);
    const raw = await runSkopeo(['inspect', '--raw', '--tls-verify=false', ref('catalogs/small', 'v1')], { timeoutMs: TOOL_TIMEOUT_MS });
    assert.equal(sha256(raw.stdoutBytes), r.digest);
  });

  test('catalog-image/umoci unpacks /configs byte-identical to the inline FBC', async () => {
    const tree = createMemoryTree(SMALL_FBC);
    await buildCatalogImage({ catalog: tree, base: 'scratch', dest: repo('catalogs/small-unpack'), tag: 'v1' });
    const rootfs = await unpackWithUmoci(ref('catalogs/small-unpack', 'v1'), 'small');
    await assertConfigsMatch(rootfs, tree);
    assert.equal((await stat(join(rootfs, 'configs', 'prometheus', 'nested'))).mode & 0o777, 0o755);
  });

  test('catalog-image/the real community catalog round-trips through skopeo and umoci', async () => {
    const tree = await createDirectoryTree(REAL_CATALOG);
    const r = await buildCatalogImage({ catalog: tree, base: 'scratch', dest: repo('catalogs/community'), tag: 'v4.20' });
    assert.equal(r.layer.files, (await tree.list()).length);
    const rootfs = await unpackWithUmoci(ref('catalogs/community', 'v4.20'), 'community');
    await assertConfigsMatch(rootfs, tree);
  });

  test('catalog-image/same FBC twice gives the same digest; other files or epoch give another', async () => {
    const first = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: repo('catalogs/repeat'), tag: 'a' });
    // A fresh session and another repository and tag: nothing cached can make the digests agree.
    const other = testSession();
    try {
      const second = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: other.store(registry.host, 'catalogs/repeat-2', PLAIN), tag: 'b' });
      assert.equal(second.digest, first.digest);
      assert.equal(second.layer.digest, first.layer.digest);
    } finally {
      await other.close();
    }
    const changed = await buildCatalogImage({ catalog: createMemoryTree({ ...SMALL_FBC, 'etcd/catalog.json': '{}' }), base: 'scratch', dest: repo('catalogs/repeat'), tag: 'c' });
    assert.notEqual(changed.digest, first.digest);
    const later = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: repo('catalogs/repeat'), tag: 'd', sourceDateEpoch: 1_700_000_000 });
    assert.notEqual(later.digest, first.digest);
  });

  test('catalog-image/scratch with two platforms gives an index of two single-layer images', async () => {
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: repo('catalogs/scratch-multi'), tag: 'v1', platforms: [parsePlatform('linux/amd64'), parsePlatform('linux/s390x')] });
    assert.equal(r.mediaType, MediaType.ociIndex);
    const index = (await fetchManifest(repo('catalogs/scratch-multi'), 'v1')) as ImageIndex;
    assert.deepEqual(index.manifests.map((d) => d.platform), [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 's390x' }]);
    for (const d of index.manifests) {
      const m = (await fetchManifest(repo('catalogs/scratch-multi'), d.digest)) as ImageManifest;
      assert.deepEqual(m.layers.map((l) => l.digest), [r.layer.digest]);
      assert.equal((await fetchConfig(repo('catalogs/scratch-multi'), m)).architecture, d.platform?.architecture);
    }
  });
});

describe('catalog image on a base image', () => {
  const base = (): CatalogBase => ({ store: repo('base/opm'), reference: 'v1' });

  test('catalog-image/multi-arch base: both platforms, base layers kept, catalog layer last, base config kept', async () => {
    const dest = repo('catalogs/on-base');
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: base(), dest, tag: 'v1' });
    assert.equal(r.mediaType, MediaType.ociIndex);
    // Within one registry the base layers are mounted, not re-uploaded; the catalog layer and two configs are new.
    assert.deepEqual(r.blobs, { exists: 0, mounted: 3, copied: 3 });
    const index = (await fetchManifest(dest, 'v1')) as ImageIndex;
    assert.deepEqual(index.manifests.map((d) => d.platform), multiBase.images.map((i) => i.platform));
    for (const [i, d] of index.manifests.entries()) {
      const img = multiBase.images[i]!;
      const m = (await fetchManifest(dest, d.digest)) as ImageManifest;
      assert.deepEqual(m.layers.map((l) => l.digest), [...img.layers.map((l) => l.digest), r.layer.digest]);
      assert.equal(m.annotations?.['org.opencontainers.image.base.digest'], img.manifest.digest);
      for (const l of m.layers) assert.equal(await dest.statBlob(l.digest), l.size, 'every layer is in the destination');
      const config = await fetchConfig(dest, m);
      const baseConfig = JSON.parse(img.config.bytes.toString('utf8')) as { rootfs: { diff_ids: string[] } };
      assert.deepEqual((config.rootfs as { diff_ids: string[] }).diff_ids, [...baseConfig.rootfs.diff_ids, r.layer.diffId]);
      assert.equal(config.architecture, img.platform.architecture);
      const labels = (config.config as { Labels: Record<string, string> }).Labels;
      assert.equal(labels[CONFIGS_LABEL], '/configs');
      if (i === 0) assert.equal(labels['base.label'], 'kept');
    }
    // The arm64 image unpacks with the base's file and the catalog side by side.
    const rootfs = await unpackWithUmoci(ref('catalogs/on-base', 'v1'), 'on-base-arm64', ['--override-arch', 'arm64', '--override-variant', 'v8']);
    assert.deepEqual(await walkFiles(join(rootfs, 'gantry')), ['layer-0.bin']);
    await assertConfigsMatch(rootfs, createMemoryTree(SMALL_FBC));
    // Same base and files again: the same index digest.
    const again = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: base(), dest: repo('catalogs/on-base-again'), tag: 'v1' });
    assert.equal(again.digest, r.digest);
  });

  test('catalog-image/platforms filter keeps only the asked platform; a missing one is PLATFORM_NOT_FOUND', async () => {
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: base(), dest: repo('catalogs/arm-only'), tag: 'v1', platforms: [parsePlatform('linux/arm64')] });
    const index = (await fetchManifest(repo('catalogs/arm-only'), 'v1')) as ImageIndex;
    assert.deepEqual(index.manifests.map((d) => d.digest), r.manifests.map((m) => m.digest));
    assert.deepEqual(index.manifests.map((d) => d.platform?.architecture), ['arm64']);
    await assert.rejects(
      buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: base(), dest: repo('catalogs/none'), tag: 'v1', platforms: [parsePlatform('linux/s390x')] }),
      (e: unknown) => isGantryError(e, 'PLATFORM_NOT_FOUND'),
    );
  });

  test('catalog-image/single-platform Docker base gives a single Docker schema2 manifest', async () => {
    const img = buildImage({ seed: 'cat-docker-base', layerSizes: [2_000], tarLayer: true, format: 'docker', platform: parsePlatform('linux/ppc64le') });
    await pushImageRaw(registry.url, 'base/docker', 'v1', img);
    const dest = repo('catalogs/docker');
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: { store: repo('base/docker'), reference: 'v1' }, dest, tag: 'v1' });
    assert.equal(r.mediaType, MediaType.dockerManifest);
    const m = (await fetchManifest(dest, 'v1')) as ImageManifest;
    assert.equal(m.config.mediaType, MediaType.dockerConfig);
    assert.deepEqual(m.layers.map((l) => l.mediaType), [MediaType.dockerLayerGzip, MediaType.dockerLayerGzip]);
    const config = await skopeoJson(['inspect', '--config', '--tls-verify=false', ref('catalogs/docker', 'v1')]);
    assert.equal(config.architecture, 'ppc64le');
  });
});

describe('catalog image in an OCI layout', () => {
  test('catalog-image/layout destination: skopeo reads it, same digest as in the registry', async () => {
    const dir = join(work.path, 'layout-dest');
    const dest = createLayoutStore({ path: dir, create: true });
    const r = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest, tag: 'catalog-v1' });
    const inRegistry = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: 'scratch', dest: repo('catalogs/small-for-layout'), tag: 'v1' });
    assert.equal(r.digest, inRegistry.digest);
    const config = await skopeoJson(['inspect', '--config', `oci:${dir}:catalog-v1`]);
    assert.equal((config.config as { Labels: Record<string, string> }).Labels[CONFIGS_LABEL], '/configs');
    const rootfs = await unpackWithUmoci(`oci:${dir}:catalog-v1`, 'layout');
    await assertConfigsMatch(rootfs, createMemoryTree(SMALL_FBC));
  });

  test('catalog-image/multi-arch base from a registry into a layout, then a layout base into a registry', async () => {
    const dir = join(work.path, 'layout-multi');
    const layout = createLayoutStore({ path: dir, create: true });
    const intoLayout = await buildCatalogImage({ catalog: createMemoryTree(SMALL_FBC), base: { store: repo('base/opm'), reference: 'v1' }, dest: layout, tag: 'multi' });
    const index = (await fetchManifest(layout, 'multi')) as ImageIndex;
    assert.equal(index.manifests.length, 2);
    const inspected = await skopeoJson(['inspect', '--override-arch', 'arm64', '--override-variant', 'v8', `oci:${dir}:multi`]);
    assert.equal(inspected.Architecture, 'arm64');
    // The catalog image in the layout as the base of another catalog: its layers come from the layout.
    const stacked = await buildCatalogImage({ catalog: createMemoryTree({ 'extra/catalog.json': '{}' }), base: { store: layout, reference: 'multi' }, dest: repo('catalogs/stacked'), tag: 'v1' });
    // From a layout into a registry nothing can be mounted: three base layers + the first catalog layer, two
    // configs and the new catalog layer are uploaded.
    assert.deepEqual(stacked.blobs, { exists: 0, mounted: 0, copied: 7 });
    const child = (await fetchManifest(repo('catalogs/stacked'), stacked.manifests[0]!.digest)) as ImageManifest;
    assert.equal(child.layers.length, 4);
    assert.equal(child.layers[2]!.digest, intoLayout.layer.digest);
  });
});
