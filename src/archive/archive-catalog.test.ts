import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import type { ArchivedImage } from './archive-format.js';
import { parseArchiveSource, pickArchivedCatalog } from './archive-catalog.js';

const image = (source: string, kind: ArchivedImage['kind'], extra: Partial<ArchivedImage> = {}): ArchivedImage => ({
  key: source.replace(/[/:@]/g, '_'),
  kind,
  source,
  digest: `sha256:${'0'.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 1,
  ...extra,
});
const redhat = image('registry.example/redhat/redhat-operator-index:v4.16', 'catalog', { targetRepo: 'mirror/redhat/redhat-operator-index', targetTag: 'v4.16' });
const community = image('registry.example/redhat/community-operator-index:v4.16', 'catalog');
const operator = image('quay.io/x/op@sha256:' + '1'.repeat(64), 'operator');

test('archive-catalog/parseArchiveSource', () => {
  assert.deepEqual(parseArchiveSource('/a/b'), { dir: '/a/b' });
  assert.deepEqual(parseArchiveSource('/a#b/c#idx'), { dir: '/a#b/c', which: 'idx' });
});

test('archive-catalog/pickArchivedCatalog', async (t) => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return isGantryError(e) ? e.code : 'other';
    }
    return 'none';
  };
  await t.test('the only catalog', () => assert.equal(pickArchivedCatalog([operator, redhat], undefined, 'd'), redhat));
  await t.test('by source', () => assert.equal(pickArchivedCatalog([redhat, community], community.source, 'd'), community));
  await t.test('by destination', () => assert.equal(pickArchivedCatalog([redhat, community], 'mirror/redhat/redhat-operator-index:v4.16', 'd'), redhat));
  await t.test('by repository name', () => assert.equal(pickArchivedCatalog([redhat, community], 'community-operator-index', 'd'), community));
  await t.test('error/several and no choice', () => assert.equal(code(() => pickArchivedCatalog([redhat, community], undefined, 'd')), 'USAGE'));
  await t.test('error/no such catalog', () => assert.equal(code(() => pickArchivedCatalog([redhat], 'nope', 'd')), 'USAGE'));
  await t.test('error/no catalog at all', () => assert.equal(code(() => pickArchivedCatalog([operator], undefined, 'd')), 'CATALOG_INVALID'));
});
