// Writes values the way opm's `json.Encoder` with `SetIndent("", "    ")` and `SetEscapeHTML(false)` does
// (reference §1.5): typed blobs field by field in Go struct order, raw property values embedded as they are.

import { GantryError } from '../../errors.js';
import { canonicalJson, canonicalJsonGoHtml, sortedKeys } from './canonical-json.js';
import { quoteGoString, writeGoScalar } from './go-json-text.js';
import { indentJson, newlineAt, stringEnd } from './indent-json.js';

/** JSON text embedded as it is (Go's json.RawMessage): re-indented, never re-ordered or re-escaped.
 *  Empty text is written as `null`, as Go writes a nil RawMessage. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A Go struct: fields written in the given order; a field whose value is `undefined` is left out. */
export class GoObject {
  constructor(readonly fields: readonly GoField[]) {}
}

/** A parsed JSON value (Go `any` / map[string]any) written with keys sorted byte-wise at every level, as
 *  opm writes values that went through its map-based re-encode. */
export class SortedJson {
  constructor(readonly value: unknown) {}
}

export type GoField = readonly [key: string, value: JsonPart | undefined];

/**
 * What the writer accepts. A JS string is a JSON string (quoted on output; use RawJson for JSON text). Plain JS
 * objects are written in their own key order (JS puts integer-like keys first: use GoObject or SortedJson when
 * that matters); members that are `undefined` are left out.
 */
export type JsonPart =
  | string
  | number
  | boolean
  | null
  | RawJson
  | GoObject
  | SortedJson
  | readonly JsonPart[]
  | { readonly [key: string]: JsonPart | undefined };

export const rawJson = (text: string): RawJson => new RawJson(text);
export const goObject = (fields: readonly GoField[]): GoObject => new GoObject(fields);
export const sortedJson = (value: unknown): SortedJson => new SortedJson(value);

/**
 * Go's `omitempty`: `undefined` (field left out) for `""`, `0`, `false`, `null`, an empty array, an empty plain
 * object (a Go map), an empty RawJson and a SortedJson holding null; the value itself otherwise. A GoObject
 * (a Go struct) is never empty, as in Go; pass `undefined` for a nil struct pointer.
 */
export function omitEmpty<T extends JsonPart>(value: T | null | undefined): T | undefined {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (value instanceof RawJson) return value.text.length === 0 ? undefined : value;
  if (value instanceof SortedJson) return value.value === null || value.value === undefined ? undefined : value;
  if (value instanceof GoObject || typeof value !== 'object') return value;
  for (const k in value) if ((value as Record<string, unknown>)[k] !== undefined) return value;
  return undefined;
}

/** The value indented as Go's Encoder does, as if nested at `depth`; no trailing newline. */
export function writeGoJson(part: JsonPart, depth = 0, indent = '    '): string {
  return writeIndented(part, depth, indent);
}

/** One blob as opm writes it: Go `Encoder.Encode` with 4-space indent, then `\n`. */
export function encodeGoBlob(part: JsonPart): string {
  return writeIndented(part, 0, '    ') + '\n';
}

/** A plain JS value (JSON.stringify(value, null, 4)-like, JS key order) with Go's escaping and number
 *  format, plus the trailing `\n` of Encoder.Encode. Also accepts RawJson/GoObject/SortedJson inside. */
export function encodeGoIndented(value: unknown): string {
  return writeIndented(value, 0, '    ') + '\n';
}

/**
 * The value compact, as Go's `json.Marshal` (escapeHtml: true, the default there) or an Encoder with
 * SetEscapeHTML(false) (the default here) writes it. RawJson text is compacted like Go's compact():
 * whitespace outside strings dropped and, with escapeHtml, `<>&` U+2028 U+2029 escaped inside it.
 */
export function compactGoJson(part: JsonPart, opts: { escapeHtml?: boolean } = {}): string {
  return writeCompact(part, opts.escapeHtml ?? false);
}

