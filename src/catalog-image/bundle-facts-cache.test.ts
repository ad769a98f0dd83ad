import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createMemoryStore } from '../content/memory-store.js';
import type { Store } from '../content/store.js';
import { GantryError } from '../errors.js';
import { makeBlob, descriptorOf } from '../testing/images.js';
import { tarOf } from '../testing/tar-files.js';
import { loadBundleFacts } from './bundle-facts-cache.js';

const CSV = (modes: string[], hooks: string[]) =>
  JSON.stringify({
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: { name: 'x' },
    spec: { installModes: modes.map((type) => ({ type, supported: true })), webhookdefinitions: hooks.map((type) => ({ type })) },
  });

/** Pushes a bundle image with the given CSV under `tag`; returns its manifest digest. */
async function pushBundle(store: Store, tag: string, csv: string): Promise<string> {
  const layer = makeBlob(gzipSync(await tarOf({ 'manifests/x.clusterserviceversion.yaml': csv, 'metadata/annotations.yaml': 'annotations: {}\n' })), 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = makeBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'operators.operatorframework.io.bundle.package.v1': 'x' } }, rootfs: { type: 'layers', diff_ids: [] } })), 'application/vnd.oci.image.config.v1+json');
  for (const b of [layer, config]) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptorOf(config), layers: [descriptorOf(layer)] }));
  return (await store.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag)).digest;
}

/** A store that counts what is asked of it. */
function counting(store: Store) {
  const counts = { blobs: 0, manifests: 0, stats: 0, opens: 0 };
  const wrapped: Store = {
    ...store,
    location: store.location,
    fetchManifest: (r, o) => (counts.manifests++, store.fetchManifest(r, o)),
    statManifest: (r, o) => (counts.stats++, store.statManifest(r, o)),
    fetchBlob: (d, o) => (counts.blobs++, store.fetchBlob(d, o)),
  };
  const open = async (image: string) => {
    counts.opens++;
    return { store: wrapped, reference: image.includes('@') ? image.slice(image.indexOf('@') + 1) : image.slice(image.lastIndexOf(':') + 1) };
  };
  return { counts, open };
}

test('bundle-facts-cache/read once, then from the cache by digest; a tag costs one HEAD; a damaged entry is read again', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'gantry-bfc-'));
  try {
    const store = createMemoryStore();
    const a = await pushBundle(store, 'a', CSV(['AllNamespaces'], []));
    const b = await pushBundle(store, 'b', CSV(['OwnNamespace'], ['ConversionWebhook']));
    const images = [`r.io/x@${a}`, `r.io/y@${b}`, `r.io/x@${a}`, 'r.io/y:b', ''];
    const { counts, open } = counting(store);
    const first = await loadBundleFacts(images, { open, cacheDir, concurrency: 2 });
    assert.deepEqual(first.failures, []);
    assert.equal(first.read, 3);
    assert.equal(first.fromCache, 0);
    assert.deepEqual(first.facts.get(`r.io/y@${b}`), { webhooks: ['ConversionWebhook'], installModes: ['OwnNamespace'] });
    assert.deepEqual(first.facts.get('r.io/y:b'), first.facts.get(`r.io/y@${b}`));
    assert.equal(counts.blobs, 4, 'a config and a layer per distinct digest: the tag resolves to a digest read once');
    assert.deepEqual((await readdir(join(cacheDir, 'bundle-facts'))).sort(), [`${a.replace(':', '-')}.json`, `${b.replace(':', '-')}.json`].sort());

    Object.assign(counts, { blobs: 0, manifests: 0, stats: 0, opens: 0 });
    const second = await loadBundleFacts(images, { open, cacheDir });
    assert.equal(second.fromCache, 3);
    assert.deepEqual(counts, { blobs: 0, manifests: 0, stats: 1, opens: 1 }, 'only the tag is asked for its digest');

    await writeFile(join(cacheDir, 'bundle-facts', `${a.replace(':', '-')}.json`), '{"format":1,');
    const third = await loadBundleFacts([`r.io/x@${a}`], { open, cacheDir });
    assert.equal(third.fromCache, 0);
    assert.deepEqual(third.facts.get(`r.io/x@${a}`), { webhooks: [], installModes: ['AllNamespaces'] });
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});

test('bundle-facts-cache/an unreachable registry is tried once; other registries and other failures are not held back', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'gantry-bfc-'));
  try {
    const store = createMemoryStore();
    const ok = await pushBundle(store, 'ok', CSV(['AllNamespaces'], []));
    const opened: string[] = [];
    const open = async (image: string) => {
      opened.push(image);
      if (image.startsWith('down.io/')) throw new GantryError('REGISTRY_UNREACHABLE', 'cannot reach registry down.io');
      if (image.startsWith('deny.io/')) throw new GantryError('REGISTRY_DENIED', `denied: ${image}`);
      return { store, reference: ok };
    };
    const images = ['down.io/a:1', 'down.io/b:1', 'deny.io/a:1', 'deny.io/b:1', 'down.io/c:1', `up.io/a@${ok}`];
    const r = await loadBundleFacts(images, { open, cacheDir, concurrency: 1 });
    assert.deepEqual(opened, ['down.io/a:1', 'deny.io/a:1', 'deny.io/b:1', `up.io/a@${ok}`]);
    assert.equal(r.read, 1);
    assert.deepEqual(r.failures.map((f) => [f.image, f.error.message]), [
      ['deny.io/a:1', 'denied: deny.io/a:1'],
      ['deny.io/b:1', 'denied: deny.io/b:1'],
      ['down.io/a:1', 'cannot reach registry down.io'],
      ['down.io/b:1', 'cannot reach registry down.io'],
      ['down.io/c:1', 'cannot reach registry down.io'],
    ]);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});
