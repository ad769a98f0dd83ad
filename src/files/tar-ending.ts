// Tar streams ended as Go's archive/tar accepts them: EOF right after the last entry's data, without the
// padding to 512 bytes or the two zero blocks (umoci insert writes such layers; containerd and podman read them).
import { Readable } from 'node:stream';
import { GantryError } from '../errors.js';

const BLOCK = 512;
const END_OF_ARCHIVE = 2 * BLOCK;

export interface TarEnding {
  /** The tar bytes, padded and terminated so that tar-stream accepts an archive Go accepts. */
  stream: Readable;
  /** Records where an entry's data ends (call for every entry the extractor emits). */
  noteEntry(header: { name: string; size?: number; byteOffset?: number }): void;
  /** Throws when an entry's data ran past the real end (a truncated file, Go's unexpected EOF); call after the extractor finished. */
  checkEnd(): void;
}

/**
 * Wraps a tar byte stream. Zeros are added at its end, always: after a complete archive they are more zero
 * blocks, which readers skip. A file cut short would be completed by them too, so every entry's data is checked
 * to lie inside the bytes that really came.
 */
export function endTarLikeGo(input: AsyncIterable<Uint8Array>): TarEnding {
  let total = 0;
  let furthest: { name: string; end: number } | undefined;
  async function* padded(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      total += chunk.byteLength;
      yield chunk;
    }
    yield Buffer.alloc(((BLOCK - (total % BLOCK)) % BLOCK) + END_OF_ARCHIVE);
  }
  return {
    stream: Readable.from(padded(), { objectMode: false }),
    noteEntry(header) {
      // byteOffset (set by tar-stream) is where the entry's data starts in the tar stream.
      const end = (header.byteOffset ?? 0) + (header.size ?? 0);
      if (!furthest || end > furthest.end) furthest = { name: header.name, end };
    },
    checkEnd() {
      if (!furthest || furthest.end <= total) return;
      throw new GantryError('LAYER_INVALID', `the layer's tar ends inside the data of ${furthest.name} (${furthest.end - total} bytes missing)`, {
        hint: 'the layer was cut short when it was written; rebuild or re-push the image',
      });
    },
  };
}