function writeIndented(v: unknown, level: number, indent: string): string {
  const scalar = writeGoScalar(v);
  if (scalar !== undefined) return scalar;
  if (v instanceof RawJson) return v.text.length === 0 ? 'null' : indentJson(v.text, level, indent);
  if (v instanceof SortedJson) return writeSorted(v.value, level, indent);
  const inner = newlineAt(level + 1, indent);
  let s = '';
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === undefined) throw unsupported(item);
      s += (s === '' ? '[' : ',') + inner + writeIndented(item, level + 1, indent);
    }
    return s === '' ? '[]' : s + newlineAt(level, indent) + ']';
  }
  if (v instanceof GoObject) {
    for (const [key, value] of v.fields) {
      if (value === undefined) continue;
      s += (s === '' ? '{' : ',') + inner + quoteGoString(key) + ': ' + writeIndented(value, level + 1, indent);
    }
  } else {
    const rec = v as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      const value = rec[key];
      if (value === undefined) continue;
      s += (s === '' ? '{' : ',') + inner + quoteGoString(key) + ': ' + writeIndented(value, level + 1, indent);
    }
  }
  return s === '' ? '{}' : s + newlineAt(level, indent) + '}';
}

// A map-decoded value written indented with sorted keys, without building its compact text first.
function writeSorted(v: unknown, level: number, indent: string): string {
  if (v === null || typeof v !== 'object') return writeIndented(v, level, indent);
  const inner = newlineAt(level + 1, indent);
  let s = '';
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === undefined) throw unsupported(item);
      s += (s === '' ? '[' : ',') + inner + writeSorted(item, level + 1, indent);
    }
    return s === '' ? '[]' : s + newlineAt(level, indent) + ']';
  }
  const rec = v as Record<string, unknown>;
  for (const { key, name } of sortedKeys(v)) {
    s += (s === '' ? '{' : ',') + inner + quoteGoString(name) + ': ' + writeSorted(rec[key], level + 1, indent);
  }
  return s === '' ? '{}' : s + newlineAt(level, indent) + '}';
}

function writeCompact(v: unknown, html: boolean): string {
  const scalar = writeGoScalar(v, html);
  if (scalar !== undefined) return scalar;
  if (v instanceof RawJson) return v.text.length === 0 ? 'null' : compactRaw(v.text, html);
  if (v instanceof SortedJson) return html ? canonicalJsonGoHtml(v.value) : canonicalJson(v.value);
  let s = '';
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === undefined) throw unsupported(item);
      s += (s === '' ? '[' : ',') + writeCompact(item, html);
    }
    return s === '' ? '[]' : s + ']';
  }
  const fields: readonly (readonly [string, unknown])[] =
    v instanceof GoObject ? v.fields : Object.keys(v as object).map((k) => [k, (v as Record<string, unknown>)[k]] as const);
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    s += (s === '' ? '{' : ',') + quoteGoString(key, html) + ':' + writeCompact(value, html);
  }
  return s === '' ? '{}' : s + '}';
}

const RAW_HTML = /[<>&\u2028\u2029]/g;
const RAW_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

// Go's compact(): drop insignificant whitespace; with escape on, `<>&` and U+2028/U+2029 (only ever inside
// strings in valid JSON) become \u escapes.
function compactRaw(text: string, html: boolean): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    let end: number;
    if (c === 0x22) end = stringEnd(text, i);
    else {
      end = i + 1;
      while (end < n) {
        const d = text.charCodeAt(end);
        if (d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d || d === 0x22) break;
        end++;
      }
    }
    out += text.slice(i, end);
    i = end;
  }
  return html ? out.replace(RAW_HTML, (ch) => RAW_ESCAPES[ch]!) : out;
}

function unsupported(v: unknown): GantryError {
  return new GantryError('INTERNAL', `json: unsupported value of type ${typeof v}`);
}
