import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { HttpRequest } from '../http-handler.js';
import { buildUiCatalog } from './ui-catalog.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import { configFromJsonLines } from '../catalog-query.js';
import { createUiHandler } from './ui-handler.js';

const modes = (supported: string[]) => ['AllNamespaces', 'MultiNamespace', 'OwnNamespace', 'SingleNamespace'].map((type) => ({ type, supported: supported.includes(type) }));
const bundle = (name: string, version: string, extra: Record<string, unknown>[] = []) => ({
  schema: 'olm.bundle',
  package: 'foo',
  name,
  image: `r/foo:${version}`,
  relatedImages: [{ name: 'operator', image: `r/foo-op:${version}` }],
  properties: [
    { type: 'olm.package', value: { packageName: 'foo', version } },
    { type: 'olm.gvk', value: { group: 'foo.io', version: 'v1', kind: 'Foo' } },
    { type: 'olm.csv.metadata', value: { displayName: 'Foo Operator', installModes: modes(['AllNamespaces']), annotations: { description: 'Runs foo.' } } },
    ...extra,
  ],
});
const blobs = [
  { schema: 'olm.package', name: 'foo', defaultChannel: 'stable', icon: { base64data: Buffer.from('<svg/>').toString('base64'), mediatype: 'image/svg+xml' } },
  { schema: 'olm.channel', package: 'foo', name: 'stable', entries: [{ name: 'foo.v1' }, { name: 'foo.v2', replaces: 'foo.v1' }, { name: 'foo.v3', replaces: 'foo.v2' }] },
  bundle('foo.v1', '1.0.0'),
  bundle('foo.v2', '2.0.0', [{ type: 'olm.bundle.object', value: { data: Buffer.from('{"apiVersion":"operators.coreos.com/v1alpha1","kind":"ClusterServiceVersion","metadata":{"name":"foo.v2"}}').toString('base64') } }]),
  bundle('foo.v3', '3.0.0', [{ type: 'olm.package.required', value: { packageName: 'bar', versionRange: '>=1.0.0' } }]),
  { schema: 'olm.package', name: 'bar', defaultChannel: 'alpha' },
  // A manifest that does not read (no apiVersion): the list and the plan say so instead of failing.
  { schema: 'olm.package', name: 'baz', defaultChannel: 'alpha' },
  { schema: 'olm.channel', package: 'baz', name: 'alpha', entries: [{ name: 'baz.v1' }] },
  { schema: 'olm.bundle', package: 'baz', name: 'baz.v1', image: 'r/baz:1', properties: [{ type: 'olm.package', value: { packageName: 'baz', version: '1.0.0' } }, { type: 'olm.bundle.object', value: { data: Buffer.from('{"kind":"ConfigMap"}').toString('base64') } }] },
  { schema: 'olm.deprecations', package: 'bar', entries: [{ reference: { schema: 'olm.package' }, message: 'use foo' }] },
];
const body = Buffer.from(blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
const ui = buildUiCatalog('ops', buildCatalogModel(configFromJsonLines(body)));
const handle = createUiHandler({ catalogs: [ui], assets: new Map([['index.html', { contentType: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html>') }]]) });
const get = (url: string, headers: HttpRequest['headers'] = {}, method = 'GET') => handle({ method, url, headers });
const json = (url: string) => {
  const r = get(url);
  return { status: r!.status, body: JSON.parse(r!.body.toString()) as Record<string, any> };
};

test('ui-handler/the package list summarises the default channel head, precomputed', () => {
  const { status, body } = json('/ui/api/catalogs/ops/packages');
  assert.equal(status, 200);
  assert.deepEqual(body.packages.map((p: { name: string }) => p.name), ['bar', 'baz', 'foo']);
  const foo = body.packages[2];
  assert.equal(body.packages[1].olmV1, false);
  assert.match(body.packages[1].olmV1Reason, /apiVersion/);
  assert.equal(foo.head, 'foo.v3');
  assert.equal(foo.version, '3.0.0');
  assert.equal(foo.displayName, 'Foo Operator');
  assert.equal(foo.summary, 'Runs foo.');
  assert.deepEqual(foo.installModes, ['AllNamespaces']);
  assert.deepEqual(foo.apis, ['Foo (foo.io/v1)']);
  // OLM v1 refuses olm.package.required dependencies.
  assert.equal(foo.olmV1, false);
  assert.match(foo.olmV1Reason, /olm\.package\.required/);
  assert.equal(body.packages[0].deprecated, true);
  const zipped = get('/ui/api/catalogs/ops/packages', { 'accept-encoding': 'gzip, br' })!;
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString()), body);
});

test('ui-handler/package, bundle, graph and catalogs endpoints', () => {
  const pkg = json('/ui/api/catalogs/ops/packages/foo').body;
  assert.deepEqual(pkg.bundles.map((b: { version: string }) => b.version), ['3.0.0', '2.0.0', '1.0.0']);
  assert.deepEqual(pkg.channels, [{ name: 'stable', head: 'foo.v3', heads: ['foo.v3'], deprecated: null, entries: 3 }]);
  const b = json('/ui/api/catalogs/ops/packages/foo/bundles/foo.v2').body;
  assert.deepEqual(b.relatedImages, [{ name: 'operator', image: 'r/foo-op:2.0.0' }]);
  // A manifest is summarised, not sent whole.
  assert.deepEqual(b.properties.at(-1).value.kind, 'ClusterServiceVersion');
  assert.equal(b.properties.at(-1).value.name, 'foo.v2');
  const g = json('/ui/api/catalogs/ops/packages/foo/channels/stable/graph').body;
  assert.deepEqual(g.rows.map((r: { name: string }) => r.name), ['foo.v3', 'foo.v2', 'foo.v1']);
  assert.equal(json('/ui/api/catalogs').body.catalogs[0].bundles, 4);
  const icon = get('/ui/api/catalogs/ops/packages/foo/icon')!;
  assert.equal(icon.headers['content-type'], 'image/svg+xml');
  assert.match(icon.headers['content-security-policy']!, /sandbox/);
});

test('ui-handler/plan: the resolution, the check, and why there is no YAML', () => {
  const r = json('/ui/api/catalogs/ops/plan?package=foo&channel=stable&version=%3C3.0.0');
  assert.equal(r.status, 200);
  assert.equal(r.body.resolution.bundle.name, 'foo.v2');
  assert.ok(r.body.resolution.rejected.some((x: { bundle: string; reason: string }) => x.bundle === 'foo.v3' && x.reason === 'outside-range'));
  assert.equal(r.body.check.olmVersion, '1.10');
  // foo.v2 carries only its CSV, not every manifest the set needs... but enough to be a bundle: the set is refused with a code.
  assert.ok(r.body.set.refused ?? r.body.set.yaml);
  const none = json('/ui/api/catalogs/ops/plan?package=foo&version=%3E9.0.0');
  assert.equal(none.body.resolution.bundle, null);
  assert.equal(none.body.set, null);
  const bad = json('/ui/api/catalogs/ops/plan?package=foo&version=1.2%20-%201.4');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'USAGE');
  assert.equal(json('/ui/api/catalogs/ops/plan?package=foo&olmVersion=9.9').body.error.code, 'USAGE');
  // foo.v3 needs a package (olm.package.required), which OLM v1 refuses: no YAML for it.
  const refused = json('/ui/api/catalogs/ops/plan?package=foo');
  assert.equal(refused.body.resolution.bundle.name, 'foo.v3');
  assert.equal(refused.body.check.installable, false);
  assert.equal(refused.body.set.refused.code, 'NOT_INSTALLABLE');
  const unreadable = json('/ui/api/catalogs/ops/plan?package=baz');
  assert.equal(unreadable.body.resolution.bundle.name, 'baz.v1');
  assert.equal(unreadable.body.check.installable, false);
  assert.equal(unreadable.body.set.refused.code, 'MANIFEST_INVALID');
});

test('ui-handler/routing: the page, errors as JSON, other paths left to catalogd', async (t) => {
  const cases: { name: string; url: string; method?: string; status: number | undefined }[] = [
    { name: 'the page at /', url: '/', status: 200 },
    { name: 'a missing asset', url: '/ui/assets/nope.js', status: 404 },
    { name: 'POST to the page', url: '/', method: 'POST', status: 405 },
    { name: 'unknown catalog', url: '/ui/api/catalogs/nope/packages', status: 404 },
    { name: 'unknown package', url: '/ui/api/catalogs/ops/packages/nope', status: 404 },
    { name: 'unknown bundle', url: '/ui/api/catalogs/ops/packages/foo/bundles/nope', status: 404 },
    { name: 'unknown channel', url: '/ui/api/catalogs/ops/packages/foo/channels/nope/graph', status: 404 },
    { name: 'bad percent-encoding', url: '/ui/api/catalogs/%E0%A4%A/packages', status: 400 },
    { name: 'unknown endpoint', url: '/ui/api/nope', status: 404 },
    { name: 'catalogd paths are not the UI\'s', url: '/catalogs/ops/api/v1/all', status: undefined },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = get(c.url, {}, c.method ?? 'GET');
      assert.equal(r?.status, c.status);
      if (r && c.url.startsWith('/ui/api/')) assert.equal(typeof (JSON.parse(r.body.toString()) as { error: { code: string } }).error.code, 'string');
    });
  }
});
