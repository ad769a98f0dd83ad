// Store over an OCI image layout directory (image-spec image-layout.md): blobs/<alg>/<hex> hold blobs and
// manifests alike, index.json names the roots (tags via org.opencontainers.image.ref.name).
import { readFile, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { Defaults } from '../defaults.js';
import { GantryError, isGantryError, throwIfAborted } from '../errors.js';
import { createDigester, digestAlgorithm, isDigest, parseDigest, type Digest } from '../oci/digest.js';
import { parseManifest, type Descriptor } from '../oci/manifest.js';
import type { FetchedManifest, OpOptions, PushBlobOptions, Store, TagLister } from '../content/store.js';
import { errnoCode, raceAbort, toStoreError } from '../content/abortable.js';
import { readBlobFile, writeBlobFile, type BlobSource } from './blob-files.js';
import { LAYOUT_DEFAULTS } from './defaults.js';
import { blobPath, openLayoutDir, readLayoutIndex, writeLayoutIndex } from './layout-dir.js';
import {
  addRootEntry,
  dropUntaggedEntries,
  findDigestEntry,
  findTaggedEntry,
  isValidRefName,
  listRefNames,
  setTaggedEntry,
  type LayoutIndex,
} from './layout-index.js';
import { prepareManifestPush } from './manifest-push.js';
import { removeStaleTempFiles, type CleanTempFilesOptions } from './temp-files.js';

export interface LayoutStoreOptions {
  /** The layout directory. */
  path: string;
  /** Create the layout when the directory is missing or empty. Default false. */
  create?: boolean;
  /** fsync temp files before renaming them into place. Default LAYOUT_DEFAULTS.fsync (true). */
  fsync?: boolean;
}

export interface LayoutStore extends Store, TagLister {
  /** Absolute path of the layout directory. */
  readonly path: string;
  /** Removes temp files left by killed runs (not those this process is writing); returns their paths. */
  cleanTempFiles(opts?: CleanTempFilesOptions): Promise<string[]>;
}

/** An opened layout: its real path and how to write to it. */
interface Layout {
  root: string;
  location: string;
  fsync: boolean;
}

// Shared by every store instance in this process, keyed by real path, so two stores over one layout (a copy
// from oci:DIR:a to oci:DIR:b) still serialise index.json updates and share in-flight blob writes.
const indexLocks = new Map<string, Promise<unknown>>();
const blobWrites = new Map<string, Promise<void>>();

/** Runs `fn` after every index.json update queued before it for the same layout (a promise-chain mutex). */
function withIndexLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const previous = indexLocks.get(root) ?? Promise.resolve();
  const run = previous.then(fn);
  const tail = run.catch(() => {});
  indexLocks.set(root, tail);
  void tail.then(() => {
    if (indexLocks.get(root) === tail) indexLocks.delete(root);
  });
  return run;
}

