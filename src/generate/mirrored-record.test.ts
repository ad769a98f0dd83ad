import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference } from '../oci/reference.js';
import { sha256 } from '../oci/digest.js';
import type { MirroredImage } from './cluster-resources.js';
import { mergeMirrored, mirroredKey, parseMirrored, serializeMirrored } from './mirrored-record.js';

const D = (s: string) => sha256(s);

function rec(source: string, dest: string, kind: MirroredImage['kind'], digest = D(source)): MirroredImage {
  return { source: parseReference(source, { defaultTag: null }), dest: parseReference(dest), digest, kind };
}

const run1: MirroredImage[] = [
  rec('quay.io/org/operator:v1', 'mirror.example.com/ocp/org/operator:v1', 'operator'),
  rec('mirror.example.com/ocp/redhat/index:v4.16', 'mirror.example.com/ocp/redhat/index:v4.16', 'catalog', D('catalog-1')),
  rec('docker.io/library/busybox:1.36', 'mirror.example.com/ocp/library/busybox:1.36', 'generic'),
];
const run2: MirroredImage[] = [
  rec('mirror.example.com/ocp/redhat/index:v4.16', 'mirror.example.com/ocp/redhat/index:v4.16', 'catalog', D('catalog-2')),
  rec(`quay.io/org/bundle@${D('b')}`, `mirror.example.com/ocp/org/bundle:sha256-${D('b').slice(7)}`, 'operator', D('b')),
];

test('record/merge: union by destination, current wins, sorted by destination', () => {
  const merged = mergeMirrored(run1, run2);
  assert.deepEqual(merged.map(mirroredKey), [
    'mirror.example.com/ocp/library/busybox:1.36',
    `mirror.example.com/ocp/org/bundle:sha256-${D('b').slice(7)}`,
    'mirror.example.com/ocp/org/operator:v1',
    'mirror.example.com/ocp/redhat/index:v4.16',
  ]);
  assert.equal(merged.find((m) => m.kind === 'catalog')!.digest, D('catalog-2'), 'the catalog tag now points at the new build');
  assert.deepEqual(mergeMirrored(run1, run2), merged, 'deterministic');
  assert.deepEqual(mergeMirrored([...run1].reverse(), run2), merged, 'order of the previous record does not matter');
  assert.deepEqual(mergeMirrored([], run1).map(mirroredKey), [...run1].map(mirroredKey).sort());
  assert.equal(run1[1]!.digest, D('catalog-1'), 'inputs are not changed');
});

test('record/merge: within one list the later entry for a destination wins', () => {
  const a = rec('quay.io/a/x:1', 'm.example.com/x:1', 'generic', D('first'));
  const b = rec('quay.io/b/x:1', 'm.example.com/x:1', 'generic', D('second'));
  assert.deepEqual(mergeMirrored([], [a, b]), [b]);
  assert.deepEqual(mergeMirrored([b], [a]), [a]);
});

test('record/round trip: serialize → parse gives the same records; bytes are stable and sorted', () => {
  const images = [
    ...mergeMirrored(run1, run2),
    // A bare host (no dot, no port) as the CLI accepts for docker://mirror/ns: text would read it as Docker Hub.
    { source: parseReference('quay.io/a/b:1'), dest: { registry: 'mirror', repository: 'ns/a/b', tag: '1' }, digest: D('bare'), kind: 'generic' as const },
    { source: parseReference('registry.example.com/rel@' + D('r'), { defaultTag: null }), dest: { registry: '[::1]:5000', repository: 'openshift/release-images', tag: '4.16.1-x86_64' }, digest: D('r'), kind: 'release' as const },
  ];
  const text = serializeMirrored(images);
  const back = parseMirrored(text, 'mirrored.json');
  assert.deepEqual(back.issues, []);
  assert.deepEqual(back.images, [...images].sort((a, b) => (mirroredKey(a) < mirroredKey(b) ? -1 : 1)));
  assert.equal(serializeMirrored(back.images!), text, 'byte-identical');
  assert.equal(serializeMirrored([...images].reverse()), text, 'input order does not matter');
  const json = JSON.parse(text) as { version: number; images: Record<string, unknown>[] };
  assert.equal(json.version, 1);
  assert.deepEqual(Object.keys(json.images[0]!), ['source', 'dest', 'digest', 'kind']);
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(parseMirrored(serializeMirrored([]), 'f').images, []);
});

const good = JSON.parse(serializeMirrored(run1)) as { version: number; images: Record<string, unknown>[] };
const withImage = (patch: Record<string, unknown>) => JSON.stringify({ version: 1, images: [{ ...good.images[0], ...patch }] });

const malformed: { name: string; text: string; want: [string, string][] }[] = [
  { name: 'error/not JSON', text: '{"version": 1, "images": [', want: [['RECORD_SYNTAX', '']] },
  { name: 'error/not an object', text: '[]', want: [['RECORD_INVALID', '']] },
  { name: 'error/version missing', text: '{"images": []}', want: [['RECORD_VERSION', 'version']] },
  { name: 'error/newer version', text: '{"version": 2, "images": []}', want: [['RECORD_VERSION', 'version']] },
  { name: 'error/images not a list', text: '{"version": 1, "images": {}}', want: [['RECORD_INVALID', 'images']] },
  { name: 'error/record not an object', text: '{"version": 1, "images": ["x"]}', want: [['RECORD_INVALID', 'images[0]']] },
  { name: 'error/bad digest', text: withImage({ digest: 'sha256:abc' }), want: [['RECORD_INVALID', 'images[0].digest']] },
  { name: 'error/bad kind', text: withImage({ kind: 'helm' }), want: [['RECORD_INVALID', 'images[0].kind']] },
  { name: 'error/dest missing', text: withImage({ dest: undefined }), want: [['RECORD_INVALID', 'images[0].dest']] },
  { name: 'error/bad dest tag', text: withImage({ dest: { registry: 'm.example.com', repository: 'x', tag: '-bad' } }), want: [['RECORD_INVALID', 'images[0].dest.tag']] },
  { name: 'error/bad repository', text: withImage({ source: { registry: 'quay.io', repository: 'Org/X' } }), want: [['RECORD_INVALID', 'images[0].source.repository']] },
  { name: 'error/bad registry', text: withImage({ source: { registry: 'quay.io/org', repository: 'x' } }), want: [['RECORD_INVALID', 'images[0].source.registry']] },
  {
    name: 'error/every bad record is reported',
    text: JSON.stringify({ version: 1, images: [{ ...good.images[0], kind: 'x' }, good.images[1], { ...good.images[2], digest: 1 }] }),
    want: [['RECORD_INVALID', 'images[0].kind'], ['RECORD_INVALID', 'images[2].digest']],
  },
];

for (const c of malformed) {
  test(`record/${c.name}`, () => {
    const r = parseMirrored(c.text, 'ws/mirrored.json');
    assert.equal(r.images, undefined);
    assert.deepEqual(r.issues.map((i) => [i.code, i.path]), c.want);
    for (const i of r.issues) {
      assert.equal(i.file, 'ws/mirrored.json');
      assert.ok(i.message.length > 0 && i.hint);
    }
  });
}

test('record/newer version says to upgrade; unknown fields are ignored', () => {
  assert.match(parseMirrored('{"version": 2, "images": []}', 'f').issues[0]!.hint!, /newer gantry/);
  const r = parseMirrored(JSON.stringify({ version: 1, note: 'x', images: [{ ...good.images[0], extra: true }] }), 'f');
  assert.deepEqual(r.issues, []);
  assert.equal(r.images!.length, 1);
});
