// Table tests of release selection over small update graphs: oc-mirror v2's rules (head-only, min, max, min+max,
// full, shortestPath, several channels, EUS warning, architectures, platform.release) and each bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReleaseChannel, ReleasePlatform } from '../config/config-types.js';
import { isGantryError } from '../errors.js';
import { cincinnatiJson, fakePayload, type FakeGraph } from '../testing/update-service.js';
import { graphKey, graphRequests, selectReleases, type GraphSet, type ReleaseSelection } from './select-releases.js';
import { parseUpdateGraph } from './update-graph.js';

const v = (...versions: string[]) => versions.map((version) => ({ version }));

// stable-4.14: 1→2→3→5, and 1→4 (conditional, risk R1), 4→5. 4.14.4 is reachable only from 4.14.1.
const STABLE_414: FakeGraph = {
  releases: v('4.14.3', '4.14.1', '4.14.2', '4.14.4', '4.14.5'),
  edges: [['4.14.1', '4.14.2'], ['4.14.2', '4.14.3'], ['4.14.3', '4.14.5'], ['4.14.4', '4.14.5']],
  conditional: [{ edges: [['4.14.1', '4.14.4']], risks: [{ name: 'R1' }] }],
};
// stable-4.15 carries the 4.14 releases that update into 4.15, as the public channels do.
const STABLE_415: FakeGraph = {
  releases: v('4.14.4', '4.14.5', '4.15.0', '4.15.1', '4.15.2'),
  edges: [['4.14.4', '4.15.0'], ['4.14.5', '4.15.1'], ['4.15.0', '4.15.1'], ['4.15.1', '4.15.2']],
};
const STABLE_416: FakeGraph = {
  releases: v('4.15.1', '4.15.2', '4.16.0', '4.16.1'),
  edges: [['4.15.2', '4.16.0'], ['4.16.0', '4.16.1']],
};
const EUS_416: FakeGraph = { releases: v('4.14.5', '4.15.2', '4.16.1'), edges: [['4.14.5', '4.15.2'], ['4.15.2', '4.16.1']] };
const ARM_414: FakeGraph = { releases: v('4.14.1', '4.14.3'), edges: [['4.14.1', '4.14.3']] };
const MULTI_414: FakeGraph = { releases: v('4.14.3', '4.14.5'), edges: [['4.14.3', '4.14.5']] };

function graphSet(omit: string[] = []): GraphSet {
  const all: [string, string, FakeGraph][] = [
    ['amd64', 'stable-4.14', STABLE_414],
    ['amd64', 'stable-4.15', STABLE_415],
    ['amd64', 'stable-4.16', STABLE_416],
    ['amd64', 'eus-4.16', EUS_416],
    ['amd64', 'unknown-9.9', { releases: [] }],
    ['arm64', 'stable-4.14', ARM_414],
    ['multi', 'stable-4.14', MULTI_414],
  ];
  const out = new Map();
  for (const [arch, channel, g] of all) {
    if (omit.includes(channel)) continue;
    out.set(graphKey({ type: 'ocp', arch, channel }), parseUpdateGraph(cincinnatiJson(g, arch), { source: 'test', channel, arch }));
  }
  return out;
}

const ch = (name: string, more: Partial<ReleaseChannel> = {}): ReleaseChannel => ({ name, type: 'ocp', shortestPath: false, full: false, ...more });
const platform = (channels: ReleaseChannel[], more: Partial<ReleasePlatform> = {}): ReleasePlatform => ({ channels, graph: false, kubeVirtContainer: false, ...more });
const brief = (s: ReleaseSelection) => s.releases.map((r) => `${r.arch}/${r.version}/${r.channel}/${r.reason}`);

