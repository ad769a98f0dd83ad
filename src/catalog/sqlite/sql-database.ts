// The smallest view of a SQLite database the index migration needs: run a read-only query, get plain rows.
// Implementations (sql.js over a file's bytes, a test's in-memory database) live outside src/catalog.

/** A column value as SQLite returns it: TEXT, INTEGER/REAL, BLOB or NULL. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** One result row, keyed by the result column names (use `AS` to name them). */
export type SqlRow = Readonly<Record<string, SqlValue>>;

export interface SqlDatabase {
  /** Runs one SELECT with positional `?` parameters and returns every row. Throws on SQL errors. */
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
}
