// Writing a catalog the way `opm render` / `opm migrate` do (reference §1.5): JSON byte-for-byte like Go's
// encoder (4-space indent, struct field order, Go escaping), objects grouped by package in opm's order, one
// stream or one file per package. Unknown fields are carried through after the known ones.
import { goObject, rawJson, sortedJson, encodeGoBlob, omitEmpty, type GoField, type JsonPart } from '../encoding/go-json-writer.js';
import { yamlDocument } from '../encoding/go-yaml.js';
import { GantryError } from '../../errors.js';
import { byteOrder } from './file-tree.js';
import type { Bundle, Channel, ChannelEntry, DeclarativeConfig, Deprecation, Other, Package, Property } from './types.js';

/** A property produced by rendering (not loading): its value's key order is already Go's and is kept. */
export interface OrderedProperty extends Property {
  ordered: true;
}

export interface WriteOptions {
  /**
   * 'preserve' (default): values keep the key order they were loaded with, so load → write round-trips byte
   * for byte. 'sorted': keys sorted at every level, as opm's Meta re-encode leaves them (opm render's bytes
   * for any input). Catalogs written by opm are sorted already, so both give the same bytes for them.
   */
  keyOrder?: 'preserve' | 'sorted';
}

const LS_PS = /[\u2028\u2029]/g;

/** Go's Encoder output for a plain value: JSON.stringify's indented layout equals Go's; only U+2028/2029 differ. */
function encodePlain(value: unknown): string {
  let text = JSON.stringify(value, null, 4);
  if (text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1) {
    text = text.replace(LS_PS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
  }
  // JSON.parse keeps a lone surrogate from a \ud800 escape; Go decoded it to U+FFFD, so write that.
  if (text.includes('\\ud')) text = text.replace(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/g, '\ufffd');
  return `${text}\n`;
}

function plainProperties(list: Property[] | undefined): unknown[] | undefined {
  return list && list.length > 0 ? list.map((p) => ({ type: p.type, value: p.value === undefined ? null : p.value })) : undefined;
}

function setIf(o: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) o[key] = value;
}

function withExtras(o: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (extra) for (const k of Object.keys(extra).sort(byteOrder)) if (!(k in o)) o[k] = extra[k];
  return o;
}

/** The plain object of a typed blob, fields in Go struct order, empty fields left out as opm does. */
function plainBlob(kind: 'package' | 'channel' | 'bundle' | 'deprecation', b: Package | Channel | Bundle | Deprecation): Record<string, unknown> {
  switch (kind) {
    case 'package': {
      const p = b as Package;
      const o: Record<string, unknown> = { schema: 'olm.package', name: p.name, defaultChannel: p.defaultChannel };
      setIf(o, 'icon', p.icon ? { base64data: p.icon.base64data, mediatype: p.icon.mediatype } : undefined);
      setIf(o, 'description', p.description || undefined);
      setIf(o, 'properties', plainProperties(p.properties));
      return withExtras(o, p.extra);
    }
    case 'channel': {
      const c = b as Channel;
      const o: Record<string, unknown> = {
        schema: 'olm.channel',
        name: c.name,
        package: c.package,
        entries:
          c.entries === null
            ? null
            : c.entries.map((e) => {
                const x: Record<string, unknown> = { name: e.name };
                setIf(x, 'replaces', e.replaces || undefined);
                setIf(x, 'skips', e.skips && e.skips.length > 0 ? e.skips : undefined);
                setIf(x, 'skipRange', e.skipRange || undefined);
                return withExtras(x, e.extra);
              }),
      };
      setIf(o, 'properties', plainProperties(c.properties));
      return withExtras(o, c.extra);
    }
    case 'bundle': {
      const x = b as Bundle;
      const o: Record<string, unknown> = { schema: 'olm.bundle' };
      setIf(o, 'name', x.name || undefined);
      setIf(o, 'package', x.package || undefined);
      o.image = x.image;
      setIf(o, 'properties', plainProperties(x.properties));
      setIf(o, 'relatedImages', x.relatedImages && x.relatedImages.length > 0 ? x.relatedImages.map((r) => (r.image ? { name: r.name, image: r.image } : { name: r.name })) : undefined);
      return withExtras(o, x.extra);
    }
    case 'deprecation': {
      const d = b as Deprecation;
      return withExtras(
        {
          schema: 'olm.deprecations',
          package: d.package,
          entries: d.entries.map((e) => ({ reference: e.reference.name ? { schema: e.reference.schema, name: e.reference.name } : { schema: e.reference.schema }, message: e.message })),
        },
        d.extra,
      );
    }
  }
}

function extras(extra: Record<string, unknown> | undefined): GoField[] {
  if (!extra) return [];
  return Object.keys(extra)
    .sort(byteOrder)
    .map((k): GoField => [k, sortedJson(extra[k])]);
}

