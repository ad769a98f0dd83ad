// Reads the tables of an operator-registry SQLite index (schema of opm's migrations 000–013, reference §3.6)
// into plain rows with plain SELECTs; the large manifest columns are fetched one bundle at a time.
import { GantryError } from '../../errors.js';
import { indexInvalid, notAnIndex } from './index-error.js';
import type { SqlDatabase, SqlValue } from './sql-database.js';

export interface PackageRow {
  name: string | null;
  defaultChannel: string | null;
}

export interface ChannelRow {
  name: string | null;
  packageName: string | null;
  head: string | null;
}

/** One row of channel_entry: an inbound upgrade edge (`replaces` is another row's entryId). */
export interface ChannelEntryRow {
  entryId: number;
  channelName: string | null;
  packageName: string | null;
  bundleName: string | null;
  replaces: number | null;
  depth: number | null;
}

/** operatorbundle without its two large columns (see IndexData.manifests). */
export interface BundleRow {
  name: string | null;
  bundlePath: string | null;
  version: string | null;
  skipRange: string | null;
}

/** A row of `properties` or `dependencies`; values are JSON text. */
export interface TypedValueRow {
  type: string | null;
  value: string | null;
  bundleName: string | null;
}

export interface RelatedImageRow {
  image: string | null;
  bundleName: string | null;
}

export interface IndexTables {
  /** schema_migrations.version (13 for the last opm that wrote SQLite); undefined when the table is absent. */
  schemaVersion: number | undefined;
  packages: PackageRow[];
  channels: ChannelRow[];
  channelEntries: ChannelEntryRow[];
  bundles: BundleRow[];
  properties: TypedValueRow[];
  dependencies: TypedValueRow[];
  relatedImages: RelatedImageRow[];
}

/**
 * An index read for conversion: the small tables whole; operatorbundle's two large columns on demand, one
 * bundle at a time, so that only the converted output stays in memory.
 */
export interface IndexData {
  tables: IndexTables;
  /** operatorbundle.bundle: every manifest of the bundle as concatenated JSON objects. */
  bundleColumn(bundleName: string): string | null;
  /** operatorbundle.csv: the CSV's JSON (opm read the package icon from it). */
  csvColumn(bundleName: string): string | null;
}

/** The columns conversion reads, per table: opm's schema from migration 009 (mid-2020) on. */
const REQUIRED: Record<string, readonly string[]> = {
  package: ['name', 'default_channel'],
  channel: ['name', 'package_name', 'head_operatorbundle_name'],
  channel_entry: ['entry_id', 'channel_name', 'package_name', 'operatorbundle_name', 'replaces', 'depth'],
  operatorbundle: ['name', 'csv', 'bundle', 'bundlepath', 'version', 'skiprange'],
  properties: ['type', 'value', 'operatorbundle_name'],
  dependencies: ['type', 'value', 'operatorbundle_name'],
  related_image: ['image', 'operatorbundle_name'],
};

const CORE_TABLES = ['package', 'channel', 'channel_entry', 'operatorbundle'];

const decoder = new TextDecoder();

/**
 * TEXT as Go's sql.NullString scans it: a string, BLOB bytes as UTF-8 (opm's migration 009 stored some
 * values as BLOB), a number as its decimal text, NULL as null.
 */
export function sqlText(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  return String(v);
}

