// Reads a bundle image's webhook and install-mode facts straight from a Store: the image config (for the
// bundle labels), then the layers, keeping only the files of the manifests directory in memory.
import { GantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import { BUNDLE_PACKAGE_LABEL } from '../catalog/image/defaults.js';
import { readBundleFacts, type BundleFacts } from '../catalog/image/bundle-facts.js';
import { readImageFiles } from './image-tree.js';

/** Where a registry+v1 bundle image says its manifests are; opm's bundle tooling writes "manifests/". */
const MANIFESTS_LABEL = 'operators.operatorframework.io.bundle.manifests.v1';

export async function readBundleImageFacts(store: Store, reference: string, where: string, opts: { signal?: AbortSignal } = {}): Promise<BundleFacts> {
  const { tree } = await readImageFiles(
    store,
    reference,
    (labels) => {
      if (labels[BUNDLE_PACKAGE_LABEL] === undefined) {
        throw new GantryError('CATALOG_INVALID', `${where} is not a bundle image (no ${BUNDLE_PACKAGE_LABEL} label)`);
      }
      return labels[MANIFESTS_LABEL] || 'manifests';
    },
    opts.signal ? { signal: opts.signal } : {},
  );
  return readBundleFacts(tree, where, opts);
}
