// Go standard-library text behaviour that blang/semver's messages and parsing depend on:
// strconv.Quote (the %q verb), strings.TrimSpace's notion of space, and strconv.Atoi's accepted syntax.

// Go's strconv.IsPrint: categories L, M, N, P, S, plus the ASCII space (handled on the ASCII path).
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const HEX = '0123456789abcdef';

/**
 * Quotes `s` exactly as Go's `%q` (strconv.Quote) does. A lone UTF-16 surrogate is quoted as U+FFFD,
 * which is what Go holds after decoding the same JSON or YAML text.
 */
export function quoteGoString(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out += escapeAscii(c);
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      cp = 0xfffd;
    }
    const ch = String.fromCodePoint(cp);
    if (GO_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x10000) out += '\\u' + hexDigits(cp, 4);
    else out += '\\U' + hexDigits(cp, 8);
  }
  return out + '"';
}

function escapeAscii(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (c < 0x20 || c === 0x7f) return '\\x' + hexDigits(c, 2);
  return String.fromCharCode(c);
}

function hexDigits(n: number, width: number): string {
  let out = '';
  for (let shift = (width - 1) * 4; shift >= 0; shift -= 4) out += HEX[(n >>> shift) & 0xf];
  return out;
}

/** Go's unicode.IsSpace for one UTF-16 code unit (every Go space is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Go's strings.TrimSpace. Unlike String.prototype.trim it keeps U+FEFF and removes U+0085. */
export function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Whether `s` is longer than one byte in UTF-8 (Go measures strings in bytes; a lone surrogate is U+FFFD). */
export function isLongerThanOneByte(s: string): boolean {
  return s.length > 1 || (s.length === 1 && s.charCodeAt(0) >= 0x80);
}

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;
const ATOI_SYNTAX = /^[+-]?[0-9]+$/;

/**
 * strconv.Itoa(strconv.Atoi(s) + 1) on a 64-bit platform, with int64 wrap-around; undefined where Atoi
 * fails (bad syntax or out of int64 range). blang's wildcard expansion increments version parts this way.
 */
export function incrementGoInt(s: string): string | undefined {
  if (!ATOI_SYNTAX.test(s)) return undefined;
  const n = BigInt(s);
  if (n > MAX_INT64 || n < MIN_INT64) return undefined;
  return n === MAX_INT64 ? MIN_INT64.toString() : (n + 1n).toString();
}
