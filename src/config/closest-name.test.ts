// Table tests for the typo helper behind "did you mean …?" hints on unknown fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findClosestName, measureEditDistance } from './closest-name.js';

const known = ['minVersion', 'maxVersion', 'minBundle', 'name', 'channels', 'defaultChannel'];
const cases: { name: string; input: string; want: string | undefined }[] = [
  { name: 'transposition', input: 'minVerison', want: 'minVersion' },
  { name: 'case only', input: 'maxversion', want: 'maxVersion' },
  { name: 'missing letter', input: 'chanels', want: 'channels' },
  { name: 'too far', input: 'catalog', want: undefined },
  { name: 'short name, one edit', input: 'nme', want: 'name' },
];
for (const c of cases) {
  test(`closest-name/${c.name}`, () => assert.equal(findClosestName(c.input, known), c.want));
}
test('closest-name/distance counts a swap as one edit', () => {
  assert.equal(measureEditDistance('ab', 'ba'), 1);
  assert.equal(measureEditDistance('', 'abc'), 3);
});
