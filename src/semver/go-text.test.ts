// Table tests for go-text.ts: Go's %q quoting, strings.TrimSpace and the Atoi-based increment that
// blang's messages and wildcard expansion rely on. Expected strings are Go's own output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incrementGoInt, quoteGoString, trimGoSpace } from './go-text.js';

const quotes: [name: string, input: string, want: string][] = [
  ['plain', 'abc', '"abc"'],
  ['empty', '', '""'],
  ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
  ['named escapes', '\u0007\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
  ['other controls as \\x', '\u0000\u001f\u007f', '"\\x00\\x1f\\x7f"'],
  ['printable non-ASCII kept', 'éß٣😀', '"éß٣😀"'],
  ['C1 control as \\u', '\u0085', '"\\u0085"'],
  ['NBSP is not printable', '\u00a0', '"\\u00a0"'],
  ['format characters', '\u200b\ufeff', '"\\u200b\\ufeff"'],
  ['line separator', '\u2028', '"\\u2028"'],
  ['astral unassigned as \\U', '\u{e0001}', '"\\U000e0001"'],
  ['lone surrogate is U+FFFD', 'a\ud800b', '"a\ufffdb"'],
];

for (const [name, input, want] of quotes) {
  test(`go-text/quote/${name}`, () => assert.equal(quoteGoString(input), want));
}

const trims: [name: string, input: string, want: string][] = [
  ['ASCII', ' \t\n\v\f\r x \r\n', 'x'],
  ['NEL and NBSP', '\u0085\u00a0x\u00a0', 'x'],
  ['unicode spaces', '\u2000\u3000x\u202f\u205f', 'x'],
  ['BOM kept', '\ufeffx', '\ufeffx'],
  ['zero width space kept', '\u200bx', '\u200bx'],
  ['inner kept', ' a b ', 'a b'],
];

for (const [name, input, want] of trims) {
  test(`go-text/trim/${name}`, () => assert.equal(trimGoSpace(input), want));
}

const increments: [name: string, input: string, want: string | undefined][] = [
  ['simple', '1', '2'],
  ['leading zeros', '007', '8'],
  ['plus sign', '+5', '6'],
  ['minus sign', '-2', '-1'],
  ['int64 max wraps', '9223372036854775807', '-9223372036854775808'],
  ['past int64', '9223372036854775808', undefined],
  ['empty', '', undefined],
  ['sign only', '-', undefined],
  ['letters', '1a', undefined],
  ['underscore', '1_0', undefined],
];

for (const [name, input, want] of increments) {
  test(`go-text/increment/${name}`, () => assert.equal(incrementGoInt(input), want));
}
