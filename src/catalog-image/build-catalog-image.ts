// buildCatalogImage: an OCI catalog image without podman or docker — the base image (or scratch) plus one layer
// holding the FBC at /configs, opm's label/entrypoint/command, pushed to any Store; same inputs, same digest.
import { GantryError, throwIfAborted } from '../errors.js';
import type { Store } from '../content/store.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import type { Platform } from '../oci/platform.js';
import type { RetryPolicy } from '../transport/retry.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import { resolveBase, type BasePlatform, type CatalogBase, type ImageFormat } from './base-image.js';
import { putBlobs, type BlobOutcome, type BlobPut } from './blob-transfer.js';
import { CATALOG_RUN, checkExtraLabels, imageConfig, type RunSettings } from './catalog-config.js';
import { buildCatalogLayer, checkSourceDateEpoch, type CatalogLayer, type LayerCompression } from './catalog-layer.js';
import { CATALOG_IMAGE_DEFAULTS } from '../catalog/image-defaults.js';

export interface BuildCatalogImageOptions {
  /** The FBC root: its files go to /configs/<path>. Validate it first; the builder only packs it. */
  catalog: FileTree;
  /** `scratch`, or a base image in any Store (registry repository, OCI layout) by tag or digest. */
  base: CatalogBase;
  dest: Store;
  /** Tag (or digest) to push the result under. */
  tag: string;
  /**
   * A multi-platform base: only these platforms (each must exist). A single-platform base: must match.
   * `scratch`: one image per platform (default linux/amd64; several give an index).
   */
  platforms?: Platform[];
  /** Seconds since the Unix epoch for file times, `created` and history (SOURCE_DATE_EPOCH). Default 0. */
  sourceDateEpoch?: number;
  /** Extra labels, like `opm generate dockerfile -l k=v`. */
  labels?: Record<string, string>;
  /** Catalog layer compression. Default 'gzip'; 'none' gives digests that do not depend on the zlib build. */
  compression?: LayerCompression;
  /**
   * What kind of image: where the files go, whether the base's files there are hidden, what it runs. Default the
   * catalog (files at /configs, hidden on a base, opm serve); the graph-data image gives its own (graph-data-image.ts).
   */
  profile?: ImageProfile;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

/** One builder, several kinds of image: a catalog, the graph-data image. */
export interface ImageProfile {
  /** Absolute directory the files go to. */
  root: string;
  /** Hide whatever the base has under root (an opaque whiteout). */
  opaque: boolean;
  run: RunSettings;
}

export interface CatalogImageManifest {
  platform: Platform;
  digest: Digest;
  /** The base image manifest it was built on; undefined for scratch. */
  baseDigest?: Digest;
}

export interface CatalogImageResult {
  /** Digest of what the tag points at: the manifest, or the index for several platforms. */
  digest: Digest;
  mediaType: string;
  size: number;
  manifests: CatalogImageManifest[];
  layer: { digest: Digest; diffId: Digest; size: number; mediaType: string; files: number };
  /** What happened to each distinct blob (base layers, catalog layer, configs): already there, mounted, or copied. */
  blobs: Record<BlobOutcome, number>;
}

/** Base digest annotation of the image-spec (annotations.md); OCI manifests only, Docker's have no annotations. */
const BASE_DIGEST_ANNOTATION = 'org.opencontainers.image.base.digest';

const TYPES: Record<ImageFormat, { manifest: string; index: string; config: string; gzip: string; tar: string }> = {
  oci: { manifest: MediaType.ociManifest, index: MediaType.ociIndex, config: MediaType.ociConfig, gzip: MediaType.ociLayerGzip, tar: MediaType.ociLayer },
  docker: {
    manifest: MediaType.dockerManifest,
    index: MediaType.dockerManifestList,
    config: MediaType.dockerConfig,
    gzip: MediaType.dockerLayerGzip,
    // Docker's uncompressed layer type (distribution's schema2 MediaTypeUncompressedLayer).
    tar: 'application/vnd.docker.image.rootfs.diff.tar',
  },
};

interface Built {
  base: BasePlatform;
  config: { descriptor: Descriptor; bytes: Uint8Array };
  manifest: { descriptor: Descriptor; bytes: Uint8Array };
}

function encode(doc: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(doc));
}

/** The catalog layer as a manifest of `format` lists it. */
function layerDescriptor(layer: CatalogLayer, format: ImageFormat): Descriptor {
  const types = TYPES[format];
  return { mediaType: layer.compression === 'gzip' ? types.gzip : types.tar, digest: layer.digest, size: layer.size };
}

