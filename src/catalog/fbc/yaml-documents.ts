// Multi-document YAML as catalogs use it, read the way sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) reads it:
// yes/no/on/off are booleans, ~ is null, 0755 is octal. Documents are split at column-0 "---" markers, so
// each keeps the line it starts on; parsing uses js-yaml (about 6× faster than a full document model).
import jsyaml from 'js-yaml';

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

const bool11 = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (BOOL_TRUE.has(data) || BOOL_FALSE.has(data)),
  construct: (data: string) => BOOL_TRUE.has(data),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: { lowercase: (o: unknown) => (o ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

const INT11 = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*|0)$/;

const int11 = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && INT11.test(data) && /[0-9]/.test(data),
  construct: (data: string) => {
    const s = data.replace(/_/g, '');
    const sign = s.startsWith('-') ? -1 : 1;
    const body = s.replace(/^[-+]/, '');
    if (body.startsWith('0b')) return sign * parseInt(body.slice(2), 2);
    if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
    if (body.length > 1 && body.startsWith('0')) return sign * parseInt(body.slice(1), 8);
    return sign * parseInt(body, 10);
  },
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
});

/** The schema: YAML 1.1 booleans and integers over js-yaml's core schema (null and float are already 1.1-like). */
export const YAML_11_SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [bool11, int11] });

export interface YamlDocument {
  text: string;
  /** 1-based line of the document's first content line in the file. */
  line: number;
}

/** Splits at lines that are exactly "---" (optionally followed by a space and content) at column 0. */
export function splitYamlDocuments(text: string): YamlDocument[] {
  const docs: YamlDocument[] = [];
  let docStart = 0;
  let docLine = 1;
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i <= n) {
    const eol = text.indexOf('\n', i);
    const end = eol === -1 ? n : eol;
    if (text.startsWith('---', i) && (end === i + 3 || text[i + 3] === ' ' || text[i + 3] === '\t' || text[i + 3] === '\r')) {
      if (i > docStart) docs.push({ text: text.slice(docStart, i), line: docLine });
      // Content after "--- " on the marker line belongs to the new document.
      docStart = i + 3;
      docLine = line;
    } else if (text.startsWith('...', i) && (end === i + 3 || text[i + 3] === '\r' || text[i + 3] === ' ')) {
      if (i > docStart) docs.push({ text: text.slice(docStart, i), line: docLine });
      docStart = end;
      docLine = line + 1;
    }
    if (eol === -1) break;
    i = eol + 1;
    line++;
  }
  if (docStart < n) docs.push({ text: text.slice(docStart), line: docLine });
  // Leading blank or comment-only lines do not move where the document's content starts.
  return docs.map((d) => {
    const lead = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(d.text)![0];
    return { text: d.text, line: d.line + (lead.match(/\n/g)?.length ?? 0) };
  });
}

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Something opm accepts silently that a user should still hear about, with its file line. */
export interface YamlWarning {
  message: string;
  line: number;
}

/**
 * Parses one document; undefined for an empty one. Errors carry the file line. A key repeated in one mapping is
 * accepted with the last value winning, as go-yaml v2 (sigs.k8s.io/yaml, so opm) does, and reported to onWarning.
 */
export function parseYamlDocument(doc: YamlDocument, onWarning?: (w: YamlWarning) => void): unknown {
  try {
    const v = jsyaml.load(doc.text, { schema: YAML_11_SCHEMA, json: false });
    return v === null ? undefined : v;
  } catch (err) {
    const e = err as { reason?: string; message: string; mark?: { line: number } };
    // js-yaml counts lines from the start of the text we gave it, which is where the marker line ended.
    const markLine = e.mark ? e.mark.line : 0;
    const line = startLineOfText(doc) + markLine;
    if (e.reason !== 'duplicated mapping key') throw new YamlSyntaxError(e.reason ?? e.message.split('\n')[0]!, line);
    const value = parseAllowingDuplicates(doc, line);
    for (const d of findDuplicates(doc.text, markLine)) {
      const what = d.key === undefined ? 'duplicated mapping key' : `duplicated mapping key ${JSON.stringify(d.key)}`;
      onWarning?.({ message: `${what}: the last value is used, as opm (go-yaml) does`, line: startLineOfText(doc) + d.markLine });
    }
    return value;
  }
}

/** js-yaml's JSON mode lets a later key override an earlier one; any other problem is still an error. */
function parseAllowingDuplicates(doc: YamlDocument, line: number): unknown {
  try {
    const v = jsyaml.load(doc.text, { schema: YAML_11_SCHEMA, json: true });
    return v === null ? undefined : v;
  } catch (err) {
    const e = err as { reason?: string; message: string; mark?: { line: number } };
    throw new YamlSyntaxError(e.reason ?? e.message.split('\n')[0]!, e.mark ? startLineOfText(doc) + e.mark.line : line);
  }
}

// A block-mapping key at the start of a line (after indentation and an optional "- "), plain or quoted.
const KEY_AT_LINE = /^(\s*(?:-\s+)?)(?:"([^"]*)"|'([^']*)'|([^\s:#"'][^:#]*?))(\s*:(?:\s|$))/;
const MAX_DUPLICATES = 100;

/**
 * Every repeated key of a document, not only the first js-yaml stops at: each one found is renamed in a copy of
 * the text and the copy parsed again. Keys that cannot be renamed so (flow mappings) end the search.
 */
function findDuplicates(text: string, firstMarkLine: number): { key?: string; markLine: number }[] {
  const found: { key?: string; markLine: number }[] = [];
  const lines = text.split('\n');
  let markLine: number | undefined = firstMarkLine;
  while (markLine !== undefined && found.length < MAX_DUPLICATES) {
    const m = KEY_AT_LINE.exec(lines[markLine] ?? '');
    const key = m ? (m[2] ?? m[3] ?? m[4]) : undefined;
    found.push(key === undefined ? { markLine } : { key, markLine });
    if (!m) break;
    lines[markLine] = `${m[1]}"gantry duplicate ${found.length}"${m[5]}${lines[markLine]!.slice(m[0].length)}`;
    markLine = nextDuplicate(lines.join('\n'));
  }
  return found;
}

function nextDuplicate(text: string): number | undefined {
  try {
    jsyaml.load(text, { schema: YAML_11_SCHEMA, json: false });
    return undefined;
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number } };
    return e.reason === 'duplicated mapping key' && e.mark ? e.mark.line : undefined;
  }
}

function startLineOfText(doc: YamlDocument): number {
  const lead = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(doc.text)![0];
  return doc.line - (lead.match(/\n/g)?.length ?? 0);
}
