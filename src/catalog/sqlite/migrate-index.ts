// `opm migrate` of a SQLite index (opm v1.73.0 and earlier): the index's tables → a DeclarativeConfig with
// the packages, channels and bundles opm wrote (OR@v1.73.0:pkg/sqlite/conversion.go ToModel, alpha/action/render.go).
import { byteOrder } from '../../order.js';
import type { Bundle, Channel, ChannelEntry, DeclarativeConfig, Icon, Package, RelatedImage } from '../fbc/types.js';
import { parseVersion } from '../../semver/index.js';
import { buildBundleProperties, uniqueTypedValues } from './bundle-properties.js';
import { csvIcon, csvRelatedImages, splitBundleObjects } from './bundle-manifests.js';
import { deriveChannelMemberships } from './channel-graph.js';
import { indexInvalid } from './index-error.js';
import { readIndex, type BundleRow, type IndexData, type TypedValueRow } from './index-tables.js';
import type { SqlDatabase } from './sql-database.js';

/**
 * Converts a SQLite index to FBC the way `opm migrate <index.db> <dir>` did. Throws GantryError for what made
 * opm fail before validation (not an index, bad JSON, bad versions, unknown package/channel). opm then also
 * validated the model and refused invalid graphs: run validateCatalog on the result for that.
 */
export function migrateSqliteIndex(db: SqlDatabase): DeclarativeConfig {
  return convertIndex(readIndex(db));
}

interface ModelPackage {
  name: string;
  defaultChannel: string;
  channels: Map<string, Map<string, ChannelEntry>>;
  bundles: Map<string, Bundle>;
  icon?: Icon;
}

/** What opm derived once per bundle from its rows, whatever channel the bundle is in. */
interface BundleLevel {
  row: BundleRow;
  deprecated: boolean;
  properties: { type: string; value: string }[];
  dependencies: { type: string; value: string }[];
  /** base64 of each stored manifest. */
  objectData: string[];
  relatedImages: RelatedImage[] | Error;
}

/** The conversion itself, over tables already read (pure; tests hand it plain rows). */
export function convertIndex(index: IndexData): DeclarativeConfig {
  const { tables } = index;

  // ListPackages + GetPackage: a package and the channels joined to it; none joined is an error in opm.
  const packages = new Map<string, ModelPackage>();
  for (const p of tables.packages) {
    if (p.name === null || packages.has(p.name)) continue;
    const chans = tables.channels.filter((c) => c.packageName === p.name);
    if (chans.length === 0) throw indexInvalid(`package ${JSON.stringify(p.name)} not found: it has no channel`);
    const channels = new Map<string, Map<string, ChannelEntry>>();
    for (const c of chans) channels.set(c.name ?? '', new Map());
    packages.set(p.name, { name: p.name, defaultChannel: p.defaultChannel ?? '', channels, bundles: new Map() });
  }

  const bundleRows = new Map<string, BundleRow>();
  for (const b of tables.bundles) if (b.name !== null && !bundleRows.has(b.name)) bundleRows.set(b.name, b);
  const propsOf = groupByBundle(tables.properties);
  const depsOf = groupByBundle(tables.dependencies);

  const levels = new Map<string, BundleLevel>();
  const levelOf = (name: string, row: BundleRow): BundleLevel => {
    let level = levels.get(name);
    if (level === undefined) {
      level = bundleLevel(name, row, index, propsOf.get(name) ?? [], depsOf.get(name) ?? []);
      levels.set(name, level);
    }
    return level;
  };

  for (const m of deriveChannelMemberships(tables.channelEntries)) {
    const row = bundleRows.get(m.bundleName);
    // opm's ListBundles joins operatorbundle and drops rows lacking a version, a bundle path or a channel.
    if (row === undefined || row.version === null || row.bundlePath === null || m.channelName === null) continue;
    const level = levelOf(m.bundleName, row);
    // Bundles carrying olm.deprecated (the tail left by `opm index deprecatetruncate`) are not rendered.
    if (level.deprecated) continue;
    const pkgName = m.packageName ?? '';
    const pkg = packages.get(pkgName);
    if (pkg === undefined) throw indexInvalid(`unknown package ${JSON.stringify(pkgName)} for bundle ${JSON.stringify(m.bundleName)}`);
    const channel = pkg.channels.get(m.channelName);
    if (channel === undefined) throw indexInvalid(`unknown channel ${JSON.stringify(m.channelName)} for bundle ${JSON.stringify(m.bundleName)}`);

    if (!pkg.bundles.has(m.bundleName)) pkg.bundles.set(m.bundleName, modelBundle(m.bundleName, pkgName, level));
    const entry: ChannelEntry = { name: m.bundleName };
    if (m.replaces !== '') entry.replaces = m.replaces;
    if (m.skips !== undefined && m.skips.length > 0) entry.skips = m.skips;
    if (row.skipRange) entry.skipRange = row.skipRange;
    channel.set(m.bundleName, entry);
  }

  for (const pkg of packages.values()) pkg.icon = packageIcon(pkg, index);
  addTableRelatedImages(packages, tables.relatedImages);
  return toConfig(packages);
}

function groupByBundle(rows: readonly TypedValueRow[]): Map<string, { type: string; value: string }[]> {
  const out = new Map<string, { type: string; value: string }[]>();
  for (const r of rows) {
    if (r.bundleName === null) continue;
    let list = out.get(r.bundleName);
    if (list === undefined) out.set(r.bundleName, (list = []));
    list.push({ type: r.type ?? '', value: r.value ?? '' });
  }
  return out;
}

