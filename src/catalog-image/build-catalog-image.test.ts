import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import { isGantryError } from '../errors.js';
import { sha256 } from '../oci/digest.js';
import { parseManifest, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import { parsePlatform } from '../oci/platform.js';
import { buildImage, imageBlobs, makeBlob, type TestImage } from '../testing/images.js';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { buildCatalogImage } from './build-catalog-image.js';

const FBC = createMemoryTree({ 'a/catalog.json': '{"schema":"olm.package","name":"a"}\n' });

async function putImage(store: MemoryStore, image: TestImage, tag?: string): Promise<void> {
  for (const b of imageBlobs(image)) await store.pushBlob(b, async () => [b.bytes]);
  await store.pushManifest(image.manifest.bytes, image.manifest.mediaType, tag ?? image.manifest.digest);
}

async function putIndex(store: MemoryStore, manifests: object[], tag: string): Promise<void> {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  await store.pushManifest(bytes, MediaType.ociIndex, tag);
}

async function readBlob(store: MemoryStore, desc: Descriptor): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of await store.fetchBlob(desc)) parts.push(c);
  return Buffer.concat(parts);
}

async function manifestAt(store: MemoryStore, reference: string): Promise<ImageManifest | ImageIndex> {
  const f = await store.fetchManifest(reference);
  return parseManifest(f.bytes, f.descriptor.mediaType);
}

test('build/attestation and unknown-platform entries of a base index are left out', async () => {
  const base = createMemoryStore({ location: 'memory:base' });
  const amd = buildImage({ seed: 'att-amd64', layerSizes: [100] });
  const attestation = buildImage({ seed: 'att-statement', layerSizes: [50], platform: { os: 'unknown', architecture: 'unknown' } });
  await putImage(base, amd);
  await putImage(base, attestation);
  await putIndex(
    base,
    [
      { mediaType: amd.manifest.mediaType, digest: amd.manifest.digest, size: amd.manifest.size, platform: amd.platform },
      {
        mediaType: attestation.manifest.mediaType,
        digest: attestation.manifest.digest,
        size: attestation.manifest.size,
        platform: attestation.platform,
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.manifest.digest },
      },
    ],
    'v1',
  );
  const dest = createMemoryStore({ location: 'memory:dest' });
  const r = await buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest, tag: 'cat' });
  const index = (await manifestAt(dest, 'cat')) as ImageIndex;
  assert.deepEqual(index.manifests.map((d) => d.platform), [{ os: 'linux', architecture: 'amd64' }]);
  // Base layer and config of the catalog image copied (another store, no mount), the catalog layer too.
  assert.deepEqual(r.blobs, { exists: 0, mounted: 0, copied: 3 });
  const again = await buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest, tag: 'cat' });
  assert.equal(again.digest, r.digest);
  assert.deepEqual(again.blobs, { exists: 3, mounted: 0, copied: 0 });
});

test('build/single-platform base: a single manifest whose config is the base config plus the catalog', async () => {
  const base = createMemoryStore();
  const img = buildImage({ seed: 'single-base', layerSizes: [10, 20], platform: parsePlatform('linux/arm64/v8'), labels: { x: 'y' } });
  await putImage(base, img, 'v1');
  const dest = createMemoryStore();
  const r = await buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest, tag: 'cat', labels: { team: 'ops' } });
  assert.equal(r.mediaType, MediaType.ociManifest);
  assert.deepEqual(r.manifests, [{ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, digest: r.digest, baseDigest: img.manifest.digest }]);
  const m = (await manifestAt(dest, 'cat')) as ImageManifest;
  assert.equal(m.layers.length, 3);
  const config = JSON.parse((await readBlob(dest, m.config)).toString('utf8')) as {
    variant: string;
    config: { Labels: Record<string, string> };
  };
  assert.equal(config.variant, 'v8');
  assert.deepEqual(Object.keys(config.config.Labels), ['io.gantry.catalog.cache', 'operators.operatorframework.io.index.configs.v1', 'team', 'x']);
});

test('build/error/base whose config is not a container image config', async () => {
  const base = createMemoryStore();
  const cfg = makeBlob(Buffer.from('{}'), 'application/vnd.example.thing+json');
  await base.pushBlob(cfg, async () => [cfg.bytes]);
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: cfg.mediaType, digest: cfg.digest, size: cfg.size }, layers: [] }));
  await base.pushManifest(bytes, MediaType.ociManifest, 'v1');
  await assert.rejects(
    buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest: createMemoryStore(), tag: 'cat' }),
    (e: unknown) => isGantryError(e, 'MANIFEST_UNSUPPORTED'),
  );
});

test('build/error/base config whose diff IDs disagree with its layers', async () => {
  const base = createMemoryStore();
  const layer = makeBlob(Buffer.from('layer'), MediaType.ociLayerGzip);
  const cfg = makeBlob(Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } })), MediaType.ociConfig);
  for (const b of [layer, cfg]) await base.pushBlob(b, async () => [b.bytes]);
  const d = (b: typeof layer) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  await base.pushManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: d(cfg), layers: [d(layer)] })), MediaType.ociManifest, 'v1');
  await assert.rejects(
    buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest: createMemoryStore(), tag: 'cat' }),
    (e: unknown) => isGantryError(e, 'MANIFEST_INVALID'),
  );
});

test('build/error/single-platform base that is not the asked platform', async () => {
  const base = createMemoryStore();
  await putImage(base, buildImage({ seed: 'amd-only', layerSizes: [10] }), 'v1');
  await assert.rejects(
    buildCatalogImage({ catalog: FBC, base: { store: base, reference: 'v1' }, dest: createMemoryStore(), tag: 'cat', platforms: [parsePlatform('linux/arm64')] }),
    (e: unknown) => isGantryError(e, 'PLATFORM_NOT_FOUND'),
  );
});

test('build/error/a missing base is MANIFEST_UNKNOWN and nothing is tagged', async () => {
  const dest = createMemoryStore();
  await assert.rejects(
    buildCatalogImage({ catalog: FBC, base: { store: createMemoryStore(), reference: 'nope' }, dest, tag: 'cat' }),
    (e: unknown) => isGantryError(e, 'MANIFEST_UNKNOWN'),
  );
  assert.deepEqual(await dest.listTags(), []);
});

test('build/error/cancelled before start', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    buildCatalogImage({ catalog: FBC, base: 'scratch', dest: createMemoryStore(), tag: 'cat', signal: ac.signal }),
    (e: unknown) => isGantryError(e, 'ABORTED'),
  );
});

test("build/compression 'none' gives an uncompressed OCI layer whose digest is its diffID", async () => {
  const dest = createMemoryStore();
  const r = await buildCatalogImage({ catalog: FBC, base: 'scratch', dest, tag: 'cat', compression: 'none' });
  assert.equal(r.layer.mediaType, MediaType.ociLayer);
  assert.equal(r.layer.digest, r.layer.diffId);
  const m = (await manifestAt(dest, 'cat')) as ImageManifest;
  assert.equal(sha256(await readBlob(dest, m.layers[0]!)), r.layer.diffId);
});
