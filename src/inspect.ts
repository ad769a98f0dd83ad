// Inspecting an image without pulling it: manifest, platforms, layers with sizes, config summary.
// Library code behind `gantry inspect`; works on any Store.
import { GantryError } from './errors.js';
import type { Store } from './content/store.js';
import { collectBytes } from './content/chunks.js';
import { verifyStream, type Digest } from './oci/digest.js';
import { parseManifest, type Descriptor } from './oci/manifest.js';
import { formatPlatform, platformMatches, type Platform } from './oci/platform.js';

export interface ImageInfo {
  digest: Digest;
  mediaType: string;
  size: number;
  artifactType?: string;
  /** For an index: its children. */
  manifests?: { digest: Digest; mediaType: string; size: number; platform: string; artifactType?: string }[];
  /** For an image manifest: config and layers. */
  config?: { digest: Digest; mediaType: string; size: number; os?: string; architecture?: string; variant?: string; created?: string; labels?: Record<string, string> };
  layers?: { digest: Digest; mediaType: string; size: number }[];
  totalSize?: number;
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface InspectOptions {
  /** For an index: describe the child for this platform instead. */
  platform?: Platform;
  signal?: AbortSignal;
}

export async function fetchConfig(store: Store, desc: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const stream = await store.fetchBlob(desc, signal ? { signal } : {});
  return collectBytes(verifyStream(stream, desc.digest, desc.size), 64 * 1024 * 1024, `config ${desc.digest}`);
}

export async function inspectImage(store: Store, reference: string, opts: InspectOptions = {}): Promise<{ info: ImageInfo; raw: Uint8Array }> {
  const signal = opts.signal;
  let fetched = await store.fetchManifest(reference, signal ? { signal } : {});
  let manifest = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  if (manifest.kind === 'index' && opts.platform) {
    const wanted = opts.platform;
    const child = manifest.manifests.find((d) => platformMatches(wanted, d.platform));
    if (!child) {
      throw new GantryError('PLATFORM_NOT_FOUND', `${store.location}:${reference} has no manifest for ${formatPlatform(wanted)}`, {
        hint: `it has: ${manifest.manifests.map((d) => formatPlatform(d.platform)).join(', ')}`,
      });
    }
    fetched = await store.fetchManifest(child.digest, signal ? { signal } : {});
    manifest = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
  }
  const d = fetched.descriptor;
  const info: ImageInfo = { digest: d.digest, mediaType: d.mediaType, size: d.size };
  if (manifest.artifactType) info.artifactType = manifest.artifactType;
  if (manifest.subject) info.subject = manifest.subject;
  if (manifest.annotations) info.annotations = manifest.annotations;
  if (manifest.kind === 'index') {
    info.manifests = manifest.manifests.map((m) => ({
      digest: m.digest,
      mediaType: m.mediaType,
      size: m.size,
      platform: formatPlatform(m.platform),
      ...(m.artifactType ? { artifactType: m.artifactType } : {}),
    }));
  } else {
    info.layers = manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size }));
    info.totalSize = manifest.layers.reduce((n, l) => n + l.size, manifest.config.size);
    const c = manifest.config;
    info.config = { digest: c.digest, mediaType: c.mediaType, size: c.size };
    if (c.size <= 8 * 1024 * 1024 && c.mediaType.includes('json')) {
      try {
        const doc = JSON.parse((await fetchConfig(store, c, signal)).toString('utf8')) as {
          os?: string;
          architecture?: string;
          variant?: string;
          created?: string;
          config?: { Labels?: Record<string, string> };
        };
        Object.assign(info.config, {
          ...(doc.os ? { os: doc.os } : {}),
          ...(doc.architecture ? { architecture: doc.architecture } : {}),
          ...(doc.variant ? { variant: doc.variant } : {}),
          ...(doc.created ? { created: doc.created } : {}),
          ...(doc.config?.Labels ? { labels: doc.config.Labels } : {}),
        });
      } catch (err) {
        if (err instanceof GantryError && err.code !== 'MANIFEST_INVALID') throw err;
        // A config that is not JSON (artifacts) is fine: we report what we have.
      }
    }
  }
  return { info, raw: fetched.bytes };
}
