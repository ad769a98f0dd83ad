// Opens a SQLite file (an index image's /database/index.db) as the pure code's SqlDatabase: checks the
// SQLite header, then serves read-only queries from sql.js (SQLite in WebAssembly) over the file's bytes.
import { readFile } from 'node:fs/promises';
import { GantryError, throwIfAborted } from '../errors.js';
import { NOT_AN_INDEX } from '../catalog/sqlite/index-error.js';
import type { SqlDatabase, SqlRow, SqlValue } from '../catalog/sqlite/sql-database.js';

export interface SqliteFile extends SqlDatabase {
  /** Frees the WebAssembly memory holding the database. */
  close(): void;
}

// The slice of sql.js's API used here (the package ships no types; @types/sql.js is not needed for this).
interface SqlJsStatement {
  bind(values: readonly SqlValue[]): boolean;
  step(): boolean;
  getAsObject(): Record<string, SqlValue>;
  free(): boolean;
}
interface SqlJsDatabase {
  prepare(sql: string): SqlJsStatement;
  close(): void;
}
interface SqlJsStatic {
  Database: new (data?: Uint8Array) => SqlJsDatabase;
}
type InitSqlJs = (config?: Record<string, unknown>) => Promise<SqlJsStatic>;

/** Every SQLite 3 file starts with these 16 bytes (sqlite.org/fileformat.html §1.3). */
const SQLITE_HEADER = 'SQLite format 3\0';

// Loaded once, on first use: compiling the WebAssembly module costs tens of milliseconds that commands not
// touching SQLite should not pay. The specifier is a variable so that the build does not require the package.
const SQL_JS = 'sql.js';
let engine: Promise<SqlJsStatic> | undefined;

function loadEngine(): Promise<SqlJsStatic> {
  engine ??= (async () => {
    let init: InitSqlJs;
    try {
      const mod = (await import(SQL_JS)) as { default: InitSqlJs };
      init = mod.default;
    } catch (err) {
      throw new GantryError('INTERNAL', 'reading SQLite indexes needs the sql.js package, which is not installed', {
        hint: 'reinstall gantry with its dependencies (npm ci)',
        cause: err,
      });
    }
    return init();
  })();
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

/** Opens `path` read-only. Throws NOT_FOUND when it is absent and NOT_AN_INDEX's code when it is not SQLite. */
export async function openSqliteFile(path: string, opts: { signal?: AbortSignal } = {}): Promise<SqliteFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path, opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    throwIfAborted(opts.signal);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GantryError('NOT_FOUND', `${path} does not exist`, { cause: err });
    // sql.js works on the whole file in memory, and Node reads at most 2 GiB into one buffer.
    if (code === 'ERR_FS_FILE_TOO_LARGE') throw new GantryError('IO_ERROR', `${path} is larger than 2 GiB, more than the SQLite reader can hold`, { cause: err });
    throw new GantryError('IO_ERROR', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (bytes.length < SQLITE_HEADER.length || new TextDecoder('latin1').decode(bytes.subarray(0, SQLITE_HEADER.length)) !== SQLITE_HEADER) {
    throw new GantryError(NOT_AN_INDEX, `${path} is not a SQLite database`, {
      hint: 'pass the index.db of a SQLite-based catalog (OpenShift 4.6–4.10 index images keep it at /database/index.db)',
    });
  }
  const SQL = await loadEngine();
  throwIfAborted(opts.signal);
  return createSqlJsDatabase(new SQL.Database(bytes));
}

/** Opens SQLite bytes already in memory (a database taken from an image layer, a test's fixture). */
export async function openSqliteBytes(bytes: Uint8Array): Promise<SqliteFile> {
  const SQL = await loadEngine();
  return createSqlJsDatabase(new SQL.Database(bytes));
}

function createSqlJsDatabase(db: SqlJsDatabase): SqliteFile {
  return {
    all(sql: string, params: readonly SqlValue[] = []): SqlRow[] {
      const stmt = db.prepare(sql);
      try {
        if (params.length > 0) stmt.bind(params);
        const rows: SqlRow[] = [];
        while (stmt.step()) rows.push(stmt.getAsObject());
        return rows;
      } finally {
        stmt.free();
      }
    },
    close: () => db.close(),
  };
}
