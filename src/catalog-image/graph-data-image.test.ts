import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import { isGantryError } from '../errors.js';
import { parseManifest, type Descriptor, type ImageManifest } from '../oci/manifest.js';
import { buildImage, imageBlobs } from '../testing/images.js';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { buildGraphDataImage, GRAPH_DATA_CMD } from './graph-data-image.js';

async function readBlob(store: MemoryStore, desc: Descriptor): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of await store.fetchBlob(desc)) parts.push(c);
  return Buffer.concat(parts);
}

async function tarNames(tgz: Buffer): Promise<{ name: string; mode: number; uid: number }[]> {
  const ex = extract();
  const out: { name: string; mode: number; uid: number }[] = [];
  const done = (async () => {
    for await (const e of ex) {
      out.push({ name: e.header.name, mode: e.header.mode ?? 0, uid: e.header.uid ?? -1 });
      e.resume();
    }
  })();
  Readable.from([gunzipSync(tgz)]).pipe(ex);
  await done;
  return out;
}

test('graph-data image/files under /var/lib/cincinnati-graph-data on the base; CMD copies them; base ENTRYPOINT cleared; reproducible', async () => {
  const base = createMemoryStore({ location: 'memory:base' });
  const img = buildImage({ seed: 'graph-base', layerSizes: [64] });
  for (const b of imageBlobs(img)) await base.pushBlob(b, async () => [b.bytes]);
  await base.pushManifest(img.manifest.bytes, img.manifest.mediaType, 'latest');
  const files = createMemoryTree({ 'channels/stable-4.16.yaml': 'name: stable-4.16\n', version: '1.2.0\n' });
  const dest = createMemoryStore({ location: 'memory:dest' });
  const r = await buildGraphDataImage({ files, base: { store: base, reference: 'latest' }, dest, tag: 'latest' });
  const f = await dest.fetchManifest('latest');
  assert.equal(f.descriptor.digest, r.digest);
  const m = parseManifest(f.bytes, f.descriptor.mediaType) as ImageManifest;
  assert.equal(m.layers.length, img.layers.length + 1, 'the base layers, then the graph-data layer');
  const config = JSON.parse((await readBlob(dest, m.config)).toString());
  assert.deepEqual(config.config.Cmd, [...GRAPH_DATA_CMD]);
  assert.equal(config.config.Entrypoint, undefined);
  const entries = await tarNames(await readBlob(dest, m.layers.at(-1)!));
  assert.deepEqual(entries.map((e) => e.name), ['var/', 'var/lib/', 'var/lib/cincinnati-graph-data/', 'var/lib/cincinnati-graph-data/channels/', 'var/lib/cincinnati-graph-data/channels/stable-4.16.yaml', 'var/lib/cincinnati-graph-data/version']);
  assert.ok(entries.every((e) => e.uid === 0));
  // Same inputs, same digest.
  const again = await buildGraphDataImage({ files, base: { store: base, reference: 'latest' }, dest: createMemoryStore(), tag: 'latest' });
  assert.equal(again.digest, r.digest);
});

test('graph-data image/error/scratch cannot run the copy command', async () => {
  await assert.rejects(
    buildGraphDataImage({ files: createMemoryTree({ version: '1' }), base: 'scratch' as never, dest: createMemoryStore(), tag: 'latest' }),
    (err: unknown) => isGantryError(err, 'USAGE') && /scratch/.test(err.message),
  );
});
