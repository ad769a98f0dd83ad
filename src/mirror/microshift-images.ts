// MicroShift's own images (microshift-release-info's release-<arch>.json) in a mirror run: added to the image set
// as additional images by digest, so they are mirrored, archived and pushed like any other, and the blueprint lists them.
import { GantryError } from '../errors.js';
import type { BlueprintImage } from '../generate/microshift-blueprint.js';
import { formatReference } from '../oci/reference.js';
import type { MirrorInputs } from './load-config.js';

/**
 * The inputs with every MicroShift image as an additional image by digest (one already listed is not added
 * again). A device pulls by the digests the MicroShift manifests name, so an image by tag is refused here.
 */
export function addMicroShiftImages(inputs: MirrorInputs, images: readonly BlueprintImage[]): MirrorInputs {
  const set = inputs.config.mirror;
  if (images.length === 0 || !set) return inputs;
  const listed = new Set(set.additionalImages.map((a) => a.name));
  const added: { name: string }[] = [];
  for (const image of images) {
    if (!image.digest) {
      throw new GantryError('CONFIG_INVALID', `MicroShift image ${image.names?.join(', ') ?? ''} (${formatReference(image.source)}) is not pinned by digest`, {
        hint: 'release-<arch>.json lists every image by digest; a tag would mirror whatever it points to today',
      });
    }
    const name = formatReference({ registry: image.source.registry, repository: image.source.repository, digest: image.digest });
    if (listed.has(name)) continue;
    listed.add(name);
    added.push({ name });
  }
  return { ...inputs, config: { ...inputs.config, mirror: { ...set, additionalImages: [...set.additionalImages, ...added] } } };
}