const cases: { name: string; platform: ReleasePlatform; want: string[]; warnings?: string[] }[] = [
  { name: 'head-only by default', platform: platform([ch('stable-4.14')]), want: ['amd64/4.14.5/stable-4.14/head'] },
  {
    name: 'min only: from min to the head',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.3' })]),
    want: ['amd64/4.14.3/stable-4.14/range', 'amd64/4.14.4/stable-4.14/range', 'amd64/4.14.5/stable-4.14/range'],
  },
  {
    name: 'max only: from the first release to max',
    platform: platform([ch('stable-4.14', { maxVersion: '4.14.2' })]),
    want: ['amd64/4.14.1/stable-4.14/range', 'amd64/4.14.2/stable-4.14/range'],
  },
  {
    name: 'min and max: the range, both included',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.2', maxVersion: '4.14.4' })]),
    want: ['amd64/4.14.2/stable-4.14/range', 'amd64/4.14.3/stable-4.14/range', 'amd64/4.14.4/stable-4.14/range'],
  },
  {
    name: 'full: the whole channel',
    platform: platform([ch('stable-4.14', { full: true })]),
    want: ['4.14.1', '4.14.2', '4.14.3', '4.14.4', '4.14.5'].map((x) => `amd64/${x}/stable-4.14/range`),
  },
  {
    name: 'min outside the channel: range as written, with a warning',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.0', maxVersion: '4.14.1' })]),
    want: ['amd64/4.14.1/stable-4.14/range'],
    warnings: ['RELEASE_BOUND_NOT_IN_CHANNEL'],
  },
  {
    name: 'shortestPath: fewest updates, the conditional one reported',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.1', maxVersion: '4.14.5', shortestPath: true })]),
    want: ['amd64/4.14.1/stable-4.14/path', 'amd64/4.14.4/stable-4.14/path', 'amd64/4.14.5/stable-4.14/path'],
    warnings: ['CONDITIONAL_UPDATE'],
  },
  {
    name: 'several channels: the cross-channel path from the lowest min to the highest max',
    platform: platform([ch('stable-4.14'), ch('stable-4.16')]),
    want: ['amd64/4.14.5/stable-4.14/head', 'amd64/4.15.1/stable-4.15/path', 'amd64/4.15.2/stable-4.15/path', 'amd64/4.16.0/stable-4.16/path', 'amd64/4.16.1/stable-4.16/head'],
  },
  {
    name: 'EUS channel spanning two minors: warning',
    platform: platform([ch('eus-4.16', { minVersion: '4.14.5', maxVersion: '4.16.1' })]),
    want: ['amd64/4.14.5/eus-4.16/range', 'amd64/4.15.2/eus-4.16/range', 'amd64/4.16.1/eus-4.16/range'],
    warnings: ['EUS_SPAN'],
  },
  {
    name: 'architectures: each, in the order written',
    platform: platform([ch('stable-4.14')], { architectures: ['arm64', 'amd64'] }),
    want: ['arm64/4.14.3/stable-4.14/head', 'amd64/4.14.5/stable-4.14/head'],
  },
  {
    name: 'platforms (v2alpha1): the multi-arch payload',
    platform: platform([ch('stable-4.14', { full: true })], { platforms: [{ os: 'linux', architecture: 'arm64' }] }),
    want: ['multi/4.14.3/stable-4.14/range', 'multi/4.14.5/stable-4.14/range'],
  },
];

for (const c of cases) {
  test(`select/${c.name}`, () => {
    const got = selectReleases(c.platform, graphSet());
    assert.deepEqual(brief(got), c.want);
    assert.deepEqual(got.warnings.map((w) => w.code), c.warnings ?? []);
    for (const r of got.releases) assert.equal(r.payload, fakePayload(r.version!, r.arch!), 'the payload is the graph node’s');
  });
}

test('select/path entries carry the update that reaches them, with its risks', () => {
  const got = selectReleases(platform([ch('stable-4.14', { minVersion: '4.14.1', maxVersion: '4.14.5', shortestPath: true })]), graphSet());
  assert.equal(got.releases[0]!.edge, undefined);
  assert.deepEqual(got.releases[1]!.edge, { from: '4.14.1', to: '4.14.4', conditional: true, risks: [{ name: 'R1', url: 'https://example.com/R1', message: 'R1 may break the update' }] });
  assert.deepEqual(got.releases[2]!.edge, { from: '4.14.4', to: '4.14.5', conditional: false, risks: [] });
});