function buildPlatform(base: BasePlatform, layer: CatalogLayer, opts: BuildCatalogImageOptions, epoch: number): Built {
  const types = TYPES[base.format];
  const layerDesc = layerDescriptor(layer, base.format);
  const configDoc = imageConfig({
    ...(base.config ? { base: base.config } : {}),
    baseLayerCount: base.manifest?.layers.length ?? 0,
    platform: base.platform,
    layerDiffId: layer.diffId,
    sourceDateEpoch: epoch,
    ...(opts.labels ? { labels: opts.labels } : {}),
  }, opts.profile?.run ?? CATALOG_RUN);
  const configBytes = encode(configDoc);
  const configDesc: Descriptor = { mediaType: types.config, digest: sha256(configBytes), size: configBytes.length };
  const manifestDoc = {
    schemaVersion: 2,
    mediaType: types.manifest,
    config: configDesc,
    // The base's descriptors as the base wrote them (annotations, urls of non-distributable layers included).
    layers: [...(base.manifest?.layers ?? []), layerDesc],
    ...(base.format === 'oci' && base.manifestDigest ? { annotations: { [BASE_DIGEST_ANNOTATION]: base.manifestDigest } } : {}),
  };
  const manifestBytes = encode(manifestDoc);
  return {
    base,
    config: { descriptor: configDesc, bytes: configBytes },
    manifest: { descriptor: { mediaType: types.manifest, digest: sha256(manifestBytes), size: manifestBytes.length }, bytes: manifestBytes },
  };
}

const opener = (bytes: Uint8Array) => async () => [bytes];

/**
 * Builds the catalog image and pushes it: base layers (mounted or copied from the base store), the catalog
 * layer, configs, manifests, then the index, and the tag last, so the tag never names incomplete content.
 */
export async function buildCatalogImage(opts: BuildCatalogImageOptions): Promise<CatalogImageResult> {
  const { signal, dest } = opts;
  const epoch = checkSourceDateEpoch(opts.sourceDateEpoch);
  checkExtraLabels(opts.labels, (opts.profile?.run ?? CATALOG_RUN).labels);
  if (opts.tag === '') throw new GantryError('USAGE', 'no tag given for the catalog image');
  // Packing the catalog and reading the base run side by side; when one fails, the other is cancelled.
  const sibling = new AbortController();
  const both = signal ? AbortSignal.any([signal, sibling.signal]) : sibling.signal;
  const stopSibling = (err: unknown): never => {
    sibling.abort(err);
    throw err;
  };
  const [layer, base] = await Promise.all([
    buildCatalogLayer(opts.catalog, {
      sourceDateEpoch: epoch,
      // On a base image (often the original catalog image being filtered), hide its /configs.
      opaque: opts.profile ? opts.profile.opaque : opts.base !== 'scratch',
      ...(opts.profile ? { root: opts.profile.root } : {}),
      ...(opts.compression ? { compression: opts.compression } : {}),
      signal: both,
    }).catch(stopSibling),
    resolveBase(opts.base, { ...(opts.platforms ? { platforms: opts.platforms } : {}), signal: both }).catch(stopSibling),
  ]);
  const built = base.platforms.map((p) => buildPlatform(p, layer, opts, epoch));

  const puts: BlobPut[] = [];
  const from = base.store;
  for (const l of from ? built.flatMap((b) => b.base.manifest?.layers ?? []) : []) {
    // Non-distributable layers (urls set) are fetched by runtimes from their urls; registries do not hold them.
    if (!from || (l.urls && l.urls.length > 0)) continue;
    puts.push({ descriptor: l, from, open: () => from.fetchBlob(l, signal ? { signal } : {}) });
  }
  const layerDesc = layerDescriptor(layer, built[0]!.base.format);
  puts.push({ descriptor: layerDesc, open: opener(layer.bytes) });
  for (const b of built) puts.push({ descriptor: b.config.descriptor, open: opener(b.config.bytes) });
  const outcomes = await putBlobs(dest, puts, {
    concurrency: CATALOG_IMAGE_DEFAULTS.blobConcurrency,
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(signal ? { signal } : {}),
  });
  throwIfAborted(signal);

  const manifests = built.map((b): CatalogImageManifest => ({
    platform: b.base.platform,
    digest: b.manifest.descriptor.digest,
    ...(b.base.manifestDigest ? { baseDigest: b.base.manifestDigest } : {}),
  }));
  const layerInfo = { digest: layer.digest, diffId: layer.diffId, size: layer.size, mediaType: layerDesc.mediaType, files: layer.files };
  const blobs: Record<BlobOutcome, number> = { exists: 0, mounted: 0, copied: 0 };
  for (const outcome of outcomes.values()) blobs[outcome]++;
  const o = signal ? { signal } : {};
  if (base.shape === 'manifest') {
    const only = built[0]!;
    await dest.pushManifest(only.manifest.bytes, only.manifest.descriptor.mediaType, opts.tag, o);
    return { ...only.manifest.descriptor, manifests, layer: layerInfo, blobs };
  }
  // Children by digest first (a registry refuses an index whose children it lacks), then the tagged index.
  for (const b of built) await dest.pushManifest(b.manifest.bytes, b.manifest.descriptor.mediaType, b.manifest.descriptor.digest, o);
  const indexType = TYPES[base.indexFormat].index;
  const indexBytes = encode({
    schemaVersion: 2,
    mediaType: indexType,
    manifests: built.map((b) => ({ ...b.manifest.descriptor, platform: b.base.platform })),
  });
  await dest.pushManifest(indexBytes, indexType, opts.tag, o);
  return { mediaType: indexType, digest: sha256(indexBytes), size: indexBytes.length, manifests, layer: layerInfo, blobs };
}
