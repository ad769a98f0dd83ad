// Turns one parsed catalog object into a typed blob (olm.package, olm.channel, olm.bundle, olm.deprecations)
// or an Other, as operator-registry's Meta + typed unmarshal do: schema/package/name matched case-insensitively,
// struct fields matched exactly first and then case-insensitively (Go's encoding/json rule).
import type { Bundle, CatalogIssue, Channel, ChannelEntry, Deprecation, Other, Package, Property, RelatedImage, Source } from './types.js';

export type Decoded =
  | { kind: 'package'; blob: Package }
  | { kind: 'channel'; blob: Channel }
  | { kind: 'bundle'; blob: Bundle }
  | { kind: 'deprecation'; blob: Deprecation }
  | { kind: 'other'; blob: Other };

class DecodeError extends Error {}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key of `obj` that matches `name` exactly, else case-insensitively (undefined when none). */
export function keyOf(obj: Obj, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Reads known fields off an object and collects the rest as extras. */
class Fields {
  private readonly used = new Set<string>();
  constructor(
    private readonly obj: Obj,
    private readonly where: string,
  ) {}

  raw(name: string): unknown {
    const k = keyOf(this.obj, name);
    if (k === undefined) return undefined;
    this.used.add(k);
    return this.obj[k];
  }

  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new DecodeError(`${this.where}: field "${name}" must be a string, not ${typeName(v)}`);
    return v;
  }

  array(name: string): unknown[] | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw new DecodeError(`${this.where}: field "${name}" must be a list, not ${typeName(v)}`);
    return v;
  }

  object(name: string): Obj | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) throw new DecodeError(`${this.where}: field "${name}" must be an object, not ${typeName(v)}`);
    return v;
  }

  extras(): Record<string, unknown> | undefined {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(this.obj)) {
      if (this.used.has(k)) continue;
      (out ??= {})[k] = this.obj[k];
    }
    return out;
  }
}

function decodeProperties(list: unknown[] | undefined, where: string): Property[] | undefined {
  if (list === undefined) return undefined;
  return list.map((p, i) => {
    if (!isObject(p)) throw new DecodeError(`${where}: properties[${i}] must be an object`);
    const f = new Fields(p, `${where}: properties[${i}]`);
    const type = f.string('type') ?? '';
    return { type, value: f.raw('value') };
  });
}

function decodePackage(obj: Obj): Package {
  const f = new Fields(obj, 'parse package');
  f.raw('schema');
  const pkg: Package = { schema: 'olm.package', name: f.string('name') ?? '', defaultChannel: f.string('defaultChannel') ?? '' };
  const icon = f.object('icon');
  if (icon) {
    const fi = new Fields(icon, 'parse package: icon');
    pkg.icon = { base64data: fi.string('base64data') ?? '', mediatype: fi.string('mediatype') ?? '' };
  }
  const description = f.string('description');
  if (description !== undefined && description !== '') pkg.description = description;
  const properties = decodeProperties(f.array('properties'), 'parse package');
  if (properties && properties.length > 0) pkg.properties = properties;
  const extra = f.extras();
  if (extra) pkg.extra = extra;
  return pkg;
}

function decodeEntry(e: unknown, i: number): ChannelEntry {
  if (!isObject(e)) throw new DecodeError(`parse channel: entries[${i}] must be an object`);
  const f = new Fields(e, `parse channel: entries[${i}]`);
  const entry: ChannelEntry = { name: f.string('name') ?? '' };
  const replaces = f.string('replaces');
  if (replaces) entry.replaces = replaces;
  const skips = f.array('skips');
  if (skips && skips.length > 0) {
    entry.skips = skips.map((s, j) => {
      if (typeof s !== 'string') throw new DecodeError(`parse channel: entries[${i}].skips[${j}] must be a string`);
      return s;
    });
  }
  const skipRange = f.string('skipRange');
  if (skipRange) entry.skipRange = skipRange;
  const extra = f.extras();
  if (extra) entry.extra = extra;
  return entry;
}

function decodeChannel(obj: Obj): Channel {
  const f = new Fields(obj, 'parse channel');
  f.raw('schema');
  const entries = f.array('entries');
  const ch: Channel = {
    schema: 'olm.channel',
    name: f.string('name') ?? '',
    package: f.string('package') ?? '',
    entries: entries === undefined ? null : entries.map(decodeEntry),
  };
  const properties = decodeProperties(f.array('properties'), 'parse channel');
  if (properties && properties.length > 0) ch.properties = properties;
  const extra = f.extras();
  if (extra) ch.extra = extra;
  return ch;
}