test('select/platform.release: that one image only, channels not read', () => {
  const got = selectReleases(platform([ch('stable-4.14')], { release: 'quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64' }), new Map());
  assert.deepEqual(got.releases, [{ payload: 'quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64', reason: 'release' }]);
  assert.deepEqual(got.warnings.map((w) => w.code), ['RELEASE_OVERRIDES_CHANNELS']);
  assert.deepEqual(graphRequests(platform([], { release: 'x' })), []);
});

test('select/graph requests: each channel per arch, intermediate channels optional', () => {
  const reqs = graphRequests(platform([ch('stable-4.14'), ch('stable-4.17')], { architectures: ['amd64', 'arm64'] }));
  assert.deepEqual(
    reqs.map((r) => `${r.arch}/${r.channel}${r.optional ? '?' : ''}`),
    ['amd64/stable-4.14', 'amd64/stable-4.17', 'amd64/stable-4.15?', 'amd64/stable-4.16?', 'arm64/stable-4.14', 'arm64/stable-4.17', 'arm64/stable-4.15?', 'arm64/stable-4.16?'],
  );
});

test('select/the same inputs give the same output', () => {
  const p = platform([ch('stable-4.16'), ch('stable-4.14', { full: true })]);
  assert.deepEqual(selectReleases(p, graphSet()), selectReleases(p, graphSet()));
});

const bad: { name: string; platform: ReleasePlatform; code: string; mentions: string[]; omit?: string[] }[] = [
  { name: 'error/unknown channel', platform: platform([ch('unknown-9.9')]), code: 'RELEASE_CHANNEL_UNKNOWN', mentions: ['unknown-9.9', 'amd64'] },
  { name: 'error/channel missing for an arch', platform: platform([ch('stable-4.16')], { architectures: ['arm64'] }), code: 'RELEASE_CHANNEL_UNKNOWN', mentions: ['stable-4.16', 'arm64'] },
  { name: 'error/min above max', platform: platform([ch('stable-4.14', { minVersion: '4.14.4', maxVersion: '4.14.2' })]), code: 'RELEASE_RANGE_INVALID', mentions: ['stable-4.14', '4.14.4', '4.14.2'] },
  { name: 'error/min not a version', platform: platform([ch('stable-4.14', { minVersion: 'four' })]), code: 'RELEASE_RANGE_INVALID', mentions: ['stable-4.14', 'four'] },
  { name: 'error/range selects nothing', platform: platform([ch('stable-4.14', { minVersion: '4.15.0' })]), code: 'RELEASE_VERSION_NOT_FOUND', mentions: ['stable-4.14', '4.15.0'] },
  {
    name: 'error/shortest path from a version not in the channel',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.0', maxVersion: '4.14.5', shortestPath: true })]),
    code: 'RELEASE_VERSION_NOT_FOUND',
    mentions: ['stable-4.14', '4.14.0'],
  },
  {
    name: 'error/no path between min and max',
    platform: platform([ch('stable-4.14', { minVersion: '4.14.2', maxVersion: '4.14.4', shortestPath: true })]),
    code: 'RELEASE_NO_PATH',
    mentions: ['stable-4.14', '4.14.2', '4.14.4'],
  },
  {
    name: 'error/no cross-channel path without the channel in between',
    platform: platform([ch('stable-4.14'), ch('stable-4.16')]),
    omit: ['stable-4.15'],
    code: 'RELEASE_NO_PATH',
    mentions: ['4.14.5', '4.16.1', 'stable-4.14', 'stable-4.16'],
  },
];

for (const c of bad) {
  test(`select/${c.name}`, () => {
    assert.throws(
      () => selectReleases(c.platform, graphSet(c.omit)),
      (err: unknown) => {
        assert.ok(isGantryError(err), String(err));
        assert.equal(err.code, c.code);
        for (const m of c.mentions) assert.ok(err.message.includes(m), `${err.message} mentions ${m}`);
        return true;
      },
    );
  });
}
