import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from '../fbc/file-tree.js';
import { loadCatalog } from '../fbc/load.js';
import { hasErrors, validateCatalog } from './validate.js';
import { renderIssueTree } from './issue-tree.js';

type Blob = Record<string, unknown>;
const pkg = (name: string, defaultChannel = 'stable'): Blob => ({ schema: 'olm.package', name, defaultChannel });
const channel = (name: string, entries: Blob[], p = 'a'): Blob => ({ schema: 'olm.channel', package: p, name, entries });
const bundle = (name: string, version: string, p = 'a', extra: Blob = {}): Blob => ({
  schema: 'olm.bundle',
  package: p,
  name,
  image: `quay.io/x/${name}:v1`,
  properties: [{ type: 'olm.package', value: { packageName: p, version } }],
  ...extra,
});

async function check(blobs: Blob[]) {
  const text = blobs.map((b) => JSON.stringify(b, null, 4)).join('\n');
  const { config, issues } = await loadCatalog(createMemoryTree({ 'a/catalog.json': text }));
  assert.deepEqual(issues, []);
  return validateCatalog(config);
}

const valid: Blob[] = [
  pkg('a'),
  channel('stable', [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1' }, { name: 'a.v3', replaces: 'a.v2', skips: ['a.v1'], skipRange: '>=0.1.0 <3.0.0' }]),
  bundle('a.v1', '1.0.0'),
  bundle('a.v2', '2.0.0'),
  bundle('a.v3', '3.0.0'),
];

test('validate/a valid catalog has no issues', async () => {
  assert.deepEqual(await check(valid), []);
});

const cases: [string, Blob[], [string, string][]][] = [
  ['duplicate package', [...valid, pkg('a')], [['duplicate-package', 'duplicate package "a"']]],
  ['package without a name', [pkg(''), ...valid], [['package-no-name', 'config contains package with no name']]],
  ['channel without a name', [...valid, channel('', [{ name: 'a.v3' }])], [['channel-no-name', 'package "a" contains channel with no name']]],
  ['the first of duplicates is the one checked', [...valid, channel('stable', [{ name: 'a.v1' }, { name: 'a.v2' }])], [['duplicate-channel', 'package "a" has duplicate channel "stable"']]],
  [
    'package name not DNS-1123',
    [pkg('Bad_Name'), channel('stable', [{ name: 'x' }], 'Bad_Name'), bundle('x', '1.0.0', 'Bad_Name')],
    [['package-name-invalid', `invalid package name "Bad_Name": [a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]`]],
  ],
  ['channel of unknown package', [...valid, channel('beta', [{ name: 'q' }], 'zzz')], [['channel-unknown-package', 'unknown package "zzz" for channel "beta"']]],
  ['duplicate channel', [...valid, channel('stable', [{ name: 'a.v3' }])], [['duplicate-channel', 'package "a" has duplicate channel "stable"']]],
  [
    'duplicate entry',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v1' }]), bundle('a.v1', '1.0.0')],
    [['duplicate-entry', 'invalid package "a", channel "stable": duplicate entry "a.v1"']],
  ],
  ['bundle of unknown package', [...valid, bundle('z.v1', '1.0.0', 'zzz')], [['bundle-unknown-package', 'unknown package "zzz" for bundle "z.v1"']]],
  ['duplicate bundle', [...valid, bundle('a.v1', '1.0.0')], [['duplicate-bundle', 'package "a" has duplicate bundle "a.v1"']]],
  [
    'no olm.package property',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }]), { ...bundle('a.v1', '1.0.0'), properties: [] }],
    [['package-property-count', 'package "a" bundle "a.v1" must have exactly 1 "olm.package" property, found 0']],
  ],
  [
    'bad property value',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }]), { ...bundle('a.v1', '1.0.0'), properties: [{ type: 'olm.package', value: 'oops' }] }],
    [['property-invalid', 'parse properties for bundle "a.v1": parse property[0] of type "olm.package": json: cannot unmarshal string into Go value of type property.Package']],
  ],
  [
    'version not semver',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }]), bundle('a.v1', '1.0')],
    [['version-invalid', 'error parsing bundle "a.v1" version "1.0": No Major.Minor.Patch elements found']],
  ],
  [
    'invalid pull spec',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }]), bundle('a.v1', '1.0.0', 'a', { image: 'oci://quay.io/x:1' })],
    [['image-invalid', 'package "a" bundle "a.v1" image: invalid image pull spec "oci://quay.io/x:1": it has a URL scheme']],
  ],
  ['stray bundle', [...valid, bundle('a.v9', '9.0.0')], [['bundle-not-in-channel', 'package "a", bundle "a.v9" not found in any channel entries']]],
  [
    'entry without bundle',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1' }]), bundle('a.v1', '1.0.0')],
    [['entry-without-bundle', 'no olm.bundle blobs found in package "a" for olm.channel entries [a.v2]']],
  ],
  ['default channel missing', [pkg('a', 'fast'), ...valid.slice(1)], [['default-channel-missing', 'default channel "fast" not found in channels list']]],
  [
    'two heads',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v2' }]), bundle('a.v1', '1.0.0'), bundle('a.v2', '2.0.0')],
    [['multiple-heads', 'multiple channel heads found in graph: a.v1, a.v2']],
  ],
  [
    'cycle',
    [pkg('a'), channel('stable', [{ name: 'a.v3', replaces: 'a.v2' }, { name: 'a.v2', replaces: 'a.v1' }, { name: 'a.v1', replaces: 'a.v2' }, { name: 'a.v4', replaces: 'a.v3' }]), bundle('a.v1', '1.0.0'), bundle('a.v2', '2.0.0'), bundle('a.v3', '3.0.0'), bundle('a.v4', '4.0.0')],
    [['replaces-cycle', 'detected cycle in replaces chain of upgrade graph: a.v2 -> a.v1 -> a.v2']],
  ],
  [
    'stranded',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v2', skips: ['a.v0'] }, { name: 'a.v3', replaces: 'a.v2', skips: ['a.v1'] }, { name: 'a.v0', replaces: 'a.v9' }]), bundle('a.v0', '0.1.0'), bundle('a.v1', '1.0.0'), bundle('a.v2', '2.0.0'), bundle('a.v3', '3.0.0')],
    [],
  ],
  [
    'stranded for real',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1' }, { name: 'a.v3', replaces: 'a.v2' }, { name: 'a.vx', replaces: 'a.v1', skips: ['a.v3'] }]), bundle('a.v1', '1.0.0'), bundle('a.v2', '2.0.0'), bundle('a.v3', '3.0.0'), bundle('a.vx', '4.0.0')],
    [['stranded', 'channel contains one or more stranded bundles: a.v2']],
  ],
  [
    'duplicate versions',
    [pkg('a'), channel('stable', [{ name: 'a.v1' }, { name: 'a.v1b', replaces: 'a.v1' }]), bundle('a.v1', '1.0.0'), bundle('a.v1b', '1.0.0')],
    [['duplicate-versions', 'duplicate versions found in bundles: [{1.0.0: [a.v1, a.v1b]}]']],
  ],
  [
    'empty skip and bad skipRange (a warning)',
    [pkg('a'), channel('stable', [{ name: 'a.v1', skips: [''], skipRange: '<v1.0.0' }]), bundle('a.v1', '1.0.0')],
    [
      ['empty-skip', 'skip[0] is empty'],
      ['skip-range-invalid', 'invalid skipRange "<v1.0.0": Could not parse Range "<v1.0.0": Could not parse comparator "<v" in "<v1.0.0"'],
    ],
  ],
  [
    'deprecations',
    [
      ...valid,
      {
        schema: 'olm.deprecations',
        package: 'a',
        entries: [
          { reference: { schema: 'olm.bundle', name: 'a.v7' }, message: 'gone' },
          { reference: { schema: 'olm.channel', name: 'beta' }, message: 'gone' },
          { reference: { schema: 'olm.package', name: 'a' }, message: 'gone' },
          { reference: { schema: 'olm.bundle', name: 'a.v1' }, message: '' },
        ],
      },
      { schema: 'olm.deprecations', package: 'nope', entries: [] },
    ],
    [
      ['deprecated-bundle-unknown', 'cannot deprecate bundle "a.v7" for package "a": bundle not found'],
      ['deprecated-channel-unknown', 'cannot deprecate channel "beta" for package "a": channel not found'],
      ['deprecated-package-name', 'package name must be empty for deprecated package "a" (specified "a")'],
      ['deprecation-no-message', 'invalid deprecation: message must be set'],
      ['deprecation-unknown-package', 'cannot apply deprecations to an unknown package "nope"'],
    ],
  ],
];

