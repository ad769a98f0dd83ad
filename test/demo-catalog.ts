// The demo-op catalog the mirror, archive and delete tests share: one package, one channel whose bundles replace
// each other in order, each bundle relating the operator image and itself by digest, built into a catalog image.
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
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

/**
 * The demo source the mirror tests share: an operator, two bundles and tools/extra (plus any `more` images), pushed
 * to `src`, and the demo-op catalog for them. Images are named by their first column.
 */
export async function pushDemoSource(
  src: RunningRegistry,
  opts: { seed: string; layerSize: number; more?: readonly (readonly [name: string, repo: string, tag: string])[] },
): Promise<Record<string, TestImage>> {
  const images: Record<string, TestImage> = {};
  const all = [['operator', 'demo/operator', 'v1'], ['bundle1', 'demo/bundle', 'v1.0.0'], ['bundle2', 'demo/bundle', 'v1.1.0'], ['extra', 'tools/extra', '1'], ...(opts.more ?? [])] as const;
  for (const [name, repo, tag] of all) {
    images[name] = buildImage({ seed: `${opts.seed}-${name}`, layerSizes: [opts.layerSize] });
    await pushImageRaw(src.url, repo, tag, images[name]!);
  }
  await pushDemoCatalog(src, images.operator!, [['1.0.0', images.bundle1!], ['1.1.0', images.bundle2!]]);
  return images;
}
