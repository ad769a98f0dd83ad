// In-memory Store: the reference implementation of the Store contract, for unit tests and scratch work.
// Blobs, manifests and tags live in Maps; content is verified before it is committed, as durable stores must.
import { GantryError, abortError, throwIfAborted } from '../errors.js';
import { DigestVerifier, createDigester, digestAlgorithm, isDigest, parseDigest, type Digest } from '../oci/digest.js';
import { manifestBlobs, parseManifest, type Descriptor } from '../oci/manifest.js';
import { isManifestMediaType } from '../oci/media-types.js';
import { raceAbort } from './abortable.js';
import { isTag } from '../oci/reference.js';
import type { BlobOpener, FetchBlobOptions, FetchedManifest, OpOptions, PushBlobOptions, Store, TagLister } from './store.js';

export interface MemoryStoreOptions {
  /** Shown as the store's location. Default "memory:". */
  location?: string;
}

export type MemoryStore = Store & TagLister;

/** Chunk size of fetchBlob streams, so consumers see more than one chunk as they would from a file or socket. */
const FETCH_CHUNK_BYTES = 64 * 1024;


interface StoredManifest {
  mediaType: string;
  bytes: Uint8Array;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const location = opts.location ?? 'memory:';
  const blobs = new Map<Digest, Uint8Array>();
  const manifests = new Map<Digest, StoredManifest>();
  const tags = new Map<string, Digest>();
  const inflight = new Map<Digest, Promise<void>>();

  function resolve(reference: string): Digest | undefined {
    return isDigest(reference) ? (manifests.has(reference) ? reference : undefined) : tags.get(reference);
  }

  function descriptorOf(digest: Digest): Descriptor {
    const m = manifests.get(digest)!;
    return { mediaType: m.mediaType, digest, size: m.bytes.byteLength };
  }

