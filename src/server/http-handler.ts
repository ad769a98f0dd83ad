// catalogd's HTTP API as a pure function: a request (method, URL, headers) in, a response description out —
// status, headers and body bytes — so routing, preconditions, Range and gzip unit-test without sockets.
import { gzipSync } from 'node:zlib';
import type { CatalogQuery, MetaFilter } from './catalog-query.js';

export interface HttpRequest {
  method: string;
  /** The request target, path and query ("/catalogs/x/api/v1/metas?schema=olm.package"). */
  url: string;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Always the GET body; the socket side leaves it out for HEAD. */
  body: Buffer;
}

/** klauspost gzhttp's default: smaller bodies are not worth compressing (catalogd's docs say 1400 bytes). */
const GZIP_MIN_BYTES = 1400;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const METAS_PARAMS = new Set(['schema', 'package', 'name']);

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 416: 'Requested Range Not Satisfiable' };

/** Go's http.Error: a plain text body ending in a newline. */
function textError(status: number, message = `${status} ${STATUS_TEXT[status] ?? ''}`): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: Buffer.from(`${message}\n`) };
}

const header = (req: HttpRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Dates on the wire have whole seconds, so the modification time is compared at that precision (as Go does). */
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function notModified(req: HttpRequest, modified: Date): boolean {
  const since = header(req, 'if-modified-since');
  if (!since || header(req, 'if-none-match') !== undefined) return false;
  const t = Date.parse(since);
  return !Number.isNaN(t) && seconds(modified) <= Math.floor(t / 1000);
}

function acceptsGzip(req: HttpRequest): boolean {
  return (header(req, 'accept-encoding') ?? '').split(',').some((p) => {
    const [coding, ...params] = p.trim().split(';').map((s) => s.trim());
    return coding === 'gzip' && !params.some((q) => /^q=0(\.0*)?$/.test(q));
  });
}

type RangeResult = { kind: 'none' } | { kind: 'one'; start: number; end: number } | { kind: 'unsatisfiable' };

/** One `bytes=` range (first-last, first-, -suffix); several ranges are answered whole, as RFC 7233 allows. */
export function parseRange(value: string | undefined, size: number): RangeResult {
  if (!value) return { kind: 'none' };
  const m = /^bytes=(.*)$/.exec(value.trim());
  if (!m || m[1]!.includes(',')) return { kind: 'none' };
  const r = /^\s*(\d*)-(\d*)\s*$/.exec(m[1]!);
  if (!r || (r[1] === '' && r[2] === '')) return { kind: 'unsatisfiable' };
  if (r[1] === '') {
    const n = Number(r[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'one', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(r[1]);
  let end = r[2] === '' ? size - 1 : Number(r[2]);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  if (end >= size) end = size - 1;
  return { kind: 'one', start, end };
}

function content(req: HttpRequest, body: Buffer, modified: Date, ranges: boolean, gzipCache: Map<Buffer, Buffer>): HttpResponse {
  const headers: Record<string, string> = { 'content-type': 'application/jsonl', 'last-modified': modified.toUTCString(), vary: 'Accept-Encoding' };
  if (notModified(req, modified)) {
    delete headers['content-type'];
    return { status: 304, headers, body: Buffer.alloc(0) };
  }
  if (ranges) {
    headers['accept-ranges'] = 'bytes';
    const range = parseRange(header(req, 'range'), body.length);
    if (range.kind === 'unsatisfiable') {
      const r = textError(416, 'invalid range: failed to overlap');
      r.headers['content-range'] = `bytes */${body.length}`;
      return r;
    }
    if (range.kind === 'one') {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${body.length}`;
      return { status: 206, headers, body: body.subarray(range.start, range.end + 1) };
    }
  }
  if (body.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
    let zipped = gzipCache.get(body);
    if (!zipped) {
      zipped = gzipSync(body);
      // The whole catalog is asked for again and again; a metas answer rarely is.
      if (gzipCache.size < 16) gzipCache.set(body, zipped);
    }
    headers['content-encoding'] = 'gzip';
    delete headers['accept-ranges'];
    return { status: 200, headers, body: zipped };
  }
  return { status: 200, headers, body };
}

/** A handler over the served catalogs, keyed by name. */
export function createHttpHandler(catalogs: Map<string, CatalogQuery>): (req: HttpRequest) => HttpResponse {
  const gzipCache = new Map<Buffer, Buffer>();
  return (req) => {
    const url = new URL(req.url, 'http://catalogd.invalid');
    const m = /^\/catalogs\/([^/]+)\/(api\/v1\/all|all\.json|api\/v1\/metas)$/.exec(url.pathname);
    if (!m) return textError(404);
    const [, name, endpoint] = m as unknown as [string, string, string];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const r = textError(405);
      r.headers.allow = 'GET, HEAD';
      return r;
    }
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
      return textError(400, `catalog name ${JSON.stringify(name)} is invalid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
    }
    const catalog = catalogs.get(name);
    if (!catalog) return textError(404);
    if (endpoint !== 'api/v1/metas') return content(req, catalog.body, catalog.modified, true, gzipCache);
    const filter: MetaFilter = {};
    for (const [key, value] of url.searchParams) {
      if (!METAS_PARAMS.has(key)) return textError(400, `400 Bad Request: unknown query parameter ${JSON.stringify(key)}`);
      filter[key as keyof MetaFilter] = value;
    }
    return content(req, catalog.metas(filter), catalog.modified, false, gzipCache);
  };
}
