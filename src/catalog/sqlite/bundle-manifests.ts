// What opm took from a SQLite bundle's stored manifests: the objects, the CSV among them, its relatedImages
// and a package icon (OR@v1.73.0:pkg/registry/conversion.go, pkg/api/api_to_model.go, pkg/sqlite/conversion.go).
import { JsonStreamError, splitJsonStream } from '../fbc/json-stream.js';
import type { Icon, RelatedImage } from '../fbc/types.js';

export interface BundleObjects {
  /** Each manifest's JSON text exactly as stored (opm base64-encodes these bytes into olm.bundle.object). */
  objects: string[];
  /** The first object of kind ClusterServiceVersion, parsed. */
  csv: unknown;
}

/**
 * Splits the `bundle` column (manifests as concatenated JSON objects) like opm's BundleStringToAPIBundle:
 * every object must be valid JSON; objects up to the CSV must carry a `kind` (Kubernetes' unstructured decode
 * refuses them otherwise); a bundle without a ClusterServiceVersion is an error ("no csv in bundle").
 * Throws Error with the reason; the caller names the bundle.
 */
export function splitBundleObjects(text: string): BundleObjects {
  let chunks;
  try {
    chunks = splitJsonStream(text);
  } catch (err) {
    if (err instanceof JsonStreamError) throw new Error(`manifests are not a JSON object stream: ${err.message} at offset ${err.offset}`);
    throw err;
  }
  const objects: string[] = [];
  let csv: unknown;
  for (const [i, c] of chunks.entries()) {
    const raw = text.slice(c.start, c.end);
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      throw new Error(`manifest ${i} is not valid JSON: ${(err as Error).message}`);
    }
    objects.push(raw);
    if (csv !== undefined) continue;
    const kind = (obj as Record<string, unknown>).kind;
    if (typeof kind !== 'string' || kind === '') throw new Error(`manifest ${i} has no kind`);
    if (kind === 'ClusterServiceVersion') csv = obj;
  }
  if (csv === undefined) throw new Error('no csv in bundle');
  return { objects, csv };
}

/** The member Go's json.Unmarshal fills a struct field from: keys match case-insensitively, the last wins. */
function goField(obj: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k === name || k.toLowerCase() === lower) found = obj[k];
  return found;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Decodes `v` as a Go struct of string fields at `path`; null gives the zero struct, as in Go. */
function stringStruct(v: unknown, path: string, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) out[f] = '';
  if (v === null || v === undefined) return out;
  if (jsonType(v) !== 'object') throw new Error(`cannot unmarshal ${jsonType(v)} into ${path}`);
  for (const f of fields) {
    const x = goField(v as Record<string, unknown>, f);
    if (x === undefined || x === null) continue;
    if (typeof x !== 'string') throw new Error(`cannot unmarshal ${jsonType(x)} into ${path}.${f} of type string`);
    out[f] = x;
  }
  return out;
}

/** The list at spec.<field> of a CSV: undefined when spec or the list is absent or null. */
function specList(csv: unknown, field: string): unknown[] | undefined {
  if (jsonType(csv) !== 'object') throw new Error(`cannot unmarshal ${jsonType(csv)} into a ClusterServiceVersion`);
  const spec = goField(csv as Record<string, unknown>, 'spec');
  if (spec === undefined || spec === null) return undefined;
  if (jsonType(spec) !== 'object') throw new Error(`cannot unmarshal ${jsonType(spec)} into .spec`);
  const list = goField(spec as Record<string, unknown>, field);
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new Error(`cannot unmarshal ${jsonType(list)} into .spec.${field}`);
  return list;
}

/** spec.relatedImages of a parsed CSV, in order, as opm's getRelatedImages decodes them. Throws on bad types. */
export function csvRelatedImages(csv: unknown): RelatedImage[] {
  const list = specList(csv, 'relatedImages') ?? [];
  return list.map((ri) => {
    const s = stringStruct(ri, '.spec.relatedImages', ['name', 'image']);
    return { name: s.name!, image: s.image! };
  });
}

/**
 * The package icon opm took from the CSV of the default channel's head: spec.icon[0], its data base64-decoded
 * strictly like Go's StdEncoding (padding required, CR and LF ignored), retried with spaces removed (a
 * known-bad operator), and written back as standard base64. undefined when there is no usable icon (opm
 * only warned). Throws on JSON that is not a CSV-shaped object.
 */
export function csvIcon(csvJson: string): Icon | undefined {
  const icons = specList(JSON.parse(csvJson), 'icon');
  if (icons === undefined || icons.length === 0) return undefined;
  const first = stringStruct(icons[0], '.spec.icon', ['base64data', 'mediatype']);
  const data = decodeGoBase64(first.base64data!) ?? decodeGoBase64(first.base64data!.replaceAll(' ', ''));
  if (data === undefined || data.length === 0) return undefined;
  return { base64data: data.toString('base64'), mediatype: first.mediatype! };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeGoBase64(s: string): Buffer | undefined {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !BASE64.test(t)) return undefined;
  return Buffer.from(t, 'base64');
}
