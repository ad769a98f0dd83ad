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
