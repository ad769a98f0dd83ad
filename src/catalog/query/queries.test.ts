import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from '../fbc/file-tree.js';
import { loadCatalog } from '../fbc/load.js';
import { buildQueryIndex } from './catalog-index.js';
import { channelVersions, listBundles, listChannels, listPackages } from './queries.js';
import { isGantryError } from '../../errors.js';

const csvObject = (webhooks: boolean, modes: string[]) =>
  Buffer.from(
    JSON.stringify({
      kind: 'ClusterServiceVersion',
      spec: {
        displayName: 'X',
        installModes: ['AllNamespaces', 'OwnNamespace'].map((type) => ({ type, supported: modes.includes(type) })),
        ...(webhooks ? { webhookdefinitions: [{ type: 'ValidatingAdmissionWebhook' }] } : {}),
      },
    }),
  ).toString('base64');

function bundle(pkg: string, version: string, props: unknown[]) {
  return { schema: 'olm.bundle', package: pkg, name: `${pkg}.v${version}`, image: `quay.io/x/${pkg}:${version}`, properties: [{ type: 'olm.package', value: { packageName: pkg, version } }, ...props] };
}

const blobs = [
  { schema: 'olm.package', name: 'meta', defaultChannel: 'stable' },
  { schema: 'olm.channel', package: 'meta', name: 'stable', entries: [{ name: 'meta.v1.10.0', replaces: 'meta.v1.9.0' }, { name: 'meta.v1.9.0' }] },
  { schema: 'olm.channel', package: 'meta', name: 'fast', entries: [{ name: 'meta.v1.9.0' }] },
  bundle('meta', '1.9.0', [{ type: 'olm.csv.metadata', value: { installModes: [{ type: 'AllNamespaces', supported: true }] } }]),
  bundle('meta', '1.10.0', [{ type: 'olm.csv.metadata', value: { installModes: [{ type: 'AllNamespaces', supported: false }, { type: 'OwnNamespace', supported: true }] } }]),
  { schema: 'olm.package', name: 'obj', defaultChannel: 'alpha' },
  { schema: 'olm.channel', package: 'obj', name: 'alpha', entries: [{ name: 'obj.v2.0.0' }] },
  bundle('obj', '2.0.0', [{ type: 'olm.bundle.object', value: { data: csvObject(false, ['AllNamespaces']) } }]),
  { schema: 'olm.package', name: 'hooks', defaultChannel: 'alpha' },
  { schema: 'olm.channel', package: 'hooks', name: 'alpha', entries: [{ name: 'hooks.v1.0.0' }] },
  bundle('hooks', '1.0.0', [{ type: 'olm.bundle.object', value: { data: csvObject(true, ['AllNamespaces']) } }]),
  { schema: 'olm.deprecations', package: 'meta', entries: [{ reference: { schema: 'olm.channel', name: 'fast' }, message: 'use stable' }, { reference: { schema: 'olm.bundle', name: 'meta.v1.9.0' }, message: 'old' }] },
];

async function index() {
  const { config } = await loadCatalog(createMemoryTree({ 'c.json': blobs.map((b) => JSON.stringify(b)).join('\n') }));
  return buildQueryIndex(config);
}

test('query/packages with default-channel heads, sorted by name', async () => {
  const r = listPackages(await index());
  assert.deepEqual(r.rows.map((p) => [p.package, p.head, p.headVersion]), [['hooks', 'hooks.v1.0.0', '1.0.0'], ['meta', 'meta.v1.10.0', '1.10.0'], ['obj', 'obj.v2.0.0', '2.0.0']]);
});

test('query/install mode and webhook filters; unknown information is counted, not guessed', async () => {
  const all = listPackages(await index(), { installMode: 'AllNamespaces' });
  assert.deepEqual(all.rows.map((p) => p.package), ['hooks', 'obj'], 'meta head 1.10.0 dropped AllNamespaces');
  const both = listPackages(await index(), { installMode: 'allnamespaces', noWebhooks: true });
  assert.deepEqual(both.rows.map((p) => p.package), ['obj']);
  assert.equal(both.unknown, 0, 'meta fails the install mode before webhooks matter');
  const noHooks = listPackages(await index(), { noWebhooks: true });
  assert.deepEqual(noHooks.rows.map((p) => p.package), ['obj']);
  assert.equal(noHooks.unknown, 1, 'meta only has olm.csv.metadata, which says nothing about webhooks');
  const b = listBundles(await index(), { installMode: 'AllNamespaces' });
  assert.deepEqual(b.rows.map((x) => x.bundle), ['hooks.v1.0.0', 'meta.v1.9.0', 'obj.v2.0.0']);
});

test('query/versions in a channel in semver order, deprecations, channel errors with a hint', async () => {
  const idx = await index();
  assert.deepEqual(channelVersions(idx, 'meta').map((b) => b.version), ['1.9.0', '1.10.0']);
  assert.deepEqual(listBundles(idx, { deprecated: true }).rows.map((b) => b.bundle), ['meta.v1.9.0']);
  assert.deepEqual(listChannels(idx, { package: 'meta' }).rows.map((c) => [c.channel, c.isDefault, c.deprecated]), [['fast', false, 'use stable'], ['stable', true, null]]);
  assert.throws(() => channelVersions(idx, 'meta', 'beta'), (e: unknown) => isGantryError(e, 'NOT_FOUND') && /fast, stable/.test(e.hint ?? ''));
  assert.throws(() => channelVersions(idx, 'met'), (e: unknown) => isGantryError(e, 'NOT_FOUND') && /meta/.test(e.hint ?? ''));
});

test('query/bundle facts fill what the catalog lacks; the images to read are listed; the catalog wins', async () => {
  const idx = await index();
  const before = listPackages(idx, { noWebhooks: true });
  assert.deepEqual(before.unknownImages, ['quay.io/x/meta:1.10.0']);
  const facts = new Map([
    ['quay.io/x/meta:1.10.0', { webhooks: [], installModes: ['AllNamespaces'] }],
    // The catalog says hooks has webhooks (its CSV is in olm.bundle.object): a contrary image fact is ignored.
    ['quay.io/x/hooks:1.0.0', { webhooks: [], installModes: ['AllNamespaces'] }],
  ]);
  const after = listPackages(idx, { noWebhooks: true }, { bundleFacts: facts });
  assert.deepEqual(after.rows.map((p) => p.package), ['meta', 'obj']);
  assert.equal(after.unknown, 0);
  assert.deepEqual(after.unknownImages, []);
  // Install modes stay the catalog's (meta.v1.10.0 lacks AllNamespaces there), webhooks come from the image.
  const bundles = listBundles(idx, { package: 'meta' }, { bundleFacts: facts });
  assert.deepEqual(bundles.rows.map((b) => [b.bundle, b.webhooks, b.installModes]), [
    ['meta.v1.9.0', null, ['AllNamespaces']],
    ['meta.v1.10.0', false, ['OwnNamespace']],
  ]);
  const noHooks = listBundles(idx, { noWebhooks: true });
  assert.deepEqual(noHooks.unknownImages, ['quay.io/x/meta:1.10.0', 'quay.io/x/meta:1.9.0']);
});
