import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { isGantryError } from '../errors.js';
import { createMemoryTree, type FileTree } from '../catalog/fbc/file-tree.js';
import { buildCatalogLayer, catalogTarEntries, fixGzipHeader } from './catalog-layer.js';

const FILES = {
  'b/catalog.json': '{"schema":"olm.package","name":"b"}\n',
  'a/catalog.yaml': 'schema: olm.package\nname: a\n',
  'a/sub/extra.json': '{}',
  'a-b.json': '[]',
};

interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  body: string;
}

async function readTar(tar: Uint8Array): Promise<TarEntry[]> {
  const ex = extract();
  const out: TarEntry[] = [];
  const done = (async () => {
    for await (const e of ex) {
      const parts: Buffer[] = [];
      for await (const c of e) parts.push(c as Buffer);
      const h = e.header;
      out.push({ name: h.name, type: h.type, mode: h.mode, uid: h.uid, gid: h.gid, uname: h.uname, gname: h.gname, mtime: h.mtime.getTime() / 1000, body: Buffer.concat(parts).toString('utf8') });
    }
  })();
  ex.end(Buffer.from(tar));
  await done;
  return out;
}

/** The same files, listed in reverse order: the layer must not depend on the tree's walk order. */
function reversedTree(files: Record<string, string>): FileTree {
  const t = createMemoryTree(files);
  return { list: async () => (await t.list()).reverse(), read: (p) => t.read(p) };
}

test('layer/same files give the same bytes, whatever the listing order', async () => {
  const a = await buildCatalogLayer(createMemoryTree(FILES));
  const b = await buildCatalogLayer(reversedTree(FILES));
  assert.equal(a.digest, b.digest);
  assert.equal(a.diffId, b.diffId);
  assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
  assert.equal(a.size, a.bytes.length);
  assert.equal(a.files, 4);
  assert.equal(a.digest, `sha256:${createHash('sha256').update(a.bytes).digest('hex')}`);
  assert.equal(a.diffId, `sha256:${createHash('sha256').update(gunzipSync(a.bytes)).digest('hex')}`);
});

test('layer/gzip header: deflate, no flags, mtime 0, OS 255 (unknown)', async () => {
  const { bytes } = await buildCatalogLayer(createMemoryTree(FILES));
  assert.deepEqual([...bytes.subarray(0, 4)], [0x1f, 0x8b, 8, 0]);
  assert.deepEqual([...bytes.subarray(4, 8)], [0, 0, 0, 0]);
  assert.equal(bytes[9], 0xff);
});

test('layer/tar entries: sorted byte-wise, directories first, 0755/0644, root owner, no names, epoch times', async () => {
  const { bytes } = await buildCatalogLayer(createMemoryTree(FILES));
  const entries = await readTar(gunzipSync(bytes));
  assert.deepEqual(
    entries.map((e) => e.name),
    // '-' (0x2d) sorts before '/' (0x2f): Go's byte order on the full names, not a per-directory walk.
    ['configs/', 'configs/a-b.json', 'configs/a/', 'configs/a/catalog.yaml', 'configs/a/sub/', 'configs/a/sub/extra.json', 'configs/b/', 'configs/b/catalog.json'],
  );
  for (const e of entries) {
    assert.equal(e.mode, e.type === 'directory' ? 0o755 : 0o644, e.name);
    assert.deepEqual([e.uid, e.gid, e.uname, e.gname, e.mtime], [0, 0, '', '', 0], e.name);
  }
  assert.equal(entries.find((e) => e.name === 'configs/b/catalog.json')?.body, FILES['b/catalog.json']);
});

test('layer/source date epoch sets every mtime and changes the diffID', async () => {
  const base = await buildCatalogLayer(createMemoryTree(FILES), { compression: 'none' });
  const later = await buildCatalogLayer(createMemoryTree(FILES), { compression: 'none', sourceDateEpoch: 1_700_000_000 });
  assert.notEqual(base.diffId, later.diffId);
  assert.ok((await readTar(later.bytes)).every((e) => e.mtime === 1_700_000_000));
});

test("layer/compression 'none': the blob is the tar, digest = diffID", async () => {
  const l = await buildCatalogLayer(createMemoryTree(FILES), { compression: 'none' });
  assert.equal(l.digest, l.diffId);
  assert.equal(l.compression, 'none');
  const gz = await buildCatalogLayer(createMemoryTree(FILES));
  assert.equal(gz.diffId, l.diffId);
});

test('layer/PAX headers only for names ustar cannot hold', async () => {
  const plain = await buildCatalogLayer(createMemoryTree({ [`${'d'.repeat(90)}/${'f'.repeat(90)}.json`]: '{}' }), { compression: 'none' });
  // A long ASCII name still fits ustar's prefix+name fields: no 'x' typeflag anywhere.
  assert.ok(!Buffer.from(plain.bytes).includes('PaxHeader'));
  const unicode = await buildCatalogLayer(createMemoryTree({ 'pkg/ç.json': '{}' }), { compression: 'none' });
  assert.ok(Buffer.from(unicode.bytes).includes('PaxHeader'));
  assert.deepEqual((await readTar(unicode.bytes)).map((e) => e.name), ['configs/', 'configs/pkg/', 'configs/pkg/ç.json']);
});

const BAD_PATHS: Array<[string, string[]]> = [
  ['error/parent segment', ['../x.json']],
  ['error/absolute', ['/etc/passwd']],
  ['error/empty segment', ['a//b.json']],
  ['error/dot segment', ['./a.json']],
  ['error/backslash', ['a\\b.json']],
  ['error/file and directory', ['a', 'a/b.json']],
  ['error/no files', []],
];
for (const [name, paths] of BAD_PATHS) {
  test(`layer/${name}`, () => {
    assert.throws(() => catalogTarEntries(paths), (e: unknown) => isGantryError(e, 'USAGE'));
  });
}

test('layer/error/invalid source date epoch', async () => {
  for (const v of [-1, 1.5, Number.NaN, 2 ** 40]) {
    await assert.rejects(buildCatalogLayer(createMemoryTree(FILES), { sourceDateEpoch: v }), (e: unknown) => isGantryError(e, 'USAGE'));
  }
});

test('layer/error/a file that cannot be read fails the build with its error', async () => {
  const tree: FileTree = {
    list: async () => ['a.json', 'b.json'],
    read: async (p) => {
      if (p === 'b.json') throw new Error('disk on fire');
      return new Uint8Array(3);
    },
  };
  await assert.rejects(buildCatalogLayer(tree), /disk on fire/);
});

test('layer/error/cancelled build rejects with ABORTED', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(buildCatalogLayer(createMemoryTree(FILES), { signal: ac.signal }), (e: unknown) => isGantryError(e, 'ABORTED'));
});

test('layer/fixGzipHeader pins mtime and OS, refuses headers with flags', () => {
  const h = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 0, 3, ...new Array(10).fill(0)]);
  const fixed = fixGzipHeader(h);
  assert.deepEqual([...fixed.subarray(4, 10)], [0, 0, 0, 0, 0, 0xff]);
  const named = Buffer.from([0x1f, 0x8b, 8, 0x08, ...new Array(16).fill(0)]);
  assert.throws(() => fixGzipHeader(named), (e: unknown) => isGantryError(e, 'INTERNAL'));
});
