// SemverError: what parseVersion and parseRange throw. The message is blang/semver v4's exact text,
// so callers can embed it in opm-compatible messages (`invalid skipRange "<r>": <message>`).

export type SemverErrorCode =
  /** A version string that blang's Parse (or ParseTolerant) rejects. */
  | 'SEMVER_VERSION_INVALID'
  /** A range string that blang's ParseRange rejects. */
  | 'SEMVER_RANGE_INVALID'
  /**
   * A range that blang accepts but cannot evaluate: an empty alternative (`a || || b`) is a nil Range in
   * Go, and calling it panics. Thrown by the range's test function, only when evaluation reaches it.
   */
  | 'SEMVER_RANGE_PANIC'
  /** A version constraint that Masterminds/semver v3 NewConstraint rejects (ClusterExtension `version`). */
  | 'SEMVER_CONSTRAINT_INVALID';

export class SemverError extends Error {
  readonly code: SemverErrorCode;
  /** The version or range string that was being parsed or evaluated. */
  readonly input: string;

  constructor(code: SemverErrorCode, message: string, input: string) {
    super(message);
    this.name = 'SemverError';
    this.code = code;
    this.input = input;
  }
}

export function isSemverError(err: unknown, code?: SemverErrorCode): err is SemverError {
  return err instanceof SemverError && (code === undefined || err.code === code);
}
