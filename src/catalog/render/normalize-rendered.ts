// What `opm render` does to every bundle of every input, catalogs included, before writing (OR:alpha/action/
// render.go Run, same in v1.26.5 and v1.73.0): inlined manifests last, relatedImages sorted by image.
import { byteOrder } from '../fbc/file-tree.js';
import type { Bundle, DeclarativeConfig, Property } from '../fbc/types.js';
import { TYPE_BUNDLE_OBJECT, TYPE_CSV_METADATA } from './rendered-property.js';

const isObjectProperty = (p: Property) => p.type === TYPE_BUNDLE_OBJECT || p.type === TYPE_CSV_METADATA;

/**
 * One bundle, in place: moveBundleObjectsToEndOfPropertySlices (a stable partition; opm v1.26.5 moved only
 * olm.bundle.object, olm.csv.metadata did not exist yet), then relatedImages by image, byte-wise. Go's
 * sort.Slice is not stable; a stable sort gives the same order for the lists opm's tests hold and is repeatable.
 */
export function normalizeRenderedBundle(bundle: Bundle): void {
  if (bundle.properties && bundle.properties.some(isObjectProperty)) {
    bundle.properties = [...bundle.properties.filter((p) => !isObjectProperty(p)), ...bundle.properties.filter(isObjectProperty)];
  }
  if (bundle.relatedImages && bundle.relatedImages.length > 1) bundle.relatedImages = [...bundle.relatedImages].sort((a, b) => byteOrder(a.image, b.image));
}

/** Every bundle of a rendered input, in place. */
export function normalizeRendered(config: DeclarativeConfig): void {
  for (const b of config.bundles) normalizeRenderedBundle(b);
}
