// neededPackages: the listed packages plus, transitively, every provider of what they require.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { filesOf, neededPackages, scanDependencies } from './needed-packages.js';

const bundle = (pkg: string, name: string, props: { type: string; value: unknown }[]) => JSON.stringify({ schema: 'olm.bundle', package: pkg, name, image: `x/${name}`, properties: props });
const gvk = (kind: string) => ({ group: 'g.io', version: 'v1', kind });

const tree = createMemoryTree({
  'a/catalog.json': [JSON.stringify({ schema: 'olm.package', name: 'a' }), bundle('a', 'a.v1', [{ type: 'olm.gvk.required', value: gvk('B') }])].join('\n'),
  'b/catalog.json': bundle('b', 'b.v1', [{ type: 'olm.gvk', value: gvk('B') }, { type: 'olm.package.required', value: { packageName: 'c', versionRange: '>=1' } }]),
  'b2/catalog.json': bundle('b2', 'b2.v1', [{ type: 'olm.gvk', value: gvk('B') }]),
  'c/catalog.json': bundle('c', 'c.v1', []),
  'd/catalog.json': bundle('d', 'd.v1', [{ type: 'olm.gvk.required', value: gvk('A') }]),
  'notes.json': JSON.stringify({ schema: 'custom.thing', value: 1 }),
});

test('needed-packages/required APIs and packages are followed transitively, to every provider', async () => {
  const deps = await scanDependencies(tree);
  assert.deepEqual([...neededPackages(['a'], deps)].sort(), ['a', 'b', 'b2', 'c']);
  assert.deepEqual([...neededPackages(['d'], deps)].sort(), ['d'], 'nothing provides A');
  assert.deepEqual([...neededPackages(['zz'], deps)], ['zz']);
});

test('needed-packages/files: those of needed packages, and files holding no package blobs', async () => {
  const deps = await scanDependencies(tree);
  const keep = filesOf(new Set(['c']), deps);
  assert.deepEqual(['a/catalog.json', 'c/catalog.json', 'notes.json'].filter(keep), ['c/catalog.json', 'notes.json']);
});

test('needed-packages/a streamed scan (objects cut across pieces, YAML, unindented JSON) equals a whole-file scan', async () => {
  const files: Record<string, string> = {
    'a/catalog.json': [JSON.stringify({ schema: 'olm.package', name: 'a' }, null, 2), JSON.stringify(JSON.parse(bundle('a', 'a.v1', [{ type: 'olm.gvk.required', value: gvk('B') }])), null, 2)].join('\n'),
    'b/catalog.json': bundle('b', 'b.v1', [{ type: 'olm.gvk', value: gvk('B') }]), // one line: not an indented stream
    'c/catalog.yaml': 'schema: olm.bundle\npackage: c\nname: c.v1\nimage: x/c\nproperties:\n- type: olm.gvk\n  value: {group: g.io, version: v1, kind: C}\n',
  };
  const whole = createMemoryTree(files);
  const streamed = {
    ...whole,
    async *stream(path: string) {
      const bytes = Buffer.from(files[path]!);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    },
  };
  const a = await scanDependencies(whole);
  const b = await scanDependencies(streamed);
  assert.deepEqual(b, a);
  assert.deepEqual([...neededPackages(['a'], b)].sort(), ['a', 'b']);
  assert.ok(b.get('c')?.provides.has('g.io/v1/C'));
});
