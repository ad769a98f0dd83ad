// Splitting archive members into tar parts of at most archiveSize bytes (tar headers and padding included).
// Pure: member sizes in, an assignment out. A member larger than the limit gets a part of its own.
import { GantryError } from '../errors.js';

export const TAR_BLOCK = 512;
/** tar-stream ends an archive with two zero blocks. */
export const TAR_END = 2 * TAR_BLOCK;

/** Bytes a member takes in a tar: one header block, then the content padded to whole blocks. */
export function tarEntrySize(size: number): number {
  return TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

export interface SizedMember {
  name: string;
  size: number;
}

export interface PlannedParts<T extends SizedMember> {
  parts: T[][];
  /** Members bigger than the limit on their own (each in a part of its own). */
  oversized: T[];
}

/**
 * Next-fit in the given order, leaving room in each part for its member list (`indexBytes(count)` estimates it).
 */
export function planParts<T extends SizedMember>(members: T[], limit: number, indexBytes: (count: number) => number): PlannedParts<T> {
  if (!(limit > 0)) throw new GantryError('USAGE', `archive size must be positive (got ${limit})`);
  const parts: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let used = 0;
  const fixed = (count: number) => TAR_END + tarEntrySize(indexBytes(count));
  for (const m of members) {
    const entry = tarEntrySize(m.size);
    if (current.length > 0 && used + entry + fixed(current.length + 1) > limit) {
      parts.push(current);
      current = [];
      used = 0;
    }
    if (entry + fixed(1) > limit) oversized.push(m);
    current.push(m);
    used += entry;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return { parts, oversized };
}
