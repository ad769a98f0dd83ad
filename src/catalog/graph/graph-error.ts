// GraphError: why a catalog cannot be drawn. The message is opm's own text (render-graph prints it and exits),
// the code is gantry's, for callers and tests.

export type GraphErrorCode =
  /** --minimum-edge names no bundle of the catalog. */
  | 'GRAPH_MINIMUM_EDGE_UNKNOWN'
  /** A bundle has no single olm.package property or no strict semver version. */
  | 'GRAPH_BUNDLE_VERSION_INVALID';

export class GraphError extends Error {
  readonly code: GraphErrorCode;
  readonly bundle: string | undefined;

  constructor(code: GraphErrorCode, message: string, opts: { bundle?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GraphError';
    this.code = code;
    this.bundle = opts.bundle;
  }
}
