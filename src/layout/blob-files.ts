// Blob files of an OCI image layout: streaming a blob into a temp file while verifying size and digest and
// renaming it into place only when it matched, and streaming a blob file back out.
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GantryError } from '../errors.js';
import { DigestVerifier } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import type { FetchBlobOptions, PushBlobOptions } from '../content/store.js';
import { iterateAbortable } from '../content/abortable.js';
import { LAYOUT_DEFAULTS } from './defaults.js';
import { claimTempPath, releaseTempPath } from './temp-files.js';

/** Where an opener's content comes from; sync iterables (`[bytes]`) are accepted as well as async ones. */
export type BlobSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface WriteBlobFileOptions extends PushBlobOptions {
  fsync?: boolean;
}

/**
 * Streams `openSource()`'s content to a temp file next to `finalPath`, verifying it against `descriptor` as it goes,
 * and renames it to `finalPath` only when size and digest matched. On any failure the temp file is removed
 * and nothing appears at `finalPath`.
 */
export async function writeBlobFile(
  finalPath: string,
  descriptor: Descriptor,
  openSource: () => Promise<BlobSource>,
  opts: WriteBlobFileOptions = {},
): Promise<void> {
  const source = await openSource();
  const dir = dirname(finalPath);
  await mkdir(dir, { recursive: true });
  const tmp = claimTempPath(dir);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    const verifier = new DigestVerifier(descriptor.digest, descriptor.size);
    for await (const chunk of iterateAbortable(source, opts.signal)) {
      verifier.update(chunk);
      await writeFully(handle, chunk);
      opts.onBytes?.(chunk.byteLength);
    }
    verifier.check();
    if (opts.fsync ?? LAYOUT_DEFAULTS.fsync) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, finalPath);
  } catch (err) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  } finally {
    releaseTempPath(tmp);
  }
}

/** FileHandle.write may write less than asked; loop until the whole chunk is on disk. */
async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Streams a blob file. The file is opened on first read, so an iterable that is never consumed holds no file
 * descriptor; a file that vanished in between (a concurrent gc) is reported as BLOB_UNKNOWN.
 */
export async function* readBlobFile(path: string, descriptor: Descriptor, opts: FetchBlobOptions = {}): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, {
    highWaterMark: LAYOUT_DEFAULTS.readHighWaterMark,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    for await (const chunk of iterateAbortable(stream as AsyncIterable<Buffer>, opts.signal)) {
      opts.onBytes?.(chunk.byteLength);
      yield chunk;
    }
  } catch (err) {
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT') {
      throw new GantryError('BLOB_UNKNOWN', `blob ${descriptor.digest} is not in the layout`, { cause: err });
    }
    throw err;
  } finally {
    stream.destroy();
  }
}
