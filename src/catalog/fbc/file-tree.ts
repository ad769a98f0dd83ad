// The files of a catalog, as the pure catalog code sees them: relative '/'-separated paths and their bytes.
// Implementations (a directory, a tar layer, an in-memory map) live outside src/catalog.
import { byteOrder } from '../../order.js';

export interface FileTree {
  /** Every regular file below the root, as relative paths with '/' separators, in lexical walk order. */
  list(opts?: { signal?: AbortSignal }): Promise<string[]>;
  read(path: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Optional: the file's bytes as they come (a huge file need not be in memory whole). */
  stream?(path: string): AsyncIterable<Uint8Array>;
}

/** A FileTree over in-memory content, for tests and for catalogs taken from stdin or HTTP. */
export function createMemoryTree(files: Record<string, string | Uint8Array>): FileTree {
  const paths = Object.keys(files).sort(byteOrder);
  return {
    async list() {
      return paths;
    },
    async read(path) {
      const f = files[path];
      if (f === undefined) throw new Error(`no file ${path}`);
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}
