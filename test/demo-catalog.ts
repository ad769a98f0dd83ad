// The demo-op catalog the mirror, archive and delete tests share: one package, one channel whose bundles replace
// each other in order, each bundle relating the operator image and itself by digest, built into a catalog image.
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import type { TestImage } from '../src/testing/images.js';
import type { RunningRegistry } from '../src/testing/registry-process.js';
import { PLAIN, testSession } from './helpers.js';

export const DEMO_CATALOG = 'catalogs/demo-index';

/** Pushes `catalogs/demo-index:v1` to `src`; bundle images live in demo/bundle, the operator in demo/operator. */
export async function pushDemoCatalog(src: RunningRegistry, operator: TestImage, bundles: [version: string, image: TestImage][]): Promise<void> {
  const byDigest = (repo: string, img: TestImage) => `${src.host}/${repo}@${img.manifest.digest}`;
  const name = (v: string) => `demo-op.v${v}`;
  const blobs = [
    { schema: 'olm.package', name: 'demo-op', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'demo-op', name: 'stable', entries: bundles.map(([v], i) => (i === 0 ? { name: name(v) } : { name: name(v), replaces: name(bundles[i - 1]![0]) })) },
    ...bundles.map(([v, img]) => ({
      schema: 'olm.bundle',
      package: 'demo-op',
      name: name(v),
      image: byDigest('demo/bundle', img),
      properties: [{ type: 'olm.package', value: { packageName: 'demo-op', version: v } }],
      relatedImages: [{ name: 'operator', image: byDigest('demo/operator', operator) }, { name: '', image: byDigest('demo/bundle', img) }],
    })),
  ];
  const session = testSession();
  try {
    await buildCatalogImage({
      catalog: createMemoryTree({ 'demo-op/catalog.json': blobs.map((b) => JSON.stringify(b, null, 4)).join('\n') + '\n' }),
      base: 'scratch',
      dest: session.store(src.host, DEMO_CATALOG, PLAIN),
      tag: 'v1',
    });
  } finally {
    await session.close();
  }
}
