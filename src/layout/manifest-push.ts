// What a pushManifest call means before anything is written: the parsed manifest, its descriptor (digest in
// the reference's algorithm), the tag if any, and the blobs and child manifests that must already be stored.
import { GantryError } from '../errors.js';
import { createDigester, digestAlgorithm, isDigest, type Digest } from '../oci/digest.js';
import { manifestBlobs, parseManifest, type Descriptor, type Manifest } from '../oci/manifest.js';
import { isManifestMediaType } from '../oci/media-types.js';

export interface ManifestPush {
  descriptor: Descriptor;
  manifest: Manifest;
  /** Undefined when the manifest is pushed by digest. */
  tag: string | undefined;
  /** Config and layers of an image manifest (foreign layers excluded). */
  blobs: Descriptor[];
  /** Manifests an index lists. */
  children: Descriptor[];
}

export function prepareManifestPush(bytes: Uint8Array, mediaType: string, reference: string): ManifestPush {
  if (reference === '') throw new GantryError('REF_INVALID', 'a manifest needs a tag or digest to be pushed to');
  const manifest = parseManifest(bytes, mediaType);
  // A document that names its own media type must agree with the one it is pushed as (distribution does the same).
  if (isManifestMediaType(mediaType) && manifest.mediaType !== mediaType) {
    throw new GantryError('MANIFEST_INVALID', `manifest declares media type ${manifest.mediaType} but is pushed as ${mediaType}`);
  }
  const byDigest = isDigest(reference);
  const algorithm = byDigest ? digestAlgorithm(reference) : 'sha256';
  const digest = `${algorithm}:${createDigester(algorithm).update(bytes).digest('hex')}` as Digest;
  if (byDigest && digest !== reference) {
    throw new GantryError('DIGEST_MISMATCH', `manifest pushed as ${reference} has digest ${digest}`);
  }
  return {
    descriptor: { mediaType: manifest.mediaType, digest, size: bytes.byteLength },
    manifest,
    tag: byDigest ? undefined : reference,
    blobs: manifest.kind === 'manifest' ? manifestBlobs(manifest) : [],
    children: manifest.kind === 'index' ? manifest.manifests : [],
  };
}
