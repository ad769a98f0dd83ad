// The scalar pieces of Go's encoding/json output: how a string is quoted and escaped, how a float64 is
// written, and Go's byte-wise (UTF-8) string order. Shared by the canonical, indented and YAML encoders.

import { byteOrder } from '../../order.js';
import { GantryError } from '../../errors.js';

/*
 * Strings. Go (encodeState.string, Go ≥ 1.22) writes `\"` `\\` `\b` `\f` `\n` `\r` `\t`, other controls below
 * U+0020 as `\u00xx` (lowercase hex), and always escapes U+2028 and U+2029, even with SetEscapeHTML(false).
 * With HTML escaping on (plain json.Marshal) it also writes `<` `>` `&` as `\u003c` `\u003e` `\u0026`.
 * JSON.stringify agrees on everything but U+2028/U+2029, HTML and lone surrogates, so those take a slow path.
 *
 * Lone surrogates: a JS string can hold one (JSON.parse of `"\ud800"`), a Go string cannot. Go's decoder turns
 * a lone `\ud800`-style escape (and any invalid UTF-8 byte) into U+FFFD and its encoder then writes that
 * character raw, so we replace each lone surrogate with a raw U+FFFD. (Go's *encoder* writes `\ufffd` as an
 * escape only for invalid UTF-8 bytes inside a Go string, which a decoded value never contains.)
 */
const SLOW_PLAIN = /[\u2028\u2029\ud800-\udfff]/u; // with /u, paired surrogates are one code point and do not match
const SLOW_HTML = /[<>&\u2028\u2029\ud800-\udfff]/u;
const LONE_SURROGATE = /[\ud800-\udfff]/gu;
const LINE_SEPARATORS = /[\u2028\u2029]/g;
const HTML_CHARS = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
};
const escapeOne = (c: string): string => ESCAPES[c]!;

/** Quotes `s` the way Go's encoding/json does; `escapeHtml` selects json.Marshal's default HTML escaping. */
export function quoteGoString(s: string, escapeHtml = false): string {
  if (!(escapeHtml ? SLOW_HTML : SLOW_PLAIN).test(s)) return JSON.stringify(s);
  const q = JSON.stringify(toWellFormed(s));
  return q.replace(escapeHtml ? HTML_CHARS : LINE_SEPARATORS, escapeOne);
}

/** Replaces every lone surrogate with U+FFFD, as a Go decode/encode round trip does. */
export function toWellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd');
}

const HAS_LONE_SURROGATE = /[\ud800-\udfff]/u;

/** True when `s` holds a lone surrogate (and so differs from its Go form). */
export function hasLoneSurrogate(s: string): boolean {
  return HAS_LONE_SURROGATE.test(s);
}

/**
 * A float64 the way Go's encoding/json writes it: shortest round-trip digits, exponent form only below 1e-6
 * or from 1e21 up (`1e-7`, `1e+21`). JS Number#toString uses the same digits and the same cut-offs; the one
 * difference is negative zero, which Go writes as `-0` (strconv keeps the sign) and JS as `0`.
 */
export function formatGoFloat(n: number): string {
  if (!Number.isFinite(n)) throw new GantryError('INTERNAL', `json: unsupported value: ${n}`);
  if (n === 0 && Object.is(n, -0)) return '-0';
  return String(n);
}

/*
 * Go compares strings byte by byte (UTF-8); JS compares UTF-16 code units. The two orders agree except where a
 * surrogate (U+D800–U+DFFF, i.e. a character above U+FFFF) meets a code unit in U+E000–U+FFFF: in UTF-8 the
 * astral character sorts last, in UTF-16 first. Shifting the code units ≥ U+D800 fixes that.
 */
/** Byte-wise UTF-8 comparison of two well-formed strings (Go's `strings.Compare`); one rule, in src/order.ts. */
export const compareUtf8: (a: string, b: string) => number = byteOrder;

/** True when `s` has a code unit where UTF-16 and UTF-8 order can disagree (≥ U+D800). */
export function hasHighCodeUnit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/**
 * A string, number, boolean or null as Go's encoder writes it; undefined for arrays and objects, which the
 * caller lays out. Anything else (undefined, functions, bigint) is not JSON.
 */
export function writeGoScalar(v: unknown, escapeHtml = false): string | undefined {
  switch (typeof v) {
    case 'string':
      return quoteGoString(v, escapeHtml);
    case 'number':
      return formatGoFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return v === null ? 'null' : undefined;
    default:
      throw new GantryError('INTERNAL', `json: unsupported value of type ${typeof v}`);
  }
}
