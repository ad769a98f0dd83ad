import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTree, type FileTree } from './file-tree.js';
import { loadCatalog } from './load.js';
import { emptyConfig, type DeclarativeConfig } from './types.js';
import { planCatalogStream, writeCatalogStream, type CatalogInput } from './write-stream.js';
import { writeCatalogFiles, writeCatalogJson, type WriteOptions } from './write.js';

const lines = (...blobs: object[]) => blobs.map((b) => JSON.stringify(b)).join('\n');
const pkg = (name: string) => ({ schema: 'olm.package', name, defaultChannel: 'stable' });
const channel = (p: string, name: string) => ({ schema: 'olm.channel', package: p, name, entries: [{ name: `${p}.v1` }] });
const bundle = (p: string, name: string) => ({ schema: 'olm.bundle', package: p, name, image: `quay.io/${p}:${name}`, properties: [{ type: 'x', value: { b: 1, a: 2 } }] });

/** A tree that logs every read, so a test can see when a file is read relative to what was written. */
function loggedTree(files: Record<string, string>, log: string[]): FileTree {
  const tree = createMemoryTree(files);
  return { list: (o) => tree.list(o), read: (p, o) => (log.push(`read ${p}`), tree.read(p, o)) };
}

async function streamed(inputs: CatalogInput[], opts: WriteOptions = {}, log: string[] = []): Promise<{ text: string; files: Map<string, string> }> {
  const plan = await planCatalogStream(inputs);
  assert.deepEqual(plan.issues.flat(), []);
  let text = '';
  const files = new Map<string, string>();
  let current = '';
  await writeCatalogStream(
    plan,
    {
      group: (p) => {
        log.push(`group ${p}`);
        current = p === '' ? 'catalog.json' : `${p}/catalog.json`;
        files.set(current, '');
      },
      blob: (t) => {
        text += t;
        files.set(current, files.get(current)! + t);
      },
    },
    opts,
  );
  return { text, files };
}

/** The reference: every input loaded whole and merged, then written at once. */
async function whole(inputs: Record<string, string>[], extra?: DeclarativeConfig): Promise<DeclarativeConfig> {
  const merged = emptyConfig();
  const add = (c: DeclarativeConfig) => {
    for (const k of ['packages', 'channels', 'bundles', 'deprecations', 'others'] as const) (merged[k] as unknown[]).push(...c[k]);
  };
  for (const files of inputs) add((await loadCatalog(createMemoryTree(files))).config);
  if (extra) add(extra);
  return merged;
}

const CASES: { name: string; inputs: Record<string, string>[] }[] = [
  { name: 'one file per package', inputs: [{ 'a/catalog.json': lines(pkg('a'), channel('a', 'stable'), bundle('a', 'a.v1')), 'b/catalog.json': lines(pkg('b'), bundle('b', 'b.v1')) }] },
  {
    name: 'packages spread over files that also hold other packages (loaded together)',
    inputs: [
      {
        '1.json': lines(bundle('c', 'c.v2'), pkg('a'), { schema: 'custom.root', name: 'r1' }, bundle('a', 'a.v1')),
        '2.json': lines(pkg('b'), channel('b', 'z'), channel('b', 'a'), { schema: 'zz.custom', package: 'b' }, { schema: 'aa.custom', package: 'b' }),
        '3.yaml': 'schema: olm.package\nname: c\ndefaultChannel: stable\n---\nschema: olm.bundle\npackage: d\nname: d.v1\nimage: i\n---\nschema: olm.bundle\npackage: c\nname: c.v1\nimage: i\n',
        '4.json': lines({ schema: 'custom.root', name: 'r0' }, { schema: 'olm.deprecations', package: 'b', entries: [] }),
      },
    ],
  },
  {
    name: 'one package in several inputs, and blobs with an empty package name',
    inputs: [
      { 'x.json': lines(pkg('a'), bundle('a', 'a.v2'), { schema: 'olm.bundle', name: 'nopkg', image: 'i' }) },
      { 'y.json': lines(bundle('a', 'a.v1'), channel('a', 'stable'), { schema: 'custom.root', package: '', name: 'empty' }) },
    ],
  },
];

for (const c of CASES) {
  test(`write-stream/${c.name}: the same bytes as writing the merged catalog at once`, async () => {
    const config = await whole(c.inputs);
    for (const keyOrder of ['preserve', 'sorted'] as const) {
      const out = await streamed(c.inputs.map((files) => ({ tree: createMemoryTree(files) })), { keyOrder });
      assert.equal(out.text, writeCatalogJson(config, { keyOrder }), keyOrder);
      assert.deepEqual(out.files, writeCatalogFiles(config, { keyOrder }), keyOrder);
    }
  });
}

test('write-stream/rendered bundles in memory merge with catalog files in input order', async () => {
  const files = { 'a.json': lines(pkg('a'), bundle('a', 'a.v1')) };
  const rendered = emptyConfig();
  rendered.bundles.push({ schema: 'olm.bundle', package: 'a', name: 'a.v1', image: 'other', properties: [] }, { schema: 'olm.bundle', package: 'z', name: 'z.v1', image: 'z', properties: [] });
  const out = await streamed([{ config: rendered }, { tree: createMemoryTree(files) }]);
  const reference = emptyConfig();
  reference.bundles.push(...rendered.bundles);
  const fromFiles = await whole([files]);
  reference.packages.push(...fromFiles.packages);
  reference.bundles.push(...fromFiles.bundles);
  assert.equal(out.text, writeCatalogJson(reference));
  // Same name twice: the in-memory one (first input) comes first, as in the merged catalog.
  assert.ok(out.text.indexOf('"image": "other"') < out.text.indexOf('"image": "quay.io/a:a.v1"'));
});

test('write-stream/a package is read only when its turn comes, and only its own files', async () => {
  const log: string[] = [];
  const files = {
    'b/catalog.json': lines(pkg('b'), bundle('b', 'b.v1')),
    'a/catalog.json': lines(pkg('a'), bundle('a', 'a.v1')),
    'c/one.json': lines(pkg('c')),
    'c/two.json': lines(bundle('c', 'c.v1')),
  };
  await streamed([{ tree: loggedTree(files, log) }], {}, log);
  const second = log.slice(log.findIndex((e) => e.startsWith('group')) - 1);
  // The first pass reads every file once; the second reads each package's files just before writing it.
  assert.deepEqual(log.slice(0, 4).sort(), ['read a/catalog.json', 'read b/catalog.json', 'read c/one.json', 'read c/two.json']);
  assert.deepEqual(second, ['read a/catalog.json', 'group a', 'read b/catalog.json', 'group b', 'read c/one.json', 'read c/two.json', 'group c']);
});

test('write-stream/problems of each input are found by the first pass, before anything is written', async () => {
  const plan = await planCatalogStream([
    { tree: createMemoryTree({ 'ok.json': lines(pkg('a')) }) },
    { tree: createMemoryTree({ 'bad.json': '{"schema": "olm.package", "name": 1}\n', 'broken.json': '{\n  "schema": "olm.package",,\n}\n' }) },
  ]);
  assert.deepEqual(plan.issues[0], []);
  assert.deepEqual(plan.issues[1]!.map((i) => `${i.file}:${i.line}`), ['bad.json:1', 'broken.json:2']);
  assert.deepEqual(plan.packages, ['a']);
});
