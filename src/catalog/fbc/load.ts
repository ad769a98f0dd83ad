// Loading a file-based catalog from a FileTree: .indexignore (gitignore syntax, at any depth), every other file
// parsed as a JSON object stream or as multi-document YAML whatever its name, every problem with file and line.
import { isAscii } from 'node:buffer';
import ignore, { type Ignore } from 'ignore';
import { throwIfAborted } from '../../errors.js';
import { decodeBlob } from './decode-blob.js';
import type { FileTree } from './file-tree.js';
import { JsonStreamError, lineAt, splitIndentedBytes, splitIndentedStream, splitJsonStream } from './json-stream.js';
import { YamlSyntaxError, parseYamlDocument, splitYamlDocuments } from './yaml-documents.js';
import { emptyConfig, type CatalogIssue, type DeclarativeConfig, type Source } from './types.js';

export interface LoadOptions {
  signal?: AbortSignal;
  /** Files read ahead while earlier ones are parsed. */
  readAhead?: number;
  /** Keep only the blobs of these packages (blobs that name no package are kept): loading a slice of a big catalog. */
  keepPackage?: (name: string) => boolean;
  /** Read only these files (with keepPackage: files known to hold none of the kept packages are skipped). */
  keepFile?: (path: string) => boolean;
}

export interface LoadResult {
  config: DeclarativeConfig;
  /** Files that could not be read or parsed, and blobs that could not be decoded. */
  issues: CatalogIssue[];
  files: string[];
}

const IGNORE_FILE = '.indexignore';

/** Which files are catalog content: everything but .indexignore files and what they match below them. */
export async function catalogFiles(tree: FileTree, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
  const all = await tree.list(opts);
  const rules: { dir: string; matcher: Ignore }[] = [];
  for (const p of all) {
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (base !== IGNORE_FILE) continue;
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '';
    const text = new TextDecoder().decode(await tree.read(p, opts));
    rules.push({ dir, matcher: ignore().add(text) });
  }
  return all.filter((p) => {
    if (p.slice(p.lastIndexOf('/') + 1) === IGNORE_FILE) return false;
    return !rules.some((r) => p.startsWith(r.dir) && r.matcher.ignores(p.slice(r.dir.length)));
  });
}

/** Parses one file's text into objects, each with the line it starts on. */
export function parseCatalogText(text: string, file: string, onValue: (value: unknown, source: Source) => void, issues: CatalogIssue[]): void {
  let first = 0;
  while (first < text.length && /\s|\ufeff/.test(text[first]!)) first++;
  if (first === text.length) return;
  if (text[first] === '{') parseJsonStream(text, file, onValue, issues);
  else parseYamlDocuments(text, file, onValue, issues);
}

/**
 * Parses one file's bytes. An indented JSON stream (opm's format) is decoded one object at a time: the file is
 * never one string, which for a file with a single non-ASCII character would be a two-byte string twice its
 * size (116 MB for the corpus's 61 MB file). Anything else, or any object that fails, takes the text path.
 */
export function parseCatalogBytes(bytes: Uint8Array, file: string, onValue: (value: unknown, source: Source) => void, issues: CatalogIssue[]): void {
  const chunks = splitIndentedBytes(bytes);
  if (chunks) {
    const values: unknown[] = [];
    try {
      for (const c of chunks) values.push(JSON.parse(decodeUtf8(bytes.subarray(c.start, c.end))));
    } catch {
      values.length = 0; // the text path reports it precisely
    }
    if (values.length === chunks.length) {
      // Newlines are the same byte in UTF-8, so lines count as in the text path.
      let line = 1;
      let counted = 0;
      chunks.forEach((c, i) => {
        for (let j = bytes.indexOf(10, counted); j !== -1 && j < c.start; j = bytes.indexOf(10, j + 1)) line++;
        counted = c.start;
        onValue(values[i], { file, line });
      });
      return;
    }
  }
  parseCatalogText(decodeUtf8(bytes), file, onValue, issues);
}

/**
 * Every object of a file, one at a time, skipping what does not parse (loadCatalog reports that): for passes over
 * a whole catalog that keep a little of each object, so a 60 MB file never lives as objects all at once.
 */
export function forEachCatalogValue(text: string, file: string, onValue: (value: unknown) => void): void {
  let first = 0;
  while (first < text.length && /\s|\ufeff/.test(text[first]!)) first++;
  if (first === text.length) return;
  if (text[first] !== '{') {
    parseYamlDocuments(text, file, onValue, []);
    return;
  }
  let chunks: { start: number; end: number }[] | undefined = splitIndentedStream(text);
  if (!chunks) {
    try {
      chunks = splitJsonStream(text);
    } catch {
      return;
    }
  }
  for (const c of chunks) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(c.start, c.end));
    } catch {
      continue;
    }
    onValue(value);
  }
}

