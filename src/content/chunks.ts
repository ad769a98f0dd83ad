// Byte-stream helpers shared by stores: slicing a stream into fixed-size pieces (chunked uploads),
// collecting a small stream into one buffer, counting bytes as they pass.
import { GantryError } from '../errors.js';

/** Reads an async iterable in pieces of at most `size` bytes each, without copying more than needed. */
export class ChunkReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private leftover: Uint8Array | undefined;
  private done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  get finished(): boolean {
    return this.done && this.leftover === undefined;
  }

  /** The next `size` bytes (fewer at the end of the stream) as a stream of chunks. */
  async *take(size: number): AsyncGenerator<Uint8Array> {
    let remaining = size;
    while (remaining > 0) {
      let chunk = this.leftover;
      this.leftover = undefined;
      if (chunk === undefined) {
        if (this.done) return;
        const r = await this.it.next();
        if (r.done) {
          this.done = true;
          return;
        }
        chunk = r.value;
      }
      if (chunk.byteLength > remaining) {
        this.leftover = chunk.subarray(remaining);
        chunk = chunk.subarray(0, remaining);
      }
      remaining -= chunk.byteLength;
      yield chunk;
    }
  }

  /** Peeks whether any byte is left. */
  async hasMore(): Promise<boolean> {
    if (this.leftover !== undefined) return true;
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    this.leftover = r.value;
    return true;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

export async function collectBytes(source: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) throw new GantryError('MANIFEST_INVALID', `${what} is larger than ${limit} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

export async function* countBytes(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onBytes?.(chunk.byteLength);
    yield chunk;
  }
}
