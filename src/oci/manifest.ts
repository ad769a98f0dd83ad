// Manifests and indexes (OCI image spec v1.1 and Docker schema2): parsing raw bytes into typed values,
// listing the content they reference, and rejecting schema1 with a clear error.
import { GantryError } from '../errors.js';
import { isDigest, type Digest } from './digest.js';
import { MediaType, isImageManifestMediaType, isIndexMediaType, isSchema1MediaType } from './media-types.js';
import type { Platform } from './platform.js';

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

export interface ImageManifest {
  kind: 'manifest';
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  kind: 'index';
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

function fail(message: string, hint?: string): never {
  throw new GantryError('MANIFEST_INVALID', message, hint === undefined ? {} : { hint });
}

function parseDescriptor(v: unknown, where: string): Descriptor {
  if (typeof v !== 'object' || v === null) fail(`${where} is not an object`);
  const o = v as Record<string, unknown>;
  if (typeof o.mediaType !== 'string' || o.mediaType === '') fail(`${where} has no mediaType`);
  if (typeof o.digest !== 'string' || !isDigest(o.digest)) fail(`${where} has an invalid digest "${String(o.digest)}"`);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) fail(`${where} has an invalid size`);
  return o as unknown as Descriptor;
}

/**
 * Parses manifest bytes. `headerMediaType` is the Content-Type the registry or layout gave, used when the
 * document itself has no mediaType (allowed for OCI manifests and indexes).
 */
export function parseManifest(bytes: Uint8Array, headerMediaType?: string): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    fail('manifest is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('manifest is not a JSON object');
  const o = doc as Record<string, unknown>;
  const declared = typeof o.mediaType === 'string' ? o.mediaType : undefined;
  if (o.schemaVersion === 1 || isSchema1MediaType(declared) || isSchema1MediaType(headerMediaType)) {
    throw new GantryError('MANIFEST_UNSUPPORTED', 'Docker schema1 manifests are not supported', {
      hint: 'schema1 was deprecated in 2017; rebuild or re-push the image with a current client to get a schema2/OCI manifest',
    });
  }
  if (o.schemaVersion !== 2) fail(`unsupported schemaVersion ${String(o.schemaVersion)}`);
  let mediaType = declared ?? headerMediaType;
  if (mediaType === undefined || mediaType === 'application/json' || mediaType === '') {
    mediaType = Array.isArray(o.manifests) ? MediaType.ociIndex : MediaType.ociManifest;
  }
  const subject = o.subject === undefined ? undefined : parseDescriptor(o.subject, 'subject');
  const base = {
    schemaVersion: 2 as const,
    mediaType,
    ...(typeof o.artifactType === 'string' ? { artifactType: o.artifactType } : {}),
    ...(subject ? { subject } : {}),
    ...(o.annotations ? { annotations: o.annotations as Record<string, string> } : {}),
  };
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(o.manifests)) fail('index has no manifests array');
    const manifests = o.manifests.map((m, i) => parseDescriptor(m, `manifests[${i}]`));
    return { kind: 'index', ...base, manifests };
  }
  if (isImageManifestMediaType(mediaType)) {
    const config = parseDescriptor(o.config, 'config');
    if (!Array.isArray(o.layers)) fail('manifest has no layers array');
    const layers = o.layers.map((l, i) => parseDescriptor(l, `layers[${i}]`));
    return { kind: 'manifest', ...base, config, layers };
  }
  throw new GantryError('MANIFEST_UNSUPPORTED', `unsupported manifest media type "${mediaType}"`);
}

/** Blobs an image manifest references, config first. Non-distributable layers with urls are skipped. */
export function manifestBlobs(m: ImageManifest): Descriptor[] {
  return [m.config, ...m.layers.filter((l) => !(l.urls && l.urls.length > 0 && isForeignLayer(l.mediaType)))];
}

function isForeignLayer(mediaType: string): boolean {
  return mediaType.includes('foreign') || mediaType.includes('nondistributable');
}