function propertyPart(p: Property, keyOrder: 'preserve' | 'sorted' = 'sorted'): JsonPart {
  const { valueText, ordered } = p as Partial<OrderedProperty> & { valueText?: string };
  // Rendered values carry opm's exact JSON text (Go's \u003c-style escapes included): embed it as is.
  if (valueText !== undefined) return goObject([['type', p.type], ['value', rawJson(valueText)]]);
  const plain = ordered === true || keyOrder === 'preserve';
  return goObject([
    ['type', p.type],
    ['value', plain ? ((p.value === undefined ? null : p.value) as JsonPart) : sortedJson(p.value === undefined ? null : p.value)],
  ]);
}

function hasValueText(b: Bundle): boolean {
  return (b.properties ?? []).some((p) => (p as { valueText?: string }).valueText !== undefined);
}

function properties(list: Property[] | undefined, keyOrder: 'preserve' | 'sorted' = 'sorted'): JsonPart | undefined {
  return list && list.length > 0 ? list.map((p) => propertyPart(p, keyOrder)) : undefined;
}

export function packagePart(p: Package): JsonPart {
  return goObject([
    ['schema', 'olm.package'],
    ['name', p.name],
    ['defaultChannel', p.defaultChannel],
    ['icon', p.icon ? goObject([['base64data', p.icon.base64data], ['mediatype', p.icon.mediatype]]) : undefined],
    ['description', omitEmpty(p.description)],
    ['properties', properties(p.properties)],
    ...extras(p.extra),
  ]);
}

function entryPart(e: ChannelEntry): JsonPart {
  return goObject([
    ['name', e.name],
    ['replaces', omitEmpty(e.replaces)],
    ['skips', e.skips && e.skips.length > 0 ? e.skips : undefined],
    ['skipRange', omitEmpty(e.skipRange)],
    ...extras(e.extra),
  ]);
}

export function channelPart(c: Channel): JsonPart {
  return goObject([
    ['schema', 'olm.channel'],
    ['name', c.name],
    ['package', c.package],
    // No omitempty in opm's struct: a nil list is written as null.
    ['entries', c.entries === null ? null : c.entries.map(entryPart)],
    ['properties', properties(c.properties)],
    ...extras(c.extra),
  ]);
}

export function bundlePart(b: Bundle, keyOrder: 'preserve' | 'sorted' = 'sorted'): JsonPart {
  return goObject([
    ['schema', 'olm.bundle'],
    ['name', omitEmpty(b.name)],
    ['package', omitEmpty(b.package)],
    ['image', b.image],
    ['properties', properties(b.properties, keyOrder)],
    ['relatedImages', b.relatedImages && b.relatedImages.length > 0 ? b.relatedImages.map((r) => goObject([['name', r.name], ['image', omitEmpty(r.image)]])) : undefined],
    ...extras(b.extra),
  ]);
}

export function deprecationPart(d: Deprecation): JsonPart {
  return goObject([
    ['schema', 'olm.deprecations'],
    ['package', d.package],
    [
      'entries',
      d.entries.map((e) =>
        goObject([
          ['reference', goObject([['schema', e.reference.schema], ['name', omitEmpty(e.reference.name)]])],
          ['message', e.message],
        ]),
      ),
    ],
    ...extras(d.extra),
  ]);
}

function otherPart(o: Other): JsonPart {
  return sortedJson(o.blob);
}

/** The blobs of one package, by kind, in the order they were loaded. */
export interface PackageGroup {
  packages: Package[];
  channels: Channel[];
  bundles: Bundle[];
  others: Other[];
  deprecations: Deprecation[];
}

/** Every package's blobs (keyed by package name) and the custom blobs that name no package (written last). */
export function groupBlobs(config: DeclarativeConfig): { groups: Map<string, PackageGroup>; rootOthers: Other[] } {
  const groups = new Map<string, PackageGroup>();
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) {
      g = { packages: [], channels: [], bundles: [], others: [], deprecations: [] };
      groups.set(name, g);
    }
    return g;
  };
  for (const p of config.packages) group(p.name).packages.push(p);
  for (const c of config.channels) group(c.package).channels.push(c);
  for (const b of config.bundles) group(b.package).bundles.push(b);
  for (const d of config.deprecations) group(d.package).deprecations.push(d);
  const rootOthers: Other[] = [];
  for (const o of config.others) {
    if (o.package) group(o.package).others.push(o);
    else rootOthers.push(o);
  }
  return { groups, rootOthers };
}

function encodeOther(o: Other, opts: WriteOptions): string {
  return opts.keyOrder === 'sorted' ? encodeGoBlob(otherPart(o)) : encodePlain(o.blob);
}

