// Orders every module shares, at the lowest floor so that nothing imports catalog/ to sort: Go's byte-wise
// string order, which opm (and so every file gantry writes for it) sorts by.

/** A UTF-16 code unit's rank in UTF-8 byte order: surrogates (U+10000 and up) sort after U+E000–U+FFFF. */
function utf8Rank(c: number): number {
  return c < 0xd800 ? c : c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/** Go's string order (`strings.Compare`, byte-wise on UTF-8) of two well-formed strings; differs from localeCompare and from JS's default sort above U+D800. */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}
