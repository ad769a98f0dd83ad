import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tryParseVersion } from '../semver/index.js';
import type { ChannelEntry } from '../fbc/types.js';
import { chooseChannelHead, findHeads } from './channel-head.js';

// Bundle names carry their version after "v" (x.v1.2.0); "x.nover" has none that parses.
const versionOf = (name: string) => tryParseVersion(name.slice(name.indexOf('.v') + 2));

const cases: [string, ChannelEntry[], { head?: string; heads: string[] }][] = [
  ['single/one entry', [{ name: 'x.v1.0.0' }], { head: 'x.v1.0.0', heads: ['x.v1.0.0'] }],
  ['single/replaces chain, head last in the file', [{ name: 'x.v1.0.0' }, { name: 'x.v2.0.0', replaces: 'x.v1.0.0' }], { head: 'x.v2.0.0', heads: ['x.v2.0.0'] }],
  ['single/a skip removes a candidate', [{ name: 'x.v1.0.0' }, { name: 'x.v2.0.0', skips: ['x.v1.0.0'] }], { head: 'x.v2.0.0', heads: ['x.v2.0.0'] }],
  ['single/an edge to a bundle outside the channel still counts', [{ name: 'x.v2.0.0', replaces: 'x.v1.0.0' }], { head: 'x.v2.0.0', heads: ['x.v2.0.0'] }],
  [
    'single/skipRange adds no edge (opm validate ignores it)',
    [{ name: 'x.v1.0.0' }, { name: 'x.v2.0.0', skipRange: '<2.0.0' }],
    { head: 'x.v2.0.0', heads: ['x.v1.0.0', 'x.v2.0.0'] },
  ],
  [
    'several/highest version wins over file order and byte order',
    [{ name: 'x.v1.10.0' }, { name: 'x.v1.9.0' }, { name: 'x.v1.2.0' }],
    { head: 'x.v1.10.0', heads: ['x.v1.10.0', 'x.v1.2.0', 'x.v1.9.0'] },
  ],
  ['several/a version that parses beats one that does not', [{ name: 'x.nover' }, { name: 'x.v0.0.1' }], { head: 'x.v0.0.1', heads: ['x.nover', 'x.v0.0.1'] }],
  ['several/no versions: byte order', [{ name: 'x.b' }, { name: 'x.a' }], { head: 'x.a', heads: ['x.a', 'x.b'] }],
  ['several/equal versions: byte order', [{ name: 'x.v1.0.0+b' }, { name: 'x.v1.0.0+a' }], { head: 'x.v1.0.0+a', heads: ['x.v1.0.0+a', 'x.v1.0.0+b'] }],
  ['none/a cycle has no head', [{ name: 'x.v1.0.0', replaces: 'x.v2.0.0' }, { name: 'x.v2.0.0', replaces: 'x.v1.0.0' }], { heads: [] }],
  ['none/an entry replacing itself is no head', [{ name: 'x.v1.0.0', replaces: 'x.v1.0.0' }], { heads: [] }],
  ['duplicates/a repeated name is one candidate', [{ name: 'x.v1.0.0' }, { name: 'x.v1.0.0' }], { head: 'x.v1.0.0', heads: ['x.v1.0.0'] }],
];

for (const [name, entries, want] of cases) {
  test(`channel-head/${name}`, () => {
    assert.deepEqual(chooseChannelHead(entries, versionOf), want);
    assert.deepEqual(chooseChannelHead([...entries].reverse(), versionOf), want, 'file order never matters');
    assert.deepEqual(findHeads(entries), want.heads);
  });
}

test('channel-head/versions are read only when there is a choice to make', () => {
  let asked = 0;
  chooseChannelHead([{ name: 'x.v1.0.0' }, { name: 'x.v2.0.0', replaces: 'x.v1.0.0' }], (n) => (asked++, versionOf(n)));
  assert.equal(asked, 0);
});
