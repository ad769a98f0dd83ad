// Version ranges exactly as blang/semver v4 ParseRange reads them (`olm.skipRange`, `olm.package.required`
// versionRange), compiled once into a test function. Quirks and messages are blang's, on purpose.
//
// Grammar, as blang implements it: tokens split on ' ' (but not after '>', '<' or '='; one-byte tokens are
// dropped), `||` separates alternatives, tokens in an alternative are ANDed; a token is an operator
// (`<`, `<=`, `>`, `>=`, `=`, `==`, none, `!`, `!=`) and a strict version; a token containing 'x' is first
// rewritten as a wildcard (`1.2.x` → `>=1.2.0 <1.3.0`). No `~`, `^`, commas or hyphen ranges.

import { incrementGoInt, isLongerThanOneByte, quoteGoString, trimGoSpace } from './go-text.js';
import { SemverError } from './semver-error.js';
import { compareVersions, scanVersion, type Version } from './version.js';

/** A parsed range: true when the version satisfies it. */
export type VersionRange = (v: Version) => boolean;

/**
 * blang `ParseRange`. Throws SemverError (code SEMVER_RANGE_INVALID) with blang's exact message. Pre-releases
 * compare by plain precedence (`<1.0.0` admits 1.0.0-rc.1; `<1.0.0-0` is the idiom that excludes them).
 */
export function parseRange(s: string): VersionRange {
  const fail = (message: string): never => {
    throw new SemverError('SEMVER_RANGE_INVALID', message, s);
  };
  const groups = splitAlternatives(splitTokens(s));
  if (typeof groups === 'string') return fail(groups);
  // blang expands every wildcard in the whole range before it parses any comparator, so a wildcard
  // error wins over an earlier token's comparator or version error.
  const expanded = expandWildcards(groups);
  if (typeof expanded === 'string') return fail(expanded);

  const alternatives: (VersionRange | null)[] = [];
  for (const group of expanded) {
    const tests: VersionRange[] = [];
    for (const token of group) {
      const test = compileComparison(token);
      if (typeof test === 'string') return fail(test);
      tests.push(test);
    }
    alternatives.push(tests.length === 0 ? null : joinAll(tests));
  }
  return joinAny(alternatives, s);
}

/** blang splitAndTrim. */
function splitTokens(s: string): string[] {
  const tokens: string[] = [];
  let last = 0;
  let lastChar = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      // A space right after an operator character belongs to the token (`>= 1.0.0`).
      if (lastChar === 0x3e || lastChar === 0x3c || lastChar === 0x3d) continue;
      // Go keeps s[last:i] only when it is at least two bytes long: `!`, `-`, `*` or `|` alone vanish.
      const token = s.slice(last, i);
      if (isLongerThanOneByte(token)) tokens.push(token);
      last = i + 1;
    } else {
      lastChar = c;
    }
  }
  const tail = s.slice(last);
  if (isLongerThanOneByte(tail)) tokens.push(tail);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.includes(' ')) tokens[i] = t.replaceAll(' ', '');
  }
  return tokens;
}

/** blang splitORParts; an empty alternative (`a || || b`) is kept, as blang keeps it. */
function splitAlternatives(tokens: string[]): string[][] | string {
  const groups: string[][] = [];
  let last = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== '||') continue;
    if (i === 0) return "First element in range is '||'";
    groups.push(tokens.slice(last, i));
    last = i + 1;
  }
  // Also what an empty (or all-dropped) range reports: no tokens means last === 0 === length.
  if (last === tokens.length) return "Last element in range is '||'";
  groups.push(tokens.slice(last));
  return groups;
}

/** blang splitComparatorVersion: the operator is everything before the first Unicode digit. */
function splitOperator(token: string): [op: string, version: string] | string {
  const i = token.search(UNICODE_DIGIT);
  if (i === -1) return `Could not get version from string: ${quoteGoString(token)}`;
  return [trimGoSpace(token.slice(0, i)), token.slice(i)];
}

// Go's unicode.IsDigit is category Nd, not only ASCII.
const UNICODE_DIGIT = /\p{Nd}/u;

