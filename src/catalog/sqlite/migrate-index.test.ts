// Conversion of index tables given as plain rows (no database): opm's rules for deprecated bundles,
// properties, related images, icons and the errors that stopped opm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../../errors.js';
import { compactJson } from './bundle-properties.js';
import { csvIcon, csvRelatedImages, splitBundleObjects } from './bundle-manifests.js';
import type { IndexData, IndexTables } from './index-tables.js';
import { convertIndex } from './migrate-index.js';

const csv = (name: string, spec: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name }, spec });

/** A one-package index (package "p", channel "stable") with the given bundles chained by replaces, head first. */
function index(bundles: { name: string; version?: string; props?: [string, string][]; deps?: [string, string][]; manifests?: string | null }[], more: Partial<IndexTables> = {}): IndexData {
  const tables: IndexTables = {
    schemaVersion: 13,
    packages: [{ name: 'p', defaultChannel: 'stable' }],
    channels: [{ name: 'stable', packageName: 'p', head: bundles[0]!.name }],
    channelEntries: bundles.map((b, i) => ({ entryId: i + 1, channelName: 'stable', packageName: 'p', bundleName: b.name, replaces: i + 1 < bundles.length ? i + 2 : null, depth: i })),
    bundles: bundles.map((b) => ({ name: b.name, bundlePath: `quay.io/p/${b.name}`, version: b.version ?? '1.0.0', skipRange: null })),
    properties: bundles.flatMap((b) => (b.props ?? []).map(([type, value]) => ({ type, value, bundleName: b.name }))),
    dependencies: bundles.flatMap((b) => (b.deps ?? []).map(([type, value]) => ({ type, value, bundleName: b.name }))),
    relatedImages: [],
    ...more,
  };
  const manifests = new Map(bundles.map((b) => [b.name, b.manifests === undefined ? csv(b.name) : b.manifests]));
  return { tables, bundleColumn: (name) => manifests.get(name) ?? null, csvColumn: csv };
}

test('convert/deprecated bundles are not rendered; their neighbours keep their edges', () => {
  const cfg = convertIndex(
    index([
      { name: 'p.v3.0.0', version: '3.0.0' },
      { name: 'p.v2.0.0', version: '2.0.0', props: [['olm.deprecated', '{}']] },
    ]),
  );
  assert.deepEqual(cfg.bundles.map((b) => b.name), ['p.v3.0.0']);
  assert.deepEqual(cfg.channels[0]!.entries, [{ name: 'p.v3.0.0', replaces: 'p.v2.0.0' }]);
});

test('convert/a channel whose bundles are all deprecated is written with empty entries', () => {
  const cfg = convertIndex(index([{ name: 'p.v1.0.0', props: [['olm.deprecated', '{}']] }]));
  assert.deepEqual(cfg.channels, [{ schema: 'olm.channel', name: 'stable', package: 'p', entries: [] }]);
  assert.deepEqual(cfg.bundles, []);
});

test('convert/rows lacking a version or a bundle path are skipped, as opm skipped them', () => {
  const data = index([{ name: 'p.v2.0.0' }, { name: 'p.v1.0.0' }]);
  data.tables.bundles[1]!.bundlePath = null;
  assert.deepEqual(convertIndex(data).channels[0]!.entries, [{ name: 'p.v2.0.0', replaces: 'p.v1.0.0' }]);
});

test('convert/a bundle without manifests has no objects and no related images; its image is the bundle path', () => {
  const cfg = convertIndex(index([{ name: 'p.v1.0.0', manifests: null, props: [['olm.package', '{"packageName":"p","version":"1.0.0"}']] }]));
  assert.deepEqual(cfg.bundles, [
    { schema: 'olm.bundle', name: 'p.v1.0.0', package: 'p', image: 'quay.io/p/p.v1.0.0', properties: [{ type: 'olm.package', value: { packageName: 'p', version: '1.0.0' } }] },
  ]);
});

test('convert/properties and dependencies: duplicates once, GVKs re-encoded in Go field order, unknown dependency types dropped', () => {
  const cfg = convertIndex(
    index([
      {
        name: 'p.v1.0.0',
        manifests: null,
        props: [
          ['olm.gvk', '{"version":"v1","kind":"K","group":"g"}'],
          ['olm.gvk', '{"group":"g","kind":"K","version":"v1"}'],
          ['olm.package', '{"packageName":"p","version":"1.0.0"}'],
          ['olm.package', '{"packageName":"p","version":"1.0.0"}'],
          ['olm.label', '{"label":"b"}'],
          ['olm.label', '{"label":"a"}'],
        ],
        deps: [
          ['olm.gvk', '{"group":"h","kind":"L","version":"v2"}'],
          ['olm.package', '{"packageName":"q","version":"<2.0.0"}'],
          ['olm.constraint', '{"cel":{"rule":"true"},"failureMessage":"x"}'],
          ['olm.label', '{"label":"c"}'],
        ],
      },
    ]),
  );
  assert.deepEqual(cfg.bundles[0]!.properties, [
    { type: 'olm.gvk', value: { group: 'g', kind: 'K', version: 'v1' } },
    { type: 'olm.gvk.required', value: { group: 'h', kind: 'L', version: 'v2' } },
    { type: 'olm.label', value: { label: 'a' } },
    { type: 'olm.label', value: { label: 'b' } },
    { type: 'olm.package', value: { packageName: 'p', version: '1.0.0' } },
    { type: 'olm.package.required', value: { packageName: 'q', versionRange: '<2.0.0' } },
  ]);
  assert.deepEqual(Object.keys(cfg.bundles[0]!.properties![0]!.value as object), ['group', 'kind', 'version']);
});

