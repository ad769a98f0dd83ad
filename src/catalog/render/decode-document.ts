// The first object of a bundle file, read the way opm reads it (k8s.io/apimachinery util/yaml
// YAMLOrJSONDecoder, buffer 30): one document only, JSON or YAML, YAML with go-yaml v2's rules.
import jsyaml from 'js-yaml';
import { YAML_11_SCHEMA } from '../fbc/yaml-documents.js';
import { firstJsonValue, type JsonSpan } from './json-spans.js';

/*
 * go-yaml v2 (under sigs.k8s.io/yaml) also honours merge keys (`<<: *anchor`, `!!merge <<:`) and, unmarshalling
 * without strict mode, lets a repeated key overwrite the earlier one. Real bundles rely on both (clickhouse
 * CRDs merge anchors; some Helm-made manifests repeat `annotations:`), so the schema adds merge and the
 * loader runs with `json: true` (js-yaml's switch for "later duplicate keys win").
 */
const MERGE = new jsyaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' || data === null });
const BUNDLE_YAML_SCHEMA = YAML_11_SCHEMA.extend({ implicit: [MERGE] });

/** decodeFileFS peeks this many bytes to tell JSON from YAML (NewYAMLOrJSONDecoder(r, 30)). */
const JSON_SNIFF_BYTES = 30;

export interface DecodedDocument {
  /** The document as JSON data; null for a YAML document with no content. */
  value: unknown;
  /** Set when the document was read as JSON: the file text and the value's span, for raw value bytes. */
  json?: { text: string; span: JsonSpan };
  /** 1-based line where the document starts. */
  line: number;
  /** Another document follows, which opm never reads. */
  more: boolean;
}

export class DocumentError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

// unicode.IsSpace: what bytes.TrimLeftFunc skips before looking for `{`.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

function sniffsAsJson(text: string): boolean {
  let bytes = 0;
  let n = 0;
  while (n < text.length && bytes < JSON_SNIFF_BYTES) {
    const c = text.charCodeAt(n);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    n += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  const head = text.slice(0, n);
  return head.slice(GO_SPACE.exec(head)![0].length).startsWith('{');
}

interface Chunk {
  text: string;
  line: number;
}

/*
 * YAMLReader.Read: lines are collected until one that starts with "---"; what follows the dashes may only be
 * space or a comment ("invalid Yaml document separator" otherwise). A chunk is any non-empty run of lines,
 * so a comment-only or blank preamble before the first "---" is a document of its own (it decodes to null).
 */
function* yamlChunks(text: string): Generator<Chunk> {
  let start = 0;
  let startLine = 1;
  let at = text.startsWith('---') ? 0 : separatorAfter(text, 0);
  while (at !== -1) {
    const eol = text.indexOf('\n', at);
    const sepLine = startLine + countLines(text, start, at);
    const rest = text.slice(at + 3, eol === -1 ? text.length : eol).trim();
    if (rest.length > 0 && !rest.startsWith('#')) throw new DocumentError(`invalid Yaml document separator: ${rest}`, sepLine);
    if (at > start) yield chunkOf(text.slice(start, at), startLine);
    if (eol === -1) return;
    start = eol + 1;
    startLine = sepLine + 1;
    at = separatorAfter(text, eol);
  }
  if (start < text.length) yield chunkOf(text.slice(start), startLine);
}

// The next line start (after index `from`) that begins with "---".
function separatorAfter(text: string, from: number): number {
  const i = text.indexOf('\n---', from);
  return i === -1 ? -1 : i + 1;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// The bytes YAMLReader hands on: each line ends in "\n" (bufio.ReadLine drops "\r\n" as a unit).
function chunkOf(s: string, line: number): Chunk {
  let text = s.includes('\r') ? s.replace(/\r\n/g, '\n') : s;
  if (!text.endsWith('\n')) text += '\n';
  return { text, line };
}

function parseChunk(chunk: Chunk): unknown {
  let value: unknown;
  try {
    value = jsyaml.load(chunk.text, { schema: BUNDLE_YAML_SCHEMA, json: true });
  } catch (err) {
    const e = err as { reason?: string; message: string; mark?: { line: number } };
    throw new DocumentError(`yaml: ${e.reason ?? e.message.split('\n')[0]}`, chunk.line + (e.mark?.line ?? 0));
  }
  if (value === undefined) value = null;
  checkJsonable(value, chunk.line);
  return value;
}

// sigs.k8s.io/yaml re-encodes the YAML value with json.Marshal, which refuses infinities and NaN.
function checkJsonable(v: unknown, line: number): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new DocumentError(`json: unsupported value: ${v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : 'NaN'}`, line);
  } else if (Array.isArray(v)) {
    for (const x of v) checkJsonable(x, line);
  } else if (v !== null && typeof v === 'object') {
    for (const k in v) checkJsonable((v as Record<string, unknown>)[k], line);
  }
}

/** Reads the first document of a file. Throws DocumentError (with a line) where opm's decoder fails. */
export function decodeFirstDocument(text: string): DecodedDocument {
  if (sniffsAsJson(text)) {
    const first = firstJsonValue(text);
    if (first !== undefined) {
      return { value: first.value, json: { text, span: first.span }, line: lineAt(text, first.span.start), more: first.rest };
    }
    // The JSON decoder failed on the first object: YAMLOrJSONDecoder rewinds and tries the text as YAML.
  }
  const chunks = yamlChunks(text);
  const first = chunks.next();
  if (first.done) throw new DocumentError('EOF', 1);
  const value = parseChunk(first.value);
  // decodeFileFS warns when a second Decode into a map succeeds; a bad separator or a document that is not
  // a mapping (or null) only ends the ignored rest of the stream.
  let more = false;
  try {
    const second = chunks.next();
    if (!second.done) {
      const v = parseChunk(second.value);
      more = v === null || (typeof v === 'object' && !Array.isArray(v));
    }
  } catch (err) {
    if (!(err instanceof DocumentError)) throw err;
  }
  return { value, line: first.value.line, more };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Every document of a file, the way kubectl's resource builder streams a manifest file (what OLM v1's
 * registry+v1 loader uses, unlike opm): YAML documents split at "---", a JSON file as its one value; empty
 * documents dropped. Throws DocumentError with the line of the document that fails.
 */
export function decodeAllDocuments(text: string): DecodedDocument[] {
  if (sniffsAsJson(text)) {
    const first = firstJsonValue(text);
    if (first !== undefined) return [{ value: first.value, json: { text, span: first.span }, line: lineAt(text, first.span.start), more: first.rest }];
  }
  const out: DecodedDocument[] = [];
  for (const chunk of yamlChunks(text)) {
    const value = parseChunk(chunk);
    if (value !== null) out.push({ value, line: chunk.line, more: false });
  }
  return out;
}
