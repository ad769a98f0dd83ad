import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createMemoryStore } from '../content/memory-store.js';
import type { Store } from '../content/store.js';
import { isGantryError } from '../errors.js';
import { descriptorOf, makeBlob } from '../testing/images.js';
import { tarOf } from '../testing/tar-files.js';
import { loadBundleImageContent } from './bundle-content-image.js';

const CSV = 'apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata:\n  name: x.v1\n';
const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';

async function pushBundle(store: Store, tag: string, files: Record<string, string>, labels: Record<string, string>): Promise<string> {
  const layer = makeBlob(gzipSync(await tarOf(files)), 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = makeBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [] } })), 'application/vnd.oci.image.config.v1+json');
  for (const b of [layer, config]) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptorOf(config), layers: [descriptorOf(layer)] }));
  return (await store.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag)).digest;
}

const LABELS = { 'operators.operatorframework.io.bundle.package.v1': 'x', 'operators.operatorframework.io.bundle.manifests.v1': 'deploy/' };

test('bundle-content-image/read by tag, cached by digest; a pinned digest then answers without opening the store', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'gantry-bci-'));
  try {
    const store = createMemoryStore();
    // No annotations file: the image's labels name the package and the manifests directory.
    const digest = await pushBundle(store, 'v1', { 'deploy/csv.yaml': CSV, 'deploy/svc.yaml': SVC }, LABELS);
    let opens = 0;
    const open = async () => (opens++, { store, reference: 'v1' });
    const first = await loadBundleImageContent({ open, where: 'r.io/x:v1', cacheDir });
    assert.deepEqual([first.fromCache, first.digest, first.content.package, first.content.csvOrigin], [false, digest, 'x', 'deploy/csv.yaml:1']);
    assert.deepEqual(first.content.objects.map((o) => o.kind), ['Service']);
    assert.deepEqual(await readdir(join(cacheDir, 'bundle-content')), [`${digest.replace(':', '-')}.json`]);
    const byTag = await loadBundleImageContent({ open, where: 'r.io/x:v1', cacheDir });
    assert.equal(byTag.fromCache, true);
    assert.equal(opens, 2); // a tag is resolved every time
    const pinned = await loadBundleImageContent({ open, pinned: digest, where: `r.io/x@${digest}`, cacheDir });
    assert.deepEqual(pinned, { ...first, fromCache: true });
    assert.equal(opens, 2);
    // A damaged entry is read again from the image.
    await writeFile(join(cacheDir, 'bundle-content', `${digest.replace(':', '-')}.json`), '{');
    const again = await loadBundleImageContent({ open, pinned: digest, where: `r.io/x@${digest}`, cacheDir });
    assert.equal(again.fromCache, false);
    assert.equal(opens, 3);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});

test('bundle-content-image/an image without the bundle package label is refused', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'gantry-bci-'));
  try {
    const store = createMemoryStore();
    await pushBundle(store, 'v1', { 'manifests/csv.yaml': CSV }, {});
    await assert.rejects(
      loadBundleImageContent({ open: async () => ({ store, reference: 'v1' }), where: 'r.io/app:v1', cacheDir }),
      (e: unknown) => isGantryError(e) && e.code === 'MANIFEST_INVALID' && /r\.io\/app:v1 is not a bundle image/.test(e.message),
    );
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});
