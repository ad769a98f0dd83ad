// GantryError: the one error type users see. Carries a stable code, the operation, an optional hint
// and the underlying cause (shown only with --debug). Codes are listed here so they stay consistent.

export type ErrorCode =
  | 'REF_INVALID'
  | 'DIGEST_INVALID'
  | 'DIGEST_MISMATCH'
  | 'SIZE_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNSUPPORTED'
  | 'MANIFEST_UNKNOWN'
  | 'BLOB_UNKNOWN'
  | 'PLATFORM_INVALID'
  | 'PLATFORM_NOT_FOUND'
  | 'REGISTRY_UNAUTHORIZED'
  | 'REGISTRY_DENIED'
  | 'REGISTRY_ERROR'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_TIMEOUT'
  | 'TLS_ERROR'
  | 'AUTH_CONFIG_INVALID'
  | 'LAYOUT_INVALID'
  | 'ARCHIVE_INVALID'
  | 'LAYER_INVALID'
  | 'CATALOG_INVALID'
  | 'BUNDLE_INVALID'
  | 'BUNDLE_UNREADABLE'
  | 'RBAC_INSUFFICIENT'
  | 'CONFIG_INVALID'
  | 'IO_ERROR'
  | 'NOT_FOUND'
  | 'USAGE'
  | 'MAPPING_INVALID'
  | 'ABORTED'
  | 'COPY_FAILED'
  | 'DELETE_LIST_INVALID'
  | 'DELETE_FAILED'
  | 'WORKSPACE_LOCKED'
  // Release selection from an update graph (src/release/).
  | 'UPDATE_GRAPH_INVALID'
  | 'UPDATE_SERVICE_ERROR'
  | 'RELEASE_CHANNEL_UNKNOWN'
  | 'RELEASE_VERSION_NOT_FOUND'
  | 'RELEASE_RANGE_INVALID'
  | 'RELEASE_NO_PATH'
  // Release payloads (src/release/payload.ts): an image that is not a release, a component not pinned by digest.
  | 'RELEASE_INVALID'
  // Release signatures (src/release/signatures.ts, signature-store.ts).
  | 'SIGNATURE_NOT_FOUND'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_KEY_INVALID'
  | 'SIGNATURE_STORE_UNREACHABLE'
  // The graph-data image (src/release/graph-data.ts): the graph-data tarball cannot be fetched, or is not one.
  | 'GRAPH_DATA_UNREACHABLE'
  | 'GRAPH_DATA_INVALID'
  | 'INTERNAL';

export interface GantryErrorOptions {
  hint?: string;
  cause?: unknown;
  /** HTTP status when the error came from a registry response. */
  status?: number;
  /** Whether a retry could succeed (connection errors, 5xx, 429). */
  retryable?: boolean;
}

export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, opts: GantryErrorOptions = {}) {
    super(capMessage(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GantryError';
    this.code = code;
    this.hint = opts.hint;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
  }
}

/** A message is for a terminal: one that would repeat a huge input is cut in the middle (its ends say the most). */
const MAX_MESSAGE_CHARS = 16 * 1024;

function capMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const half = MAX_MESSAGE_CHARS / 2;
  return `${message.slice(0, half)} … (${message.length - 2 * half} characters left out) … ${message.slice(-half)}`;
}

export function isGantryError(err: unknown, code?: ErrorCode): err is GantryError {
  return err instanceof GantryError && (code === undefined || err.code === code);
}

/** Turns an AbortSignal's reason into the error we throw when an operation is cancelled. */
export function abortError(signal: AbortSignal | undefined): GantryError {
  const reason = signal?.reason;
  if (reason instanceof GantryError) return reason;
  return new GantryError('ABORTED', 'operation cancelled', { cause: reason });
}

/** Most characters of an input value a message quotes back: a 10 MB tag is shown by its start and its length. */
export const MAX_QUOTED_CHARS = 200;

/** `"value"`, cut to MAX_QUOTED_CHARS with the full length said, so a message never repeats a huge input. */
export function quoteValue(value: string, max: number = MAX_QUOTED_CHARS): string {
  if (value.length <= max) return `"${value}"`;
  return `"${value.slice(0, max)}…" (${value.length} characters)`;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