async function statBlobFile(layout: Layout, digest: Digest): Promise<number | undefined> {
  try {
    const st = await stat(blobPath(layout.root, digest));
    return st.isFile() ? st.size : undefined;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Writes a verified blob unless present. The check-then-write runs as one in-flight job per digest, registered
 * before its first await, so concurrent pushes of a digest open the content once; a failed job is dropped and
 * its waiters try again with their own openers (the failure was its content or its signal, not theirs).
 */
async function storeBlob(layout: Layout, descriptor: Descriptor, open: () => Promise<BlobSource>, o: PushBlobOptions): Promise<void> {
  parseDigest(descriptor.digest);
  const finalPath = blobPath(layout.root, descriptor.digest);
  for (;;) {
    const inflight = blobWrites.get(finalPath);
    if (inflight === undefined) break;
    await raceAbort(inflight, o.signal).catch(() => throwIfAborted(o.signal));
  }
  const job = (async () => {
    const size = await statBlobFile(layout, descriptor.digest);
    if (size === undefined) return writeBlobFile(finalPath, descriptor, open, { ...o, fsync: layout.fsync });
    // Only verified content is renamed into place, so a present blob is complete; a different size means the
    // descriptor is wrong, not the file.
    if (size !== descriptor.size) {
      throw new GantryError('SIZE_MISMATCH', `blob ${descriptor.digest} is ${size} bytes, the descriptor says ${descriptor.size}`);
    }
  })().finally(() => {
    if (blobWrites.get(finalPath) === job) blobWrites.delete(finalPath);
  });
  blobWrites.set(finalPath, job);
  await job;
}

/** The manifest `reference` (tag or digest) names, read and checked against its digest; undefined when absent. */
async function loadManifest(layout: Layout, reference: string, signal: AbortSignal | undefined): Promise<FetchedManifest | undefined> {
  const index = await readLayoutIndex(layout.root, signal ? { signal } : {});
  let entry: Descriptor | undefined;
  let digest: Digest;
  if (isDigest(reference)) {
    digest = reference;
    entry = findDigestEntry(index, reference);
  } else {
    entry = findTaggedEntry(index, reference);
    if (entry === undefined) return undefined;
    digest = entry.digest;
  }
  const size = await statBlobFile(layout, digest);
  if (size === undefined) return undefined;
  if (size > Defaults.maxManifestBytes) {
    if (entry === undefined) return undefined; // a layer, not a manifest: do not read it into memory
    throw new GantryError('MANIFEST_INVALID', `manifest ${digest} is ${size} bytes, over the ${Defaults.maxManifestBytes}-byte limit`);
  }
  const file = blobPath(layout.root, digest);
  const bytes = new Uint8Array(await readFile(file, signal ? { signal } : {}));
  const algorithm = digestAlgorithm(digest);
  const actual = `${algorithm}:${createDigester(algorithm).update(bytes).digest('hex')}`;
  if (actual !== digest) {
    throw new GantryError('DIGEST_MISMATCH', `${file} does not match its digest (got ${actual})`, {
      hint: 'the layout is corrupt; copy the image into it again',
    });
  }
  if (entry !== undefined && entry.size !== bytes.byteLength) {
    throw new GantryError('SIZE_MISMATCH', `index.json says ${digest} is ${entry.size} bytes, the blob has ${bytes.byteLength}`);
  }
  let mediaType = entry?.mediaType;
  if (mediaType === undefined) {
    try {
      mediaType = parseManifest(bytes).mediaType;
    } catch (err) {
      if (isGantryError(err, 'MANIFEST_INVALID')) return undefined; // some other blob
      throw err;
    }
  }
  return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
}

/** Applies `edit` to index.json under the layout's lock; writes (atomically) only when the index changed. */
async function updateIndex(layout: Layout, edit: (index: LayoutIndex) => LayoutIndex, signal: AbortSignal | undefined): Promise<void> {
  await withIndexLock(layout.root, async () => {
    throwIfAborted(signal);
    // Re-read under the lock: another store instance or process may have written since we last looked.
    const before = await readLayoutIndex(layout.root, {});
    const after = edit(before);
    if (after !== before) await writeLayoutIndex(layout.root, after, { fsync: layout.fsync });
  });
}

async function pushManifestTo(layout: Layout, bytes: Uint8Array, mediaType: string, reference: string, o: OpOptions): Promise<Descriptor> {
  const push = prepareManifestPush(bytes, mediaType, reference);
  if (push.tag !== undefined && !isValidRefName(push.tag)) {
    throw new GantryError('REF_INVALID', `"${push.tag}" is not a valid OCI layout reference name`, {
      hint: 'names are letters and digits separated by one of - . _ : @ + or --, in /-separated components',
    });
  }
  for (const blob of push.blobs) {
    if ((await statBlobFile(layout, blob.digest)) === undefined) {
      throw new GantryError('BLOB_UNKNOWN', `manifest references blob ${blob.digest}, which is not in ${layout.location}`);
    }
  }
  for (const child of push.children) {
    if ((await statBlobFile(layout, child.digest)) === undefined) {
      throw new GantryError('MANIFEST_UNKNOWN', `index references manifest ${child.digest}, which is not in ${layout.location}`);
    }
  }
  await storeBlob(layout, push.descriptor, async () => [bytes], o);
  const children = new Set<string>(push.children.map((c) => c.digest));
  await updateIndex(
    layout,
    (index) => {
      const rooted = push.tag === undefined ? addRootEntry(index, push.descriptor) : setTaggedEntry(index, push.descriptor, push.tag);
      return children.size === 0 ? rooted : dropUntaggedEntries(rooted, children);
    },
    o.signal,
  );
  return push.descriptor;
}

/**
 * A Store over the layout at `opts.path`. The directory is checked (or created) on first use, so a broken
 * layout surfaces as LAYOUT_INVALID from the first operation; a failed check is tried again on the next one.
 */
export function createLayoutStore(opts: LayoutStoreOptions): LayoutStore {
  const path = resolvePath(opts.path);
  const location = `oci:${path}`;
  const fsync = opts.fsync ?? LAYOUT_DEFAULTS.fsync;
  let opened: Promise<Layout> | undefined;

  /** The checked layout; concurrent first calls share one check, a failed check is dropped. */
  function open(): Promise<Layout> {
    opened ??= openLayoutDir({ path, create: opts.create ?? false }).then(
      (root): Layout => ({ root, location, fsync }),
      (err: unknown) => {
        opened = undefined;
        throw err;
      },
    );
    return opened;
  }

  /** Runs one operation on the opened layout: cancellation checked first, errors mapped to GantryError. */
  async function guard<T>(operation: string, signal: AbortSignal | undefined, fn: (layout: Layout) => Promise<T>): Promise<T> {
    try {
      throwIfAborted(signal);
      return await fn(await raceAbort(open(), signal));
    } catch (err) {
      throw toStoreError(err, `${operation} (${location})`, signal);
    }
  }

  return {
    location,
    path,

    fetchManifest(reference, o = {}) {
      return guard(`fetching manifest ${reference}`, o.signal, async (layout) => {
        const found = await loadManifest(layout, reference, o.signal);
        if (found === undefined) {
          throw new GantryError('MANIFEST_UNKNOWN', `manifest ${reference} is not in ${location}`, {
            hint: isDigest(reference) ? undefined : 'the tags of a layout are the org.opencontainers.image.ref.name annotations in its index.json',
          });
        }
        return found;
      });
    },

    statManifest(reference, o = {}) {
      return guard(`looking up manifest ${reference}`, o.signal, async (layout) => (await loadManifest(layout, reference, o.signal))?.descriptor);
    },

    fetchBlob(descriptor, o = {}) {
      return guard(`fetching blob ${descriptor.digest}`, o.signal, async (layout) => {
        if ((await statBlobFile(layout, parseDigest(descriptor.digest))) === undefined) {
          throw new GantryError('BLOB_UNKNOWN', `blob ${descriptor.digest} is not in ${location}`);
        }
        const chunks = readBlobFile(blobPath(layout.root, descriptor.digest), descriptor, o);
        return (async function* () {
          try {
            yield* chunks;
          } catch (err) {
            throw toStoreError(err, `reading blob ${descriptor.digest} (${location})`, o.signal);
          }
        })();
      });
    },

    statBlob(digest, o = {}) {
      return guard(`looking up blob ${digest}`, o.signal, (layout) => statBlobFile(layout, parseDigest(digest)));
    },

    pushBlob(descriptor, open, o = {}) {
      return guard(`writing blob ${descriptor.digest}`, o.signal, (layout) => storeBlob(layout, descriptor, open, o));
    },

    pushManifest(bytes, mediaType, reference, o = {}) {
      return guard(`writing manifest ${reference}`, o.signal, (layout) => pushManifestTo(layout, bytes, mediaType, reference, o));
    },

    listTags(o = {}) {
      return guard('listing tags', o.signal, async (layout) => listRefNames(await readLayoutIndex(layout.root, o.signal ? { signal: o.signal } : {})));
    },

    cleanTempFiles(o = {}) {
      return guard('removing stale temp files', o.signal, (layout) => removeStaleTempFiles(layout.root, o));
    },
  };
}
