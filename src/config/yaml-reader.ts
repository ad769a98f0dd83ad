// Reads typed values out of a `yaml` document while recording where each one came from (line and
// column) and collecting issues: unknown fields with typo help, version-only fields, wrong types.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { findClosestName } from './closest-name.js';
import type { ConfigIssue, ConfigIssueCode, ConfigKind, IssueSeverity } from './config-types.js';

export interface SourcePosition {
  line: number;
  column: number;
}

export type SchemaVersion = 'v1' | 'v2';

export interface ReadContext {
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
  version: SchemaVersion;
  kind: ConfigKind;
  issues: ConfigIssue[];
  /** Position of each value that was read, by path (mirror.operators[0].catalog); the rules use it. */
  positions: Map<string, SourcePosition>;
}

/**
 * Parses one YAML document for the field readers: syntax errors become issues with file:line (and undefined is
 * returned), otherwise the context the readers take. Repeated keys are syntax errors here, as the API server has it.
 */
export function readYamlDocument(text: string, file: string, kind: ConfigKind, issues: ConfigIssue[]): ReadContext | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    const at = lines.linePos(e.pos[0]);
    issues.push({ code: 'YAML_SYNTAX', severity: 'error', message: e.message.split('\n')[0]!, file, line: at.line, column: at.col, path: '' });
  }
  if (doc.errors.length > 0) return undefined;
  // The reader's version only matters for ImageSetConfiguration fields that exist in one API version.
  return { file, text, doc: doc as Document, lines, version: 'v2', kind, issues, positions: new Map() };
}

export interface FieldSpec {
  /** The field exists only in this API version; elsewhere it is accepted with a warning. */
  only?: SchemaVersion;
  /** Deprecated: accepted with a warning carrying this hint. */
  deprecated?: string;
}

export type FieldTable = Record<string, FieldSpec>;

/** What readFields returns: the value node of each known field that is present and not null. */
export type Fields = Map<string, unknown>;

const START: SourcePosition = { line: 1, column: 1 };

export function positionOf(ctx: ReadContext, node: unknown): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return START;
  const p = ctx.lines.linePos(range[0]);
  return { line: p.line, column: p.col };
}

/** The position recorded for `path`, else for its nearest recorded ancestor, else the document start. */
export function locate(ctx: ReadContext, path: string): SourcePosition {
  let p = path;
  for (;;) {
    const hit = ctx.positions.get(p);
    if (hit) return hit;
    if (p === '') return START;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut < 0 ? '' : p.slice(0, cut);
  }
}

export function report(
  ctx: ReadContext,
  issue: { code: ConfigIssueCode; severity?: IssueSeverity; path: string; message: string; hint?: string; at?: SourcePosition },
): void {
  const at = issue.at ?? locate(ctx, issue.path);
  const out: ConfigIssue = {
    code: issue.code,
    severity: issue.severity ?? 'error',
    message: issue.message,
    file: ctx.file,
    line: at.line,
    column: at.column,
    path: issue.path,
  };
  if (issue.hint !== undefined) out.hint = issue.hint;
  ctx.issues.push(out);
}

function resolve(ctx: ReadContext, node: unknown): unknown {
  return isAlias(node) ? node.resolve(ctx.doc) : node;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

export function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
    if (typeof v === 'boolean') return 'a boolean';
    if (typeof v === 'string') return 'a string';
  }
  return 'something else';
}

function sourceText(ctx: ReadContext, node: unknown): string {
  const range = (node as { range?: [number, number, number] }).range;
  return range ? ctx.text.slice(range[0], range[1]).trim() : '';
}

function lastName(path: string): string {
  const m = /([A-Za-z0-9_]+)(?:\[\d+\])*$/.exec(path);
  return m?.[1] ?? path;
}

function mismatch(ctx: ReadContext, node: unknown, path: string, expected: string, hint?: string): void {
  report(ctx, { code: 'TYPE_MISMATCH', path, at: positionOf(ctx, node), message: `${path} must be ${expected}, not ${describe(node)}`, ...(hint ? { hint } : {}) });
}

/**
 * Checks that `node` is a mapping whose keys are all in `table`, and returns the present, non-null values.
 * Null values (`minVersion:` with nothing after it) count as absent, as Go's zero values do in oc-mirror.
 */
