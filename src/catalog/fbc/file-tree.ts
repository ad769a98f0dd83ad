// The files of a catalog, as the pure catalog code sees them: relative '/'-separated paths and their bytes.
// Implementations (a directory, a tar layer, an in-memory map) live outside src/catalog.

export interface FileTree {
  /** Every regular file below the root, as relative paths with '/' separators, in lexical walk order. */
  list(opts?: { signal?: AbortSignal }): Promise<string[]>;
  read(path: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
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

/** Go's string order (byte-wise on UTF-8), which opm uses everywhere it sorts; differs from localeCompare. */
export function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  // For strings without surrogates (the common case) UTF-16 code unit order equals UTF-8 byte order.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      // A surrogate (U+10000 and above) sorts after U+E000–U+FFFF in UTF-8, before it in UTF-16.
      if (xs !== ys && (x >= 0xe000 || y >= 0xe000)) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
