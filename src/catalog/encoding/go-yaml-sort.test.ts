// Table tests for go-yaml v2's map key order (sorter.go keyList.Less on strings): digit runs by value,
// non-letters before letters, prefixes first, and Less being a strict order on distinct keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareYamlKeys, lessYamlKey } from './go-yaml-sort.js';

test('sort/natural order of keys', () => {
  const cases: [string, string[], string[]][] = [
    ['digit runs by value', ['a10', 'a9', 'a2', 'a1', 'a01', 'a'], ['a', 'a1', 'a01', 'a2', 'a9', 'a10']],
    ['whole keys as numbers', ['10', '9', '100', '007', '7'], ['7', '007', '9', '10', '100']],
    ['non-letters before letters', ['b', 'B', '_x', '1', 'a-b', 'ab', 'a.b'], ['_x', '1', 'B', 'a-b', 'a.b', 'ab', 'b']],
    ['letters by code point', ['é', 'z', 'Z', 'a'], ['Z', 'a', 'z', 'é']],
    ['a non-letter symbol sorts before digits it beats as 0', ['1', '€', '_'], ['_', '€', '1']],
    ['prefixes first', ['abc', 'ab', 'a', ''], ['', 'a', 'ab', 'abc']],
    ['opm keys', ['schema', 'relatedImages', 'properties', 'package', 'name', 'image'], ['image', 'name', 'package', 'properties', 'relatedImages', 'schema']],
    ['upper case letters before lower case', ['packageName', 'package', 'Package'], ['Package', 'package', 'packageName']],
    ['zero after a non-zero digit counts', ['x1-', 'x10', 'x1'], ['x1', 'x1-', 'x10']],
    ['astral letters by code point', ['𝒜', 'a', 'é'], ['a', 'é', '𝒜']],
    ['non-ASCII digits are digits (value = code point − 48)', ['a٣', 'a3', 'a10'], ['a3', 'a10', 'a٣']],
  ];
  for (const [name, input, want] of cases) assert.deepEqual([...input].sort(compareYamlKeys), want, name);
});

test('sort/Less is a strict order on distinct keys', () => {
  const keys = ['', 'a', 'a1', 'a01', 'a001', '1', '01', '_', '-', '.', 'A', 'é', '😀', '10', '1a', 'x1-', 'x10', '99999999999999999999', '99999999999999999998'];
  for (const a of keys) {
    assert.equal(lessYamlKey(a, a), false, a);
    for (const b of keys) if (a !== b) assert.notEqual(lessYamlKey(a, b), lessYamlKey(b, a), `${a} / ${b}`);
  }
  assert.ok(lessYamlKey('99999999999999999998', '99999999999999999999'));
});