function encodeTyped<T extends Package | Channel | Bundle | Deprecation>(kind: 'package' | 'channel' | 'bundle' | 'deprecation', part: (x: T) => JsonPart, x: T, opts: WriteOptions): string {
  // Rendered bundles embed exact value texts, which only the Go writer can splice in.
  if (kind === 'bundle' && hasValueText(x as Bundle)) return encodeGoBlob(bundlePart(x as Bundle, opts.keyOrder ?? 'preserve'));
  return opts.keyOrder === 'sorted' ? encodeGoBlob(part(x)) : encodePlain(plainBlob(kind, x));
}

/**
 * One package's blobs in opm's order (package, channels, bundles, others by schema, deprecations), encoded one
 * at a time so that a caller streaming them never holds a whole package's text.
 */
export function* encodePackageGroup(g: PackageGroup, opts: WriteOptions = {}): Generator<string> {
  const byName = <T extends { name: string }>(a: T, b: T) => byteOrder(a.name, b.name);
  for (const p of g.packages) yield encodeTyped('package', packagePart, p, opts);
  for (const c of [...g.channels].sort(byName)) yield encodeTyped('channel', channelPart, c, opts);
  for (const b of [...g.bundles].sort(byName)) yield encodeTyped('bundle', (x: Bundle) => bundlePart(x), b, opts);
  yield* encodeOthers(g.others, opts);
  for (const d of g.deprecations) yield encodeTyped('deprecation', deprecationPart, d, opts);
}

/** Custom blobs in opm's order: by schema, stable. */
export function* encodeOthers(others: readonly Other[], opts: WriteOptions = {}): Generator<string> {
  for (const o of [...others].sort((a, b) => byteOrder(a.schema, b.schema))) yield encodeOther(o, opts);
}

/** The blobs of each package in opm's order: package, channels, bundles, others (by schema), deprecations. */
export function groupByPackage(config: DeclarativeConfig, opts: WriteOptions = {}): { pkg: string; blobs: string[] }[] {
  const { groups, rootOthers } = groupBlobs(config);
  const out: { pkg: string; blobs: string[] }[] = [];
  for (const name of [...groups.keys()].sort(byteOrder)) out.push({ pkg: name, blobs: [...encodePackageGroup(groups.get(name)!, opts)] });
  if (rootOthers.length > 0) out.push({ pkg: '', blobs: [...encodeOthers(rootOthers, opts)] });
  return out;
}

/**
 * Where `opm migrate` writes a package's blobs: `<pkg>/catalog.json`; blobs that name no package go to
 * `catalog.json` at the root. Package names that are not one path element are refused (as opm does).
 */
export function packageFilePath(pkg: string, ext: 'json' | 'yaml' = 'json'): string {
  if (pkg !== '' && (pkg.includes('/') || pkg === '.' || pkg === '..')) {
    throw new GantryError('CATALOG_INVALID', `package name "${pkg}" is not a single path element`, { hint: 'a package is written to <package>/catalog.json, so its name cannot hold "/" or be "." or ".."' });
  }
  return pkg === '' ? `catalog.${ext}` : `${pkg}/catalog.${ext}`;
}

/** The whole catalog as one JSON stream, exactly as `opm render` writes it. */
export function writeCatalogJson(config: DeclarativeConfig, opts: WriteOptions = {}): string {
  return groupByPackage(config, opts)
    .map((g) => g.blobs.join(''))
    .join('');
}

/**
 * One file per package, as `opm migrate` writes: `<pkg>/catalog.json`, custom blobs without a package in
 * `catalog.json` at the root. Package names that are not one path element are refused (as opm does).
 */
export function writeCatalogFiles(config: DeclarativeConfig, opts: WriteOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const g of groupByPackage(config, opts)) files.set(packageFilePath(g.pkg), g.blobs.join(''));
  return files;
}

/** The whole catalog as YAML documents, as `opm render -o yaml` writes it (each blob through JSONToYAML). */
export function writeCatalogYaml(config: DeclarativeConfig, opts: WriteOptions = {}): string {
  return groupByPackage(config, opts)
    .map((g) => g.blobs.map((b) => yamlDocument(b)).join(''))
    .join('');
}

/** One YAML file per package (`<pkg>/catalog.yaml`), as `opm migrate -o yaml` writes. */
export function writeCatalogYamlFiles(config: DeclarativeConfig, opts: WriteOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, json] of writeCatalogFiles(config, opts)) {
    const blobs = json.split(/(?<=\n\})\n(?=\{)/);
    files.set(path.replace(/\.json$/, '.yaml'), blobs.map((b) => yamlDocument(b.endsWith('\n') ? b : `${b}\n`)).join(''));
  }
  return files;
}