test('convert/errors name the bundle or package and carry the index-invalid code', () => {
  const cases: { name: string; data: IndexData; message: RegExp }[] = [
    {
      name: 'error/package without channels',
      data: index([{ name: 'p.v1.0.0' }], { packages: [{ name: 'p', defaultChannel: 'stable' }, { name: 'lonely', defaultChannel: 'stable' }] }),
      message: /package "lonely" not found/,
    },
    {
      name: 'error/entry for a package that does not exist',
      data: index([{ name: 'p.v1.0.0' }], { packages: [] }),
      message: /unknown package "p" for bundle "p\.v1\.0\.0"/,
    },
    {
      name: 'error/olm.gvk property that is not an object',
      data: index([{ name: 'p.v1.0.0', props: [['olm.gvk', '"g/v1/K"']] }]),
      message: /convert bundle "p\.v1\.0\.0": convert properties: parse property\[0\] of type "olm\.gvk": json: cannot unmarshal string/,
    },
    {
      name: 'error/CSV relatedImages of the wrong type',
      data: index([{ name: 'p.v1.0.0', manifests: csv('p.v1.0.0', { relatedImages: 'quay.io/x' }) }]),
      message: /convert bundle "p\.v1\.0\.0": get related images/,
    },
    {
      name: 'error/head CSV that is not JSON (the icon lookup)',
      data: { ...index([{ name: 'p.v1.0.0' }]), csvColumn: () => '' },
      message: /populate package icons: unmarshal CSV json for bundle "p\.v1\.0\.0"/,
    },
    {
      name: 'error/default channel head missing from operatorbundle',
      data: index([{ name: 'p.v1.0.0' }], { channels: [{ name: 'stable', packageName: 'p', head: 'p.v9' }] }),
      message: /get default channel head for package "p": no entry found for p stable/,
    },
  ];
  for (const c of cases) {
    assert.throws(() => convertIndex(c.data), (e) => isGantryError(e, 'MANIFEST_INVALID') && c.message.test(e.message), c.name);
  }
});

test('convert/a deprecated bundle with unusable CSV related images is still skipped without error', () => {
  const cfg = convertIndex(
    index([
      { name: 'p.v2.0.0', version: '2.0.0' },
      { name: 'p.v1.0.0', manifests: csv('p.v1.0.0', { relatedImages: 7 }), props: [['olm.deprecated', '{}']] },
    ]),
  );
  assert.deepEqual(cfg.bundles.map((b) => b.name), ['p.v2.0.0']);
});

test('manifests/split: objects kept byte for byte, the first CSV found, a kind required up to it', () => {
  const crd = '{ "kind": "CustomResourceDefinition", "x": [1, 2] }';
  const c = csv('a');
  assert.deepEqual(splitBundleObjects(`${crd}\n${c}{"noKind":true}`), { objects: [crd, c, '{"noKind":true}'], csv: JSON.parse(c) });
  const cases: { name: string; text: string; message: RegExp }[] = [
    { name: 'no csv', text: crd, message: /no csv in bundle/ },
    { name: 'no kind before the csv', text: `{"apiVersion":"v1"}${c}`, message: /manifest 0 has no kind/ },
    { name: 'bad json', text: `{"kind":"A",}`, message: /manifest 0 is not valid JSON/ },
    { name: 'not an object', text: '[1]', message: /not a JSON object stream/ },
  ];
  for (const k of cases) assert.throws(() => splitBundleObjects(k.text), k.message, k.name);
});

test('manifests/related images and icons as Go decodes them: case-insensitive keys, nulls as empty', () => {
  assert.deepEqual(csvRelatedImages(JSON.parse(csv('a', { relatedImages: [{ Name: 'n', IMAGE: 'i' }, null, { name: null, image: 'j' }] }))), [
    { name: 'n', image: 'i' },
    { name: '', image: '' },
    { name: '', image: 'j' },
  ]);
  assert.deepEqual(csvRelatedImages(JSON.parse(csv('a'))), []);
  assert.deepEqual(csvRelatedImages({ kind: 'ClusterServiceVersion', spec: null }), []);
  assert.throws(() => csvRelatedImages(JSON.parse(csv('a', { relatedImages: [{ name: 1 }] }))), /relatedImages\.name of type string/);
  assert.deepEqual(csvIcon(csv('a', { icon: [{ base64data: 'aGk=', mediatype: 'image/png' }, { base64data: 'eA==', mediatype: 'x' }] })), { base64data: 'aGk=', mediatype: 'image/png' });
  assert.equal(csvIcon(csv('a', { icon: [] })), undefined);
  // Go's non-strict decoder accepts non-zero trailing bits; the icon is written back canonically.
  assert.deepEqual(csvIcon(csv('a', { icon: [{ base64data: 'aGl=', mediatype: 'm' }] })), { base64data: 'aGk=', mediatype: 'm' });
});

test('compact/white space outside strings removed, strings untouched', () => {
  const cases: [string, string][] = [
    ['{ "a" : [ 1 , 2 ] }', '{"a":[1,2]}'],
    ['{"a b":" x \\" y "}', '{"a b":" x \\" y "}'],
    ['\n\t"s"\r\n', '"s"'],
    ['{"a":1}', '{"a":1}'],
  ];
  for (const [input, want] of cases) assert.equal(compactJson(input), want, input);
});
