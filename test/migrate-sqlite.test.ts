// SQLite index → FBC on real SQLite databases: built here with the DDL of opm's migrations 000–013 and filled
// the way opm's loader filled them (OR@v1.73.0:pkg/sqlite/load.go), then read through openSqliteFile/Bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrateSqliteIndex } from '../src/catalog/sqlite/index.js';
import type { Bundle, DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { hasErrors, validateCatalog } from '../src/catalog/model/validate.js';
import { isGantryError } from '../src/errors.js';
import { openSqliteBytes, openSqliteFile } from '../src/files/sqlite-file.js';
import { tempDir } from './helpers.js';

// ---- a writable SQLite for building fixtures (the same engine openSqliteFile reads with) ----

interface FixtureDb {
  run(sql: string, params?: unknown[]): void;
  exec(sql: string): { values: unknown[][] }[];
  export(): Uint8Array;
  close(): void;
}
const SQL_JS = 'sql.js';
let engine: Promise<{ Database: new (data?: Uint8Array) => FixtureDb }> | undefined;
async function newDatabase(): Promise<FixtureDb> {
  engine ??= import(SQL_JS).then((m: { default: () => Promise<{ Database: new () => FixtureDb }> }) => m.default());
  return new (await engine).Database();
}

/** The DDL of opm's SQLite migrations in order (OR@v1.73.0:pkg/sqlite/migrations); backfills are no-ops on an empty database. */
const MIGRATION_DDL: readonly string[] = [
  // 000 init
  `CREATE TABLE IF NOT EXISTS operatorbundle (name TEXT PRIMARY KEY, csv TEXT UNIQUE, bundle TEXT);
   CREATE TABLE IF NOT EXISTS package (name TEXT PRIMARY KEY, default_channel TEXT, FOREIGN KEY(name, default_channel) REFERENCES channel(package_name,name));
   CREATE TABLE IF NOT EXISTS channel (name TEXT, package_name TEXT, head_operatorbundle_name TEXT, PRIMARY KEY(name, package_name),
     FOREIGN KEY(package_name) REFERENCES package(name), FOREIGN KEY(head_operatorbundle_name) REFERENCES operatorbundle(name));
   CREATE TABLE IF NOT EXISTS channel_entry (entry_id INTEGER PRIMARY KEY, channel_name TEXT, package_name TEXT, operatorbundle_name TEXT, replaces INTEGER, depth INTEGER,
     FOREIGN KEY(replaces) REFERENCES channel_entry(entry_id) DEFERRABLE INITIALLY DEFERRED, FOREIGN KEY(channel_name, package_name) REFERENCES channel(name, package_name));
   CREATE TABLE IF NOT EXISTS api (group_name TEXT, version TEXT, kind TEXT, plural TEXT NOT NULL, PRIMARY KEY(group_name, version, kind));
   CREATE TABLE IF NOT EXISTS api_provider (group_name TEXT, version TEXT, kind TEXT, channel_entry_id INTEGER,
     FOREIGN KEY(channel_entry_id) REFERENCES channel_entry(entry_id), FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind));`,
  // 001 related images
  `CREATE TABLE IF NOT EXISTS related_image (image TEXT, operatorbundle_name TEXT, FOREIGN KEY(operatorbundle_name) REFERENCES operatorbundle(name));`,
  // 002 bundle path
  `ALTER TABLE operatorbundle ADD COLUMN bundlepath TEXT;`,
  // 003 required apis
  `CREATE TABLE IF NOT EXISTS api_requirer (group_name TEXT, version TEXT, kind TEXT, channel_entry_id INTEGER,
     FOREIGN KEY(channel_entry_id) REFERENCES channel_entry(entry_id), FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind));`,
  // 004 cascade delete: every table renamed, recreated with ON DELETE CASCADE, copied back, old one dropped
  `PRAGMA foreign_keys = 0;
   ALTER TABLE operatorbundle RENAME TO operatorbundle_old; ALTER TABLE package RENAME TO package_old; ALTER TABLE channel RENAME TO channel_old;
   ALTER TABLE channel_entry RENAME TO channel_entry_old; ALTER TABLE api_provider RENAME TO api_provider_old;
   ALTER TABLE related_image RENAME TO related_image_old; ALTER TABLE api_requirer RENAME TO api_requirer_old;
   CREATE TABLE operatorbundle (name TEXT PRIMARY KEY, csv TEXT, bundle TEXT, bundlepath TEXT);
   CREATE TABLE package (name TEXT PRIMARY KEY, default_channel TEXT, FOREIGN KEY(name, default_channel) REFERENCES channel(package_name,name) ON DELETE CASCADE);
   CREATE TABLE channel (name TEXT, package_name TEXT, head_operatorbundle_name TEXT, PRIMARY KEY(name, package_name),
     FOREIGN KEY(head_operatorbundle_name) REFERENCES operatorbundle(name) ON DELETE CASCADE);
   CREATE TABLE channel_entry (entry_id INTEGER PRIMARY KEY, channel_name TEXT, package_name TEXT, operatorbundle_name TEXT, replaces INTEGER, depth INTEGER,
     FOREIGN KEY(replaces) REFERENCES channel_entry(entry_id) DEFERRABLE INITIALLY DEFERRED,
     FOREIGN KEY(channel_name, package_name) REFERENCES channel(name, package_name) ON DELETE CASCADE);
   CREATE TABLE api_provider (group_name TEXT, version TEXT, kind TEXT, channel_entry_id INTEGER, PRIMARY KEY(group_name, version, kind, channel_entry_id),
     FOREIGN KEY(channel_entry_id) REFERENCES channel_entry(entry_id) ON DELETE CASCADE, FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind));
   CREATE TABLE related_image (image TEXT, operatorbundle_name TEXT, FOREIGN KEY(operatorbundle_name) REFERENCES operatorbundle(name) ON DELETE CASCADE);
   CREATE TABLE api_requirer (group_name TEXT, version TEXT, kind TEXT, channel_entry_id INTEGER, PRIMARY KEY(group_name, version, kind, channel_entry_id),
     FOREIGN KEY(channel_entry_id) REFERENCES channel_entry(entry_id) ON DELETE CASCADE, FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind));
   INSERT INTO operatorbundle SELECT * FROM "operatorbundle_old"; DROP TABLE "operatorbundle_old";
   INSERT INTO package SELECT * FROM "package_old"; DROP TABLE "package_old";
   INSERT INTO channel SELECT * FROM "channel_old"; DROP TABLE "channel_old";
   INSERT INTO channel_entry SELECT * FROM "channel_entry_old"; DROP TABLE "channel_entry_old";
   INSERT INTO api_provider SELECT * FROM "api_provider_old"; DROP TABLE "api_provider_old";
   INSERT INTO related_image SELECT * FROM "related_image_old"; DROP TABLE "related_image_old";
   INSERT INTO api_requirer SELECT * FROM "api_requirer_old"; DROP TABLE "api_requirer_old";
   PRAGMA foreign_keys = 1;`,
  // 005 version and skiprange
  `ALTER TABLE operatorbundle ADD COLUMN skiprange TEXT; ALTER TABLE operatorbundle ADD COLUMN version TEXT;`,
  // 006 APIs keyed by bundle instead of channel entry
  `CREATE TABLE api_provider_new (group_name TEXT, version TEXT, kind TEXT, operatorbundle_name TEXT, operatorbundle_version TEXT, operatorbundle_path TEXT,
     FOREIGN KEY(operatorbundle_name, operatorbundle_version, operatorbundle_path) REFERENCES operatorbundle(name, version, bundlepath) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
     FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind) ON DELETE CASCADE);
   CREATE TABLE api_requirer_new (group_name TEXT, version TEXT, kind TEXT, operatorbundle_name TEXT, operatorbundle_version TEXT, operatorbundle_path TEXT,
     FOREIGN KEY(operatorbundle_name, operatorbundle_version, operatorbundle_path) REFERENCES operatorbundle(name, version, bundlepath) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
     FOREIGN KEY(group_name, version, kind) REFERENCES api(group_name, version, kind) ON DELETE CASCADE);
   CREATE UNIQUE INDEX pk ON operatorbundle(name, version, bundlepath);
   DROP TABLE api_provider; DROP TABLE api_requirer;
   ALTER TABLE api_provider_new RENAME TO api_provider; ALTER TABLE api_requirer_new RENAME TO api_requirer;`,
  // 007 replaces and skips columns, api cleanup triggers
  `ALTER TABLE operatorbundle ADD COLUMN replaces TEXT; ALTER TABLE operatorbundle ADD COLUMN skips TEXT;
   CREATE TRIGGER api_provider_cleanup AFTER DELETE ON api_provider
   WHEN NOT EXISTS (SELECT 1 FROM api_provider JOIN api_requirer WHERE
     (api_provider.group_name = OLD.group_name AND api_provider.version = OLD.version AND api_provider.kind = OLD.kind) OR
     (api_requirer.group_name = OLD.group_name AND api_requirer.version = OLD.version AND api_requirer.kind = OLD.kind))
   BEGIN DELETE FROM api WHERE group_name = OLD.group_name AND version = OLD.version AND kind = OLD.kind; END;
   CREATE TRIGGER api_requirer_cleanup AFTER DELETE ON api_requirer
   WHEN NOT EXISTS (SELECT 1 FROM api_provider JOIN api_requirer WHERE
     (api_provider.group_name = OLD.group_name AND api_provider.version = OLD.version AND api_provider.kind = OLD.kind) OR
     (api_requirer.group_name = OLD.group_name AND api_requirer.version = OLD.version AND api_requirer.kind = OLD.kind))
   BEGIN DELETE FROM api WHERE group_name = OLD.group_name AND version = OLD.version AND kind = OLD.kind; END;`,
  // 008 dependencies
  `CREATE TABLE IF NOT EXISTS dependencies (type TEXT, value TEXT, operatorbundle_name TEXT, operatorbundle_version TEXT, operatorbundle_path TEXT,
     FOREIGN KEY(operatorbundle_name, operatorbundle_version, operatorbundle_path) REFERENCES operatorbundle(name, version, bundlepath) ON DELETE CASCADE);`,
  // 009 properties
  `CREATE TABLE IF NOT EXISTS properties (type TEXT, value TEXT, operatorbundle_name TEXT, operatorbundle_version TEXT, operatorbundle_path TEXT,
     FOREIGN KEY(operatorbundle_name, operatorbundle_version, operatorbundle_path) REFERENCES operatorbundle(name, version, bundlepath) ON DELETE CASCADE);`,
  // 010 bundle path of package properties (data only)
  ``,
  // 011 substitutesfor
  `ALTER TABLE operatorbundle ADD COLUMN substitutesfor TEXT;`,
  // 012 deprecated
  `CREATE TABLE IF NOT EXISTS deprecated (operatorbundle_name TEXT PRIMARY KEY);`,
  // 013 remove truncated deprecations (data only)
  ``,
];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

interface BundleSpec {
  name: string;
  pkg: string;
  version: string;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
  provides?: Gvk[];
  requires?: Gvk[];
  /** spec.relatedImages of the CSV. */
  relatedImages?: { name: string; image: string }[];
  /** More related_image rows (opm also stored the operator's container images there). */
  tableImages?: string[];
  /** dependencies.yaml entries: [type, value JSON]. */
  dependencies?: [string, string][];
  /** More properties rows (from the CSV's olm.properties annotation): [type, value JSON]. */
  properties?: [string, string][];
  icon?: { base64data: string; mediatype: string };
  /** Raw `bundle` column; default: a CRD per provided API, then the CSV, as compact JSON. */
  bundleColumn?: string | null;
}

const digest = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const image = (name: string) => `quay.io/example/${name.split('.v')[0]}-bundle@${digest(name)}`;

function csvOf(b: BundleSpec): Record<string, unknown> {
  const annotations: Record<string, string> = {};
  if (b.skipRange) annotations['olm.skipRange'] = b.skipRange;
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: { name: b.name, annotations },
    spec: {
      version: b.version,
      ...(b.replaces ? { replaces: b.replaces } : {}),
      ...(b.skips ? { skips: b.skips } : {}),
      ...(b.icon ? { icon: [b.icon] } : {}),
      ...(b.relatedImages ? { relatedImages: b.relatedImages } : {}),
      customresourcedefinitions: { owned: (b.provides ?? []).map((g) => ({ name: `${g.kind.toLowerCase()}s.${g.group}`, version: g.version, kind: g.kind })) },
    },
  };
}

