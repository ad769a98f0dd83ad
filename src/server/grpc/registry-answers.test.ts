import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, DeclarativeConfig } from '../../catalog/fbc/types.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import { createRegistryAnswers, RegistryError } from './registry-answers.js';
import { omitDefaults } from './grpc-server.js';

const gvk = (group: string, version: string, kind: string) => ({ type: 'olm.gvk', value: { group, kind, version } });
const pkg = (packageName: string, version: string) => ({ type: 'olm.package', value: { packageName, version } });
const bundle = (name: string, image: string, properties: Bundle['properties'], extra: Partial<Bundle> = {}): Bundle => ({
  schema: 'olm.bundle',
  name,
  package: name.split('.')[0]!,
  image,
  properties,
  ...extra,
});

const csvObject = { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'a.v3' }, spec: { displayName: 'A<3>' } };

function catalog(): DeclarativeConfig {
  return {
    packages: [
      { schema: 'olm.package', name: 'a', defaultChannel: 'stable', description: 'package a', icon: { base64data: 'PHN2Zy8+', mediatype: 'image/svg+xml' } },
      { schema: 'olm.package', name: 'b', defaultChannel: 'stable' },
    ],
    channels: [
      { schema: 'olm.channel', package: 'a', name: 'stable', entries: [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1', skipRange: '<0.2.0' }] },
      { schema: 'olm.channel', package: 'a', name: 'fast', entries: [{ name: 'a.v1' }, { name: 'a.v2', replaces: 'a.v1' }, { name: 'a.v3', replaces: 'a.v2', skips: ['a.v2', 'a.v1', 'a.v0'] }] },
      { schema: 'olm.channel', package: 'b', name: 'stable', entries: [{ name: 'b.v1' }] },
      { schema: 'olm.channel', package: 'b', name: 'beta', entries: [{ name: 'b.v1' }, { name: 'b.v2', replaces: 'b.v1' }] },
    ],
    bundles: [
      bundle('a.v1', 'img/a:1', [pkg('a', '0.1.0'), gvk('x.io', 'v1', 'W'), gvk('x.io', 'v1alpha1', 'W')]),
      bundle(
        'a.v2',
        'img/a:2',
        [
          pkg('a', '0.2.0'),
          gvk('x.io', 'v1', 'W'),
          { type: 'olm.gvk.required', value: { group: 'x.io', kind: 'G', version: 'v1' } },
          { type: 'olm.package.required', value: { packageName: 'b', versionRange: '>=1.0.0 <2.0.0' } },
          { type: 'olm.csv.metadata', value: { displayName: 'A two', installModes: [{ type: 'AllNamespaces', supported: true }], annotations: { k: 'v' } } },
        ],
        { relatedImages: [{ name: 'op', image: 'img/op:2' }] },
      ),
      bundle('a.v3', '', [pkg('a', '0.3.0'), gvk('x.io', 'v1', 'W'), { type: 'olm.bundle.object', value: { data: Buffer.from(JSON.stringify(csvObject)).toString('base64') } }]),
      bundle('b.v1', 'img/b:1', [pkg('b', '1.0.0'), gvk('x.io', 'v1', 'G')]),
      bundle('b.v2', 'img/b:2', [pkg('b', '2.0.0'), gvk('x.io', 'v1', 'G'), gvk('x.io', 'v2', 'Z')]),
    ],
    deprecations: [
      {
        schema: 'olm.deprecations',
        package: 'b',
        entries: [
          { reference: { schema: 'olm.package' }, message: 'b is done' },
          { reference: { schema: 'olm.channel', name: 'beta' }, message: 'beta is done' },
          { reference: { schema: 'olm.bundle', name: 'b.v1' }, message: 'b.v1 is done' },
        ],
      },
    ],
    others: [],
  };
}

function fails(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof RegistryError && err.message === message);
}

describe('server/grpc: api.Registry answers', () => {
  const answers = createRegistryAnswers(buildCatalogModel(catalog()));

  test('grpc/GetPackage: channels sorted with heads, deprecations of package and channel', () => {
    assert.deepEqual(answers.getPackage('b'), {
      name: 'b',
      channels: [
        { name: 'beta', csvName: 'b.v2', deprecation: { message: 'beta is done' } },
        { name: 'stable', csvName: 'b.v1' },
      ],
      defaultChannelName: 'stable',
      deprecation: { message: 'b is done' },
    });
    fails(() => answers.getPackage('nope'), 'package "nope" not found');
  });

  test('grpc/ListPackages: byte order', () => {
    assert.deepEqual(answers.listPackages(), ['a', 'b']);
  });

  test('grpc/GetBundle: replaces and skips cleared, skipRange kept, dependencies rebuilt, csv.metadata and objects not in properties', () => {
    const b = answers.getBundle('a', 'stable', 'a.v2');
    assert.equal(b.replaces, '');
    assert.deepEqual(b.skips, []);
    assert.equal(b.skipRange, '<0.2.0');
    assert.equal(b.version, '0.2.0');
    assert.deepEqual(b.requiredApis, [{ group: 'x.io', version: 'v1', kind: 'G' }]);
    assert.deepEqual(b.dependencies, [
      { type: 'olm.gvk', value: '{"group":"x.io","kind":"G","version":"v1"}' },
      { type: 'olm.package', value: '{"packageName":"b","version":">=1.0.0 <2.0.0"}' },
    ]);
    assert.deepEqual(
      b.properties.map((p) => p.type),
      ['olm.package', 'olm.gvk', 'olm.gvk.required', 'olm.package.required'],
    );
    assert.equal(b.deprecation, undefined);
    assert.equal(answers.getBundle('b', 'stable', 'b.v1').deprecation?.message, 'b.v1 is done');
    fails(() => answers.getBundle('x', 'stable', 'a.v2'), 'package "x" not found');
    fails(() => answers.getBundle('a', 'x', 'a.v2'), 'package "a", channel "x" not found');
    fails(() => answers.getBundle('a', 'stable', 'a.v3'), 'package "a", channel "stable", bundle "a.v3" not found');
  });

  test('grpc/csvJson: synthesised from olm.csv.metadata as current opm does (name, icon, stub strategy, version, relatedImages, package description)', () => {
    const b = answers.getBundle('a', 'stable', 'a.v2');
    const csv = JSON.parse(b.csvJson) as Record<string, any>;
    assert.equal(csv.kind, 'ClusterServiceVersion');
    assert.equal(csv.apiVersion, 'operators.coreos.com/v1alpha1');
    assert.equal(csv.metadata.name, 'a.v2');
    assert.deepEqual(csv.metadata.annotations, { k: 'v' });
    assert.deepEqual(csv.spec.install, { strategy: 'deployment', spec: { deployments: null } });
    assert.equal(csv.spec.version, '0.2.0');
    assert.equal(csv.spec.displayName, 'A two');
    assert.equal(csv.spec.description, 'package a');
    assert.deepEqual(csv.spec.icon, [{ base64data: 'PHN2Zy8+', mediatype: 'image/svg+xml' }]);
    assert.deepEqual(csv.spec.relatedImages, [{ name: 'op', image: 'img/op:2' }]);
    assert.deepEqual(csv.spec.installModes, [{ type: 'AllNamespaces', supported: true }]);
    assert.deepEqual(b.object, [b.csvJson]);
  });

  test('grpc/csvJson: the CSV among olm.bundle.object objects, key order kept', () => {
    const b = answers.getBundle('a', 'fast', 'a.v3');
    assert.equal(b.csvJson, JSON.stringify(csvObject));
    assert.deepEqual(b.object, [JSON.stringify(csvObject)]);
    assert.deepEqual(answers.getBundle('b', 'stable', 'b.v1').csvJson, '');
  });

  test('grpc/ListBundles: one per channel, replaces/skips kept, csvJson and object only without an image', () => {
    const list = [...answers.listBundles()];
    assert.deepEqual(
      list.map((b) => `${b.channelName}/${b.csvName}`),
      ['fast/a.v1', 'fast/a.v2', 'fast/a.v3', 'stable/a.v1', 'stable/a.v2', 'beta/b.v1', 'beta/b.v2', 'stable/b.v1'],
    );
    const v3 = list.find((b) => b.csvName === 'a.v3')!;
    assert.equal(v3.replaces, 'a.v2');
    assert.deepEqual(v3.skips, ['a.v2', 'a.v1', 'a.v0']);
    assert.equal(v3.csvJson, JSON.stringify(csvObject));
    const v2 = list.find((b) => b.csvName === 'a.v2' && b.channelName === 'stable')!;
    assert.equal(v2.csvJson, '');
    assert.deepEqual(v2.object, []);
  });

  test('grpc/GetBundleForChannel: the head', () => {
    assert.equal(answers.getBundleForChannel('a', 'fast').csvName, 'a.v3');
    fails(() => answers.getBundleForChannel('a', 'x'), 'package "a", channel "x" not found');
  });

  test('grpc/GetChannelEntriesThatReplace: replaces and skips, a skip match keeps the own replaces, a skip equal to replaces once', () => {
    assert.deepEqual(answers.getChannelEntriesThatReplace('a.v1'), [
      { packageName: 'a', channelName: 'fast', bundleName: 'a.v2', replaces: 'a.v1' },
      { packageName: 'a', channelName: 'fast', bundleName: 'a.v3', replaces: 'a.v2' },
      { packageName: 'a', channelName: 'stable', bundleName: 'a.v2', replaces: 'a.v1' },
    ]);
    assert.equal(answers.getChannelEntriesThatReplace('a.v2').length, 1);
    fails(() => answers.getChannelEntriesThatReplace('zz'), 'no channel entries found that replace zz');
  });

  test('grpc/GetBundleThatReplaces: a tie answered the same way each time; unquoted unknown package', () => {
    const first = answers.getBundleThatReplaces('a.v1', 'a', 'fast').csvName;
    assert.equal(first, 'a.v2');
    assert.equal(answers.getBundleThatReplaces('a.v1', 'a', 'fast').csvName, first);
    assert.equal(answers.getBundleThatReplaces('a.v0', 'a', 'fast').csvName, 'a.v3');
    fails(() => answers.getBundleThatReplaces('a.v1', 'x', 'fast'), 'package x not found');
    fails(() => answers.getBundleThatReplaces('a.v1', 'a', 'x'), 'package "a", channel "x" not found');
    fails(() => answers.getBundleThatReplaces('a.v3', 'a', 'fast'), 'no entry found for package "a", channel "fast"');
  });

  test('grpc/GetChannelEntriesThatProvide: every bundle, skip entries carry the skipped name (also outside the channel)', () => {
    const entries = answers.getChannelEntriesThatProvide({ group: 'x.io', version: 'v1', kind: 'W' });
    assert.deepEqual(
      entries.filter((e) => e.bundleName === 'a.v3').map((e) => e.replaces),
      ['a.v2', 'a.v1', 'a.v0'],
    );
    fails(() => answers.getChannelEntriesThatProvide({ group: 'no', version: 'v1', kind: 'N' }), 'no channel entries found that provide group:"no" version:"v1" kind:"N"');
  });

  test('grpc/GetLatestChannelEntriesThatProvide: heads only, skips only within the channel', () => {
    assert.deepEqual(answers.getLatestChannelEntriesThatProvide({ group: 'x.io', version: 'v1', kind: 'W' }), [
      { packageName: 'a', channelName: 'fast', bundleName: 'a.v3', replaces: 'a.v2' },
      { packageName: 'a', channelName: 'fast', bundleName: 'a.v3', replaces: 'a.v1' },
      { packageName: 'a', channelName: 'stable', bundleName: 'a.v2', replaces: 'a.v1' },
    ]);
    fails(() => answers.getLatestChannelEntriesThatProvide({ group: 'x.io', version: 'v1alpha1', kind: 'W' }), 'no channel entries found that provide group:"x.io" version:"v1alpha1" kind:"W"');
  });

  test('grpc/GetDefaultBundleThatProvides: first package whose default channel head provides; the "latest" text when no head does', () => {
    assert.equal(answers.getDefaultBundleThatProvides({ group: 'x.io', version: 'v1', kind: 'W' }).csvName, 'a.v2');
    assert.equal(answers.getDefaultBundleThatProvides({ group: 'x.io', version: 'v1', kind: 'G' }).csvName, 'b.v1');
    fails(() => answers.getDefaultBundleThatProvides({ group: 'x.io', version: 'v2', kind: 'Z' }), 'no entry found that provides group:"x.io" version:"v2" kind:"Z"');
    fails(() => answers.getDefaultBundleThatProvides({ group: 'x.io', version: 'v1alpha1', kind: 'W' }), 'no channel entries found that provide group:"x.io" version:"v1alpha1" kind:"W"');
  });

  test('grpc/omitDefaults: empty strings and lists are not sent, as Go does not', () => {
    assert.deepEqual(omitDefaults({ a: '', b: [], c: 'x', d: [{ e: '', f: 'y' }], g: { message: '' } }), { c: 'x', d: [{ f: 'y' }], g: {} });
  });
});
