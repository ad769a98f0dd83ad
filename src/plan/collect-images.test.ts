import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { loadCatalog } from '../catalog/fbc/load.js';
import { collectCatalogImages } from './collect-images.js';

const D = 'sha256:' + 'a'.repeat(64);

test('collect/bundle and related images, deduplicated, each with why', async () => {
  const blobs = [
    { schema: 'olm.package', name: 'p', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'p', name: 'stable', entries: [{ name: 'p.v1' }, { name: 'p.v2', replaces: 'p.v1' }] },
    { schema: 'olm.channel', package: 'p', name: 'fast', entries: [{ name: 'p.v2' }] },
    { schema: 'olm.bundle', package: 'p', name: 'p.v1', image: `quay.io/p/bundle@${D}`, relatedImages: [{ name: '', image: `quay.io/p/bundle@${D}` }, { name: 'operator', image: 'quay.io/p/op:1' }] },
    { schema: 'olm.bundle', package: 'p', name: 'p.v2', image: 'quay.io/p/bundle:2', relatedImages: [{ name: 'operator', image: 'quay.io/p/op:1' }, { name: 'bad', image: 'not a ref' }] },
  ];
  const { config } = await loadCatalog(createMemoryTree({ 'c.json': blobs.map((b) => JSON.stringify(b)).join('\n') }));
  const { images, issues } = collectCatalogImages(config, 'registry.redhat.io/redhat/redhat-operator-index:v4.16');
  assert.deepEqual(images.map((i) => i.image), ['quay.io/p/bundle:2', `quay.io/p/bundle@${D}`, 'quay.io/p/op:1']);
  const op = images.find((i) => i.image === 'quay.io/p/op:1')!;
  assert.deepEqual(op.reasons.map((r) => `${r.bundle}/${r.as}/${r.channels.join(',')}`), ['p.v1/operator/stable', 'p.v2/operator/fast,stable']);
  assert.equal(images.find((i) => i.image.endsWith(D))!.reasons.length, 1, 'the bundle image listed again in relatedImages is one reason');
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.code, 'IMAGE_REFERENCE_INVALID');
});
