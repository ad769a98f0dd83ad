// A read-only Store over verified archive parts: manifests and blobs are byte ranges of the tar files, streamed
// straight from them (no unpacking). Images are found by digest or by their key in the archive.
import { GantryError, throwIfAborted } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import type { FetchedManifest, Store } from '../content/store.js';
import { blobMemberName } from './archive-format.js';
import { openMember, readMember, type ArchiveContents } from './read-parts.js';

export function createArchiveStore(contents: ArchiveContents): Store {
  const location = `archive:${contents.dir}`;
  const mediaTypes = new Map<string, string>();
  const keys = new Map<string, string>();
  // Later sequences win: a key re-tagged to a new digest (a rebuilt catalog) resolves to the newest.
  for (const m of contents.manifests) {
    for (const [digest, mediaType] of Object.entries(m.manifests)) mediaTypes.set(digest, mediaType);
    for (const i of m.images) {
      keys.set(i.key, i.digest);
      mediaTypes.set(i.digest, i.mediaType);
    }
  }
  // Blobs an archive left out were carried by these earlier sequences (the newest archive's record says which).
  const earlier = contents.manifests.at(-1)?.omitted.sequences ?? [];

  function describe(reference: string): Descriptor | undefined {
    const digest = keys.get(reference) ?? reference;
    const loc = contents.members.get(blobMemberName(digest));
    const mediaType = mediaTypes.get(digest);
    return loc && mediaType ? { mediaType, digest: digest as Digest, size: loc.size } : undefined;
  }

  function missingBlob(digest: string): GantryError {
    return new GantryError('BLOB_UNKNOWN', `${digest} is not in the archive files in ${contents.dir}, and the destination does not have it`, {
      hint: `it was carried by an earlier archive${earlier.length ? ` (sequence ${earlier.join(', ')})` : ''}: push that one first, or make a full archive (--ignore-history)`,
    });
  }

  const readOnly = () => Promise.reject(new GantryError('USAGE', `${location} is read-only`));
  return {
    location,
    async fetchManifest(reference, o = {}): Promise<FetchedManifest> {
      throwIfAborted(o.signal);
      const descriptor = describe(reference);
      if (!descriptor) throw new GantryError('MANIFEST_UNKNOWN', `manifest ${reference} is not in the archive files in ${contents.dir}`);
      const bytes = await readMember(contents.members.get(blobMemberName(descriptor.digest))!, o.signal);
      return { descriptor, bytes };
    },
    async statManifest(reference) {
      return describe(reference);
    },
    async fetchBlob(descriptor, o = {}) {
      throwIfAborted(o.signal);
      const loc = contents.members.get(blobMemberName(descriptor.digest));
      if (!loc) throw missingBlob(descriptor.digest);
      const chunks = openMember(loc, o.signal);
      return (async function* () {
        for await (const c of chunks) {
          o.onBytes?.(c.byteLength);
          yield c;
        }
      })();
    },
    async statBlob(digest) {
      return contents.members.get(blobMemberName(digest))?.size;
    },
    pushBlob: readOnly,
    pushManifest: readOnly,
  };
}
