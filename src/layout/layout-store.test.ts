// Tests of the OCI layout Store: the conformance suite, then what only a layout promises — index.json contents,
// atomic writes that leave no temp files, LAYOUT_INVALID for broken layouts, and stale temp file cleanup.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isGantryError, type ErrorCode } from '../errors.js';
import { digestHex, sha256, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import type { BlobOpener } from '../content/store.js';
import { describeStoreConformance } from '../testing/store-suite.js';
import { REF_NAME_ANNOTATION } from './layout-index.js';
import { createLayoutStore } from './layout-store.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gantry-layout-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  return join(scratch, randomBytes(6).toString('hex'));
}

describeStoreConformance('layout', async () => {
  const dir = await freshDir();
  return { store: createLayoutStore({ path: dir, create: true }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

// ---- helpers -------------------------------------------------------------------------------------------

function blobOf(bytes: Buffer, mediaType: string = MediaType.ociLayer): { bytes: Buffer; desc: Descriptor } {
  return { bytes, desc: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

const openBytes = (bytes: Uint8Array): BlobOpener => async () => (async function* () { yield bytes; })();

interface Pushed {
  manifest: Buffer;
  desc: Descriptor;
}

/** Pushes a config + one layer + manifest under `reference` (a tag or "digest" for by-digest). */
async function pushImage(store: ReturnType<typeof createLayoutStore>, reference: string | 'digest'): Promise<Pushed> {
  const layer = blobOf(randomBytes(2048), MediaType.ociLayerGzip);
  const config = blobOf(Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', n: randomBytes(4).toString('hex') })), MediaType.ociConfig);
  await store.pushBlob(layer.desc, openBytes(layer.bytes));
  await store.pushBlob(config.desc, openBytes(config.bytes));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: config.desc, layers: [layer.desc] }));
  const desc = { mediaType: MediaType.ociManifest, digest: sha256(manifest), size: manifest.length };
  await store.pushManifest(manifest, MediaType.ociManifest, reference === 'digest' ? desc.digest : reference);
  return { manifest, desc };
}

async function readIndex(dir: string): Promise<{ manifests: Descriptor[]; [k: string]: unknown }> {
  return JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
}

/** Every temp file anywhere in the layout. */
async function tempFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.includes('.tmp-')) found.push(join(d, e.name));
    }
  };
  await walk(dir);
  return found;
}

const isCode = (code: ErrorCode) => (e: unknown) => isGantryError(e, code);

// ---- layout-specific cases -----------------------------------------------------------------------------

