// resolveDeleteItems over a fake registry: present tags become items by digest (sorted), absent ones are
// skipped, a digest-pinned image whose tag now holds other content is left alone, lookup failures are collected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GantryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import { mirrorDestination, digestTag } from '../generate/destination.js';
import { parseReference } from '../oci/reference.js';
import type { PlacedImage } from '../mirror/plan-mirror.js';
import { createManifestRegistry } from '../testing/manifest-registry.js';
import { resolveDeleteItems } from './plan-delete.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as Digest;
const TARGET = { registry: 'mirror.example', namespace: 'm' };
const planned = (source: string): PlacedImage => {
  const ref = parseReference(source);
  return { source: ref, dest: mirrorDestination(ref, TARGET), naming: {}, kind: 'generic', reasons: [{ additionalImage: source }] };
};

test('plan-delete/resolve: items by digest, sorted; absent skipped; a moved digest tag left alone; failures collected', async () => {
  const reg = createManifestRegistry();
  reg.put('m/z/tool', d(1), '1');
  reg.put('m/a/op', d(2), digestTag(d(2)));
  reg.put('m/a/pinned', d(4), digestTag(d(3))); // the tag sha256-333… now holds 444…
  reg.put('m/a/broken', d(5), '1');
  reg.failOn(d(5), new GantryError('REGISTRY_UNAUTHORIZED', 'no'));
  const images = ['src.example/z/tool:1', `src.example/a/op@${d(2)}`, 'src.example/a/gone:1', `src.example/a/pinned@${d(3)}`, 'src.example/a/broken:1'].map(planned);
  const r = await resolveDeleteItems(images, { storeFor: reg.storeFor });
  assert.deepEqual(r.items, [
    { imageName: `src.example/a/op@${d(2)}`, imageReference: `docker://mirror.example/m/a/op@${d(2)}`, tag: digestTag(d(2)) },
    { imageName: 'src.example/z/tool:1', imageReference: `docker://mirror.example/m/z/tool@${d(1)}`, tag: '1' },
  ]);
  assert.deepEqual(r.skipped.map((s) => [s.image.dest.repository, s.reason, s.found]), [
    ['m/a/gone', 'not-present', undefined],
    ['m/a/pinned', 'digest-changed', d(4)],
  ]);
  assert.deepEqual(r.failed.map((f) => [f.image.dest.repository, (f.error as GantryError).code]), [['m/a/broken', 'REGISTRY_UNAUTHORIZED']]);
  assert.deepEqual(reg.deletes, [], 'phase 1 deletes nothing');
});

// A registry deletes a manifest by digest with every tag on it: a manifest another, kept tag holds is never listed.
const releaseImage = (tag: string, digest: Digest): PlacedImage => ({
  ...planned(`src.example/ocp/art-dev@${digest}`),
  dest: { registry: 'mirror.example', repository: 'm/openshift/release', tag },
});

const sharedCases: { name: string; setup: (reg: ReturnType<typeof createManifestRegistry>) => void; deleting: PlacedImage[]; items: string[]; shared: [string, string[]][]; failed?: string[] }[] = [
  {
    name: 'shared/a z-stream component shared with a kept release stays; the release own one is listed',
    setup: (reg) => {
      reg.put('m/openshift/release', d(1), '4.16.0-x86_64-etcd', '4.16.1-x86_64-etcd');
      reg.put('m/openshift/release', d(2), '4.16.0-x86_64-cli');
      reg.put('m/openshift/release', d(3), '4.16.1-x86_64-cli');
    },
    deleting: [releaseImage('4.16.0-x86_64-etcd', d(1)), releaseImage('4.16.0-x86_64-cli', d(2))],
    items: [`m/openshift/release@${d(2)}`],
    shared: [['4.16.0-x86_64-etcd', ['4.16.1-x86_64-etcd']]],
  },
  {
    name: 'shared/two deleted tags on one manifest, no other: listed',
    setup: (reg) => reg.put('m/openshift/release', d(1), '4.16.0-x86_64-etcd', '4.16.0-x86_64-etcd-copy'),
    deleting: [releaseImage('4.16.0-x86_64-etcd', d(1)), releaseImage('4.16.0-x86_64-etcd-copy', d(1))],
    items: [`m/openshift/release@${d(1)}`, `m/openshift/release@${d(1)}`],
    shared: [],
  },
  {
    name: 'shared/a repository whose tags cannot be listed fails its images; nothing of it is listed',
    setup: (reg) => {
      reg.put('m/openshift/release', d(2), '4.16.0-x86_64-cli');
      reg.put('m/other', d(4), '1');
      reg.failListing('m/openshift/release', new GantryError('REGISTRY_DENIED', 'no listing'));
    },
    deleting: [releaseImage('4.16.0-x86_64-cli', d(2)), planned('src.example/other:1')],
    items: [`m/other@${d(4)}`],
    shared: [],
    failed: ['m/openshift/release'],
  },
];

for (const c of sharedCases) {
  test(`plan-delete/${c.name}`, async () => {
    const reg = createManifestRegistry();
    c.setup(reg);
    const r = await resolveDeleteItems(c.deleting, { storeFor: reg.storeFor });
    assert.deepEqual(r.items.map((i) => i.imageReference.replace('docker://mirror.example/', '')), c.items);
    assert.deepEqual(r.skipped.filter((s) => s.reason === 'shared').map((s) => [s.image.dest.tag, s.keptBy]), c.shared);
    assert.deepEqual(r.failed.map((f) => f.image.dest.repository), c.failed ?? []);
    assert.deepEqual(reg.deletes, []);
  });
}