function bundleLevel(name: string, row: BundleRow, index: IndexData, props: { type: string; value: string }[], deps: { type: string; value: string }[]): BundleLevel {
  const text = index.bundleColumn(name);
  let objectData: string[] = [];
  let relatedImages: RelatedImage[] | Error = [];
  if (text !== null && text !== '') {
    let split;
    try {
      split = splitBundleObjects(text);
    } catch (err) {
      throw indexInvalid(`bundle ${JSON.stringify(name)}: ${(err as Error).message}`, { cause: err });
    }
    objectData = split.objects.map((o) => Buffer.from(o, 'utf8').toString('base64'));
    try {
      relatedImages = csvRelatedImages(split.csv);
    } catch (err) {
      relatedImages = err as Error;
    }
  }
  const properties = uniqueTypedValues(props);
  return {
    row,
    deprecated: properties.some((p) => p.type === 'olm.deprecated'),
    properties,
    dependencies: uniqueTypedValues(deps),
    objectData,
    relatedImages,
  };
}

function modelBundle(name: string, pkgName: string, level: BundleLevel): Bundle {
  const fail = (what: string, err: unknown) => indexInvalid(`convert bundle ${JSON.stringify(name)}: ${what}: ${(err as Error).message}`, { cause: err });
  let properties;
  try {
    properties = buildBundleProperties({
      properties: level.properties,
      dependencies: level.dependencies,
      packageName: pkgName,
      version: level.row.version ?? '',
      objectData: level.objectData,
    });
  } catch (err) {
    throw fail('convert properties', err);
  }
  if (level.relatedImages instanceof Error) throw fail('get related images: unmarshal csv', level.relatedImages);
  try {
    parseVersion(level.row.version ?? '');
  } catch (err) {
    throw fail(`parse version ${JSON.stringify(level.row.version)}`, err);
  }
  const b: Bundle = { schema: 'olm.bundle', name, package: pkgName, image: level.row.bundlePath ?? '', properties };
  if (level.relatedImages.length > 0) b.relatedImages = [...level.relatedImages];
  return b;
}

/** The icon of the default channel head's CSV (the `csv` column); opm failed when that CSV was not JSON. */
function packageIcon(pkg: ModelPackage, index: IndexData): Icon | undefined {
  if (!pkg.channels.has(pkg.defaultChannel)) {
    // opm dereferenced a nil default channel here and crashed.
    throw indexInvalid(`package ${JSON.stringify(pkg.name)}: default channel ${JSON.stringify(pkg.defaultChannel)} is not one of its channels`);
  }
  const head = index.tables.channels.find((c) => c.name === pkg.defaultChannel && c.packageName === pkg.name)?.head ?? null;
  const headRow = head === null ? undefined : index.tables.bundles.find((b) => b.name === head);
  if (head === null || headRow === undefined) {
    throw indexInvalid(`get default channel head for package ${JSON.stringify(pkg.name)}: no entry found for ${pkg.name} ${pkg.defaultChannel}`);
  }
  try {
    return csvIcon(index.csvColumn(head) ?? '');
  } catch (err) {
    throw indexInvalid(`populate package icons: unmarshal CSV json for bundle ${JSON.stringify(head)}: ${(err as Error).message}`, { cause: err });
  }
}

/** related_image rows add the images the CSV did not list, with an empty name (opm's populateDBRelatedImages). */
function addTableRelatedImages(packages: Map<string, ModelPackage>, rows: readonly { image: string | null; bundleName: string | null }[]): void {
  const byBundle = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.image === null || r.bundleName === null) continue;
    let set = byBundle.get(r.bundleName);
    if (set === undefined) byBundle.set(r.bundleName, (set = new Set()));
    set.add(r.image);
  }
  for (const pkg of packages.values()) {
    for (const b of pkg.bundles.values()) {
      const images = byBundle.get(b.name);
      if (images === undefined) continue;
      const listed = new Set((b.relatedImages ?? []).map((ri) => ri.image));
      const extra = [...images].filter((img) => !listed.has(img)).map((image) => ({ name: '', image }));
      if (extra.length > 0) b.relatedImages = [...(b.relatedImages ?? []), ...extra];
    }
  }
}

function toConfig(packages: Map<string, ModelPackage>): DeclarativeConfig {
  const cfg: DeclarativeConfig = { packages: [], channels: [], bundles: [], deprecations: [], others: [] };
  const pkgs = [...packages.values()].sort((a, b) => byteOrder(a.name, b.name));
  for (const pkg of pkgs) {
    const p: Package = { schema: 'olm.package', name: pkg.name, defaultChannel: pkg.defaultChannel };
    if (pkg.icon) p.icon = pkg.icon;
    cfg.packages.push(p);
    for (const name of [...pkg.channels.keys()].sort(byteOrder)) {
      const entries = [...pkg.channels.get(name)!.values()].sort((a, b) => byteOrder(a.name, b.name));
      const c: Channel = { schema: 'olm.channel', name, package: pkg.name, entries };
      cfg.channels.push(c);
    }
    for (const name of [...pkg.bundles.keys()].sort(byteOrder)) {
      const b = pkg.bundles.get(name)!;
      // render sorts related images by image (sort.Slice; stable here, so equal images keep CSV order).
      if (b.relatedImages) b.relatedImages.sort((x, y) => byteOrder(x.image, y.image));
      cfg.bundles.push(b);
    }
  }
  return cfg;
}