/** blang expandWildcardVersion: rewrites every token that contains a lowercase 'x'. */
function expandWildcards(groups: string[][]): string[][] | string {
  const out: string[][] = [];
  for (const group of groups) {
    const tokens: string[] = [];
    for (const token of group) {
      if (!token.includes('x')) {
        tokens.push(token);
        continue;
      }
      const split = splitOperator(token);
      if (typeof split === 'string') return split;
      const [op, version] = split;
      const flat = flattenWildcard(version);
      let resultOp: string;
      let increment = false;
      switch (op) {
        case '>':
          resultOp = '>=';
          increment = true;
          break;
        case '>=':
          resultOp = '>=';
          break;
        case '<':
          resultOp = '<';
          break;
        case '<=':
          resultOp = '<';
          increment = true;
          break;
        case '':
        case '=':
        case '==':
          tokens.push('>=' + flat);
          resultOp = '<';
          increment = true;
          break;
        case '!=':
        case '!':
          tokens.push('<' + flat);
          resultOp = '>=';
          increment = true;
          break;
        default:
          // blang has no default case: any other operator (`~`, `^`, …) is dropped and the token
          // becomes an exact match on the flattened version.
          resultOp = '';
      }
      // A failed increment (no trailing `.x` wildcard, or a part Atoi rejects) leaves the operator
      // alone, which then fails as `Could not get version from string: "<"`.
      const resultVersion = increment ? (incrementWildcard(version, flat) ?? '') : flat;
      tokens.push(resultOp + resultVersion);
    }
    out.push(tokens);
  }
  return out;
}

/** blang createVersionFromWildcard: `1.2.x` → `1.2.0`, `1.x` and `1.x.x` → `1.0.0`. */
function flattenWildcard(version: string): string {
  // JS replace with a string pattern replaces the first match, like Go's strings.Replace(…, 1).
  const flat = version.replace('.x.x', '.x').replace('.x', '.0');
  return flat.split('.').length === 2 ? flat + '.0' : flat;
}

/**
 * blang getWildcardType + incrementMinorVersion / incrementMajorVersion. The wildcard kind is read from
 * the token's part count, so `1.x.x` counts as a patch wildcard: `<=1.x.x` means `<1.1.0` in blang.
 */
function incrementWildcard(version: string, flat: string): string | undefined {
  const parts = version.split('.');
  if (parts[parts.length - 1] !== 'x') return undefined;
  const index = parts.length === 3 ? 1 : parts.length === 2 ? 0 : -1;
  if (index === -1) return undefined;
  const flatParts = flat.split('.');
  const next = incrementGoInt(flatParts[index]!);
  if (next === undefined) return undefined;
  flatParts[index] = next;
  return flatParts.join('.');
}

/** blang buildVersionRange wrapped as ParseRange wraps it; a test function or the error message. */
function compileComparison(token: string): VersionRange | string {
  const split = splitOperator(token);
  if (typeof split === 'string') return split;
  const [op, text] = split;
  const prefix = `Could not parse Range ${quoteGoString(token)}: `;
  if (!OPERATORS.has(op)) {
    return `${prefix}Could not parse comparator ${quoteGoString(op)} in ${quoteGoString(op + text)}`;
  }
  const bound = scanVersion(text);
  if (typeof bound === 'string') {
    return `${prefix}Could not parse version ${quoteGoString(text)} in ${quoteGoString(op + text)}: ${bound}`;
  }
  switch (op) {
    case '>':
      return (v) => compareVersions(v, bound) > 0;
    case '>=':
      return (v) => compareVersions(v, bound) >= 0;
    case '<':
      return (v) => compareVersions(v, bound) < 0;
    case '<=':
      return (v) => compareVersions(v, bound) <= 0;
    case '!':
    case '!=':
      return (v) => compareVersions(v, bound) !== 0;
    default:
      return (v) => compareVersions(v, bound) === 0;
  }
}

const OPERATORS: ReadonlySet<string> = new Set(['', '=', '==', '>', '>=', '<', '<=', '!', '!=']);

function joinAll(tests: VersionRange[]): VersionRange {
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [VersionRange, VersionRange];
    return (v) => a(v) && b(v);
  }
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(v)) return false;
    return true;
  };
}

/**
 * ORs the alternatives left to right. An empty alternative is a nil Range in blang; Go panics when
 * evaluation reaches it (every alternative before it was false), and so does this, with SEMVER_RANGE_PANIC.
 */
function joinAny(alternatives: (VersionRange | null)[], input: string): VersionRange {
  if (alternatives.length === 1 && alternatives[0]) return alternatives[0];
  if (alternatives.length === 2 && alternatives[0] && alternatives[1]) {
    const [a, b] = alternatives as [VersionRange, VersionRange];
    return (v) => a(v) || b(v);
  }
  return (v) => {
    for (let i = 0; i < alternatives.length; i++) {
      const alt = alternatives[i];
      if (!alt) {
        throw new SemverError(
          'SEMVER_RANGE_PANIC',
          `range ${quoteGoString(input)} has an empty alternative between '||' operators; blang/semver accepts it but panics (nil Range) when it is evaluated`,
          input,
        );
      }
      if (alt(v)) return true;
    }
    return false;
  };
}
