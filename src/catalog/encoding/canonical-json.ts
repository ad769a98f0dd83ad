// Canonical JSON: the bytes Go produces when it decodes a blob into map[string]any and encodes it again
// (opm's Meta.UnmarshalJSON, reference §1.1/§9): compact, keys sorted byte-wise at every level, Go escaping.

import { GantryError } from '../../errors.js';
import { compareUtf8, formatGoFloat, hasHighCodeUnit, hasLoneSurrogate, quoteGoString, toWellFormed, writeGoScalar } from './go-json-text.js';

/**
 * The canonical form opm keeps in Meta.Blob and catalogd serves: `SetEscapeHTML(false)`, so `<>&` stay raw
 * but U+2028/U+2029 are escaped. No trailing newline. Object members whose value is `undefined` are left out
 * (a parsed JSON value has none); `undefined` elsewhere, functions, symbols, bigints and non-finite numbers throw.
 */
export function canonicalJson(value: unknown): string {
  return writeValue(value, false);
}

/** Like canonicalJson, with Go's default HTML escaping (`\u003c \u003e \u0026`): plain json.Marshal, as used
 *  for `olm.bundle.object` data (reference §1.5). */
export function canonicalJsonGoHtml(value: unknown): string {
  return writeValue(value, true);
}

/**
 * The keys of `obj` in Go's map order (byte-wise UTF-8), as they will be written: lone surrogates replaced by
 * U+FFFD and, where two keys become equal that way, the later one kept (Go's map keeps the last value).
 * Members whose value is `undefined` are skipped. Exposed for the indented and YAML writers.
 */
export function sortedKeys(obj: object): { key: string; name: string }[] {
  const keys = Object.keys(obj);
  keys.sort();
  const out: { key: string; name: string }[] = [];
  let unusual = false;
  for (const key of keys) {
    if ((obj as Record<string, unknown>)[key] === undefined) continue;
    if (!unusual && hasHighCodeUnit(key)) unusual = true;
    out.push({ key, name: key });
  }
  return unusual ? fixKeyOrder(obj, out) : out;
}

// The rare path: keys with characters ≥ U+D800 need UTF-8 order, and lone surrogates need Go's replacement.
function fixKeyOrder(obj: object, entries: { key: string; name: string }[]): { key: string; name: string }[] {
  const order = new Map<string, number>();
  Object.keys(obj).forEach((k, i) => order.set(k, i));
  for (const e of entries) if (hasLoneSurrogate(e.key)) e.name = toWellFormed(e.key);
  entries.sort((a, b) => compareUtf8(a.name, b.name) || order.get(a.key)! - order.get(b.key)!);
  const out: { key: string; name: string }[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last !== undefined && last.name === e.name) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

// Quoted keys repeat endlessly in a catalog ("schema", "name", "value"…): a small bounded cache keeps the
// quoted form (with its ':'), or null for a key that needs the slow path (a character ≥ U+D800, where UTF-16
// order may differ from Go's and lone surrogates need replacing). Bounded so that data with millions of
// distinct keys cannot grow it without limit.
const KEY_CACHE_LIMIT = 4096;
const quotedKeys = [new Map<string, string | null>(), new Map<string, string | null>()] as const;

function quoteKey(name: string, html: boolean): string | null {
  const cache = quotedKeys[html ? 1 : 0];
  let q = cache.get(name);
  if (q === undefined) {
    q = hasHighCodeUnit(name) ? null : quoteGoString(name, html) + ':';
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    cache.set(name, q);
  }
  return q;
}

function writeValue(v: unknown, html: boolean): string {
  const scalar = writeGoScalar(v, html);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(v)) {
    const n = v.length;
    if (n === 0) return '[]';
    let s = '[' + writeItem(v[0], html);
    for (let i = 1; i < n; i++) s += ',' + writeItem(v[i], html);
    return s + ']';
  }
  return writeObject(v as object, html);
}

function writeItem(v: unknown, html: boolean): string {
  if (v === undefined) throw unsupported(v);
  return writeValue(v, html);
}

function writeObject(obj: object, html: boolean): string {
  const rec = obj as Record<string, unknown>;
  const keys = Object.keys(obj);
  keys.sort();
  let s = '';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const q = quoteKey(k, html);
    if (q === null) return writeObjectSlow(obj, html);
    const v = rec[k];
    if (v === undefined) continue;
    s += (first ? '{' : ',') + q + writeValue(v, html);
    first = false;
  }
  return first ? '{}' : s + '}';
}

function writeObjectSlow(obj: object, html: boolean): string {
  const rec = obj as Record<string, unknown>;
  let s = '';
  for (const { key, name } of sortedKeys(obj)) s += (s === '' ? '{' : ',') + quoteGoString(name, html) + ':' + writeValue(rec[key], html);
  return s === '' ? '{}' : s + '}';
}

function unsupported(v: unknown): GantryError {
  return new GantryError('INTERNAL', `json: unsupported value of type ${typeof v}`);
}
