// A content-addressed cache directory: one small JSON file per digest, written atomically. A damaged entry, one of
// another format or for another digest reads as absent; a write that fails (read-only or full disk) only costs speed.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../oci/digest.js';
import { writeFileAtomic } from './write-tree.js';

export interface DigestCache<T> {
  read(digest: Digest): Promise<T | undefined>;
  write(digest: Digest, value: T): Promise<void>;
}

/**
 * `format` is bumped by the owner whenever the cached value or the way it is computed changes; `accept` checks the
 * shape of a parsed value, so an entry written by another gantry version is read again rather than trusted.
 */
export function createDigestCache<T>(dir: string, format: number, accept: (value: unknown) => value is T): DigestCache<T> {
  const path = (digest: Digest) => join(dir, `${digest.replace(':', '-')}.json`);
  return {
    async read(digest) {
      try {
        const e = JSON.parse(await readFile(path(digest), 'utf8')) as { format?: unknown; digest?: unknown; value?: unknown };
        return e.format === format && e.digest === digest && accept(e.value) ? e.value : undefined;
      } catch {
        return undefined; // absent or damaged: computed again
      }
    },
    async write(digest, value) {
      try {
        await mkdir(dir, { recursive: true });
        await writeFileAtomic(path(digest), `${JSON.stringify({ format, digest, value })}\n`);
      } catch {
        // a read-only or full cache directory only costs speed next time
      }
    },
  };
}
