// Catalogs read straight out of catalog images (through the Store, layers in order, whiteouts honoured).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { createLayoutStore } from '../src/layout/index.js';
import { createImageTree } from '../src/catalog-image/image-tree.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { makeBlob, descriptorOf, type BuiltBlob } from '../src/testing/images.js';
import { isGantryError } from '../src/errors.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');

async function tarLayer(entries: [string, string][]): Promise<BuiltBlob & { diffId: string }> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const [name, content] of entries) p.entry({ name }, content);
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  const { createHash } = await import('node:crypto');
  return { ...makeBlob(gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip'), diffId: `sha256:${createHash('sha256').update(tar).digest('hex')}` };
}

async function pushImage(dir: string, tag: string, layers: (BuiltBlob & { diffId: string })[], labels: Record<string, string>) {
  const store = createLayoutStore({ path: dir, create: true });
  const config = makeBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } })), 'application/vnd.oci.image.config.v1+json');
  for (const b of [config, ...layers]) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptorOf(config), layers: layers.map((l) => descriptorOf(l)) }));
  await store.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag);
  return store;
}

const pkg = (name: string) => JSON.stringify({ schema: 'olm.package', name, defaultChannel: 'stable' });

test('image-catalog/the configs directory across layers, whiteouts and opaque directories applied', async () => {
  const dir = await tempDir('imgcat');
  try {
    const base = await tarLayer([['etc/passwd', 'root:x:0:0'], ['configs/old/catalog.json', pkg('old')], ['configs/gone/catalog.json', pkg('gone')]]);
    const top = await tarLayer([['configs/.wh.gone', ''], ['configs/new/catalog.json', pkg('new')], ['configs/old/.wh..wh..opq', ''], ['configs/old/catalog.json', pkg('old2')]]);
    const store = await pushImage(dir.path, 'v1', [base, top], { 'operators.operatorframework.io.index.configs.v1': '/configs' });
    const tree = await createImageTree(store, 'v1');
    assert.deepEqual(await tree.list(), ['new/catalog.json', 'old/catalog.json']);
    const { config } = await loadCatalog(tree);
    assert.deepEqual(config.packages.map((p) => p.name), ['new', 'old2']);
    const cli = spawnSync(process.execPath, [BIN, 'catalog', 'render', `oci:${dir.path}:v1`], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /"name": "new"[\s\S]*"name": "old2"/);
  } finally {
    await dir.remove();
  }
});

test('image-catalog/images that are not catalogs are named for what they are', async () => {
  const dir = await tempDir('imgcat-bad');
  try {
    const layer = await tarLayer([['x', 'y']]);
    const store = await pushImage(dir.path, 'bundle', [layer], { 'operators.operatorframework.io.bundle.package.v1': 'foo' });
    await pushImage(dir.path, 'sqlite', [layer], { 'operators.operatorframework.io.index.database.v1': '/database/index.db' });
    await pushImage(dir.path, 'plain', [layer], { maintainer: 'me' });
    await assert.rejects(createImageTree(store, 'bundle'), (e: unknown) => isGantryError(e, 'CATALOG_INVALID') && /bundle image/.test(e.message));
    await assert.rejects(createImageTree(store, 'sqlite'), (e: unknown) => isGantryError(e, 'CATALOG_INVALID') && /SQLite/.test(e.message) && /migrate/.test(e.hint ?? ''));
    await assert.rejects(createImageTree(store, 'plain'), (e: unknown) => isGantryError(e, 'CATALOG_INVALID') && /missing the required label/.test(e.message) && /maintainer/.test(e.hint ?? ''));
  } finally {
    await dir.remove();
  }
});

test('image-catalog/a catalog rebuilt on its original catalog image shows only the new catalog', async () => {
  const { buildCatalogImage } = await import('../src/catalog-image/index.js');
  const { createMemoryTree } = await import('../src/catalog/fbc/file-tree.js');
  const dir = await tempDir('imgcat-rebuild');
  try {
    // The "original" catalog image: two packages under /configs, plus an opm stand-in.
    const original = await tarLayer([['bin/opm', '#!/bin/sh'], ['configs/a/catalog.json', pkg('a')], ['configs/b/catalog.json', pkg('b')]]);
    const store = await pushImage(dir.path, 'full', [original], { 'operators.operatorframework.io.index.configs.v1': '/configs' });
    // The filtered catalog keeps package a only, rebuilt on top of the original image.
    await buildCatalogImage({ catalog: createMemoryTree({ 'a/catalog.json': pkg('a') }), base: { store, reference: 'full' }, dest: store, tag: 'filtered' });
    const tree = await createImageTree(store, 'filtered');
    assert.deepEqual(await tree.list(), ['a/catalog.json'], 'package b from the base no longer shows');
    const { config } = await loadCatalog(tree);
    assert.deepEqual(config.packages.map((p) => p.name), ['a']);
  } finally {
    await dir.remove();
  }
});

test('image-catalog/a layer that is not a gzip tar is a clear error from a registry, not a hang or a silent exit', async () => {
  const { startRegistry } = await import('../src/testing/registry-process.js');
  const { buildImage, pushImageRaw } = await import('../src/testing/images.js');
  const registry = await startRegistry();
  try {
    // Large enough that the response body is still unread when the first bytes fail to inflate.
    const img = buildImage({ seed: 'not-gzip', layerSizes: [300_000], labels: { 'operators.operatorframework.io.index.configs.v1': '/configs' } });
    await pushImageRaw(registry.url, 'cat/not-gzip', 'v1', img);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'catalog', 'render', '--tls-verify=false', `docker://${registry.host}/cat/not-gzip:v1`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const status = await new Promise<number | null>((res) => child.once('exit', res));
    assert.equal(status, 1);
    assert.match(stderr, new RegExp(`error\\[LAYER_INVALID\\]: layer ${img.layers[0]!.digest}`));
  } finally {
    await registry.stop();
  }
});
