// A rendered bundle's relatedImages (OR:alpha/action/render.go getRelatedImages, then the sort in Run):
// what the CSV lists, the bundle image, and the images of the operator's own containers.
import { byteOrder } from '../../order.js';
import type { RelatedImage } from '../fbc/types.js';
import type { CsvRelatedImage } from './bundle-csv.js';

/**
 * The CSV's relatedImages exactly as listed (repeats kept), then the bundle image with an empty name unless
 * the CSV lists it, then each operator container image the list does not have yet, all sorted by image.
 * Quirks kept on purpose: the bundle image is not added to the "seen" set, so an operator image equal to it
 * appears twice; a container without an image contributes "". opm's sort.Slice is not stable; for entries
 * sharing an image this keeps their order (identical to Go for up to 12 entries, where Go's sort is insertion).
 */
export function collectRelatedImages(fromCsv: CsvRelatedImage[], bundleImage: string, operatorImages: Iterable<string>): RelatedImage[] {
  const out: RelatedImage[] = fromCsv.map((r) => ({ name: r.name, image: r.image }));
  const seen = new Set(out.map((r) => r.image));
  if (bundleImage !== '' && !seen.has(bundleImage)) out.push({ name: '', image: bundleImage });
  // Go ranges over a map here (random order); the sort below makes the order irrelevant.
  for (const image of operatorImages) {
    if (!seen.has(image)) out.push({ name: '', image });
    seen.add(image);
  }
  return out.sort((a, b) => byteOrder(a.image, b.image));
}