function decodeBundle(obj: Obj): Bundle {
  const f = new Fields(obj, 'parse bundle');
  f.raw('schema');
  const b: Bundle = { schema: 'olm.bundle', name: f.string('name') ?? '', package: f.string('package') ?? '', image: f.string('image') ?? '' };
  const properties = decodeProperties(f.array('properties'), 'parse bundle');
  if (properties && properties.length > 0) b.properties = properties;
  const related = f.array('relatedImages');
  if (related && related.length > 0) {
    b.relatedImages = related.map((r, i): RelatedImage => {
      if (!isObject(r)) throw new DecodeError(`parse bundle: relatedImages[${i}] must be an object`);
      const fr = new Fields(r, `parse bundle: relatedImages[${i}]`);
      return { name: fr.string('name') ?? '', image: fr.string('image') ?? '' };
    });
  }
  const extra = f.extras();
  if (extra) b.extra = extra;
  return b;
}

function decodeDeprecation(obj: Obj): Deprecation {
  const f = new Fields(obj, 'parse deprecation');
  f.raw('schema');
  const entries = (f.array('entries') ?? []).map((e, i) => {
    if (!isObject(e)) throw new DecodeError(`parse deprecation: entries[${i}] must be an object`);
    const fe = new Fields(e, `parse deprecation: entries[${i}]`);
    const ref = fe.object('reference') ?? {};
    const fr = new Fields(ref, `parse deprecation: entries[${i}].reference`);
    const reference: { schema: string; name?: string } = { schema: fr.string('schema') ?? '' };
    const name = fr.string('name');
    if (name) reference.name = name;
    return { reference, message: fe.string('message') ?? '' };
  });
  const d: Deprecation = { schema: 'olm.deprecations', package: f.string('package') ?? '', entries };
  const extra = f.extras();
  if (extra) d.extra = extra;
  return d;
}

/** The meta key (schema, package, name): case-insensitive, at most one spelling, a string. */
function metaKey(obj: Obj, name: string): string | undefined {
  let found: string[] | undefined;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === name) (found ??= []).push(k);
  if (!found) return undefined;
  if (found.length > 1) throw new DecodeError(`duplicate keys for key "${name}": [${found.sort().join(' ')}]`);
  const v = obj[found[0]!];
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new DecodeError(`expected value for key "${name}" to be a string, got ${typeName(v)}`);
  return v;
}

/** A Kubernetes manifest where a catalog object was expected is most likely a bundle directory read as a catalog. */
function manifestHint(value: Record<string, unknown>): { hint?: string } {
  if (typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return {};
  return { hint: `this is a Kubernetes ${value.kind}, not a catalog object: a registry+v1 bundle directory needs manifests/ and metadata/annotations.yaml, and is read by gantry catalog render` };
}

/** Decodes one object; problems come back as an issue instead of a blob. */
export function decodeBlob(value: unknown, source: Source): Decoded | CatalogIssue {
  const at = { file: source.file, line: source.line };
  try {
    if (!isObject(value)) throw new DecodeError(`a catalog entry must be an object, not ${typeName(value)}`);
    const schema = metaKey(value, 'schema');
    const pkg = metaKey(value, 'package');
    const name = metaKey(value, 'name');
    if (schema === undefined || schema === '') {
      return { rule: 'missing-schema', message: 'object is missing root schema field', ...at, ...manifestHint(value) };
    }
    switch (schema) {
      case 'olm.package':
        return { kind: 'package', blob: { ...decodePackage(value), source } };
      case 'olm.channel':
        return { kind: 'channel', blob: { ...decodeChannel(value), source } };
      case 'olm.bundle':
        return { kind: 'bundle', blob: { ...decodeBundle(value), source } };
      case 'olm.deprecations':
        return { kind: 'deprecation', blob: { ...decodeDeprecation(value), source } };
      default: {
        const other: Other = { schema, blob: value, source };
        if (pkg !== undefined) other.package = pkg;
        if (name !== undefined) other.name = name;
        return { kind: 'other', blob: other };
      }
    }
  } catch (err) {
    if (err instanceof DecodeError) return { rule: 'parse-error', message: err.message, ...at };
    throw err;
  }
}
