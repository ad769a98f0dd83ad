// The Store interface: one repository's content (manifests and blobs), whatever holds it — a registry
// repository, an OCI image layout, memory. The copy engine speaks only this interface.
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';

export interface OpOptions {
  signal?: AbortSignal;
}

export interface FetchedManifest {
  /** mediaType, digest and size of the manifest bytes as stored. */
  descriptor: Descriptor;
  bytes: Uint8Array;
}

export interface FetchBlobOptions extends OpOptions {
  /** Progress callback for bytes read from the store (including bytes re-read after a resume). */
  onBytes?: (n: number) => void;
}

/** Opens the content of a blob afresh; called again when an upload is retried. */
export type BlobOpener = () => Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;

export interface PushBlobOptions extends OpOptions {
  onBytes?: (n: number) => void;
}

export interface Store {
  /** Human-readable location, e.g. "docker://127.0.0.1:5000/app" or "oci:/tmp/layout". Never holds credentials. */
  readonly location: string;

  /** Manifest by tag or digest; throws GantryError MANIFEST_UNKNOWN when absent. */
  fetchManifest(reference: string, opts?: OpOptions): Promise<FetchedManifest>;
  /** Descriptor of a manifest by tag or digest, or undefined when absent. */
  statManifest(reference: string, opts?: OpOptions): Promise<Descriptor | undefined>;
  /**
   * The blob's bytes, as stored. Implementations may return bytes that do not match the digest (a corrupt
   * source); callers verify (see verifyStream). Throws BLOB_UNKNOWN when absent.
   */
  fetchBlob(descriptor: Descriptor, opts?: FetchBlobOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Size of the blob when present, else undefined. */
  statBlob(digest: Digest, opts?: OpOptions): Promise<number | undefined>;
  /** Stores a blob; the content must match descriptor.digest/size or nothing is committed. */
  pushBlob(descriptor: Descriptor, open: BlobOpener, opts?: PushBlobOptions): Promise<void>;
  /**
   * Stores manifest bytes. `reference` is a tag (the manifest is also reachable by digest) or the digest itself.
   * Every blob and child manifest it references must already be in the store.
   */
  pushManifest(bytes: Uint8Array, mediaType: string, reference: string, opts?: OpOptions): Promise<Descriptor>;
}

/** Optional capability: the store can list its tags. */
export interface TagLister {
  listTags(opts?: OpOptions): Promise<string[]>;
}

/** Optional capability: cross-repository blob mount within one registry. */
export interface BlobMounter {
  /** A key naming the registry endpoint; mounts only work between stores with the same key. */
  readonly mountKey: string;
  readonly repository: string;
  /** Tries to mount `digest` from `fromRepository`; returns false when the registry did not mount it. */
  mountBlob(descriptor: Descriptor, fromRepository: string, opts?: OpOptions): Promise<boolean>;
}

/** Optional capability: the OCI 1.1 referrers of a manifest. */
export interface ReferrerLister {
  referrers(digest: Digest, opts?: OpOptions & { artifactType?: string }): Promise<Descriptor[]>;
}

/** Optional capability: removing a manifest (and so every tag pointing at it) from the repository. */
export interface ManifestDeleter {
  /** Deletes the manifest with this digest; false when it was not there (already deleted). Blobs stay until a GC. */
  deleteManifest(digest: Digest, opts?: OpOptions): Promise<boolean>;
}

export function canListTags(s: Store): s is Store & TagLister {
  return typeof (s as Partial<TagLister>).listTags === 'function';
}

export function canMount(s: Store): s is Store & BlobMounter {
  return typeof (s as Partial<BlobMounter>).mountBlob === 'function';
}

export function canListReferrers(s: Store): s is Store & ReferrerLister {
  return typeof (s as Partial<ReferrerLister>).referrers === 'function';
}

export function canDeleteManifests(s: Store): s is Store & ManifestDeleter {
  return typeof (s as Partial<ManifestDeleter>).deleteManifest === 'function';
}
