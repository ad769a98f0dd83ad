// catalogd's HTTP API as a pure function: a request (method, URL, headers) in, a response description out —
// status, headers and body bytes — so routing, preconditions, Range and gzip unit-test without sockets.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CatalogQuery, MetaFilter } from './catalog-query.js';
import {
  checkPreconditions,
  cleanPath,
  contentRange,
  dns1123SubdomainErrors,
  escapePath,
  goError,
  goRedirect,
  headerValue,
  multipartByteranges,
  parseGoQuery,
  parseRanges,
  statusText,
  unescapeSegment,
  type Answer,
  type RequestHeaders,
} from './go-http.js';

export interface HttpRequest {
  method: string;
  /** The request target as sent, path and query ("/catalogs/x/api/v1/metas?schema=olm.package"). */
  url: string;
  /** Lower-case names, as node:http gives them. */
  headers: RequestHeaders;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Always the GET body (a view of the catalog's bytes, not a copy); the socket side leaves it out for HEAD. */
  body: Buffer;
  /**
   * Set when the headers say gzip but `body` is still the identity bytes: too large to compress on the event
   * loop, so the socket side compresses it while streaming (no Content-Length, as gzhttp sends it).
   */
  gzipWhileSending?: true;
}

export interface HttpHandlerOptions {
  /** Bodies compressed ahead of time (the whole catalogs), so asking for gzip costs no CPU per request. */
  gzipped?: ReadonlyMap<Buffer, Buffer>;
}

/** klauspost gzhttp's threshold as catalogd documents it: smaller bodies are not worth compressing. */
export const GZIP_MIN_BYTES = 1400;
/** Compressed metas answers kept for the next asker (a client polling one package asks the same again). */
const GZIP_CACHE_ENTRIES = 16;
/** Larger answers (a whole package, a whole schema) are compressed off the event loop while they are sent. */
export const GZIP_INLINE_MAX_BYTES = 256 * 1024;
const CONTENT_TYPE = 'application/jsonl';
const METAS_PARAMS = new Set(['schema', 'package', 'name']);

type Endpoint = 'all' | 'metas';

/** The route patterns catalogd registers under /catalogs/ (plus the pre-v0.34 all.json, still read by old clients). */
function route(segments: string[]): { catalog: string; endpoint: Endpoint } | undefined {
  if (segments[0] !== '' || segments[1] !== 'catalogs') return undefined;
  const tail = segments.slice(3).join('/');
  if (segments.length === 6 && (tail === 'api/v1/all' || tail === 'api/v1/metas')) return { catalog: segments[2]!, endpoint: tail === 'api/v1/all' ? 'all' : 'metas' };
  if (segments.length === 4 && tail === 'all.json') return { catalog: segments[2]!, endpoint: 'all' };
  return undefined;
}

function acceptsGzip(headers: RequestHeaders): boolean {
  return (headerValue(headers, 'accept-encoding') ?? '').split(',').some((p) => {
    const [coding, ...params] = p.trim().split(';').map((s) => s.trim());
    return coding === 'gzip' && !params.some((q) => /^q=0(\.0*)?$/.test(q));
  });
}

/** Go's server answer to a request line it cannot parse (here: a malformed %-escape in the path). */
const badRequestLine = (): Answer => ({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }, body: Buffer.from('400 Bad Request') });

