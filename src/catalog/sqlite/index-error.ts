// The errors of reading a SQLite index: one place decides their codes, so moving to a dedicated
// catalog code (STYLE.md names CATALOG_INVALID; errors.ts lacks it today) is a two-line change.
import { GantryError, type ErrorCode } from '../../errors.js';

/** The input is not an operator-registry index at all (no SQLite, or none of its tables): the user's mistake. */
export const NOT_AN_INDEX: ErrorCode = 'USAGE';
/** The input is an index, but content opm would also have refused (bad JSON, bad version, dangling names). */
export const INDEX_INVALID: ErrorCode = 'MANIFEST_INVALID';

export function notAnIndex(message: string, opts: { hint?: string; cause?: unknown } = {}): GantryError {
  return new GantryError(NOT_AN_INDEX, message, {
    hint: opts.hint ?? 'pass the index.db of a SQLite-based catalog (OpenShift 4.6–4.10 index images keep it at /database/index.db)',
    cause: opts.cause,
  });
}

export function indexInvalid(message: string, opts: { hint?: string; cause?: unknown } = {}): GantryError {
  return new GantryError(INDEX_INVALID, message, opts);
}
