// Table tests for Go's JSON scalars: string escaping (plain and HTML), float64 formatting, UTF-8 order.
// Expected values are Go's outputs as described in the reference (§1.1, §1.5, §9) and Go's encode.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareUtf8, formatGoFloat, quoteGoString, toWellFormed } from './go-json-text.js';

test('quote/escapes like Go with SetEscapeHTML(false)', () => {
  const cases: [string, string, string][] = [
    ['plain', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['short escapes (Go ≥ 1.22 writes \\b and \\f)', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['other controls lowercase \\u00xx', '\u0000\u0001\u001f', '"\\u0000\\u0001\\u001f"'],
    ['DEL and C1 stay raw', '\u007f\u0085', '"\u007f\u0085"'],
    ['U+2028/U+2029 always escaped', 'a\u2028b\u2029c', '"a\\u2028b\\u2029c"'],
    ['HTML characters raw', '<a href="x">&</a>', '"<a href=\\"x\\">&</a>"'],
    ['slash not escaped', 'a/b', '"a/b"'],
    ['astral characters raw', '😀𝄞', '"😀𝄞"'],
    ['lone high surrogate → U+FFFD', 'a\ud800b', '"a\ufffdb"'],
    ['lone low surrogate → U+FFFD', '\udc00', '"\ufffd"'],
    ['reversed pair → two U+FFFD', '\udc00\ud800', '"\ufffd\ufffd"'],
    ['U+FFFD itself raw', '\ufffd', '"\ufffd"'],
  ];
  for (const [name, input, want] of cases) assert.equal(quoteGoString(input), want, name);
});

test('quote/HTML escaping like json.Marshal', () => {
  assert.equal(quoteGoString('<a>&amp;</a>', true), '"\\u003ca\\u003e\\u0026amp;\\u003c/a\\u003e"');
  assert.equal(quoteGoString('x\u2028<', true), '"x\\u2028\\u003c"');
  assert.equal(quoteGoString('\ud800<', true), '"\ufffd\\u003c"');
  assert.equal(quoteGoString('abc', true), '"abc"');
});

test('float/Go float64 formatting', () => {
  const cases: [string, number, string][] = [
    ['zero', 0, '0'],
    ['negative zero keeps its sign in Go', -0, '-0'],
    ['integer', 42, '42'],
    ['1.0 becomes 1', 1.0, '1'],
    ['fraction', 1.5, '1.5'],
    ['1e20 fixed', 1e20, '100000000000000000000'],
    ['1e21 exponent', 1e21, '1e+21'],
    ['1e-6 fixed', 1e-6, '0.000001'],
    ['1e-7 exponent', 1e-7, '1e-7'],
    ['9.99e-7 exponent', 9.99e-7, '9.99e-7'],
    ['1.5e-7', 1.5e-7, '1.5e-7'],
    ['smallest subnormal', 5e-324, '5e-324'],
    ['largest double', Number.MAX_VALUE, '1.7976931348623157e+308'],
    ['integer beyond 2^53', 123456789012345678, '123456789012345680'],
    ['Go re-encode of 12345678901234567890', JSON.parse('12345678901234567890') as number, '12345678901234567000'],
    ['negative', -2.5, '-2.5'],
  ];
  for (const [name, n, want] of cases) assert.equal(formatGoFloat(n), want, name);
  assert.throws(() => formatGoFloat(NaN), { code: 'INTERNAL' });
  assert.throws(() => formatGoFloat(Infinity), { code: 'INTERNAL' });
});

test('order/byte-wise UTF-8, not UTF-16', () => {
  // UTF-16 puts U+1F600 (surrogates D83D DE00) before U+E000 and U+FFFF; UTF-8 (F0 9F…) puts it after.
  const keys = ['\uffff', '😀', '\ue000', 'z', 'a', '\ud7ff', 'é', ''];
  const sorted = [...keys].sort(compareUtf8);
  assert.deepEqual(sorted, ['', 'a', 'z', 'é', '\ud7ff', '\ue000', '\uffff', '😀']);
  assert.ok([...keys].sort()[5] === '😀', 'JS default order differs (this is why compareUtf8 exists)');
  assert.ok(compareUtf8('😀', '😁') < 0);
  assert.ok(compareUtf8('a😀', 'a\uffff') > 0);
  assert.ok(compareUtf8('ab', 'abc') < 0);
  assert.equal(compareUtf8('x', 'x'), 0);
});

test('toWellFormed/replaces only lone surrogates', () => {
  assert.equal(toWellFormed('😀\ud800x\udfff'), '😀\ufffdx\ufffd');
});
