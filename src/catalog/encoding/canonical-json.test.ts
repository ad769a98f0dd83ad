// Golden and property tests for the canonical (Meta re-encode) JSON: key order at every level, Go escaping,
// numbers, HTML-escaped variant, and round trips over generated JSON values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonGoHtml, sortedKeys } from './canonical-json.js';
import { compareUtf8 } from './go-json-text.js';
import { indentJson } from './indent-json.js';

test('canonical/opm custom-schema blob (TestWriteJSON "custom.3")', () => {
  assert.equal(canonicalJson({ schema: 'custom.3', package: 'anakin', myField: 'foobar' }), '{"myField":"foobar","package":"anakin","schema":"custom.3"}');
});

test('canonical/golden cases', () => {
  const cases: [string, unknown, string][] = [
    ['nested objects sorted at every level', { b: { z: 1, a: [{ y: 2, x: 1 }] }, a: null }, '{"a":null,"b":{"a":[{"x":1,"y":2}],"z":1}}'],
    ['byte order: upper case before lower case', { b: 1, B: 2, a: 3, _: 4, '0': 5 }, '{"0":5,"B":2,"_":4,"a":3,"b":1}'],
    ['integer-like keys are strings to Go', { '10': 1, '9': 2, '1a': 3 }, '{"10":1,"1a":3,"9":2}'],
    ['astral keys after U+E000–U+FFFF (UTF-8 order)', { '😀': 1, '\uffff': 2, '\ue000': 3, é: 4 }, '{"é":4,"\ue000":3,"\uffff":2,"😀":1}'],
    ['lone-surrogate keys collapse to U+FFFD, last wins', { '\ud800': 1, '\udc00': 2, a: 0 }, '{"a":0,"\ufffd":2}'],
    ['empty containers', { o: {}, a: [], n: [[], [{}]] }, '{"a":[],"n":[[],[{}]],"o":{}}'],
    ['numbers as Go float64', [1.0, -0, 1e21, 1e20, 1e-7, 0.000001, 5e-324, 12345678901234567000], '[1,-0,1e+21,100000000000000000000,1e-7,0.000001,5e-324,12345678901234567000]'],
    ['U+2028 escaped, HTML raw', { s: 'a\u2028b<>&' }, '{"s":"a\\u2028b<>&"}'],
    ['undefined members left out', { a: undefined, b: 1 }, '{"b":1}'],
    ['only undefined members', { a: undefined }, '{}'],
    ['scalars', 'x', '"x"'],
    ['null', null, 'null'],
    ['booleans', [true, false], '[true,false]'],
    ['__proto__ is an ordinary key', JSON.parse('{"__proto__":1,"a":2}'), '{"__proto__":1,"a":2}'],
  ];
  for (const [name, value, want] of cases) assert.equal(canonicalJson(value), want, name);
});

test('canonical/HTML variant for olm.bundle.object data', () => {
  const manifest = { metadata: { annotations: { 'olm.skipRange': '<0.1.0' } }, kind: 'ClusterServiceVersion' };
  assert.equal(canonicalJsonGoHtml(manifest), '{"kind":"ClusterServiceVersion","metadata":{"annotations":{"olm.skipRange":"\\u003c0.1.0"}}}');
  assert.equal(canonicalJsonGoHtml({ '<k>': 'a&b' }), '{"\\u003ck\\u003e":"a\\u0026b"}');
  // The key cache must not leak one variant's quoting into the other.
  assert.equal(canonicalJson({ '<k>': 'a&b' }), '{"<k>":"a&b"}');
});

test('canonical/unsupported values throw', () => {
  for (const bad of [undefined, () => 1, Symbol('x'), 1n, NaN, Infinity, [undefined], [1, , 2]]) {
    assert.throws(() => canonicalJson(bad), { code: 'INTERNAL' }, String(bad));
  }
});

test('canonical/sortedKeys', () => {
  assert.deepEqual(
    sortedKeys({ b: 1, '😀': 2, '\uffff': 3, x: undefined }).map((e) => e.name),
    ['b', '\uffff', '😀'],
  );
});

const jsonValues = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 });

test('canonical/property: JSON.parse(canonicalJson(v)) deep-equals v', () => {
  fc.assert(
    fc.property(jsonValues, (v) => {
      assert.deepStrictEqual(JSON.parse(canonicalJson(v)), v);
      assert.deepStrictEqual(JSON.parse(canonicalJsonGoHtml(v)), v);
    }),
    { numRuns: 300 },
  );
});

// Keys that JS would not move to the front (integer-like keys are ordered numerically by JS objects).
const key = fc.string({ unit: 'binary', maxLength: 6 }).map((s) => 'k' + s);
const leaf = fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
}));

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort(compareUtf8)) out[k] = sortDeep((v as Record<string, unknown>)[k]);
  return out;
}

test('canonical/property: indentJson(canonicalJson(v), 0) is Go-style JSON.stringify(sorted, null, 4)', () => {
  fc.assert(
    fc.property(tree, (v) => {
      // JSON.stringify writes -0 as 0 and leaves U+2028/U+2029 raw; Go does neither.
      const expected = JSON.stringify(sortDeep(v), (_k, x: unknown) => (Object.is(x, -0) ? '\u0000NEGZERO' : x), 4)
        .replaceAll('"\\u0000NEGZERO"', '-0')
        .replaceAll('\u2028', '\\u2028')
        .replaceAll('\u2029', '\\u2029');
      assert.equal(indentJson(canonicalJson(v), 0), expected);
    }),
    { numRuns: 300 },
  );
});

test('canonical/property: key order does not depend on insertion order', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), fc.integer()), (d) => {
      const reversed = Object.fromEntries(Object.entries(d).reverse());
      assert.equal(canonicalJson(reversed), canonicalJson(d));
    }),
  );
});
