// Semantic versions exactly as blang/semver v4 parses, orders and prints them (opm's bundle `version`,
// `olm.package` property). Error messages are blang's own text: gantry reproduces opm's validation output.
//
// Numbers: blang holds major, minor, patch and numeric pre-release identifiers as uint64. Here they are a
// JS number up to Number.MAX_SAFE_INTEGER and a bigint above it (up to 2^64-1, like blang; beyond that
// the message is Go's `strconv.ParseUint: parsing "…": value out of range`). One value always has one
// representation, so `===` works, and `<`/`>` compare number and bigint exactly.

import { isLongerThanOneByte, quoteGoString, trimGoSpace } from './go-text.js';
import { SemverError } from './semver-error.js';

export type VersionNumber = number | bigint;

/** A string is an alphanumeric identifier; a number or bigint is a numeric one (they sort lower). */
export type PrereleaseIdentifier = string | number | bigint;

export interface Version {
  readonly major: VersionNumber;
  readonly minor: VersionNumber;
  readonly patch: VersionNumber;
  readonly pre: readonly PrereleaseIdentifier[];
  /** Build metadata: printed, never compared. */
  readonly build: readonly string[];
}

const NONE: readonly never[] = Object.freeze([]);
const MAX_UINT64 = 18446744073709551615n;
const OUT_OF_RANGE = -1;

/** blang `Parse`/`Make`: strict MAJOR.MINOR.PATCH[-pre][+build]. Throws SemverError with blang's message. */
export function parseVersion(s: string): Version {
  const v = scanVersion(s);
  if (typeof v === 'string') throw new SemverError('SEMVER_VERSION_INVALID', v, s);
  return v;
}

/** Like parseVersion, but undefined instead of an error (no exception is created on the way). */
export function tryParseVersion(s: string): Version | undefined {
  const v = scanVersion(s);
  return typeof v === 'string' ? undefined : v;
}

/**
 * blang `ParseTolerant`: trims Go white space, drops one leading `v`, strips leading zeroes from the first
 * three dot-separated parts and fills a missing minor or patch with 0, then parses strictly.
 */
export function parseVersionTolerant(s: string): Version {
  let t = trimGoSpace(s);
  if (t.charCodeAt(0) === 0x76 /* v */) t = t.slice(1);
  const parts = splitN3(t);
  for (let i = 0; i < parts.length; i++) {
    let p = parts[i]!;
    if (isLongerThanOneByte(p)) {
      let z = 0;
      while (z < p.length && p.charCodeAt(z) === 0x30) z++;
      p = p.slice(z);
      if (p.length === 0 || !isDigit(p.charCodeAt(0))) p = '0' + p;
      parts[i] = p;
    }
  }
  if (parts.length < 3) {
    const last = parts[parts.length - 1]!;
    if (last.includes('+') || last.includes('-')) {
      throw new SemverError('SEMVER_VERSION_INVALID', 'Short version cannot contain PreRelease/Build meta data', s);
    }
    while (parts.length < 3) parts.push('0');
  }
  const v = scanVersion(parts.join('.'));
  if (typeof v === 'string') throw new SemverError('SEMVER_VERSION_INVALID', v, s);
  return v;
}

/** blang `Version.Compare`: -1, 0 or 1 by semver precedence; build metadata is ignored. */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  // `<` and `>` rather than `!==`, so a hand-built version mixing 5 and 5n still compares by value.
  if (a.major < b.major) return -1;
  if (a.major > b.major) return 1;
  if (a.minor < b.minor) return -1;
  if (a.minor > b.minor) return 1;
  if (a.patch < b.patch) return -1;
  if (a.patch > b.patch) return 1;
  const ap = a.pre;
  const bp = b.pre;
  const al = ap.length;
  const bl = bp.length;
  // A release sorts above all of its pre-releases.
  if (al === 0) return bl === 0 ? 0 : 1;
  if (bl === 0) return -1;
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    const c = comparePrereleaseIdentifiers(ap[i]!, bp[i]!);
    if (c !== 0) return c;
  }
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** blang `PRVersion.Compare`: numeric below alphanumeric, numbers by value, strings bytewise. */
export function comparePrereleaseIdentifiers(a: PrereleaseIdentifier, b: PrereleaseIdentifier): -1 | 0 | 1 {
  if (typeof a === 'string') {
    if (typeof b !== 'string') return 1;
    // Identifiers are ASCII, so UTF-16 order is Go's byte order.
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof b === 'string') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** blang `Version.String`. For a strictly parsed version it returns the input unchanged. */
export function formatVersion(v: Version): string {
  let out = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre.length > 0) out += '-' + v.pre.join('.');
  if (v.build.length > 0) out += '+' + v.build.join('.');
  return out;
}

/**
 * The strict parser: a Version, or blang's error message for `s`. One pass over the string without
 * regular expressions; arrays are only allocated for versions that have a pre-release or build part.
 */
