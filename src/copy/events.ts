// Progress as data: the events a copy run emits. Displays (progress bar, log lines, JSON) are built on these.
import type { Digest } from '../oci/digest.js';
import type { RetryInfo } from '../transport/registry-client.js';

export type BlobOutcome = 'copied' | 'exists' | 'mounted';

export type CopyEvent =
  | { type: 'image-start'; id: number; source: string; dest: string }
  | { type: 'image-resolved'; id: number; digest: Digest; mediaType: string; blobs: { digest: Digest; size: number }[] }
  | { type: 'image-done'; id: number; digest: Digest; skipped: boolean }
  | { type: 'image-failed'; id: number; error: unknown }
  | { type: 'blob-start'; digest: Digest; size: number }
  | { type: 'blob-progress'; digest: Digest; bytes: number }
  | { type: 'blob-done'; digest: Digest; size: number; outcome: BlobOutcome }
  | { type: 'blob-retry'; digest: Digest; attempt: number; delayMs: number; reason: string; bytesDiscarded: number }
  | ({ type: 'retry' } & RetryInfo);

export type CopyEventListener = (event: CopyEvent) => void;