describe('layout store', () => {
  test('layout/create-initialises-structure', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    assert.deepEqual(await store.listTags(), []);
    assert.equal(await readFile(join(dir, 'oci-layout'), 'utf8'), '{"imageLayoutVersion":"1.0.0"}');
    assert.deepEqual(await readIndex(dir), { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
    assert.ok((await stat(join(dir, 'blobs'))).isDirectory());
    assert.equal(store.location, `oci:${dir}`);
  });

  test('layout/index-json-entries', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const one = await pushImage(store, 'one');
    const two = await pushImage(store, 'two');
    const three = await pushImage(store, 'quay.io/org/app:3.0');
    const entry = (p: Pushed, name: string) => ({ ...p.desc, annotations: { [REF_NAME_ANNOTATION]: name } });
    assert.deepEqual((await readIndex(dir)).manifests, [entry(one, 'one'), entry(two, 'two'), entry(three, 'quay.io/org/app:3.0')]);
    // Re-tagging replaces in place: order is insertion order, identical inputs give identical bytes.
    const moved = await pushImage(store, 'two');
    assert.deepEqual((await readIndex(dir)).manifests, [entry(one, 'one'), entry(moved, 'two'), entry(three, 'quay.io/org/app:3.0')]);
    // Manifests are blobs.
    assert.ok((await readFile(join(dir, 'blobs', 'sha256', digestHex(one.desc.digest)))).equals(one.manifest));
    assert.deepEqual(await store.listTags(), ['one', 'quay.io/org/app:3.0', 'two']);
  });

  test('layout/digest-push-roots', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const image = await pushImage(store, 'digest');
    await store.pushManifest(image.manifest, MediaType.ociManifest, image.desc.digest);
    assert.deepEqual((await readIndex(dir)).manifests, [image.desc], 'one untagged entry, added once');
    await store.pushManifest(image.manifest, MediaType.ociManifest, 'v1');
    assert.deepEqual((await readIndex(dir)).manifests, [{ ...image.desc, annotations: { [REF_NAME_ANNOTATION]: 'v1' } }], 'the tag replaces the untagged root');
  });

  test('layout/index-push-leaves-one-entry', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const children = [await pushImage(store, 'digest'), await pushImage(store, 'digest')];
    assert.equal((await readIndex(dir)).manifests.length, 2);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: children.map((c) => c.desc) }));
    await store.pushManifest(index, MediaType.ociIndex, 'multi');
    const manifests = (await readIndex(dir)).manifests;
    assert.deepEqual(manifests.map((d) => [d.digest, d.annotations?.[REF_NAME_ANNOTATION]]), [[sha256(index), 'multi']], 'children are reached through the index, as skopeo leaves them');
    for (const c of children) assert.equal((await store.fetchManifest(c.desc.digest)).descriptor.mediaType, MediaType.ociManifest);
  });

  test('layout/unindexed-manifest-by-digest', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const docker = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifestList, manifests: [] }));
    const desc = { mediaType: MediaType.dockerManifestList, digest: sha256(docker), size: docker.length };
    await store.pushBlob(desc, openBytes(docker));
    assert.deepEqual(await store.statManifest(desc.digest), desc, 'media type read from the manifest itself');
    const layer = blobOf(randomBytes(100));
    await store.pushBlob(layer.desc, openBytes(layer.bytes));
    assert.equal(await store.statManifest(layer.desc.digest), undefined, 'a layer is not a manifest');
    await assert.rejects(store.fetchManifest(layer.desc.digest), isCode('MANIFEST_UNKNOWN'));
  });

  test('layout/sha512-manifest', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const image = await pushImage(store, 'digest');
    const { createHash } = await import('node:crypto');
    const digest = `sha512:${createHash('sha512').update(image.manifest).digest('hex')}` as Digest;
    const desc = await store.pushManifest(image.manifest, MediaType.ociManifest, digest);
    assert.equal(desc.digest, digest);
    assert.ok((await readFile(join(dir, 'blobs', 'sha512', digestHex(digest)))).equals(image.manifest));
    assert.ok(Buffer.from((await store.fetchManifest(digest)).bytes).equals(image.manifest));
  });

  test('layout/corrupt-manifest-detected', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const image = await pushImage(store, 'v1');
    const file = join(dir, 'blobs', 'sha256', digestHex(image.desc.digest));
    await writeFile(file, image.manifest.toString().replace('"schemaVersion":2', '"schemaVersion":2 '));
    await assert.rejects(store.fetchManifest('v1'), isCode('DIGEST_MISMATCH'));
  });

  test('layout/invalid-ref-name', async () => {
    const store = createLayoutStore({ path: await freshDir(), create: true });
    await assert.rejects(pushImage(store, 'bad tag'), isCode('REF_INVALID'));
    await assert.rejects(pushImage(store, 'a//b'), isCode('REF_INVALID'));
  });

  test('layout/no-temp-files-after-success-or-failure', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    await pushImage(store, 'v1');
    const blob = blobOf(randomBytes(300_000));
    await assert.rejects(store.pushBlob(blob.desc, openBytes(randomBytes(300_000))), isCode('DIGEST_MISMATCH'));
    await assert.rejects(store.pushBlob(blob.desc, openBytes(blob.bytes.subarray(1))), isCode('SIZE_MISMATCH'));
    const failing: BlobOpener = async () =>
      (async function* () {
        yield blob.bytes.subarray(0, 1000);
        throw new Error('upstream connection reset');
      })();
    await assert.rejects(store.pushBlob(blob.desc, failing), (e: unknown) => isGantryError(e) && e.message.includes('upstream connection reset'));
    const controller = new AbortController();
    const aborting: BlobOpener = async () =>
      (async function* () {
        yield blob.bytes.subarray(0, 1000);
        controller.abort();
        yield blob.bytes.subarray(1000);
      })();
    await assert.rejects(store.pushBlob(blob.desc, aborting, { signal: controller.signal }), isCode('ABORTED'));
    assert.deepEqual(await tempFiles(dir), []);
    assert.equal(await store.statBlob(blob.desc.digest), undefined);
    assert.deepEqual((await readdir(join(dir, 'blobs', 'sha256'))).length, 3, 'config, layer and manifest only');
  });

  test('layout/file-system-errors-are-io-errors', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    await pushImage(store, 'v1');
    // A file where the blob directory should be: writes fail with a file system error, reported as IO_ERROR.
    await rm(join(dir, 'blobs', 'sha512'), { recursive: true, force: true });
    await writeFile(join(dir, 'blobs', 'sha512'), 'not a directory');
    const bytes = randomBytes(1000);
    const { createHash } = await import('node:crypto');
    const digest = `sha512:${createHash('sha512').update(bytes).digest('hex')}` as Digest;
    await assert.rejects(store.pushBlob({ mediaType: MediaType.ociLayer, digest, size: bytes.length }, openBytes(bytes)), (e: unknown) => {
      assert.ok(isGantryError(e, 'IO_ERROR'), String(e));
      assert.match(e.message, /\bE[A-Z]+: /, 'the errno is named');
      return true;
    });
  });

  test('layout/concurrent-pushes-open-once-across-stores', async () => {
    const dir = await freshDir();
    const stores = [createLayoutStore({ path: dir, create: true }), createLayoutStore({ path: dir, create: true })];
    const blob = blobOf(randomBytes(2 * 1024 * 1024));
    let opened = 0;
    const open: BlobOpener = async () => {
      opened++;
      return (async function* () {
        for (let off = 0; off < blob.bytes.length; off += 65536) {
          await new Promise((r) => setImmediate(r));
          yield blob.bytes.subarray(off, off + 65536);
        }
      })();
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.pushBlob(blob.desc, open)));
    assert.equal(opened, 1, 'one write, nine waiters');
    assert.deepEqual(await tempFiles(dir), []);
  });

  test('layout/concurrent-tags-all-recorded', async () => {
    const dir = await freshDir();
    const stores = [createLayoutStore({ path: dir, create: true }), createLayoutStore({ path: dir, create: true })];
    const image = await pushImage(stores[0]!, 'digest');
    const tags = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    await Promise.all(tags.map((t, i) => stores[i % 2]!.pushManifest(image.manifest, MediaType.ociManifest, t)));
    assert.deepEqual(await stores[1]!.listTags(), tags, 'no lost update');
    assert.equal((await readIndex(dir)).manifests.length, tags.length);
    assert.deepEqual(await tempFiles(dir), []);
  });

  test('layout/sees-changes-by-other-writers', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const image = await pushImage(store, 'v1');
    const index = await readIndex(dir);
    index.manifests.push({ ...image.desc, annotations: { [REF_NAME_ANNOTATION]: 'added-by-skopeo' } });
    index.annotations = { 'org.example': 'kept' };
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    assert.equal((await store.statManifest('added-by-skopeo'))?.digest, image.desc.digest);
    await pushImage(store, 'v2');
    const after = await readIndex(dir);
    assert.deepEqual(after.annotations, { 'org.example': 'kept' }, 'unknown index.json fields are carried through');
    assert.deepEqual(await store.listTags(), ['added-by-skopeo', 'v1', 'v2']);
  });

  test('layout/stale-temp-files', async () => {
    const dir = await freshDir();
    const store = createLayoutStore({ path: dir, create: true });
    const image = await pushImage(store, 'v1');
    const staleBlob = join(dir, 'blobs', 'sha256', '.tmp-deadbeef');
    const staleIndex = join(dir, 'index.json.tmp-deadbeef');
    await writeFile(staleBlob, 'half a layer');
    await writeFile(staleIndex, '{"schemaVer');
    // Readers never look at temp files.
    assert.deepEqual(await store.listTags(), ['v1']);
    assert.equal((await store.fetchManifest('v1')).descriptor.digest, image.desc.digest);
    // A write in flight keeps its temp file while stale ones go.
    const blob = blobOf(randomBytes(100_000));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const writing = new Promise<void>((r) => (started = r));
    const push = store.pushBlob(blob.desc, async () =>
      (async function* () {
        yield blob.bytes.subarray(0, 50_000);
        started();
        await gate;
        yield blob.bytes.subarray(50_000);
      })(),
    );
    await writing;
    const inflight = (await tempFiles(dir)).filter((p) => p !== staleBlob && p !== staleIndex);
    assert.equal(inflight.length, 1, 'the in-flight write has a temp file');
    assert.deepEqual(await store.cleanTempFiles({ minAgeMs: 60_000 }), [], 'fresh files are spared with minAgeMs');
    assert.deepEqual(await store.cleanTempFiles(), [staleBlob, staleIndex].sort());
    assert.deepEqual(await tempFiles(dir), inflight);
    release();
    await push;
    assert.equal(await store.statBlob(blob.desc.digest), blob.bytes.length);
    assert.deepEqual(await tempFiles(dir), []);
  });

  describe('invalid layouts', () => {
    test('layout-invalid/no-oci-layout-file', async () => {
      const dir = await freshDir();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
      for (const create of [false, true]) {
        await assert.rejects(
          createLayoutStore({ path: dir, create }).listTags(),
          (e: unknown) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes(join(dir, 'oci-layout')),
          `create: ${create}`,
        );
      }
    });

    test('layout-invalid/unparseable-index', async () => {
      const dir = await freshDir();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manif');
      const store = createLayoutStore({ path: dir, create: true });
      for (const op of [() => store.listTags(), () => store.statManifest('v1'), () => store.statBlob(sha256('x'))]) {
        await assert.rejects(op(), (e: unknown) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes(join(dir, 'index.json')));
      }
      assert.equal(await readFile(join(dir, 'index.json'), 'utf8'), '{"schemaVersion":2,"manif', 'never overwritten');
    });

    test('layout-invalid/index-broken-after-open', async () => {
      const store = createLayoutStore({ path: await freshDir(), create: true });
      await pushImage(store, 'v1');
      await writeFile(join(store.path, 'index.json'), 'garbage');
      await assert.rejects(store.fetchManifest('v1'), (e: unknown) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes('index.json'));
      await assert.rejects(pushImage(store, 'v2'), isCode('LAYOUT_INVALID'));
    });

    test('layout-invalid/bad-oci-layout', async () => {
      for (const [name, content] of [['json', '{'], ['version', '{"imageLayoutVersion":"2.0.0"}'], ['missing-version', '{}']] as const) {
        const dir = await freshDir();
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'oci-layout'), content);
        await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
        await assert.rejects(
          createLayoutStore({ path: dir }).listTags(),
          (e: unknown) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes(join(dir, 'oci-layout')),
          name,
        );
      }
    });

    test('layout-invalid/missing-index-without-create', async () => {
      const dir = await freshDir();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      await assert.rejects(createLayoutStore({ path: dir }).listTags(), (e: unknown) => isGantryError(e, 'LAYOUT_INVALID') && e.message.includes('index.json'));
      assert.deepEqual(await createLayoutStore({ path: dir, create: true }).listTags(), [], 'create adds the missing index.json');
    });

    test('layout-invalid/not-a-directory', async () => {
      const file = await freshDir();
      await mkdir(scratch, { recursive: true });
      await writeFile(file, 'x');
      await assert.rejects(createLayoutStore({ path: file, create: true }).listTags(), isCode('LAYOUT_INVALID'));
    });

    test('layout-invalid/missing-directory', async () => {
      const dir = await freshDir();
      const store = createLayoutStore({ path: dir });
      await assert.rejects(store.listTags(), isCode('NOT_FOUND'));
      await assert.rejects(stat(dir), 'nothing was created');
      // A failed open is retried: once the layout exists, the same store works.
      await createLayoutStore({ path: dir, create: true }).listTags();
      assert.deepEqual(await store.listTags(), []);
    });
  });
});
