// The pieces of Go's net/http that catalogd's answers are made of, as pure functions over strings: HTTP dates,
// RFC 7232 preconditions, Range parsing (http.ServeContent), ServeMux path cleaning, http.Error and http.Redirect.

/** Lower-case header names, as node:http gives them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Header.Get: the first value. */
export const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  416: 'Requested Range Not Satisfiable',
  500: 'Internal Server Error',
};

export const statusText = (status: number): string => STATUS_TEXT[status] ?? '';

/** http.Error: text/plain, nosniff, the message and a newline. */
export function goError(status: number, message: string): Answer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: Buffer.from(`${message}\n`) };
}

// ---- dates (http.ParseTime: TimeFormat, RFC 850, ANSI C; zones other than a numeric offset read as UTC) ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MON = `(${MONTHS.join('|')})`;
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MON} (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MON}-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) [A-Z]{3,5}$`);
const ANSIC = new RegExp(`^${DAY} ${MON} ( \\d|\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`);

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mi = MONTHS.indexOf(month);
  const t = Date.UTC(year, mi, day, h, m, s);
  const d = new Date(t);
  // Go refuses out-of-range fields (day 31 in April, hour 24) rather than rolling them over.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== mi || d.getUTCDate() !== day || h > 23 || m > 59 || s > 59) return undefined;
  return t;
}

/** Milliseconds since the epoch, or undefined when Go's http.ParseTime would fail. */
export function parseHttpDate(text: string): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850.exec(text);
  if (m) {
    const yy = Number(m[3]);
    return utc(yy >= 69 ? 1900 + yy : 2000 + yy, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ANSIC.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** Dates on the wire have whole seconds, so a modification time is compared at that precision (Go truncates). */
export const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

// ---- preconditions (RFC 7232 section 6, as net/http's checkPreconditions; the catalogs have no ETag) ----

type Cond = 'none' | 'true' | 'false';

const trim = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

/** scanETag: a syntactically valid (weak or strong) entity tag at the start of s, and the rest. */
function scanETag(s: string): { etag: string; rest: string } | undefined {
  s = trim(s);
  const start = s.startsWith('W/') ? 2 : 0;
  if (s.length - start < 2 || s[start] !== '"') return undefined;
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return { etag: s.slice(0, i + 1), rest: s.slice(i + 1) };
    if (!(c === 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80)) return undefined;
  }
  return undefined;
}

/** If-Match and If-None-Match lists: '*' is the only thing that can match a resource without an ETag. */
function listHasStar(value: string): boolean | undefined {
  let buf = value;
  for (;;) {
    buf = trim(buf);
    if (buf.length === 0) return false;
    if (buf[0] === ',') {
      buf = buf.slice(1);
      continue;
    }
    if (buf[0] === '*') return true;
    const tag = scanETag(buf);
    if (!tag) return undefined;
    buf = tag.rest;
  }
}

function checkIfMatch(headers: RequestHeaders): Cond {
  const v = headerValue(headers, 'if-match');
  if (!v) return 'none';
  return listHasStar(v) ? 'true' : 'false';
}

function checkIfNoneMatch(headers: RequestHeaders): Cond {
  const v = headerValue(headers, 'if-none-match');
  if (!v) return 'none';
  return listHasStar(v) ? 'false' : 'true';
}

function checkDate(headers: RequestHeaders, name: string, modified: number, unmodifiedWins: Cond): Cond {
  const v = headerValue(headers, name);
  if (!v) return 'none';
  const t = parseHttpDate(v);
  if (t === undefined) return 'none';
  return wholeSeconds(modified) <= t ? unmodifiedWins : unmodifiedWins === 'true' ? 'false' : 'true';
}

export type PreconditionResult = { done: false; range: string | undefined } | { done: true; status: 304 | 412 };

/**
 * net/http's checkPreconditions for GET and HEAD, then If-Range: whether the request ends with 304 or 412, and
 * which Range header (if any) still applies. catalogd's metas handler runs its own copy, which ignores Range.
 */
export function checkPreconditions(headers: RequestHeaders, modified: number): PreconditionResult {
  let ch = checkIfMatch(headers);
  if (ch === 'none') ch = checkDate(headers, 'if-unmodified-since', modified, 'true');
  if (ch === 'false') return { done: true, status: 412 };
  const inm = checkIfNoneMatch(headers);
  if (inm === 'false') return { done: true, status: 304 };
  if (inm === 'none' && checkDate(headers, 'if-modified-since', modified, 'false') === 'false') return { done: true, status: 304 };
  let range = headerValue(headers, 'range');
  if (range && checkIfRange(headers, modified) === 'false') range = undefined;
  return { done: false, range: range || undefined };
}

/** If-Range: an entity tag never matches (no ETag here); a date matches the modification time to the second. */
function checkIfRange(headers: RequestHeaders, modified: number): Cond {
  const v = headerValue(headers, 'if-range');
  if (!v) return 'none';
  if (scanETag(v)) return 'false';
  const t = parseHttpDate(v);
  return t !== undefined && t === wholeSeconds(modified) ? 'true' : 'false';
}

// ---- Range (net/http parseRange) ----

export interface ByteRange {
  start: number;
  length: number;
}

export type RangeParse = { kind: 'ranges'; ranges: ByteRange[] } | { kind: 'invalid' } | { kind: 'no-overlap' };

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, within int64. */
function parseInt64(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

/** http.ServeContent's reading of a Range header against a body of `size` bytes; no header gives no ranges. */
export function parseRanges(value: string | undefined, size: number): RangeParse {
  if (!value) return { kind: 'ranges', ranges: [] };
  if (!value.startsWith('bytes=')) return { kind: 'invalid' };
  const ranges: ByteRange[] = [];
  let noOverlap = false;
  for (const part of value.slice('bytes='.length).split(',')) {
    const ra = trim(part);
    if (ra === '') continue;
    const dash = ra.indexOf('-');
    if (dash < 0) return { kind: 'invalid' };
    const startText = trim(ra.slice(0, dash));
    const endText = trim(ra.slice(dash + 1));
    if (startText === '') {
      // A suffix: the last N bytes.
      if (endText === '' || endText[0] === '-') return { kind: 'invalid' };
      let n = parseInt64(endText);
      if (n === undefined || n < 0) return { kind: 'invalid' };
      if (n > size) n = size;
      ranges.push({ start: size - n, length: n });
      continue;
    }
    const start = parseInt64(startText);
    if (start === undefined || start < 0) return { kind: 'invalid' };
    if (start >= size) {
      noOverlap = true;
      continue;
    }
    if (endText === '') {
      ranges.push({ start, length: size - start });
      continue;
    }
    let end = parseInt64(endText);
    if (end === undefined || start > end) return { kind: 'invalid' };
    if (end >= size) end = size - 1;
    ranges.push({ start, length: end - start + 1 });
  }
  if (noOverlap && ranges.length === 0) return { kind: 'no-overlap' };
  return { kind: 'ranges', ranges };
}

export const contentRange = (r: ByteRange, size: number): string => `bytes ${r.start}-${r.start + r.length - 1}/${size}`;

/** mime/multipart as ServeContent writes several ranges: each part's headers sorted, CRLF framing. */
export function multipartByteranges(body: Buffer, ranges: ByteRange[], contentType: string, boundary: string): Buffer {
  const chunks: Buffer[] = [];
  ranges.forEach((r, i) => {
    chunks.push(Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Range: ${contentRange(r, body.length)}\r\nContent-Type: ${contentType}\r\n\r\n`));
    chunks.push(body.subarray(r.start, r.start + r.length));
  });
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

