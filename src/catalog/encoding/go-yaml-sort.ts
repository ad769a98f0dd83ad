// go-yaml v2's map key order (sorter.go keyList.Less) for string keys: a "natural" order in which runs of
// digits compare by value and letters sort after other characters. JSONToYAML output is sorted this way.

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return LETTER.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return DIGIT.test(String.fromCodePoint(c));
}

/*
 * Less(a, b), rune by rune from the first difference:
 *   - two letters (unicode.IsLetter): by code point; a letter against a non-letter: the non-letter first;
 *   - otherwise read the digit runs (unicode.IsDigit) starting there as int64 numbers (Go's overflow wraps,
 *     so long runs go through BigInt.asIntN) — when either side is '0' and a non-zero digit precedes in the
 *     common prefix, both numbers start from 1 (so zeros count) — smaller number first, then the shorter run,
 *     then the code point;
 *   - when one key is a prefix of the other, the shorter first.
 * The common prefix is the same code units in both strings, so one index walks both.
 */
export function lessYamlKey(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length;
  // A difference in the low half of a surrogate pair: start from the pair.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) i--;
  const x = a.codePointAt(i)!;
  const y = b.codePointAt(i)!;
  const al = isLetter(x);
  const bl = isLetter(y);
  if (al && bl) return x < y;
  if (al || bl) return bl;
  let start = 0;
  if (x === 0x30 || y === 0x30) {
    for (let j = i; j > 0; ) {
      const c = codePointBefore(a, j);
      if (!isDigit(c)) break;
      if (c !== 0x30) {
        start = 1;
        break;
      }
      j -= c > 0xffff ? 2 : 1;
    }
  }
  const [an, ai] = readNumber(a, i, start);
  const [bn, bi] = readNumber(b, i, start);
  if (an !== bn) return an < bn;
  if (ai !== bi) return ai < bi;
  return x < y;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function codePointBefore(s: string, end: number): number {
  const lo = s.charCodeAt(end - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && end >= 2 && isHighSurrogate(s.charCodeAt(end - 2))) return s.codePointAt(end - 2)!;
  return lo;
}

// Go: for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ { an = an*10 + int64(ar[ai]-'0') }
// Returns the value and the run's end counted in runes (only compared against the other side's end).
function readNumber(s: string, from: number, start: number): [number | bigint, number] {
  let v: number | bigint = start;
  let runes = from;
  for (let k = from; k < s.length; ) {
    const c = s.codePointAt(k)!;
    if (!isDigit(c)) break;
    const d = c - 0x30;
    if (typeof v === 'number' && v < 1e14 && d < 1e4) v = v * 10 + d;
    else v = BigInt.asIntN(64, BigInt(v) * 10n + BigInt(d));
    k += c > 0xffff ? 2 : 1;
    runes++;
  }
  return [typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v, runes];
}

/** Comparator for Array#sort giving go-yaml's key order. */
export function compareYamlKeys(a: string, b: string): number {
  // Less is a strict total order on distinct strings (it always decides at the first difference).
  return a === b ? 0 : lessYamlKey(a, b) ? -1 : 1;
}
