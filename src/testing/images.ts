// Deterministic synthetic images for tests and benchmarks: seeded pseudo-random layers (or real gzip'd tars),
// OCI or Docker schema2 manifests, multi-arch indexes. Same inputs, same bytes, same digests.
import { createCipheriv, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Store } from '../content/store.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import type { Platform } from '../oci/platform.js';

// The uploader lives in its own file; re-exported so that image builders and seeding come from one import.
export { pushImageRaw, pushImagesRaw, pushIndexRaw, type RawPushOptions, type RawPushItem } from './raw-push.js';

export type ImageFormat = 'oci' | 'docker';

export interface BuiltBlob {
  bytes: Buffer;
  digest: Digest;
  mediaType: string;
  size: number;
}

export interface TestImage {
  manifest: BuiltBlob;
  config: BuiltBlob;
  layers: BuiltBlob[];
  platform: Platform;
}

export interface TestIndex {
  manifest: BuiltBlob;
  /** The children, in the order the index lists them. */
  images: TestImage[];
}

export interface BuildImageOptions {
  /** Everything random about the image derives from it; different seeds give disjoint layers. */
  seed: string | number;
  /**
   * Bytes per layer. With tarLayer, the size of the one file in each layer's tar (the gzip'd blob is a little
   * larger, since random bytes do not compress).
   */
  layerSizes: number[];
  /** Default 'oci'. */
  format?: ImageFormat;
  /** Default linux/amd64. */
  platform?: Platform;
  labels?: Record<string, string>;
  /**
   * Real gzip'd tar layers (a directory and one file each), for tools that unpack, like umoci. Also needed
   * whenever skopeo copies the image without --preserve-digests: skopeo sniffs the bytes, finds the raw
   * random layers uncompressed, gzips them on the way and so changes layer and manifest digests.
   */
  tarLayer?: boolean;
}

export interface BuildIndexOptions {
  /** Default 'oci' (an OCI image index); 'docker' makes a Docker manifest list. */
  format?: ImageFormat;
  annotations?: Record<string, string>;
}

const ZEROS = Buffer.alloc(1 << 20);

/**
 * `size` pseudo-random bytes from `key`: AES-128-CTR over zeros, a keystream that is fast (GB/s with AES-NI)
 * and fully determined by the key. Not for secrets; for test content.
 */
export function generateBytes(key: string, size: number): Buffer {
  const aesKey = createHash('sha256').update(key).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', aesKey, Buffer.alloc(16));
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  while (offset < size) {
    const n = Math.min(ZEROS.length, size - offset);
    offset += cipher.update(ZEROS.subarray(0, n)).copy(out, offset);
  }
  return out;
}

export function makeBlob(bytes: Buffer, mediaType: string): BuiltBlob {
  return { bytes, digest: sha256(bytes), mediaType, size: bytes.length };
}

/** The descriptor of a built blob (its bytes left out), as a manifest or a Store call wants it. */
export function descriptorOf(blob: BuiltBlob, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size, ...extra };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A ustar header block (POSIX.1-1988); enough for umoci and tar to read. */
function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    h.write(value, offset, length, 'ascii');
  };
  const octal = (offset: number, length: number, value: number): void => {
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  };
  field(0, 100, name);
  octal(100, 8, type === '5' ? 0o755 : 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  field(148, 8, '        ');
  field(156, 1, type);
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** An uncompressed tar with directory "gantry/" and the file "gantry/NAME". */
function makeTar(fileName: string, content: Buffer): Buffer {
  const pad = (512 - (content.length % 512)) % 512;
  return Buffer.concat([
    tarHeader('gantry/', 0, '5'),
    tarHeader(`gantry/${fileName}`, content.length, '0'),
    content,
    Buffer.alloc(pad),
    Buffer.alloc(1024),
  ]);
}

export function buildImage(opts: BuildImageOptions): TestImage {
  const format = opts.format ?? 'oci';
  const platform: Platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  const seed = String(opts.seed);
  const layerType = format === 'oci' ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip;
  const diffIds: Digest[] = [];
  const layers = opts.layerSizes.map((size, i) => {
    const content = generateBytes(`gantry-test/${seed}/layer/${i}`, size);
    if (!opts.tarLayer) {
      // Not a tarball: registries and copiers never look inside. The "diff ID" is only a placeholder.
      diffIds.push(sha256(content));
      return makeBlob(content, layerType);
    }
    const tar = makeTar(`layer-${i}.bin`, content);
    diffIds.push(sha256(tar));
    // Level 0 (stored blocks): random bytes do not compress anyway, it is fast, and its output does not
    // depend on the zlib version, so digests stay the same across Node releases.
    return makeBlob(gzipSync(tar, { level: 0 }), layerType);
  });
  const config = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    // The seed makes configs (and so manifests) distinct even for images without layers.
    author: `gantry-test seed=${seed}`,
    config: opts.labels ? { Labels: sortedRecord(opts.labels) } : {},
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configBlob = makeBlob(
    Buffer.from(JSON.stringify(config)),
    format === 'oci' ? MediaType.ociConfig : MediaType.dockerConfig,
  );
  const manifestType = format === 'oci' ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: descriptorOf(configBlob),
    layers: layers.map((l) => descriptorOf(l)),
  };
  return {
    manifest: makeBlob(Buffer.from(JSON.stringify(manifest)), manifestType),
    config: configBlob,
    layers,
    platform,
  };
}

/** An index (or manifest list) over `images`, each listed with its platform. */
export function buildIndex(images: TestImage[], opts: BuildIndexOptions = {}): TestIndex {
  const indexType = (opts.format ?? 'oci') === 'oci' ? MediaType.ociIndex : MediaType.dockerManifestList;
  const index = {
    schemaVersion: 2,
    mediaType: indexType,
    manifests: images.map((img) => descriptorOf(img.manifest, { platform: img.platform })),
    ...(opts.annotations ? { annotations: sortedRecord(opts.annotations) } : {}),
  };
  return { manifest: makeBlob(Buffer.from(JSON.stringify(index)), indexType), images };
}

/** Every blob of an image, config first: what must be in a repository before its manifest. */
export function imageBlobs(image: TestImage): BuiltBlob[] {
  return [image.config, ...image.layers];
}

/**
 * Puts an image (or an index and its images) into a Store through its own interface: blobs, then manifests, the
 * given reference on the top manifest (an index's images by digest).
 */
export async function pushTestImage(store: Store, image: TestImage | TestIndex, reference: string): Promise<void> {
  const images = 'images' in image ? image.images : [image];
  for (const img of images) {
    for (const b of imageBlobs(img)) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
    await store.pushManifest(img.manifest.bytes, img.manifest.mediaType, 'images' in image ? img.manifest.digest : reference);
  }
  if ('images' in image) await store.pushManifest(image.manifest.bytes, image.manifest.mediaType, reference);
}