function crdOf(g: Gvk): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${g.kind.toLowerCase()}s.${g.group}` },
    spec: { group: g.group, names: { kind: g.kind, plural: `${g.kind.toLowerCase()}s` }, versions: [{ name: g.version, served: true, storage: true }] },
  };
}

const gvkJson = (g: Gvk) => JSON.stringify({ group: g.group, kind: g.kind, version: g.version });

/** An index database filled as opm's loader did: bundles first, then each package's channels walked from their heads. */
class IndexFixture {
  constructor(readonly db: FixtureDb) {}

  static async create(opts: { version?: number; upTo?: number } = {}): Promise<IndexFixture> {
    const db = await newDatabase();
    const last = opts.upTo ?? MIGRATION_DDL.length - 1;
    for (const ddl of MIGRATION_DDL.slice(0, last + 1)) if (ddl) db.exec(ddl);
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP)');
    db.run('INSERT INTO schema_migrations(version) VALUES (?)', [opts.version ?? last]);
    return new IndexFixture(db);
  }

  addBundle(b: BundleSpec): this {
    const csv = csvOf(b);
    const objects = [...(b.provides ?? []).map(crdOf), csv];
    const bundleColumn = b.bundleColumn !== undefined ? b.bundleColumn : objects.map((o) => JSON.stringify(o)).join('');
    this.db.run(
      'insert into operatorbundle(name, csv, bundle, bundlepath, version, skiprange, replaces, skips, substitutesfor) values(?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [b.name, JSON.stringify(csv), bundleColumn, image(b.name), b.version, b.skipRange ?? '', b.replaces ?? '', (b.skips ?? []).join(','), ''],
    );
    const images = new Set([...(b.relatedImages ?? []).map((r) => r.image), ...(b.tableImages ?? [])]);
    for (const img of images) this.db.run('insert into related_image(image, operatorbundle_name) values(?,?)', [img, b.name]);
    const dep = (type: string, value: string) =>
      this.db.run('insert into dependencies(type, value, operatorbundle_name, operatorbundle_version, operatorbundle_path) values(?, ?, ?, ?, ?)', [type, value, b.name, b.version, image(b.name)]);
    for (const [t, v] of b.dependencies ?? []) dep(t, v);
    for (const g of b.requires ?? []) dep('olm.gvk', gvkJson(g));
    for (const g of b.provides ?? []) this.addProperty(b.name, 'olm.gvk', gvkJson(g));
    for (const [t, v] of b.properties ?? []) this.addProperty(b.name, t, v);
    return this;
  }

  addProperty(bundle: string, type: string, value: string): void {
    const row = this.db.exec(`SELECT version, bundlepath FROM operatorbundle WHERE name = '${bundle}'`)[0]?.values[0] ?? [null, null];
    this.db.run('insert into properties(type, value, operatorbundle_name, operatorbundle_version, operatorbundle_path) values(?, ?, ?, ?, ?)', [type, value, bundle, row[0], row[1]]);
  }

  /** opm's addPackageChannels: a head entry at depth 0, then per bundle its skips (a row for the skipped name and a
   *  synthesized row of the bundle pointing at it) and its replaces (a deeper row the bundle's row points at). */
  addPackage(pkg: string, defaultChannel: string, channels: Record<string, string>): this {
    this.db.run('insert into package(name) values(?)', [pkg]);
    const entry = (channel: string, bundle: string, depth: number): number => {
      this.db.run('insert into channel_entry(channel_name, package_name, operatorbundle_name, depth) values(?, ?, ?, ?)', [channel, pkg, bundle, depth]);
      return this.db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0] as number;
    };
    const setReplaces = (id: number, replaces: number) => this.db.run('update channel_entry set replaces = ? where entry_id = ?', [replaces, id]);
    for (const [channel, head] of Object.entries(channels)) {
      this.db.run('insert into channel(name, package_name, head_operatorbundle_name) values(?, ?, ?)', [channel, pkg, head]);
      if (channel === defaultChannel) this.db.run('update package set default_channel = ? where name = ?', [channel, pkg]);
      let current = head;
      let currentId = entry(channel, head, 0);
      let depth = 1;
      for (;;) {
        const row = this.db.exec(`SELECT replaces, skips, version FROM operatorbundle WHERE name = '${current}'`)[0]?.values[0];
        if (row === undefined) break;
        const [replaces, skips, version] = row as [string, string, string];
        this.addProperty(current, 'olm.package', JSON.stringify({ packageName: pkg, version }));
        for (const skip of skips ? skips.split(',') : []) {
          const skipped = entry(channel, skip, depth);
          setReplaces(entry(channel, current, depth), skipped);
          depth++;
        }
        if (!replaces) break;
        const replacedId = entry(channel, replaces, depth);
        setReplaces(currentId, replacedId);
        currentId = replacedId;
        current = replaces;
        depth++;
      }
    }
    return this;
  }

  /** opm's DeprecateBundle for a tail bundle: the olm.deprecated property, the deprecated row, its replaces edges cut. */
  deprecate(bundle: string): this {
    this.addProperty(bundle, 'olm.deprecated', '{}');
    this.db.run('INSERT OR REPLACE INTO deprecated(operatorbundle_name) VALUES(?)', [bundle]);
    this.db.run('UPDATE channel_entry SET replaces=NULL WHERE operatorbundle_name=?', [bundle]);
    this.db.run('DELETE FROM channel WHERE head_operatorbundle_name=?', [bundle]);
    return this;
  }

  async migrate(): Promise<DeclarativeConfig> {
    const db = await openSqliteBytes(this.db.export());
    try {
      return migrateSqliteIndex(db);
    } finally {
      db.close();
    }
  }
}

// ---- a small etcd-like index used by several tests ----

const CLUSTER: Gvk = { group: 'etcd.database.coreos.com', version: 'v1beta2', kind: 'EtcdCluster' };
const BACKUP: Gvk = { group: 'etcd.database.coreos.com', version: 'v1beta2', kind: 'EtcdBackup' };
const ICON = { base64data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'), mediatype: 'image/svg+xml' };

async function etcdIndex(): Promise<IndexFixture> {
  const f = await IndexFixture.create();
  f.addBundle({ name: 'etcdoperator.v0.6.1', pkg: 'etcd', version: '0.6.1', provides: [CLUSTER], relatedImages: [{ name: 'etcd', image: 'quay.io/coreos/etcd-operator@' + digest('61') }] });
  f.addBundle({ name: 'etcdoperator.v0.9.0', pkg: 'etcd', version: '0.9.0', replaces: 'etcdoperator.v0.6.1', provides: [CLUSTER, BACKUP], icon: ICON });
  f.addBundle({
    name: 'etcdoperator.v0.9.2',
    pkg: 'etcd',
    version: '0.9.2',
    replaces: 'etcdoperator.v0.9.0',
    skips: ['etcdoperator.v0.9.1'],
    skipRange: '>=0.9.0 <0.9.2',
    provides: [CLUSTER, BACKUP],
    requires: [{ group: 'monitoring.coreos.com', version: 'v1', kind: 'ServiceMonitor' }],
    dependencies: [
      ['olm.package', '{"packageName":"prometheus","version":">=0.15.0"}'],
      ['olm.label', '{"label":"ignored-by-opm"}'],
    ],
    properties: [['olm.maxOpenShiftVersion', '"4.9"']],
    relatedImages: [
      { name: 'operator', image: 'quay.io/coreos/etcd-operator@' + digest('92') },
      { name: 'etcd', image: 'quay.io/coreos/etcd@' + digest('35') },
    ],
    tableImages: ['quay.io/coreos/etcd-operator@' + digest('92'), 'quay.io/coreos/etcd-backup@' + digest('11')],
    icon: ICON,
  });
  f.addBundle({ name: 'prometheusoperator.0.15.0', pkg: 'prometheus', version: '0.15.0', provides: [{ group: 'monitoring.coreos.com', version: 'v1', kind: 'ServiceMonitor' }] });
  f.addPackage('etcd', 'alpha', { alpha: 'etcdoperator.v0.9.2', stable: 'etcdoperator.v0.9.0' });
  f.addPackage('prometheus', 'beta', { beta: 'prometheusoperator.0.15.0' });
  return f;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
const bundleNamed = (cfg: DeclarativeConfig, name: string): Bundle => {
  const b = cfg.bundles.find((x) => x.name === name);
  assert.ok(b, `bundle ${name}`);
  return b;
};

test('migrate-sqlite/packages, channels and entries with replaces, skips and skipRange', async () => {
  const cfg = await (await etcdIndex()).migrate();
  assert.deepEqual(cfg.packages, [
    { schema: 'olm.package', name: 'etcd', defaultChannel: 'alpha', icon: ICON },
    { schema: 'olm.package', name: 'prometheus', defaultChannel: 'beta' },
  ]);
  assert.deepEqual(cfg.channels, [
    {
      schema: 'olm.channel',
      name: 'alpha',
      package: 'etcd',
      entries: [
        { name: 'etcdoperator.v0.6.1' },
        { name: 'etcdoperator.v0.9.0', replaces: 'etcdoperator.v0.6.1' },
        // The skipped v0.9.1 is not in the index: it stays in skips but gets no entry of its own.
        { name: 'etcdoperator.v0.9.2', replaces: 'etcdoperator.v0.9.0', skips: ['etcdoperator.v0.9.1'], skipRange: '>=0.9.0 <0.9.2' },
      ],
    },
    {
      schema: 'olm.channel',
      name: 'stable',
      package: 'etcd',
      entries: [{ name: 'etcdoperator.v0.6.1' }, { name: 'etcdoperator.v0.9.0', replaces: 'etcdoperator.v0.6.1' }],
    },
    { schema: 'olm.channel', name: 'beta', package: 'prometheus', entries: [{ name: 'prometheusoperator.0.15.0' }] },
  ]);
  assert.deepEqual(
    cfg.bundles.map((b) => [b.package, b.name, b.image]),
    [
      ['etcd', 'etcdoperator.v0.6.1', image('etcdoperator.v0.6.1')],
      ['etcd', 'etcdoperator.v0.9.0', image('etcdoperator.v0.9.0')],
      ['etcd', 'etcdoperator.v0.9.2', image('etcdoperator.v0.9.2')],
      ['prometheus', 'prometheusoperator.0.15.0', image('prometheusoperator.0.15.0')],
    ],
  );
  assert.deepEqual([cfg.deprecations, cfg.others], [[], []]);
  // opm validated the model before writing; the result passes gantry's validator.
  assert.equal(hasErrors(validateCatalog(cfg)), false, JSON.stringify(validateCatalog(cfg)));
});

test('migrate-sqlite/bundle properties: package, provided and required APIs, package dependencies, objects last', async () => {
  const cfg = await (await etcdIndex()).migrate();
  const b = bundleNamed(cfg, 'etcdoperator.v0.9.2');
  const spec: BundleSpec = { name: 'etcdoperator.v0.9.2', pkg: 'etcd', version: '0.9.2', replaces: 'etcdoperator.v0.9.0', skips: ['etcdoperator.v0.9.1'], skipRange: '>=0.9.0 <0.9.2', provides: [CLUSTER, BACKUP], relatedImages: [{ name: 'operator', image: 'quay.io/coreos/etcd-operator@' + digest('92') }, { name: 'etcd', image: 'quay.io/coreos/etcd@' + digest('35') }], icon: ICON };
  assert.deepEqual(b.properties, [
    { type: 'olm.gvk', value: { group: 'etcd.database.coreos.com', kind: 'EtcdBackup', version: 'v1beta2' } },
    { type: 'olm.gvk', value: { group: 'etcd.database.coreos.com', kind: 'EtcdCluster', version: 'v1beta2' } },
    { type: 'olm.gvk.required', value: { group: 'monitoring.coreos.com', kind: 'ServiceMonitor', version: 'v1' } },
    { type: 'olm.maxOpenShiftVersion', value: '4.9' },
    { type: 'olm.package', value: { packageName: 'etcd', version: '0.9.2' } },
    // dependencies of type olm.package become olm.package.required; olm.label dependencies are dropped (as opm did).
    { type: 'olm.package.required', value: { packageName: 'prometheus', versionRange: '>=0.15.0' } },
    // Every stored manifest, base64 of its stored bytes, sorted by value and moved to the end.
    ...[b64(crdOf(CLUSTER)), b64(crdOf(BACKUP)), b64(csvOf(spec))].sort().map((data) => ({ type: 'olm.bundle.object', value: { data } })),
  ]);
});

test('migrate-sqlite/related images: the CSV list plus related_image rows, unnamed, sorted by image', async () => {
  const cfg = await (await etcdIndex()).migrate();
  assert.deepEqual(bundleNamed(cfg, 'etcdoperator.v0.9.2').relatedImages, [
    { name: '', image: 'quay.io/coreos/etcd-backup@' + digest('11') },
    { name: 'operator', image: 'quay.io/coreos/etcd-operator@' + digest('92') },
    { name: 'etcd', image: 'quay.io/coreos/etcd@' + digest('35') },
  ]);
  assert.deepEqual(bundleNamed(cfg, 'etcdoperator.v0.6.1').relatedImages, [{ name: 'etcd', image: 'quay.io/coreos/etcd-operator@' + digest('61') }]);
  assert.equal(bundleNamed(cfg, 'prometheusoperator.0.15.0').relatedImages, undefined);
});

test('migrate-sqlite/deprecated bundles are dropped; the bundle that replaced one keeps the dangling replaces', async () => {
  const f = await etcdIndex();
  f.deprecate('etcdoperator.v0.6.1');
  const cfg = await f.migrate();
  assert.equal(
    cfg.bundles.find((b) => b.name === 'etcdoperator.v0.6.1'),
    undefined,
  );
  const alpha = cfg.channels.find((c) => c.name === 'alpha')!;
  assert.deepEqual(
    alpha.entries?.map((e) => [e.name, e.replaces]),
    [
      ['etcdoperator.v0.9.0', 'etcdoperator.v0.6.1'],
      ['etcdoperator.v0.9.2', 'etcdoperator.v0.9.0'],
    ],
  );
  // A deprecated tail that a bundle replaces is allowed by validation (the tail may replace a missing bundle).
  assert.equal(hasErrors(validateCatalog(cfg)), false, JSON.stringify(validateCatalog(cfg)));
});

test('migrate-sqlite/an olm.package property is synthesized when the index has none; whitespace in stored values is compacted', async () => {
  const f = await IndexFixture.create();
  f.addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0', properties: [['olm.label', '{ "label" : "x" }']] });
  // Filled by hand in opm's order (package, channel, default channel, entries), without the olm.package property.
  f.db.run('insert into package(name) values (?)', ['a']);
  f.db.run('insert into channel(name, package_name, head_operatorbundle_name) values (?, ?, ?)', ['stable', 'a', 'a.v1.0.0']);
  f.db.run('update package set default_channel = ? where name = ?', ['stable', 'a']);
  f.db.run('insert into channel_entry(channel_name, package_name, operatorbundle_name, depth) values (?, ?, ?, 0)', ['stable', 'a', 'a.v1.0.0']);
  const cfg = await f.migrate();
  assert.deepEqual(
    cfg.bundles[0]!.properties!.filter((p) => p.type !== 'olm.bundle.object'),
    [
      { type: 'olm.label', value: { label: 'x' } },
      { type: 'olm.package', value: { packageName: 'a', version: '1.0.0' } },
    ],
  );
});

test('migrate-sqlite/package icon from the default channel head: spaces in base64 retried, unusable icons dropped', async () => {
  const cases: { name: string; data: string; want: string | undefined }[] = [
    { name: 'plain', data: ICON.base64data, want: ICON.base64data },
    { name: 'spaces', data: ICON.base64data.replace(/(.{4})/g, '$1 '), want: ICON.base64data },
    { name: 'line breaks', data: ICON.base64data.replace(/(.{4})/g, '$1\n'), want: ICON.base64data },
    { name: 'not base64', data: '%%%%', want: undefined },
    { name: 'missing padding', data: ICON.base64data.replace(/=+$/, ''), want: undefined },
    { name: 'empty', data: '', want: undefined },
  ];
  for (const c of cases) {
    const f = await IndexFixture.create();
    f.addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0', icon: { base64data: c.data, mediatype: 'image/svg+xml' } });
    f.addPackage('a', 'stable', { stable: 'a.v1.0.0' });
    const cfg = await f.migrate();
    assert.deepEqual(cfg.packages[0]!.icon, c.want === undefined ? undefined : { base64data: c.want, mediatype: 'image/svg+xml' }, c.name);
  }
});

test('migrate-sqlite/a file on disk: openSqliteFile reads it; missing files and non-SQLite files are clear errors', async () => {
  const dir = await tempDir('sqlite');
  try {
    const f = await etcdIndex();
    const path = join(dir.path, 'index.db');
    await writeFile(path, f.db.export());
    const db = await openSqliteFile(path);
    try {
      assert.equal(migrateSqliteIndex(db).bundles.length, 4);
    } finally {
      db.close();
    }
    await assert.rejects(openSqliteFile(join(dir.path, 'absent.db')), (e) => isGantryError(e, 'NOT_FOUND'));
    const text = join(dir.path, 'catalog.json');
    await writeFile(text, '{"schema":"olm.package","name":"a"}\n');
    await assert.rejects(openSqliteFile(text), (e) => isGantryError(e, 'USAGE') && /not a SQLite database/.test(e.message));
    const aborted = AbortSignal.abort();
    await assert.rejects(openSqliteFile(path, { signal: aborted }), (e) => isGantryError(e, 'ABORTED'));
  } finally {
    await dir.remove();
  }
});

test('migrate-sqlite/errors: what is not an index, and index content opm refused', async () => {
  const cases: { name: string; build: () => Promise<FixtureDb>; code: string; message: RegExp }[] = [
    {
      name: 'error/sqlite without index tables',
      build: async () => {
        const db = await newDatabase();
        db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
        return db;
      },
      code: 'USAGE',
      message: /not an operator-registry index/,
    },
    {
      name: 'error/empty database',
      build: newDatabase,
      code: 'USAGE',
      message: /not an operator-registry index/,
    },
    {
      name: 'error/schema before the properties table (migration 9)',
      build: async () => (await IndexFixture.create({ upTo: 8 })).db,
      code: 'MANIFEST_INVALID',
      message: /schema version 8 lacks table properties/,
    },
    {
      name: 'error/bundle version that is not semver',
      build: async () => (await IndexFixture.create()).addBundle({ name: 'a.v1', pkg: 'a', version: 'v1' }).addPackage('a', 'stable', { stable: 'a.v1' }).db,
      code: 'MANIFEST_INVALID',
      message: /convert bundle "a\.v1": parse version "v1"/,
    },
    {
      name: 'error/bundle manifests without a CSV',
      build: async () =>
        (await IndexFixture.create()).addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0', bundleColumn: JSON.stringify(crdOf(CLUSTER)) }).addPackage('a', 'stable', { stable: 'a.v1.0.0' }).db,
      code: 'MANIFEST_INVALID',
      message: /bundle "a\.v1\.0\.0": no csv in bundle/,
    },
    {
      name: 'error/bundle manifests that are not JSON',
      build: async () => (await IndexFixture.create()).addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0', bundleColumn: '{"kind":' }).addPackage('a', 'stable', { stable: 'a.v1.0.0' }).db,
      code: 'MANIFEST_INVALID',
      message: /bundle "a\.v1\.0\.0": manifests are not a JSON object stream/,
    },
    {
      name: 'error/a property value that is not JSON',
      build: async () =>
        (await IndexFixture.create()).addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0', properties: [['olm.gvk', '{group']] }).addPackage('a', 'stable', { stable: 'a.v1.0.0' }).db,
      code: 'MANIFEST_INVALID',
      message: /convert bundle "a\.v1\.0\.0": convert properties: parse property\[\d\] of type "olm\.gvk"/,
    },
    {
      name: 'error/default channel that is not a channel',
      build: async () => {
        const f = (await IndexFixture.create()).addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0' }).addPackage('a', 'stable', { stable: 'a.v1.0.0' });
        f.db.exec('PRAGMA foreign_keys = 0'); // as a hand-edited database could be
        f.db.run("update package set default_channel = 'fast'");
        return f.db;
      },
      code: 'MANIFEST_INVALID',
      message: /package "a": default channel "fast" is not one of its channels/,
    },
    {
      name: 'error/channel entry in a channel the package lacks',
      build: async () => {
        const f = (await IndexFixture.create()).addBundle({ name: 'a.v1.0.0', pkg: 'a', version: '1.0.0' }).addPackage('a', 'stable', { stable: 'a.v1.0.0' });
        f.db.exec('PRAGMA foreign_keys = 0');
        f.db.run("insert into channel_entry(channel_name, package_name, operatorbundle_name, depth) values ('ghost', 'a', 'a.v1.0.0', 0)");
        return f.db;
      },
      code: 'MANIFEST_INVALID',
      message: /unknown channel "ghost" for bundle "a\.v1\.0\.0"/,
    },
  ];
  for (const c of cases) {
    const db = await openSqliteBytes((await c.build()).export());
    try {
      assert.throws(
        () => migrateSqliteIndex(db),
        (e) => isGantryError(e) && e.code === c.code && c.message.test(e.message),
        c.name,
      );
    } finally {
      db.close();
    }
  }
});

test('migrate-sqlite/identical inputs give identical output', async () => {
  const a = await (await etcdIndex()).migrate();
  const b = await (await etcdIndex()).migrate();
  assert.equal(JSON.stringify(a), JSON.stringify(b));
});

test('migrate-sqlite/cli: gantry catalog migrate writes a validated per-package catalog, refuses to overwrite', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readdir } = await import('node:fs/promises');
  const bin = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
  const dir = await tempDir('sqlite-cli');
  try {
    const f = await etcdIndex();
    const db = join(dir.path, 'index.db');
    await writeFile(db, f.db.export());
    const out = join(dir.path, 'catalog');
    const r = spawnSync(process.execPath, [bin, 'catalog', 'migrate', db, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /wrote 2 packages, 4 bundles/);
    assert.equal((await readdir(out)).length, 2, 'one directory per package');
    const v = spawnSync(process.execPath, [bin, 'catalog', 'validate', out], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout);
    const again = spawnSync(process.execPath, [bin, 'catalog', 'migrate', db, out], { encoding: 'utf8' });
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
  } finally {
    await dir.remove();
  }
});

test('migrate-sqlite/cli: a package name that is not one path element is refused before anything is written', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readdir } = await import('node:fs/promises');
  const bin = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
  const dir = await tempDir('sqlite-cli-hostile');
  try {
    const f = await IndexFixture.create();
    f.addBundle({ name: 'escaped.v1.0.0', pkg: '../../../escaped-pkg', version: '1.0.0', provides: [CLUSTER] });
    f.addPackage('../../../escaped-pkg', 'stable', { stable: 'escaped.v1.0.0' });
    const db = join(dir.path, 'index.db');
    await writeFile(db, f.db.export());
    const r = spawnSync(process.execPath, [bin, 'catalog', 'migrate', db, join(dir.path, 'a', 'b', 'out')], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    // opm's model rule (an RFC 1123 label) already refuses the name; the write never starts.
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /invalid package name "\.\.\/\.\.\/\.\.\/escaped-pkg"/);
    assert.match(r.stderr, /^error\[CATALOG_INVALID\]: .*nothing was written/m);
    assert.deepEqual(await readdir(dir.path), ['index.db']);
  } finally {
    await dir.remove();
  }
});

test('migrate-sqlite/cli: an index image (the database inside it, found by its label) converts the same', async () => {
  const { spawnSync } = await import('node:child_process');
  const { gzipSync } = await import('node:zlib');
  const { pack } = await import('tar-stream');
  const { createLayoutStore } = await import('../src/layout/index.js');
  const { makeBlob, descriptorOf } = await import('../src/testing/images.js');
  const bin = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
  const dir = await tempDir('sqlite-img');
  try {
    const f = await etcdIndex();
    const p = pack();
    const chunks: Buffer[] = [];
    p.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    const done = new Promise<void>((r) => p.on('end', () => r()));
    p.entry({ name: 'database/index.db' }, Buffer.from(f.db.export()));
    p.finalize();
    await done;
    const layer = makeBlob(gzipSync(Buffer.concat(chunks)), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const config = makeBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'operators.operatorframework.io.index.database.v1': '/database/index.db' } }, rootfs: { type: 'layers', diff_ids: [] } })), 'application/vnd.oci.image.config.v1+json');
    const store = createLayoutStore({ path: join(dir.path, 'layout'), create: true });
    for (const b of [config, layer]) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
    await store.pushManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptorOf(config), layers: [descriptorOf(layer)] })), 'application/vnd.oci.image.manifest.v1+json', 'v4.10');
    const fromImage = join(dir.path, 'from-image');
    const r = spawnSync(process.execPath, [bin, 'catalog', 'migrate', `oci:${join(dir.path, 'layout')}:v4.10`, fromImage], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const db = join(dir.path, 'index.db');
    await writeFile(db, f.db.export());
    const fromFile = join(dir.path, 'from-file');
    assert.equal(spawnSync(process.execPath, [bin, 'catalog', 'migrate', db, fromFile]).status, 0);
    const render = (d: string) => spawnSync(process.execPath, [bin, 'catalog', 'render', d], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    assert.equal(render(fromImage), render(fromFile));
    const notIndex = spawnSync(process.execPath, [bin, 'catalog', 'migrate', `oci:${join(dir.path, 'layout')}:nope`, join(dir.path, 'x')], { encoding: 'utf8' });
    assert.equal(notIndex.status, 1);
  } finally {
    await dir.remove();
  }
});
