import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import { isGantryError } from '../errors.js';
import { parseManifest, type ImageIndex } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import { parseReference } from '../oci/reference.js';
import { buildImage, imageBlobs, type TestImage } from '../testing/images.js';
import { graphDataTarball, SAMPLE_GRAPH_DATA } from '../testing/update-service.js';
import { buildGraphImage, graphImagePlatforms, loadGraphData, planGraphImage } from './plan-graph-image.js';

test('graph image plan/defaults are oc-mirror\'s: graph-data URL, ubi9 base, openshift/graph-image:latest', () => {
  const g = planGraphImage({}, () => ({}));
  assert.equal(g.dataUrl, 'https://api.openshift.com/api/upgrades_info/graph-data');
  assert.deepEqual(g.base, parseReference('registry.access.redhat.com/ubi9/ubi:latest'));
  assert.deepEqual(g.naming, { targetRepo: 'openshift/graph-image', targetTag: 'latest' });
  assert.throws(() => planGraphImage({ baseImage: 'Not A Ref!' }, () => ({})), (e: unknown) => isGantryError(e, 'USAGE'));
});

const platformCases: { name: string; platform: { architectures?: string[]; platforms?: { os: string; architecture: string }[] }; want: string[] | undefined }[] = [
  { name: 'nothing said: every platform of the base', platform: {}, want: undefined },
  { name: 'multi: every platform', platform: { architectures: ['amd64', 'multi'] }, want: undefined },
  { name: 'architectures', platform: { architectures: ['arm64', 'amd64', 'arm64'] }, want: ['linux/arm64', 'linux/amd64'] },
  { name: 'platforms win', platform: { architectures: ['amd64'], platforms: [{ os: 'linux', architecture: 's390x' }] }, want: ['linux/s390x'] },
];
for (const c of platformCases) {
  test(`graph image plan/platforms/${c.name}`, () => {
    assert.deepEqual(graphImagePlatforms(c.platform)?.map((p) => `${p.os}/${p.architecture}`), c.want);
  });
}

async function putImage(store: MemoryStore, image: TestImage): Promise<void> {
  for (const b of imageBlobs(image)) await store.pushBlob(b, async () => [b.bytes]);
  await store.pushManifest(image.manifest.bytes, image.manifest.mediaType, image.manifest.digest);
}

test('graph image plan/built on the named platforms of a multi-platform base only', async () => {
  const base = createMemoryStore({ location: 'memory:base' });
  const amd = buildImage({ seed: 'gb-amd64', layerSizes: [40], platform: { os: 'linux', architecture: 'amd64' } });
  const arm = buildImage({ seed: 'gb-arm64', layerSizes: [40], platform: { os: 'linux', architecture: 'arm64' } });
  await putImage(base, amd);
  await putImage(base, arm);
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [amd, arm].map((i) => ({ mediaType: i.manifest.mediaType, digest: i.manifest.digest, size: i.manifest.size, platform: i.platform })) }));
  await base.pushManifest(index, MediaType.ociIndex, 'latest');
  const image = { ...planGraphImage({ baseImage: 'base.example/ubi:latest' }, () => ({}), graphImagePlatforms({ architectures: ['arm64'] })), dataUrl: 'file:x' };
  const build = await loadGraphData(image, async () => graphDataTarball(SAMPLE_GRAPH_DATA));
  const dest = createMemoryStore();
  await buildGraphImage(build, { source: () => base, dest, tag: 'latest' });
  const f = await dest.fetchManifest('latest');
  const m = parseManifest(f.bytes, f.descriptor.mediaType) as ImageIndex;
  assert.deepEqual(m.manifests.map((d) => d.platform?.architecture), ['arm64']);
  assert.equal(await dest.statBlob(amd.layers[0]!.digest), undefined, 'no amd64 base layer copied');
});

test('graph image plan/error/a reader failure is GRAPH_DATA_UNREACHABLE naming the URL', async () => {
  const image = planGraphImage({ dataUrl: 'https://graph.example/graph-data' }, () => ({}));
  await assert.rejects(
    loadGraphData(image, async () => {
      throw new Error('connect ECONNREFUSED');
    }),
    (e: unknown) => isGantryError(e, 'GRAPH_DATA_UNREACHABLE') && e.message.includes('https://graph.example/graph-data') && e.message.includes('ECONNREFUSED'),
  );
});
