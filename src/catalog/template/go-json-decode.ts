// A parsed document decoded into a described Go struct as encoding/json does it, for opm's exact messages:
// keys matched exactly then case-insensitively, null is the zero value, type errors name struct and field path.
import { quoteGoString } from '../../semver/index.js';
import type { FieldPath } from './line-locator.js';

export type GoType =
  | { kind: 'string'; type: string }
  | { kind: 'bool' }
  | { kind: 'struct'; name: string; type: string; fields: Record<string, GoType> }
  | { kind: 'slice'; type: string; of: GoType }
  /** json.RawMessage / *declcfg.Meta: any value, checked by the caller. */
  | { kind: 'raw' };

export interface GoDecodeProblem {
  kind: 'type' | 'unknown-field';
  /** encoding/json's message, e.g. `json: unknown field "x"`. */
  message: string;
  /** Where in the document: keys as written, list indexes. */
  path: FieldPath;
}

type Obj = Record<string, unknown>;

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** The struct field for a key: an exact match of the JSON name first, then a case-insensitive one. */
function fieldFor(fields: Record<string, GoType>, key: string): string | undefined {
  if (Object.hasOwn(fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(fields).find((f) => f.toLowerCase() === lower);
}

/** The key of `obj` that Go would decode into struct field `field` (exact, else case-insensitive), as written. */
export function keyForField(obj: unknown, field: string): string {
  if (typeof obj !== 'object' || obj === null) return field;
  if (Object.hasOwn(obj, field)) return field;
  const lower = field.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? field;
}

/**
 * Decodes `value` as Go would into `type`; returns the plain value (structs as objects keyed by JSON field
 * name, absent or null fields left out) and every problem, in document order (Go reports the first).
 */
export function decodeGoValue(value: unknown, type: GoType, opts: { strict: boolean }): { value: unknown; problems: GoDecodeProblem[] } {
  const problems: GoDecodeProblem[] = [];
  // ctx.struct and ctx.fields follow encoding/json's errorContext: the struct being decoded and the
  // JSON names of the fields on the way down (list indexes are not part of it).
  const walk = (v: unknown, t: GoType, path: FieldPath, ctx: { struct: string; fields: string[] }): unknown => {
    if (v === null || v === undefined) return undefined;
    const typeError = (goType: string) => {
      const where = ctx.fields.length === 0 ? `Go value of type ${goType}` : `Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goType}`;
      problems.push({ kind: 'type', message: `json: cannot unmarshal ${jsonKind(v)} into ${where}`, path });
      return undefined;
    };
    switch (t.kind) {
      case 'raw':
        return v;
      case 'string':
        return typeof v === 'string' ? v : typeError(t.type);
      case 'bool':
        return typeof v === 'boolean' ? v : typeError('bool');
      case 'slice':
        if (!Array.isArray(v)) return typeError(t.type);
        return v.map((item, i) => walk(item, t.of, [...path, i], ctx));
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) return typeError(t.type);
        const out: Obj = {};
        for (const [key, fieldValue] of Object.entries(v as Obj)) {
          const field = fieldFor(t.fields, key);
          if (field === undefined) {
            if (opts.strict) problems.push({ kind: 'unknown-field', message: `json: unknown field ${quoteGoString(key)}`, path: [...path, key] });
            continue;
          }
          const decoded = walk(fieldValue, t.fields[field]!, [...path, key], { struct: t.name, fields: [...ctx.fields, field] });
          // Go keeps the last of two keys that map to one field.
          if (decoded !== undefined) out[field] = decoded;
        }
        return out;
      }
    }
  };
  const decoded = walk(value, type, [], { struct: '', fields: [] });
  return { value: decoded, problems };
}
