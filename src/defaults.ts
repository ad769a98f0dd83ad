// Defaults and limits, in one place. Each value says why it is what it is; CLI flags override some of them.

export const Defaults = {
  /**
   * Attempts after the first for retryable failures (connection errors, 408, 429, 5xx). skopeo/oc-mirror use 5.
   * Requests are retried by the transport only; the blob transfer retries a corrupt body or a cut upload stream.
   */
  retryTimes: 5,
  /** Backoff: base delay doubled per attempt, capped, with full jitter so parallel workers do not stampede. */
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 15_000,
  /** An honoured Retry-After longer than this is capped (a registry asking for an hour would stall the run). */
  retryAfterCapMs: 60_000,
  /** HTTP statuses worth retrying: request timeout, too many requests, server errors. */
  retryStatuses: [408, 425, 429, 500, 502, 503, 504] as readonly number[],
  /** Blob transfers in flight across the whole run. */
  blobConcurrency: 12,
  /** Blob transfers in flight against any one registry endpoint (source or destination). */
  perRegistryConcurrency: 12,
  /** Images (manifest trees) in flight; manifest round trips dominate small images, so this is higher. */
  imageConcurrency: 32,
  /** Bundle images read at once for catalog queries (a config and one small layer each): enough to hide round trips. */
  bundleImageConcurrency: 8,
  /** Manifest HEADs and DELETEs in flight for gantry delete: one small request each, so more than blobs, fewer than images. */
  deleteConcurrency: 16,
  /** Keep-alive connections per registry origin. */
  connectionsPerOrigin: 32,
  /** Blobs larger than this are uploaded in chunks (PATCH) so a failure costs at most one chunk of progress. */
  chunkedUploadThreshold: 256 * 1024 * 1024,
  chunkSize: 64 * 1024 * 1024,
  /** Manifests above this size are refused (the distribution registry's own limit is 4 MiB). */
  maxManifestBytes: 8 * 1024 * 1024,
  /** Tags requested per page when listing. */
  tagPageSize: 1000,
  /**
   * Deadline for a connection, for response headers, and for any pause in a body (--timeout). Bodies may take as
   * long as they need while bytes flow. A timeout is not retried: the user has already waited this long once.
   */
  requestTimeoutMs: 30_000,
  /** An error answer from a registry is read for its message only: at most this much of it. */
  maxErrorBodyBytes: 64 * 1024,
  /** A token server's answer (a JSON document with a JWT or two). */
  maxTokenResponseBytes: 1024 * 1024,
  userAgent: 'gantry/0.1',
} as const;
