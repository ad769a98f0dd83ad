// Splitting members into parts: every part within the limit (tar headers, padding, member list and end blocks
// counted), order kept, oversized members alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAR_END, planParts, tarEntrySize } from './plan-parts.js';

const index = (n: number) => 100 + n * 50;
const size = (part: { size: number }[]) => part.reduce((t, m) => t + tarEntrySize(m.size), 0) + TAR_END + tarEntrySize(index(part.length));

test('plan-parts/entry size: header plus content padded to 512', () => {
  assert.equal(tarEntrySize(0), 512);
  assert.equal(tarEntrySize(1), 1024);
  assert.equal(tarEntrySize(512), 1024);
  assert.equal(tarEntrySize(513), 1536);
});

test('plan-parts/every part fits, order is kept, nothing is lost', () => {
  const members = Array.from({ length: 40 }, (_, i) => ({ name: `m${i}`, size: (i * 7919) % 3000 }));
  const { parts, oversized } = planParts(members, 8192, index);
  assert.deepEqual(oversized, []);
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(size(p) <= 8192, `part of ${size(p)} bytes`);
  assert.deepEqual(parts.flat().map((m) => m.name), members.map((m) => m.name));
});

test('plan-parts/a member larger than the limit gets a part of its own', () => {
  const members = [{ name: 'a', size: 100 }, { name: 'big', size: 50_000 }, { name: 'b', size: 100 }];
  const { parts, oversized } = planParts(members, 8192, index);
  assert.deepEqual(oversized.map((m) => m.name), ['big']);
  assert.deepEqual(parts.map((p) => p.map((m) => m.name)), [['a'], ['big'], ['b']]);
});

test('plan-parts/no members still gives one part; a limit must be positive', () => {
  assert.deepEqual(planParts([], 8192, index).parts, [[]]);
  assert.throws(() => planParts([], 0, index));
});
