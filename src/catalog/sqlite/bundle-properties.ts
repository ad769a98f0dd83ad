// A SQLite bundle's FBC properties, rebuilt the way opm's api.Bundle → model conversion did
// (OR@v1.73.0:pkg/api/api_to_model.go convertAPIBundleToModelProperties, alpha/model Normalize, declcfg).
import { byteOrder } from '../../order.js';
import type { Property } from '../fbc/types.js';
import { decodeGvk, decodePackageProperty } from '../model/properties.js';

/** A property with the compact JSON text opm sorted and deduplicated by (its `string(value)`). */
interface TextProperty {
  type: string;
  text: string;
  value: unknown;
}

export interface PropertyInput {
  /** properties rows of the bundle, in table order ([type, value] text; NULL read as ''). */
  properties: readonly { type: string; value: string }[];
  /** dependencies rows of the bundle, likewise. */
  dependencies: readonly { type: string; value: string }[];
  packageName: string;
  version: string;
  /** The stored manifests, base64-encoded, each becoming an olm.bundle.object property. */
  objectData: readonly string[];
}

/** opm's uniqueProps/uniqueDeps: first of each `type/value` pair, keyed exactly as opm formats it. */
export function uniqueTypedValues<T extends { type: string; value: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rows) {
    const k = `${r.type}/${r.value}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/**
 * Rules, in opm's order:
 * - properties of type olm.gvk are decoded (group/version/kind) into the provided-API set, re-encoded below;
 * - every other property is kept with its stored JSON (olm.package included: then none is synthesized);
 * - dependencies of type olm.gvk become olm.gvk.required; of type olm.package become olm.package.required
 *   {packageName, versionRange: <its version>}; dependencies of any other type are dropped, as opm did;
 * - without an olm.package property, one is built from the channel entry's package and the bundle version;
 * - every stored manifest becomes {"data": base64(manifest bytes)} of type olm.bundle.object;
 * - then deduplicated and sorted by (type, compact value text), olm.bundle.object and olm.csv.metadata last.
 * Throws Error (opm's "parse property[i] of type …" wording) for values that are not JSON or not a GVK/package.
 */
export function buildBundleProperties(input: PropertyInput): Property[] {
  const out: TextProperty[] = [];
  const provided = new Map<string, { group: string; kind: string; version: string }>();
  const required = new Map<string, { group: string; kind: string; version: string }>();
  let foundPackage = false;

  for (const [i, p] of input.properties.entries()) {
    if (p.type === 'olm.gvk') {
      const g = decodeAt(p, i, (v) => decodeGvk(v, 'api.GroupVersionKind'));
      provided.set(JSON.stringify([g.group, g.kind, g.version]), { group: g.group, kind: g.kind, version: g.version });
      continue;
    }
    if (p.type === 'olm.package') foundPackage = true;
    const value = parseValue(p, i);
    out.push({ type: p.type, text: compactJson(p.value), value });
  }

  for (const [i, d] of input.dependencies.entries()) {
    if (d.type === 'olm.gvk') {
      const g = decodeAt(d, i, (v) => decodeGvk(v, 'api.GroupVersionKind'));
      required.set(JSON.stringify([g.group, g.kind, g.version]), { group: g.group, kind: g.kind, version: g.version });
    } else if (d.type === 'olm.package') {
      const pkg = decodeAt(d, i, decodePackageProperty);
      out.push(built('olm.package.required', { packageName: pkg.packageName, versionRange: pkg.version }));
    }
  }

  if (!foundPackage) out.push(built('olm.package', { packageName: input.packageName, version: input.version }));
  for (const g of provided.values()) out.push(built('olm.gvk', g));
  for (const g of required.values()) out.push(built('olm.gvk.required', g));
  // Base64 needs no JSON escaping, so the compact text is built directly (these strings run to megabytes).
  for (const data of input.objectData) out.push({ type: 'olm.bundle.object', text: `{"data":"${data}"}`, value: { data } });

  return finishProperties(out);
}

/** Deduplicates and orders properties as opm's declcfg conversion and render did. */
function finishProperties(props: TextProperty[]): Property[] {
  const seen = new Map<string, Set<string>>();
  const unique: TextProperty[] = [];
  for (const p of props) {
    let texts = seen.get(p.type);
    if (texts === undefined) seen.set(p.type, (texts = new Set()));
    if (texts.has(p.text)) continue;
    texts.add(p.text);
    unique.push(p);
  }
  unique.sort((a, b) => byteOrder(a.type, b.type) || byteOrder(a.text, b.text));
  const last = (t: string) => t === 'olm.bundle.object' || t === 'olm.csv.metadata';
  return [...unique.filter((p) => !last(p.type)), ...unique.filter((p) => last(p.type))].map((p) => ({ type: p.type, value: p.value }));
}

function built(type: string, value: Record<string, string>): TextProperty {
  return { type, text: JSON.stringify(value), value };
}

function parseValue(p: { type: string; value: string }, i: number): unknown {
  return decodeAt(p, i, (v) => v);
}

/** Parses the stored JSON and decodes it; errors carry opm's `parse property[i] of type "t": ` prefix. */
function decodeAt<T>(p: { type: string; value: string }, i: number, decode: (v: unknown) => T): T {
  try {
    return decode(JSON.parse(p.value));
  } catch (err) {
    throw new Error(`parse property[${i}] of type ${JSON.stringify(p.type)}: ${(err as Error).message}`);
  }
}

/** Go's json.Compact on valid JSON text: insignificant white space removed, everything else byte for byte. */
export function compactJson(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