export function scanVersion(s: string): Version | string {
  const len = s.length;
  if (len === 0) return 'Version string empty';
  // strings.SplitN(s, ".", 3): the third part keeps any further dots.
  const d1 = s.indexOf('.');
  const d2 = d1 === -1 ? -1 : s.indexOf('.', d1 + 1);
  if (d2 === -1) return 'No Major.Minor.Patch elements found';

  const major = scanNumber(s, 0, d1, 'major', 'Major');
  if (typeof major === 'string') return major;
  const minor = scanNumber(s, d1 + 1, d2, 'minor', 'Minor');
  if (typeof minor === 'string') return minor;

  // blang cuts build metadata at the first '+', then the pre-release at the first '-' before it.
  const p0 = d2 + 1;
  const plus = s.indexOf('+', p0);
  const preEnd = plus === -1 ? len : plus;
  let minus = s.indexOf('-', p0);
  if (minus >= preEnd) minus = -1;
  const patch = scanNumber(s, p0, minus === -1 ? preEnd : minus, 'patch', 'Patch');
  if (typeof patch === 'string') return patch;

  let pre: readonly PrereleaseIdentifier[] = NONE;
  if (minus !== -1) {
    const ids: PrereleaseIdentifier[] = [];
    let start = minus + 1;
    for (;;) {
      let end = s.indexOf('.', start);
      if (end === -1 || end > preEnd) end = preEnd;
      const id = scanPrerelease(s, start, end);
      if (id === undefined) return prereleaseError(s, start, end);
      ids.push(id);
      if (end === preEnd) break;
      start = end + 1;
    }
    pre = ids;
  }

  let build: readonly string[] = NONE;
  if (plus !== -1) {
    const ids: string[] = [];
    let start = plus + 1;
    for (;;) {
      let end = s.indexOf('.', start);
      if (end === -1) end = len;
      if (start === end) return 'Build meta data is empty';
      if (!isAlphanumericRun(s, start, end)) {
        return `Invalid character(s) found in build meta data ${quoteGoString(s.slice(start, end))}`;
      }
      ids.push(s.slice(start, end));
      if (end === len) break;
      start = end + 1;
    }
    build = ids;
  }

  return { major, minor, patch, pre, build };
}

/** One of MAJOR, MINOR, PATCH in s[start, end), checked in blang's order; a message on failure. */
function scanNumber(s: string, start: number, end: number, lower: string, upper: string): VersionNumber | string {
  for (let i = start; i < end; i++) {
    if (!isDigit(s.charCodeAt(i))) {
      return `Invalid character(s) found in ${lower} number ${quoteGoString(s.slice(start, end))}`;
    }
  }
  if (end - start > 1 && s.charCodeAt(start) === 0x30) {
    return `${upper} number must not contain leading zeroes ${quoteGoString(s.slice(start, end))}`;
  }
  // An empty part passes both checks above (Go's containsOnly("") is true) and fails in strconv.
  if (start === end) return 'strconv.ParseUint: parsing "": invalid syntax';
  const n = readUint(s, start, end);
  if (n === OUT_OF_RANGE) return `strconv.ParseUint: parsing ${quoteGoString(s.slice(start, end))}: value out of range`;
  return n;
}

/** A valid pre-release identifier in s[start, end), or undefined (prereleaseError says why). */
function scanPrerelease(s: string, start: number, end: number): PrereleaseIdentifier | undefined {
  if (start === end) return undefined;
  let numeric = true;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) {
      if (!isAlphanumeric(c)) return undefined;
      numeric = false;
    }
  }
  if (!numeric) return s.slice(start, end);
  if (end - start > 1 && s.charCodeAt(start) === 0x30) return undefined;
  const n = readUint(s, start, end);
  return n === OUT_OF_RANGE ? undefined : n;
}

function prereleaseError(s: string, start: number, end: number): string {
  if (start === end) return 'Prerelease is empty';
  const id = s.slice(start, end);
  if (isDigitRun(s, start, end)) {
    if (end - start > 1 && s.charCodeAt(start) === 0x30) {
      return `Numeric PreRelease version must not contain leading zeroes ${quoteGoString(id)}`;
    }
    return `strconv.ParseUint: parsing ${quoteGoString(id)}: value out of range`;
  }
  return `Invalid character(s) found in prerelease ${quoteGoString(id)}`;
}

/** A non-empty run of ASCII digits as uint64, or OUT_OF_RANGE past 2^64-1 (Go's strconv.ParseUint). */
function readUint(s: string, start: number, end: number): VersionNumber {
  let n = 0;
  // Exact while the result stays a safe integer; anything larger still ends above MAX_SAFE_INTEGER.
  for (let i = start; i < end; i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
  if (n <= Number.MAX_SAFE_INTEGER) return n;
  const big = BigInt(s.slice(start, end));
  if (big > MAX_UINT64) return OUT_OF_RANGE;
  return big;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** blang's `alphanum` set: ASCII letters, digits and '-'. */
function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d;
}

function isDigitRun(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function isAlphanumericRun(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isAlphanumeric(s.charCodeAt(i))) return false;
  return true;
}

/** strings.SplitN(s, ".", 3). */
function splitN3(s: string): string[] {
  const d1 = s.indexOf('.');
  if (d1 === -1) return [s];
  const d2 = s.indexOf('.', d1 + 1);
  if (d2 === -1) return [s.slice(0, d1), s.slice(d1 + 1)];
  return [s.slice(0, d1), s.slice(d1 + 1, d2), s.slice(d2 + 1)];
}