/** A handler over the served catalogs, keyed by name. */
export function createHttpHandler(catalogs: Map<string, CatalogQuery>, opts: HttpHandlerOptions = {}): (req: HttpRequest) => HttpResponse {
  const gzipCache = new Map<string, Buffer>();

  /** gzhttp around the handler: compresses a whole (200, or multipart 206) body when asked and large enough. */
  const compress = (req: HttpRequest, r: Answer, cacheKey: string | undefined): HttpResponse => {
    if (!(r.status === 200 || (r.status === 206 && !r.headers['content-range'])) || r.body.length < GZIP_MIN_BYTES || !acceptsGzip(req.headers)) return r;
    let zipped = opts.gzipped?.get(r.body) ?? (cacheKey ? gzipCache.get(cacheKey) : undefined);
    if (!zipped && r.body.length > GZIP_INLINE_MAX_BYTES) {
      const headers: Record<string, string> = { ...r.headers, 'content-encoding': 'gzip' };
      delete headers['accept-ranges'];
      return { status: r.status, headers, body: r.body, gzipWhileSending: true };
    }
    if (!zipped) {
      zipped = gzipSync(r.body);
      if (cacheKey) {
        if (gzipCache.size >= GZIP_CACHE_ENTRIES) gzipCache.delete(gzipCache.keys().next().value!);
        gzipCache.set(cacheKey, zipped);
      }
    }
    const headers: Record<string, string> = { ...r.headers, 'content-encoding': 'gzip' };
    // gzhttp drops Accept-Ranges: offsets into a compressed stream that changes per request mean nothing.
    delete headers['accept-ranges'];
    return { status: r.status, headers, body: zipped };
  };

  /** http.ServeContent over the catalog's bytes: preconditions, If-Range, one or several ranges. */
  const serveContent = (req: HttpRequest, catalog: CatalogQuery): Answer => {
    const body = catalog.body;
    const modified = catalog.modified.getTime();
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE, 'last-modified': catalog.modified.toUTCString() };
    const pre = checkPreconditions(req.headers, modified);
    if (pre.done) return notModifiedOr412(pre.status, headers);
    const parsed = parseRanges(pre.range, body.length);
    if (parsed.kind === 'no-overlap' && body.length > 0) {
      const e = goError(416, 'invalid range: failed to overlap');
      e.headers['content-range'] = `bytes */${body.length}`;
      return e;
    }
    if (parsed.kind === 'invalid') return goError(416, 'invalid range');
    let ranges = parsed.kind === 'ranges' ? parsed.ranges : [];
    // Ranges adding up to more than the body are an attack or a confused client: Go answers with the whole body.
    if (ranges.reduce((n, r) => n + r.length, 0) > body.length) ranges = [];
    headers['accept-ranges'] = 'bytes';
    if (ranges.length === 1) {
      const r = ranges[0]!;
      headers['content-range'] = contentRange(r, body.length);
      return { status: 206, headers, body: body.subarray(r.start, r.start + r.length) };
    }
    if (ranges.length > 1) {
      const boundary = randomBytes(30).toString('hex');
      headers['content-type'] = `multipart/byteranges; boundary=${boundary}`;
      return { status: 206, headers, body: multipartByteranges(body, ranges, CONTENT_TYPE, boundary) };
    }
    return { status: 200, headers, body };
  };

  /** catalogd's metas handler: its own precondition check (no Range), then the index lookup. */
  const serveMetas = (req: HttpRequest, catalog: CatalogQuery, filter: MetaFilter): Answer => {
    const headers: Record<string, string> = { 'last-modified': catalog.modified.toUTCString() };
    const pre = checkPreconditions({ ...req.headers, range: undefined, 'if-range': undefined }, catalog.modified.getTime());
    if (pre.done) return notModifiedOr412(pre.status, headers);
    headers['content-type'] = CONTENT_TYPE;
    return { status: 200, headers, body: catalog.metas(filter) };
  };

  const handle = (req: HttpRequest): HttpResponse => {
    // net/http answers the server-wide `OPTIONS *` itself, before any handler.
    if (req.method === 'OPTIONS' && req.url === '*') return { status: 200, headers: {}, body: Buffer.alloc(0) };
    const q = req.url.indexOf('?');
    let path = q < 0 ? req.url : req.url.slice(0, q);
    const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
    // An absolute-form target (a proxy-style request line) names its path after the authority.
    if (!path.startsWith('/')) path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(path)?.[1] ?? '/';
    const cleaned = cleanPath(path);
    // ServeMux answers a non-canonical path (//, /./, /../) with a redirect to the cleaned one, never with content.
    if (cleaned !== path) return goRedirect(req.method, `${escapePath(cleaned)}${rawQuery ? `?${rawQuery}` : ''}`);
    const segments: string[] = [];
    for (const s of cleaned.split('/')) {
      const u = unescapeSegment(s);
      if (u === undefined) return badRequestLine();
      segments.push(u);
    }
    const m = route(segments);
    if (!m) return goError(404, '404 page not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return goError(405, statusText(405));
    const nameErrors = dns1123SubdomainErrors(m.catalog);
    if (nameErrors.length > 0) return goError(400, `invalid catalog name: ${nameErrors.join('; ')}`);
    if (m.endpoint === 'all') {
      const catalog = catalogs.get(m.catalog);
      if (!catalog) return goError(404, '404 Not Found');
      return compress(req, serveContent(req, catalog), undefined);
    }
    const params = parseGoQuery(rawQuery);
    for (const key of params.keys()) if (!METAS_PARAMS.has(key)) return goError(400, '400 Bad Request');
    const catalog = catalogs.get(m.catalog);
    if (!catalog) return goError(404, '404 Not Found');
    // url.Values.Get: the first value of each; an empty value filters nothing, as catalogd's index does.
    const filter: MetaFilter = {};
    for (const key of ['schema', 'package', 'name'] as const) {
      const v = params.get(key)?.[0];
      if (v) filter[key] = v;
    }
    const key = `${m.catalog}?${filter.schema ?? ''}&${filter.package ?? ''}&${filter.name ?? ''}`;
    return compress(req, serveMetas(req, catalog, filter), key);
  };

  // gzhttp adds Vary to every answer, compressed or not, so caches keep the two apart.
  return (req) => {
    const r: HttpResponse = handle(req);
    return { ...r, headers: { ...r.headers, vary: 'Accept-Encoding' } };
  };
}

/** writeNotModified drops the representation headers; a 412 keeps what the handler had set. */
function notModifiedOr412(status: 304 | 412, headers: Record<string, string>): Answer {
  if (status === 304) delete headers['content-type'];
  return { status, headers, body: Buffer.alloc(0) };
}