for (const [name, blobs, want] of cases) {
  test(`validate/${name}`, async () => {
    const got = await check(blobs);
    assert.deepEqual(got.map((i) => [i.rule, i.message]), want);
    for (const i of got) assert.equal(i.file, 'a/catalog.json', 'every issue names its file');
    for (const i of got) assert.ok((i.line ?? 0) >= 1, 'and a line');
  });
}

test('validate/all problems in one run, deterministic, as a tree; warnings do not fail', async () => {
  const blobs = [pkg('b'), channel('stable', [{ name: 'b.v1' }, { name: 'b.v2' }], 'b'), bundle('b.v1', '1.0.0', 'b'), bundle('b.v2', 'x', 'b'), ...valid, bundle('a.v9', '9.0.0')];
  const first = await check(blobs);
  const again = await check([...blobs].reverse());
  assert.deepEqual(first.map((i) => i.message), again.map((i) => i.message).sort((x, y) => first.findIndex((f) => f.message === x) - first.findIndex((f) => f.message === y)));
  assert.equal(first.length, 3);
  assert.ok(hasErrors(first));
  const tree = renderIssueTree(first);
  assert.match(tree, /^invalid catalog:\n├── package "a":\n│   └── bundle "a\.v9":\n│       └── package "a", bundle "a\.v9" not found in any channel entries \(a\/catalog\.json:\d+\)\n└── package "b":/);
  assert.ok(!hasErrors([{ rule: 'skip-range-invalid', message: 'x', severity: 'warning' }]));
});
