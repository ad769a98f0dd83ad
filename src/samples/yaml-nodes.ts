// Reading Kubernetes objects out of YAML or JSON text (JSON is YAML) with the line of every node, so that each
// samples issue names file:line. Multi-document YAML, List kinds and syntax errors are handled here once.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

export interface NodeText {
  lines: LineCounter;
}

export interface ParsedDocuments {
  /** The top-level node of each non-empty document. */
  roots: Node[];
  lines: LineCounter;
  /** Syntax errors (duplicate keys included, as the API server refuses them) with their line. */
  errors: { line: number; message: string }[];
}

export function parseObjects(text: string): ParsedDocuments {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors: { line: number; message: string }[] = [];
  const roots: Node[] = [];
  const all = Array.isArray(docs) ? docs : [];
  for (const doc of all) {
    for (const e of doc.errors) errors.push({ line: lines.linePos(e.pos[0]).line, message: e.message.split('\n')[0]! });
    if (doc.contents !== null && doc.errors.length === 0) roots.push(doc.contents as Node);
  }
  return { roots, lines, errors };
}

export function lineOf(lines: LineCounter, node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  return isSeq(node) ? node : undefined;
}

/** The value node under `key` of a mapping (undefined when absent or not a mapping). */
export function child(node: unknown, key: string): unknown {
  const m = asMap(node);
  if (!m) return undefined;
  for (const pair of m.items) {
    const k = isScalar(pair.key) ? pair.key.value : pair.key;
    if (k === key) return pair.value ?? undefined;
  }
  return undefined;
}

/** A scalar string (numbers and booleans as written, e.g. a tag `2.7` read as a number), else undefined. */
export function text(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return node.source ?? String(v);
  return undefined;
}

/** The string at a path of keys (`metadata.name`). */
export function textAt(node: unknown, ...keys: string[]): string | undefined {
  let n: unknown = node;
  for (const k of keys) n = child(n, k);
  return text(n);
}

/** Entries of a mapping: [key, value node, key node]. */
export function entries(node: unknown): [string, unknown, unknown][] {
  const m = asMap(node);
  if (!m) return [];
  const out: [string, unknown, unknown][] = [];
  for (const pair of m.items) {
    const key = text(pair.key);
    if (key !== undefined) out.push([key, pair.value ?? undefined, pair.key]);
  }
  return out;
}

export function items(node: unknown): unknown[] {
  return asSeq(node)?.items ?? [];
}
