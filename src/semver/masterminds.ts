// Version constraints as Masterminds/semver v3 NewConstraint reads and Check evaluates them (OLM v1's
// ClusterExtension `version`), over gantry's Version. Messages are Masterminds' own text, on purpose.
//
// The grammar is Masterminds' regular expressions, ported as they are (JavaScript's backtracking picks the same
// leftmost-first matches as Go's regexp here): `||` separates alternatives, a comma or white space ANDs, operators
// `= != > < >= => <= =< ~ ~> ^` or none, wildcards `x X *` in any position, hyphen ranges rewritten to `>= a, <= b`.
// A pre-release version never satisfies a comparison whose own version has no pre-release.

import { compareVersions, scanVersion, type Version } from './version.js';
import { SemverError } from './semver-error.js';

/** A compiled constraint: true when the version satisfies it. */
export type VersionConstraint = (v: Version) => boolean;

// Character classes keep Masterminds' literal `|` (`[0-9|x|X|\*]`): a quirk, kept so the same strings parse.
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` + String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` + String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const ONE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const HYPHEN = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

interface Comparison {
  op: string;
  /** The version text as written (Masterminds `orig`), used in messages. */
  orig: string;
  con: Version;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

/** True when the text holds a hyphen range (`1.2 - 1.4`): Masterminds accepts it, the ClusterExtension CRD does not. */
export function hasHyphenRange(s: string): boolean {
  HYPHEN.lastIndex = 0;
  return HYPHEN.test(s);
}

/** Masterminds `NewConstraint` + `Check`. Throws SemverError (SEMVER_CONSTRAINT_INVALID) with Masterminds' message. */
export function parseConstraint(s: string): VersionConstraint {
  const alternatives: Comparison[][] = [];
  for (const part of rewriteHyphenRanges(s).split('||')) {
    if (!VALID.test(part)) throw new SemverError('SEMVER_CONSTRAINT_INVALID', `improper constraint: ${part}`, s);
    const found = part.match(FIND) ?? [part];
    alternatives.push(found.map((text) => parseComparison(text, s)));
  }
  return (v) => alternatives.some((group) => group.every((c) => checkComparison(v, c)));
}

function rewriteHyphenRanges(s: string): string {
  let out = s;
  for (const m of s.matchAll(HYPHEN)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]}`);
  return out;
}

const isX = (t: string | undefined) => t === 'x' || t === 'X' || t === '*';

function parseComparison(text: string, input: string): Comparison {
  const m = ONE.exec(text);
  if (!m) throw new SemverError('SEMVER_CONSTRAINT_INVALID', `improper constraint: ${text}`, input);
  const [, op = '', orig = '', major = '', minorPart = '', patchPart = '', pre = ''] = m;
  let text2 = orig.startsWith('v') ? orig.slice(1) : orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    text2 = `0.0.0${pre}`;
    dirty = true;
  } else if (minorPart === '' || isX(minorPart.slice(1))) {
    text2 = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (patchPart === '' || isX(patchPart.slice(1))) {
    text2 = `${major}${minorPart}.0${pre}`;
    dirty = patchDirty = true;
  }
  const con = parseLooseVersion(text2);
  // Masterminds' own comment: the regular expression should catch every error before this one.
  if (!con) throw new SemverError('SEMVER_CONSTRAINT_INVALID', 'constraint Parser Error', input);
  return { op, orig, con, dirty, minorDirty, patchDirty };
}

/** Masterminds `NewVersion` accepts leading zeroes in the numbers (ParseUint does); blang's scanner does not. */
function parseLooseVersion(s: string): Version | undefined {
  const cut = s.search(/[-+]/);
  const core = cut === -1 ? s : s.slice(0, cut);
  const parts = core.split('.').map((p) => (/^0+\d/.test(p) ? p.replace(/^0+/, '') : p));
  const v = scanVersion(parts.join('.') + (cut === -1 ? '' : s.slice(cut)));
  return typeof v === 'string' ? undefined : v;
}

function checkComparison(v: Version, c: Comparison): boolean {
  const preExcluded = v.pre.length > 0 && c.con.pre.length === 0;
  switch (c.op) {
    case '!=':
      return checkNotEqual(v, c);
    case '>':
      return !preExcluded && checkGreater(v, c);
    case '<':
      return !preExcluded && compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      return !preExcluded && compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      return !preExcluded && checkLessOrEqual(v, c);
    case '~':
    case '~>':
      return !preExcluded && checkTilde(v, c);
    case '^':
      return !preExcluded && checkCaret(v, c);
    default:
      // '' and '=': a wildcard makes it a tilde, otherwise an exact match (build metadata ignored).
      if (preExcluded) return false;
      return c.dirty ? checkTilde(v, c) : compareVersions(v, c.con) === 0;
  }
}

function checkNotEqual(v: Version, c: Comparison): boolean {
  if (c.dirty) {
    if (v.pre.length > 0 && c.con.pre.length === 0) return false;
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre.length > 0 || c.con.pre.length > 0) return compareVersions({ ...v, pre: v.pre }, { ...v, pre: c.con.pre }) !== 0;
      return false;
    }
  }
  return compareVersions(v, c.con) !== 0;
}

function checkGreater(v: Version, c: Comparison): boolean {
  if (!c.dirty) return compareVersions(v, c.con) > 0;
  if (v.major > c.con.major) return true;
  if (v.major < c.con.major || c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.con.minor;
  return compareVersions(v, c.con) > 0;
}

function checkLessOrEqual(v: Version, c: Comparison): boolean {
  if (!c.dirty) return compareVersions(v, c.con) <= 0;
  if (v.major > c.con.major) return false;
  return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
}

function checkTilde(v: Version, c: Comparison): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  // ~0.0.0 is any version.
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return v.minor === c.con.minor || c.minorDirty;
}

function checkCaret(v: Version, c: Comparison): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major > 0 || c.minorDirty) return v.major === c.con.major;
  if (v.major > 0) return false;
  if (c.con.minor > 0 || c.patchDirty) return v.minor === c.con.minor;
  if (v.minor > 0) return false;
  return v.patch === c.con.patch;
}
