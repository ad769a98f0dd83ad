// Where mirror to disk downloads to before packing: blobs in an OCI layout's blobs/ (so a killed run resumes), tags
// kept in memory. Blobs an earlier archive carried count as present, so they are neither fetched nor packed again.
import { GantryError, throwIfAborted } from '../errors.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import type { FetchedManifest, Store } from '../content/store.js';
import type { LayoutStore } from '../layout/index.js';

export interface StagingStore extends Store {
  /** Key → the manifest pushed under it in this run. */
  readonly tagged: ReadonlyMap<string, Descriptor>;
  /** Every manifest pushed in this run (children of indexes too). */
  readonly manifests: ReadonlyMap<string, Descriptor>;
  /** The layout holding the downloaded blobs. */
  readonly layout: LayoutStore;
}

export interface StagingOptions {
  layout: LayoutStore;
  /** Blobs the destination already received (digest → size). */
  shipped: ReadonlyMap<string, { size: number }>;
  /** Shown in messages (default: the layout's location). */
  location?: string;
}

export function createStagingStore(opts: StagingOptions): StagingStore {
  const { layout, shipped } = opts;
  const tagged = new Map<string, Descriptor>();
  const manifests = new Map<string, Descriptor>();
  const lookup = (reference: string) => tagged.get(reference) ?? manifests.get(reference);

  return {
    location: opts.location ?? layout.location,
    tagged,
    manifests,
    layout,
    async fetchManifest(reference, o = {}): Promise<FetchedManifest> {
      throwIfAborted(o.signal);
      const descriptor = lookup(reference);
      if (!descriptor) throw new GantryError('MANIFEST_UNKNOWN', `manifest ${reference} is not staged in ${layout.location}`);
      const chunks: Uint8Array[] = [];
      for await (const c of await layout.fetchBlob(descriptor, o)) chunks.push(c);
      return { descriptor, bytes: Buffer.concat(chunks) };
    },
    // Only manifests pushed in this run count: after a restart their media types are unknown, so they are fetched
    // again (small); their blobs are found on disk and not downloaded again.
    async statManifest(reference) {
      return lookup(reference);
    },
    fetchBlob: (descriptor, o) => layout.fetchBlob(descriptor, o),
    async statBlob(digest, o) {
      return shipped.get(digest)?.size ?? (await layout.statBlob(digest, o));
    },
    pushBlob: (descriptor, open, o) => layout.pushBlob(descriptor, open, o),
    async pushManifest(bytes, mediaType, reference, o = {}) {
      const descriptor: Descriptor = { mediaType, digest: sha256(bytes) as Digest, size: bytes.byteLength };
      await layout.pushBlob(descriptor, async () => [bytes], o);
      manifests.set(descriptor.digest, descriptor);
      if (reference !== descriptor.digest) tagged.set(reference, descriptor);
      return descriptor;
    },
  };
}
