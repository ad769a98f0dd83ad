// CatalogQuery: what a catalog server asks of one served catalog (the whole JSON Lines body, blobs by field),
// prepared once at start-up so requests are lookups; http/ answers over it, grpc/ and ui/ over its one model.
import { GantryError } from '../errors.js';
import { canonicalJson } from '../catalog/encoding/index.js';
import { catalogFiles, parseCatalogBytes } from '../catalog/fbc/load.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import { addDecoded, decodeBlob } from '../catalog/fbc/decode-blob.js';
import { emptyConfig, type CatalogIssue, type DeclarativeConfig } from '../catalog/fbc/types.js';
import { buildCatalogModel, type CatalogModel } from '../catalog/model/catalog-model.js';

export interface MetaFilter {
  schema?: string;
  package?: string;
  name?: string;
}

export interface CatalogQuery {
  readonly name: string;
  /** catalogd's catalog.jsonl: every blob as compact JSON with sorted keys, one a line, in walk order. */
  readonly body: Buffer;
  readonly modified: Date;
  /** The blobs matching every given non-empty field, in file order, as one JSON Lines body (no field: `body`). */
  metas(filter: MetaFilter): Buffer;
}

interface Span {
  offset: number;
  length: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Adds blobs one at a time, so a loader can drop each parsed blob as soon as its line is written. */
export interface CatalogQueryBuilder {
  add(blob: unknown): void;
  finish(modified: Date): CatalogQuery;
}

/** Builds the body and per-field offset indexes (catalogd's index.json, in memory) from blob texts. */
export function catalogQueryFromBlobs(name: string, blobs: unknown[], modified: Date): CatalogQuery {
  const b = createCatalogQueryBuilder(name);
  for (const blob of blobs) b.add(blob);
  return b.finish(modified);
}

export function createCatalogQueryBuilder(name: string): CatalogQueryBuilder {
  const lines: Buffer[] = [];
  const bySchema = new Map<string, Span[]>();
  const byPackage = new Map<string, Span[]>();
  const byName = new Map<string, Span[]>();
  let offset = 0;
  const index = (map: Map<string, Span[]>, key: string | undefined, span: Span) => {
    if (!key) return;
    const list = map.get(key);
    if (list) list.push(span);
    else map.set(key, [span]);
  };
  const add = (blob: unknown) => {
    const line = Buffer.from(`${canonicalJson(blob)}\n`, 'utf8');
    const span = { offset, length: line.length };
    const o = blob as Record<string, unknown>;
    index(bySchema, str(o.schema), span);
    index(byPackage, str(o.package), span);
    index(byName, str(o.name), span);
    lines.push(line);
    offset += line.length;
  };
  const finish = (modified: Date): CatalogQuery => {
    const body = Buffer.concat(lines);
    lines.length = 0;
    return {
      name,
      body,
      modified,
      metas(filter) {
        // catalogd's index treats an empty value as no filter on that field (`?package=` is everything).
        const sets: Span[][] = [];
        if (filter.schema) sets.push(bySchema.get(filter.schema) ?? []);
        if (filter.package) sets.push(byPackage.get(filter.package) ?? []);
        if (filter.name) sets.push(byName.get(filter.name) ?? []);
        // No filter: the body itself, shared by every request rather than copied.
        if (sets.length === 0) return body;
        // Spans are shared objects in file order: intersect by identity, keeping the first list's order.
        const rest = sets.slice(1).map((s) => new Set(s));
        const spans = sets[0]!.filter((s) => rest.every((r) => r.has(s)));
        return Buffer.concat(spans.map((s) => body.subarray(s.offset, s.offset + s.length)));
      },
    };
  };
  return { add, finish };
}

/** Reads a catalog tree as catalogd unpacks it; any blob opm would reject stops start-up with its file:line. */
export async function loadCatalogQuery(
  name: string,
  tree: FileTree,
  opts: { signal?: AbortSignal; modified?: Date } = {},
): Promise<CatalogQuery> {
  const builder = createCatalogQueryBuilder(name);
  const issues: CatalogIssue[] = [];
  for (const file of await catalogFiles(tree, opts)) {
    parseCatalogBytes(await tree.read(file, opts), file, (value, source) => {
      const schema = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).schema : undefined;
      if (typeof schema !== 'string' || schema === '') issues.push({ rule: 'no-schema', message: 'blob has no schema', file: source.file, line: source.line });
      // Once something is wrong the body is never used: stop building it, keep collecting issues.
      else if (issues.length === 0) builder.add(value);
    }, issues);
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new GantryError('CATALOG_INVALID', `catalog ${name}: ${describe(first)}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`);
  }
  return builder.finish(opts.modified ?? new Date());
}

function describe(i: CatalogIssue): string {
  return i.file ? `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}` : i.message;
}

/** Decodes a served JSON Lines body (one canonical blob a line) into the declarative config. */
export function configFromJsonLines(body: Buffer): DeclarativeConfig {
  const config = emptyConfig();
  let start = 0;
  let line = 0;
  while (start < body.length) {
    let end = body.indexOf(10, start);
    if (end === -1) end = body.length;
    line++;
    if (end > start) {
      const d = decodeBlob(JSON.parse(body.toString('utf8', start, end)) as unknown, { file: 'catalog.jsonl', line });
      // The loader already refused catalogs opm would reject; a blob that still does not decode is left out.
      if ('kind' in d) addDecoded(config, d);
    }
    start = end + 1;
  }
  return config;
}

const models = new WeakMap<CatalogQuery, CatalogModel>();

/**
 * gantry's catalog model of a served catalog, built from its body on first use and shared: the gRPC API and the
 * web UI read the same one (it is never modified), so a catalog costs one model however many servers read it.
 */
export function catalogModelOf(query: CatalogQuery): CatalogModel {
  let model = models.get(query);
  if (!model) models.set(query, (model = buildCatalogModel(configFromJsonLines(query.body))));
  return model;
}