// ---- ServeMux path handling ----

/** path.Clean for an absolute path, keeping a trailing slash as ServeMux's cleanPath does. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  if (p[0] !== '/') p = `/${p}`;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let np = `/${out.join('/')}`;
  if (p.endsWith('/') && np !== '/') np += '/';
  return np;
}

/**
 * url.URL{Path: p}.String(): Go escapes the already escaped path again ('%' → '%25'). `p` holds the request
 * target's raw bytes one character each (node:http decodes it as latin1).
 */
export function escapePath(p: string): string {
  return [...Buffer.from(p, 'latin1')].map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-_.~$&+,/:;=@!*'()]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

const htmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

/** http.Redirect with 301: HTML body for GET only, Content-Type for GET and HEAD; bytes ≥ 0x80 hex-escaped. */
export function goRedirect(method: string, target: string): Answer {
  const location = target.replace(/[\u0080-\u00ff]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  const headers: Record<string, string> = { location };
  if (method === 'GET' || method === 'HEAD') headers['content-type'] = 'text/html; charset=utf-8';
  const body = method === 'GET' ? Buffer.from(`<a href="${htmlEscape(location)}">${statusText(301)}</a>.\n\n`) : Buffer.alloc(0);
  return { status: 301, headers, body };
}

/** url.PathUnescape of one segment: undefined for a malformed escape (Go's server rejects the request line). */
export function unescapeSegment(seg: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(seg)) return undefined;
  try {
    return decodeURIComponent(seg);
  } catch {
    // Valid escapes of bytes that are not UTF-8: Go keeps the bytes; no catalog name can hold them anyway.
    return seg.replace(/%[0-9a-fA-F]{2}/g, '\uFFFD');
  }
}

/** url.QueryUnescape: '+' is a space; a malformed escape makes the pair unusable. */
function queryUnescape(s: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus.replace(/%[0-9a-fA-F]{2}/g, '\uFFFD');
  }
}

/**
 * url.ParseQuery as r.URL.Query() uses it: pairs split on '&' only; a pair holding ';' or a malformed escape is
 * dropped (Go reports the error, and Query() ignores it), so it neither filters nor counts as a parameter.
 */
export function parseGoQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined) continue;
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

// ---- k8s.io/apimachinery validation.IsDNS1123Subdomain (v0.36), the messages catalogd puts in its 400 ----

const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(`${DNS1123_SUBDOMAIN_MSG} (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN_FMT}')`);
  return errs;
}
