import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import { createCopyRun } from '../copy/copy-run.js';
import { parseManifest, type Descriptor } from '../oci/manifest.js';
import { referrersTag } from '../oci/attachment-tags.js';
import { buildImage, descriptorOf, pushTestImage } from '../testing/images.js';
import { cosignSignature, referrerArtifact } from '../testing/cosign-fixtures.js';
import { copyAttachments, findAttachments } from './image-attachments.js';

const put = pushTestImage;

/** A memory store that also answers the referrers API (as a registry with OCI 1.1 support does). */
function withReferrers(store: MemoryStore, list: Descriptor[]): MemoryStore & { referrers(): Promise<Descriptor[]> } {
  return Object.assign(Object.create(store) as MemoryStore, { referrers: async () => list });
}

const image = buildImage({ seed: 'attachments-unit', layerSizes: [100] });
const ART = 'application/vnd.example.sbom.v1+json';

test('image-attachments/referrers from the API: copied by digest and listed in a fallback index at the destination', async () => {
  const plain = createMemoryStore();
  await put(plain, image, 'v1');
  const referrer = referrerArtifact(descriptorOf(image.manifest), ART);
  await put(plain, referrer, referrer.manifest.digest);
  const sig = cosignSignature(image.manifest.digest, 'example.com/app');
  await put(plain, sig, `${referrersTag(image.manifest.digest)}.sig`);
  const source = withReferrers(plain, [descriptorOf(referrer.manifest, { artifactType: ART })]);
  const dest = createMemoryStore();
  await put(dest, image, 'v1');

  const found = await findAttachments(source, image.manifest.digest);
  assert.deepEqual(found.tags.map((t) => t.kind), ['signature']);
  assert.equal(found.referrers.length, 1);
  const copied = await copyAttachments(image.manifest.digest, found, { run: createCopyRun(), source, placeTag: (tag) => ({ store: dest, ref: tag }), image: 'app', imageRef: 'v1' });
  assert.deepEqual(copied.map((c) => c.kind), ['signature', 'referrers']);
  assert.equal((await dest.statManifest(`${referrersTag(image.manifest.digest)}.sig`))?.digest, sig.manifest.digest);
  assert.ok(await dest.statManifest(referrer.manifest.digest), 'the referrer by digest');
  const index = parseManifest((await dest.fetchManifest(referrersTag(image.manifest.digest))).bytes);
  assert.equal(index.kind, 'index');
  assert.deepEqual(index.kind === 'index' ? index.manifests.map((m) => m.digest) : [], [referrer.manifest.digest]);
});

test('image-attachments/an image holding its own fallback tag keeps it; the referrers go by digest only', async () => {
  const plain = createMemoryStore();
  await put(plain, image, 'v1');
  const referrer = referrerArtifact(descriptorOf(image.manifest), ART);
  await put(plain, referrer, referrer.manifest.digest);
  const source = withReferrers(plain, [descriptorOf(referrer.manifest, { artifactType: ART })]);
  const dest = createMemoryStore();
  const own = referrersTag(image.manifest.digest);
  await put(dest, image, own);
  const found = await findAttachments(source, image.manifest.digest);
  await copyAttachments(image.manifest.digest, found, { run: createCopyRun(), source, placeTag: (tag) => ({ store: dest, ref: tag }), image: 'app', imageRef: own });
  assert.equal((await dest.statManifest(own))?.digest, image.manifest.digest, 'the tag still names the image');
  assert.ok(await dest.statManifest(referrer.manifest.digest));
});

test('image-attachments/nothing next to the image: nothing found, no API asked of a store without one', async () => {
  const source = createMemoryStore();
  await put(source, image, 'v1');
  const found = await findAttachments(source, image.manifest.digest);
  assert.deepEqual(found, { tags: [], referrers: [] });
});