export function readFields(ctx: ReadContext, raw: unknown, path: string, table: FieldTable, unknownHint?: (name: string) => string | undefined): Fields | undefined {
  const node = resolve(ctx, raw);
  if (!isMap(node)) {
    mismatch(ctx, node, path || 'the document', 'a mapping');
    return undefined;
  }
  const known = Object.keys(table);
  const out: Fields = new Map();
  for (const pair of node.items) {
    const key = resolve(ctx, pair.key);
    const name = isScalar(key) ? String(key.value) : '';
    const childPath = joinPath(path, name);
    const keyAt = positionOf(ctx, key);
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!spec) {
      const special = unknownHint?.(name);
      const guess = findClosestName(name, known);
      report(ctx, {
        code: 'FIELD_UNKNOWN',
        path: childPath,
        at: keyAt,
        message: `unknown field "${name}" in ${path || 'the document'}`,
        hint: special ?? (guess ? `did you mean "${guess}"?` : `known fields here: ${known.join(', ')}`),
      });
      continue;
    }
    if (spec.only && spec.only !== ctx.version) {
      const here = ctx.version === 'v1' ? 'mirror.openshift.io/v1alpha2' : 'mirror.openshift.io/v2alpha1';
      const other = spec.only === 'v1' ? 'mirror.openshift.io/v1alpha2' : 'mirror.openshift.io/v2alpha1';
      report(ctx, {
        code: spec.only === 'v1' ? 'FIELD_V1_ONLY' : 'FIELD_V2_ONLY',
        severity: 'warning',
        path: childPath,
        at: keyAt,
        message: `"${name}" is a ${other} field; this file is ${here}`,
        hint: spec.only === 'v1' ? `remove it: oc-mirror v2 rejects it, gantry accepts it for v1 compatibility` : `set apiVersion: ${other} to use it`,
      });
    }
    if (spec.deprecated) {
      report(ctx, { code: 'FIELD_DEPRECATED', severity: 'warning', path: childPath, at: keyAt, message: `"${name}" is deprecated`, hint: spec.deprecated });
    }
    const value = resolve(ctx, pair.value);
    ctx.positions.set(childPath, isNull(value) && !(value as { range?: unknown } | null)?.range ? keyAt : positionOf(ctx, value ?? key));
    if (isNull(value)) continue;
    out.set(name, value);
  }
  return out;
}

export function readString(ctx: ReadContext, node: unknown, path: string): string | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean' || typeof node.value === 'bigint')) {
    const src = sourceText(ctx, node);
    const read = typeof node.value === 'boolean' ? `the boolean ${String(node.value)}` : `the number ${String(node.value)}`;
    const lost = src !== String(node.value) ? ` (YAML reads ${src} as ${read})` : '';
    mismatch(ctx, node, path, 'a string', `quote it: ${lastName(path)}: "${src}"${lost}`);
    return undefined;
  }
  mismatch(ctx, node, path, 'a string');
  return undefined;
}

export function readBoolean(ctx: ReadContext, node: unknown, path: string): boolean | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  mismatch(ctx, node, path, 'true or false');
  return undefined;
}

export function readInteger(ctx: ReadContext, node: unknown, path: string): number | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
  mismatch(ctx, node, path, 'a whole number');
  return undefined;
}

/** Reads a list, calling readItem for each element with its path (path[i]); failed items are dropped. */
export function readList<T>(ctx: ReadContext, raw: unknown, path: string, readItem: (node: unknown, path: string) => T | undefined): T[] {
  if (raw === undefined) return [];
  const node = resolve(ctx, raw);
  if (!isSeq(node)) {
    mismatch(ctx, node, path, 'a list');
    return [];
  }
  const out: T[] = [];
  node.items.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const value = resolve(ctx, item);
    ctx.positions.set(itemPath, positionOf(ctx, value));
    const read = readItem(value, itemPath);
    if (read !== undefined) out.push(read);
  });
  return out;
}

export function readStringList(ctx: ReadContext, raw: unknown, path: string): string[] {
  return readList(ctx, raw, path, (n, p) => readString(ctx, n, p));
}

/** Reports a required field that is missing, at the mapping that should hold it. */
export function requireField<T>(ctx: ReadContext, value: T | undefined, fields: Fields, name: string, path: string): T | undefined {
  if (value === undefined && !fields.has(name)) {
    report(ctx, { code: 'FIELD_REQUIRED', path: joinPath(path, name), at: locate(ctx, path), message: `${joinPath(path, name)} is required` });
  }
  return value;
}
