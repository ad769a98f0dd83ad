// SQLite-based operator indexes (OpenShift 4.6–4.10 catalogs) → file-based catalogs, as `opm migrate` did.
// Pure: the database arrives through SqlDatabase; src/files/sqlite-file.ts opens one from disk.
export { migrateSqliteIndex, convertIndex } from './migrate-index.js';
export { readIndex, type IndexData, type IndexTables } from './index-tables.js';
export type { SqlDatabase, SqlRow, SqlValue } from './sql-database.js';
export { INDEX_INVALID, NOT_AN_INDEX } from './index-error.js';
