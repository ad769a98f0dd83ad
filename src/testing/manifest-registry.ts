// A fake registry for unit tests of manifest-level work (gantry delete): repositories of tag → digest, HEAD and
// DELETE by digest, tag listing, and injected failures per digest or per repository listing. Only statManifest,
// deleteManifest and listTags are implemented.
import { GantryError } from '../errors.js';
import type { ManifestDeleter, Store, TagLister } from '../content/store.js';
import { isDigest, type Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';

export interface ManifestRegistry {
  /** Adds a manifest (by digest) to a repository, under these tags. */
  put(repository: string, digest: Digest, ...tags: string[]): void;
  /** Every request for this digest fails with this error. */
  failOn(digest: Digest, error: Error): void;
  /** Listing this repository's tags fails with this error. */
  failListing(repository: string, error: Error): void;
  has(repository: string, digest: Digest): boolean;
  storeFor(ref: Reference): Store & ManifestDeleter & TagLister;
  /** DELETE requests seen, as repository@digest. */
  readonly deletes: string[];
}

export function createManifestRegistry(): ManifestRegistry {
  const repos = new Map<string, { digests: Set<string>; tags: Map<string, Digest> }>();
  const failures = new Map<string, Error>();
  const listFailures = new Map<string, Error>();
  const deletes: string[] = [];
  const repo = (name: string) => {
    let r = repos.get(name);
    if (!r) repos.set(name, (r = { digests: new Set(), tags: new Map() }));
    return r;
  };
  const unsupported = () => Promise.reject(new GantryError('INTERNAL', 'not part of the fake'));
  return {
    deletes,
    put(repository, digest, ...tags) {
      const r = repo(repository);
      r.digests.add(digest);
      for (const t of tags) r.tags.set(t, digest);
    },
    failOn(digest, error) {
      failures.set(digest, error);
    },
    failListing(repository, error) {
      listFailures.set(repository, error);
    },
    has: (repository, digest) => repo(repository).digests.has(digest),
    storeFor(ref) {
      const r = repo(ref.repository);
      return {
        location: `fake://${ref.registry}/${ref.repository}`,
        async statManifest(reference: string) {
          const digest = isDigest(reference) ? (r.digests.has(reference) ? reference : undefined) : r.tags.get(reference);
          if (digest && failures.has(digest)) throw failures.get(digest)!;
          return digest ? { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1 } : undefined;
        },
        async deleteManifest(digest: Digest) {
          deletes.push(`${ref.repository}@${digest}`);
          if (failures.has(digest)) throw failures.get(digest)!;
          if (!r.digests.delete(digest)) return false;
          for (const [t, d] of r.tags) if (d === digest) r.tags.delete(t);
          return true;
        },
        async listTags() {
          const failure = listFailures.get(ref.repository);
          if (failure) throw failure;
          return [...r.tags.keys()].sort();
        },
        fetchManifest: unsupported,
        fetchBlob: unsupported,
        statBlob: unsupported,
        pushBlob: unsupported,
        pushManifest: unsupported,
      };
    },
  };
}
