// Defaults of the OCI image layout store that only the layout has; shared limits (manifest size) come from
// src/defaults.ts. Candidates to move there when a CLI flag needs them.

export const LAYOUT_DEFAULTS = {
  /** Read buffer for blob streams: large enough that a multi-GiB layer is not thousands of tiny reads. */
  readHighWaterMark: 1024 * 1024,
  /**
   * fsync temp files before renaming them into place: without it a power loss after the rename can leave
   * an empty or partial file at a blob's final path, breaking "a blob at its final path is complete".
   */
  fsync: true,
} as const;

/** Marks temp files; blob temp files start with it, index.json temp files follow "index.json". */
export const TEMP_MARK = '.tmp-';