  /** Reads the whole source, verifying as it goes, and commits only when size and digest matched. */
  async function receive(descriptor: Descriptor, open: BlobOpener, o: PushBlobOptions): Promise<void> {
    const existing = blobs.get(descriptor.digest);
    if (existing !== undefined) {
      if (existing.byteLength !== descriptor.size) {
        throw new GantryError('SIZE_MISMATCH', `blob ${descriptor.digest} is ${existing.byteLength} bytes, the descriptor says ${descriptor.size}`);
      }
      return;
    }
    const verifier = new DigestVerifier(descriptor.digest, descriptor.size);
    const chunks: Uint8Array[] = [];
    const source = await open();
    const it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]();
    try {
      for (;;) {
        // Raced against the signal: a stalled source must not hold the push past an abort.
        const r = await raceAbort(Promise.resolve(it.next()), o.signal);
        if (r.done) break;
        verifier.update(r.value);
        chunks.push(Uint8Array.from(r.value));
        o.onBytes?.(r.value.byteLength);
      }
    } catch (err) {
      Promise.resolve(it.return?.()).catch(() => {});
      throw err;
    }
    verifier.check();
    throwIfAborted(o.signal);
    blobs.set(descriptor.digest, Buffer.concat(chunks));
  }

  async function* stream(bytes: Uint8Array, o: FetchBlobOptions): AsyncGenerator<Uint8Array> {
    for (let off = 0; off < bytes.byteLength; off += FETCH_CHUNK_BYTES) {
      throwIfAborted(o.signal);
      const chunk = bytes.slice(off, off + FETCH_CHUNK_BYTES);
      o.onBytes?.(chunk.byteLength);
      yield chunk;
      // Let other work (and abort handlers) run between chunks, as real I/O would.
      await new Promise<void>((r) => setImmediate(r));
    }
    throwIfAborted(o.signal);
  }

  return {
    location,

    async fetchManifest(reference: string, o: OpOptions = {}): Promise<FetchedManifest> {
      throwIfAborted(o.signal);
      const digest = resolve(reference);
      if (digest === undefined) throw new GantryError('MANIFEST_UNKNOWN', `manifest ${reference} is not in ${location}`);
      return { descriptor: descriptorOf(digest), bytes: Uint8Array.from(manifests.get(digest)!.bytes) };
    },

    async statManifest(reference: string, o: OpOptions = {}): Promise<Descriptor | undefined> {
      throwIfAborted(o.signal);
      const digest = resolve(reference);
      return digest === undefined ? undefined : descriptorOf(digest);
    },

    async fetchBlob(descriptor: Descriptor, o: FetchBlobOptions = {}): Promise<AsyncIterable<Uint8Array>> {
      throwIfAborted(o.signal);
      const bytes = blobs.get(descriptor.digest);
      if (bytes === undefined) throw new GantryError('BLOB_UNKNOWN', `blob ${descriptor.digest} is not in ${location}`);
      return stream(bytes, o);
    },

    async statBlob(digest: Digest, o: OpOptions = {}): Promise<number | undefined> {
      throwIfAborted(o.signal);
      return blobs.get(parseDigest(digest))?.byteLength;
    },

    async pushBlob(descriptor: Descriptor, open: BlobOpener, o: PushBlobOptions = {}): Promise<void> {
      throwIfAborted(o.signal);
      parseDigest(descriptor.digest);
      // Concurrent pushes of one digest share the first one's work; when it fails, the others retry with their own
      // openers (its failure may be its bad content or its cancelled signal, not theirs).
      for (;;) {
        const pending = inflight.get(descriptor.digest);
        if (pending === undefined) break;
        await raceAbort(pending.catch(() => {}), o.signal);
      }
      const job = receive(descriptor, open, o).finally(() => {
        if (inflight.get(descriptor.digest) === job) inflight.delete(descriptor.digest);
      });
      inflight.set(descriptor.digest, job);
      await job;
    },

    async pushManifest(bytes: Uint8Array, mediaType: string, reference: string, o: OpOptions = {}): Promise<Descriptor> {
      throwIfAborted(o.signal);
      const byDigest = isDigest(reference);
      if (!byDigest && !isTag(reference)) throw new GantryError('REF_INVALID', `"${reference}" is not a valid tag`);
      const manifest = parseManifest(bytes, mediaType);
      if (isManifestMediaType(mediaType) && manifest.mediaType !== mediaType) {
        throw new GantryError('MANIFEST_INVALID', `manifest declares media type ${manifest.mediaType} but is pushed as ${mediaType}`);
      }
      const algorithm = byDigest ? digestAlgorithm(reference) : 'sha256';
      const digest = `${algorithm}:${createDigester(algorithm).update(bytes).digest('hex')}` as Digest;
      if (byDigest && digest !== reference) {
        throw new GantryError('DIGEST_MISMATCH', `manifest pushed as ${reference} has digest ${digest}`);
      }
      if (manifest.kind === 'manifest') {
        const missing = manifestBlobs(manifest).filter((b) => !blobs.has(b.digest));
        if (missing.length > 0) {
          throw new GantryError('BLOB_UNKNOWN', `manifest references ${missing.length} blob(s) not in ${location}: ${missing.map((b) => b.digest).join(', ')}`);
        }
      } else {
        const missing = manifest.manifests.filter((m) => !manifests.has(m.digest));
        if (missing.length > 0) {
          throw new GantryError('MANIFEST_UNKNOWN', `index references ${missing.length} manifest(s) not in ${location}: ${missing.map((m) => m.digest).join(', ')}`);
        }
      }
      if (o.signal?.aborted) throw abortError(o.signal);
      if (!manifests.has(digest)) manifests.set(digest, { mediaType: manifest.mediaType, bytes: Uint8Array.from(bytes) });
      if (!byDigest) tags.set(reference, digest);
      return descriptorOf(digest);
    },

    async listTags(o: OpOptions = {}): Promise<string[]> {
      throwIfAborted(o.signal);
      return [...tags.keys()].sort();
    },
  };
}