function sqlInteger(v: SqlValue | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = typeof v === 'string' ? v : decoder.decode(v);
  // SQLite compares an INTEGER column's TEXT value as text; such rows do not occur in opm's indexes.
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function query(db: SqlDatabase, sql: string, params: readonly SqlValue[] = []) {
  try {
    return db.all(sql, params);
  } catch (err) {
    if (err instanceof GantryError) throw err;
    throw indexInvalid(`query of the index failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

function checkSchema(db: SqlDatabase): number | undefined {
  let tables: Set<string>;
  try {
    tables = new Set(db.all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => sqlText(r.name) ?? ''));
  } catch (err) {
    if (err instanceof GantryError) throw err;
    throw notAnIndex(`not a SQLite database: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
  if (!CORE_TABLES.some((t) => tables.has(t))) {
    throw notAnIndex('not an operator-registry index: the database has none of the tables package, channel, channel_entry, operatorbundle');
  }
  let version: number | undefined;
  if (tables.has('schema_migrations')) {
    const v = query(db, 'SELECT version FROM schema_migrations LIMIT 1')[0]?.version;
    version = sqlInteger(v ?? null) ?? undefined;
  }
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(REQUIRED)) {
    if (!tables.has(table)) {
      missing.push(`table ${table}`);
      continue;
    }
    const have = new Set(query(db, 'SELECT name FROM pragma_table_info(?)', [table]).map((r) => sqlText(r.name)));
    for (const c of columns) if (!have.has(c)) missing.push(`column ${table}.${c}`);
  }
  if (missing.length > 0) {
    const at = version === undefined ? 'without a schema_migrations version' : `at schema version ${version}`;
    throw indexInvalid(`index ${at} lacks ${missing.join(', ')}`, {
      hint:
        'indexes written before opm added the properties table (its migration 9, mid-2020) need an upgrade first: ' +
        'run any `opm index`/`opm registry` command of opm v1.73.0 or older on the database, then migrate it',
    });
  }
  return version;
}

/** Reads the index's small tables; `manifests` queries one bundle's large columns when conversion needs them. */
export function readIndex(db: SqlDatabase): IndexData {
  const schemaVersion = checkSchema(db);
  const tables: IndexTables = {
    schemaVersion,
    packages: query(db, 'SELECT name, default_channel FROM package').map((r) => ({
      name: sqlText(r.name),
      defaultChannel: sqlText(r.default_channel),
    })),
    channels: query(db, 'SELECT name, package_name, head_operatorbundle_name FROM channel').map((r) => ({
      name: sqlText(r.name),
      packageName: sqlText(r.package_name),
      head: sqlText(r.head_operatorbundle_name),
    })),
    channelEntries: query(db, 'SELECT entry_id, channel_name, package_name, operatorbundle_name, replaces, depth FROM channel_entry ORDER BY entry_id').map(
      (r) => ({
        entryId: sqlInteger(r.entry_id) ?? 0,
        channelName: sqlText(r.channel_name),
        packageName: sqlText(r.package_name),
        bundleName: sqlText(r.operatorbundle_name),
        replaces: sqlInteger(r.replaces),
        depth: sqlInteger(r.depth),
      }),
    ),
    bundles: query(db, 'SELECT name, bundlepath, version, skiprange FROM operatorbundle').map((r) => ({
      name: sqlText(r.name),
      bundlePath: sqlText(r.bundlepath),
      version: sqlText(r.version),
      skipRange: sqlText(r.skiprange),
    })),
    properties: query(db, 'SELECT type, value, operatorbundle_name FROM properties').map(typedValue),
    dependencies: query(db, 'SELECT type, value, operatorbundle_name FROM dependencies').map(typedValue),
    relatedImages: query(db, 'SELECT image, operatorbundle_name FROM related_image').map((r) => ({
      image: sqlText(r.image),
      bundleName: sqlText(r.operatorbundle_name),
    })),
  };
  return {
    tables,
    bundleColumn: (name) => sqlText(query(db, 'SELECT bundle FROM operatorbundle WHERE name = ?', [name])[0]?.bundle),
    csvColumn: (name) => sqlText(query(db, 'SELECT csv FROM operatorbundle WHERE name = ?', [name])[0]?.csv),
  };
}

function typedValue(r: Readonly<Record<string, SqlValue>>): TypedValueRow {
  return { type: sqlText(r.type), value: sqlText(r.value), bundleName: sqlText(r.operatorbundle_name) };
}
