// The base of a catalog image: `scratch`, or an image in any Store resolved to one entry per platform (manifest,
// config, format), with the platforms filter applied and attestation or artifact entries of an index left out.
import { GantryError, throwIfAborted } from '../errors.js';
import type { Store } from '../content/store.js';
import { isDigest, verifyStream, type Digest } from '../oci/digest.js';
import { parseManifest, type Descriptor, type ImageManifest } from '../oci/manifest.js';
import { MediaType, isImageManifestMediaType, isIndexMediaType } from '../oci/media-types.js';
import { formatPlatform, platformMatches, type Platform } from '../oci/platform.js';
import { baseDiffIds, configPlatform } from './catalog-config.js';
import { CATALOG_IMAGE_DEFAULTS } from '../catalog/image-defaults.js';

export type CatalogBase = 'scratch' | { store: Store; reference: string };

export type ImageFormat = 'oci' | 'docker';

/** One platform of the base: what the catalog image for that platform is built on. */
export interface BasePlatform {
  platform: Platform;
  format: ImageFormat;
  /** Undefined for `scratch`. */
  manifest?: ImageManifest;
  manifestDigest?: Digest;
  config?: Record<string, unknown>;
}

export interface ResolvedBase {
  /** 'index' when the result must be an index: a multi-platform base, or several platforms on scratch. */
  shape: 'manifest' | 'index';
  /** Format of the index (a base index keeps its own: OCI index or Docker manifest list). */
  indexFormat: ImageFormat;
  platforms: BasePlatform[];
  /** The Store the base's layers come from; undefined for `scratch`. */
  store?: Store;
}

interface ResolveOptions {
  platforms?: Platform[];
  signal?: AbortSignal;
}

const ATTESTATION_TYPE_ANNOTATION = 'vnd.docker.reference.type';

function formatOf(mediaType: string): ImageFormat {
  return mediaType === MediaType.dockerManifest || mediaType === MediaType.dockerManifestList ? 'docker' : 'oci';
}

function notFound(where: string, wanted: Platform[], available: (Platform | undefined)[]): GantryError {
  return new GantryError('PLATFORM_NOT_FOUND', `${where}: no image for ${wanted.map(formatPlatform).join(', ')}`, {
    hint: `the base image has: ${available.map(formatPlatform).join(', ') || 'no platforms'}`,
  });
}

/** Every wanted platform must be matched by some candidate: a catalog silently missing a platform fails later, on a cluster. */
function checkAllFound(where: string, wanted: Platform[] | undefined, available: (Platform | undefined)[]): void {
  const missing = (wanted ?? []).filter((w) => !available.some((a) => platformMatches(w, a)));
  if (missing.length > 0) throw notFound(where, missing, available);
}

/** An index entry that is a runnable image rather than a BuildKit attestation or another artifact. */
function isRunnableEntry(d: Descriptor): boolean {
  if (!isImageManifestMediaType(d.mediaType)) return false;
  if (d.annotations?.[ATTESTATION_TYPE_ANNOTATION] !== undefined) return false;
  return d.platform !== undefined && d.platform.os !== 'unknown' && d.platform.architecture !== 'unknown';
}

async function fetchConfig(store: Store, desc: Descriptor, signal?: AbortSignal): Promise<Record<string, unknown>> {
  if (desc.mediaType !== MediaType.ociConfig && desc.mediaType !== MediaType.dockerConfig) {
    throw new GantryError('MANIFEST_UNSUPPORTED', `base image config has media type ${desc.mediaType}, not a container image config`);
  }
  if (desc.size > CATALOG_IMAGE_DEFAULTS.maxConfigBytes) {
    throw new GantryError('MANIFEST_INVALID', `base image config ${desc.digest} is ${desc.size} bytes, more than the ${CATALOG_IMAGE_DEFAULTS.maxConfigBytes} allowed`);
  }
  const parts: Uint8Array[] = [];
  for await (const c of verifyStream(await store.fetchBlob(desc, signal ? { signal } : {}), desc.digest, desc.size)) parts.push(c);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (err) {
    throw new GantryError('MANIFEST_INVALID', `base image config ${desc.digest} is not valid JSON`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new GantryError('MANIFEST_INVALID', `base image config ${desc.digest} is not a JSON object`);
  }
  return doc as Record<string, unknown>;
}

async function loadPlatform(store: Store, manifest: ImageManifest, digest: Digest, listed: Platform | undefined, signal?: AbortSignal): Promise<BasePlatform> {
  const config = await fetchConfig(store, manifest.config, signal);
  baseDiffIds(config, manifest.layers.length);
  const platform = configPlatform(config) ?? listed;
  if (!platform) throw new GantryError('MANIFEST_INVALID', `base image ${digest} declares no os/architecture`);
  return { platform: listed ?? platform, format: formatOf(manifest.mediaType), manifest, manifestDigest: digest, config };
}

function resolveScratch(platforms: Platform[] | undefined): ResolvedBase {
  const wanted: Platform[] = platforms && platforms.length > 0 ? platforms : [{ ...CATALOG_IMAGE_DEFAULTS.scratchPlatform }];
  const unique = new Map<string, Platform>();
  for (const p of wanted) {
    const normal: Platform = { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) };
    unique.set(formatPlatform(normal), normal);
  }
  const list = [...unique.values()].map((platform): BasePlatform => ({ platform, format: 'oci' }));
  return { shape: list.length > 1 ? 'index' : 'manifest', indexFormat: 'oci', platforms: list };
}

/** Resolves the base to the platforms to build; throws PLATFORM_NOT_FOUND when a wanted platform is missing. */
export async function resolveBase(base: CatalogBase, opts: ResolveOptions = {}): Promise<ResolvedBase> {
  const { signal, platforms } = opts;
  if (base === 'scratch') return resolveScratch(platforms);
  const { store, reference } = base;
  const where = `${store.location}${isDigest(reference) ? '@' : ':'}${reference}`;
  const top = await store.fetchManifest(reference, signal ? { signal } : {});
  const parsed = parseManifest(top.bytes, top.descriptor.mediaType);
  if (parsed.kind === 'manifest') {
    const one = await loadPlatform(store, parsed, top.descriptor.digest, undefined, signal);
    checkAllFound(where, platforms, [one.platform]);
    return { shape: 'manifest', indexFormat: one.format, platforms: [one], store };
  }
  const runnable = parsed.manifests.filter(isRunnableEntry);
  if (runnable.length === 0) {
    throw new GantryError('MANIFEST_UNSUPPORTED', `${where}: the base index lists no container image (only attestations, artifacts or nested indexes)`);
  }
  checkAllFound(where, platforms, runnable.map((d) => d.platform));
  const chosen = platforms && platforms.length > 0 ? runnable.filter((d) => platforms.some((p) => platformMatches(p, d.platform))) : runnable;
  const loaded = await Promise.all(
    chosen.map(async (d) => {
      throwIfAborted(signal);
      const child = await store.fetchManifest(d.digest, signal ? { signal } : {});
      const m = parseManifest(child.bytes, child.descriptor.mediaType);
      if (m.kind !== 'manifest') {
        throw new GantryError('MANIFEST_UNSUPPORTED', `${where}: entry ${d.digest} is ${isIndexMediaType(m.mediaType) ? 'a nested index' : m.mediaType}`);
      }
      return loadPlatform(store, m, d.digest, d.platform, signal);
    }),
  );
  return { shape: 'index', indexFormat: formatOf(parsed.mediaType), platforms: loaded, store };
}
