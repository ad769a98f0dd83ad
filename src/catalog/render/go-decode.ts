// Decoding parsed JSON into typed fields the way Go's encoding/json does it for opm's structs: which key a
// field takes (case-insensitive, last one wins), what null means, and the type errors in Go's words.

export class GoDecodeError extends Error {}

type Obj = Record<string, unknown>;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function mismatch(v: unknown, goType: string, field: string): GoDecodeError {
  const what = typeof v === 'number' ? `number ${String(v)}` : kindOf(v);
  return new GoDecodeError(`json: cannot unmarshal ${what} into Go ${field ? `struct field ${field}` : 'value'} of type ${goType}`);
}

// encoding/json's foldName: ASCII letters compare without case; other runes through upper then lower case.
function foldName(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return s.toLowerCase();
  let out = '';
  for (const ch of s) out += ch.toUpperCase().toLowerCase();
  return out;
}

/**
 * The value a struct field with JSON name `name` ends up with: every key that equals the name, or equals it
 * ignoring case, is decoded into the field in turn, so the last such key wins. Undefined when none matches.
 * (Go walks keys in text order; here it is the parsed object's key order, which differs only when two keys
 * fold to the same name.)
 */
export function goField(obj: Obj, name: string): unknown {
  let found: unknown;
  let folded: string | undefined;
  for (const k in obj) {
    if (k === name || (k.length === name.length && (folded ??= foldName(name)) === foldName(k))) found = obj[k];
  }
  return found;
}

/** A struct: undefined for a JSON null or an absent field (the struct keeps its zero value). */
export function goStruct(v: unknown, goType: string, field = ''): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw mismatch(v, goType, field);
  return v as Obj;
}

export function goString(v: unknown, field = ''): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw mismatch(v, 'string', field);
  return v;
}

export function goBool(v: unknown, field = ''): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw mismatch(v, 'bool', field);
  return v;
}

export function goInt32(v: unknown, field = ''): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw mismatch(v, 'int32', field);
  return v;
}

/** A slice: empty for null or absent (Go's nil slice; `omitempty` treats nil and empty alike). */
export function goSlice<T>(v: unknown, goType: string, field: string, item: (x: unknown) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw mismatch(v, goType, field);
  return v.map(item);
}

/** map[string]string: a null value inside decodes to "" (the key stays). Undefined for null or absent. */
export function goStringMap(v: unknown, field = ''): Record<string, string> | undefined {
  const o = goStruct(v, 'map[string]string', field);
  if (o === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const k in o) out[k] = goString(o[k], field);
  return out;
}