function parseJsonStream(text: string, file: string, onValue: (value: unknown, source: Source) => void, issues: CatalogIssue[]): void {
  const fast = splitIndentedStream(text);
  if (fast) {
    const values: unknown[] = [];
    try {
      for (const c of fast) values.push(JSON.parse(text.slice(c.start, c.end)));
    } catch {
      values.length = 0; // not what it looked like: take the careful path below, which reports errors precisely
    }
    if (values.length === fast.length) {
      let line = 1;
      let counted = 0;
      fast.forEach((c, i) => {
        for (let j = text.indexOf('\n', counted); j !== -1 && j < c.start; j = text.indexOf('\n', j + 1)) line++;
        counted = c.start;
        onValue(values[i], { file, line });
      });
      return;
    }
  }
  let chunks;
  try {
    chunks = splitJsonStream(text);
  } catch (err) {
    if (!(err instanceof JsonStreamError)) throw err;
    issues.push({ rule: 'syntax-error', message: `invalid JSON: ${err.message}`, file, line: lineAt(text, err.offset) });
    return;
  }
  // Lines are counted incrementally: the chunks come in order, so each count starts where the last stopped.
  let line = 1;
  let counted = 0;
  const lineOf = (offset: number) => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
  for (const c of chunks) {
    const slice = text.slice(c.start, c.end);
    let value: unknown;
    try {
      value = JSON.parse(slice);
    } catch (err) {
      const pos = /position (\d+)/.exec((err as Error).message);
      const offset = c.start + (pos ? Number(pos[1]) : 0);
      issues.push({ rule: 'syntax-error', message: `invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, file, line: lineAt(text, offset) });
      continue;
    }
    onValue(value, { file, line: lineOf(c.start) });
  }
}

function parseYamlDocuments(text: string, file: string, onValue: (value: unknown, source: Source) => void, issues: CatalogIssue[]): void {
  for (const doc of splitYamlDocuments(text)) {
    let value: unknown;
    try {
      value = parseYamlDocument(doc, (w) => issues.push({ rule: 'duplicate-key', severity: 'warning', message: w.message, file, line: w.line }));
    } catch (err) {
      if (!(err instanceof YamlSyntaxError)) throw err;
      issues.push({ rule: 'syntax-error', message: `invalid YAML: ${err.message}`, file, line: err.line });
      continue;
    }
    if (value !== undefined) onValue(value, { file, line: doc.line });
  }
}

/** Loads every blob of a catalog. Problems are collected, not thrown, so one run reports all of them. */
export async function loadCatalog(tree: FileTree, opts: LoadOptions = {}): Promise<LoadResult> {
  const all = await catalogFiles(tree, opts);
  const files = opts.keepFile ? all.filter(opts.keepFile) : all;
  const config = emptyConfig();
  const issues: CatalogIssue[] = [];
  const onValue = (value: unknown, source: Source) => {
    const d = decodeBlob(value, source);
    if ('rule' in d) {
      issues.push(d);
      return;
    }
    if (opts.keepPackage) {
      const pkg = d.kind === 'package' ? d.blob.name : d.blob.package;
      if (pkg !== undefined && !opts.keepPackage(pkg)) return;
    }
    switch (d.kind) {
      case 'package':
        config.packages.push(d.blob);
        break;
      case 'channel':
        config.channels.push(d.blob);
        break;
      case 'bundle':
        config.bundles.push(d.blob);
        break;
      case 'deprecation':
        config.deprecations.push(d.blob);
        break;
      case 'other':
        config.others.push(d.blob);
        break;
    }
  };
  // Reads run ahead of parsing (I/O overlaps CPU); parsing stays in file order, so the result is deterministic.
  const readAhead = Math.max(1, opts.readAhead ?? 4);
  const pending: Promise<Uint8Array | Error>[] = [];
  const start = (i: number) => {
    if (i < files.length) pending[i] = tree.read(files[i]!, opts).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  };
  for (let i = 0; i < readAhead; i++) start(i);
  for (let i = 0; i < files.length; i++) {
    throwIfAborted(opts.signal);
    const bytes = await pending[i]!;
    delete pending[i];
    start(i + readAhead);
    const file = files[i]!;
    if (bytes instanceof Error) {
      issues.push({ rule: 'unreadable', message: `cannot read file: ${bytes.message}`, file });
      continue;
    }
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      issues.push({ rule: 'not-text', message: 'file is not text (it contains NUL bytes)', file, line: countLines(bytes, nul) });
      continue;
    }
    parseCatalogBytes(bytes, file, onValue, issues);
  }
  return { config, issues, files };
}

/**
 * UTF-8 → string; invalid sequences become U+FFFD as in Go. Most catalogs are ASCII, which decodes as a
 * one-byte string far faster than UTF-8 (checked with SIMD by isAscii).
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

function countLines(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}
