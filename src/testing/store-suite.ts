// The Store conformance suite: one node:test suite every Store implementation (memory, layout, registry) must
// pass. Content is built inline from random bytes, so each case is independent of fixtures and of other stores.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { isGantryError, type ErrorCode } from '../errors.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/manifest.js';
import { MediaType } from '../oci/media-types.js';
import { canListTags, type BlobOpener, type Store } from '../content/store.js';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
  /**
   * Whether pushManifest refuses manifests whose blobs or children are missing. Default true; registries that
   * accept dangling manifests (some do) set false and the 'manifest/missing-references' cases are skipped.
   */
  checksReferences?: boolean;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

interface Blob {
  bytes: Buffer;
  descriptor: Descriptor;
}

const MiB = 1024 * 1024;

function makeBlob(bytes: Buffer, mediaType: string = MediaType.ociLayer): Blob {
  return { bytes, descriptor: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

function randomBlob(size: number, mediaType?: string): Blob {
  return makeBlob(randomBytes(size), mediaType);
}

/** An opener yielding `bytes` in chunks of `chunkSize`, as a network or file source would. */
function openBytes(bytes: Uint8Array, chunkSize = 256 * 1024): BlobOpener {
  return async () =>
    (async function* () {
      for (let off = 0; off < bytes.length; off += chunkSize) {
        yield bytes.subarray(off, Math.min(bytes.length, off + chunkSize));
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Asserts that `p` rejects with a GantryError whose code is one of `codes`. */
async function assertFailsWith(p: Promise<unknown>, ...codes: ErrorCode[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isGantryError(err), `expected a GantryError, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected code ${codes.join(' or ')}, got ${err.code}: ${err.message}`);
    return true;
  });
}

async function pushBlob(store: Store, blob: Blob): Promise<void> {
  await store.pushBlob(blob.descriptor, openBytes(blob.bytes));
}

type ImageFormat = 'oci' | 'docker';

interface Image {
  manifest: Buffer;
  descriptor: Descriptor;
  blobs: Blob[];
}

/** A config and one layer, and the manifest naming them, in OCI or Docker schema2 media types. */
function makeImage(format: ImageFormat, layerSize = 1024): Image {
  const oci = format === 'oci';
  const layer = randomBlob(layerSize, oci ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip);
  const config = makeBlob(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(randomBytes(8))] } })),
    oci ? MediaType.ociConfig : MediaType.dockerConfig,
  );
  const mediaType = oci ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType, config: config.descriptor, layers: [layer.descriptor] }),
  );
  return { manifest, descriptor: { mediaType, digest: sha256(manifest), size: manifest.length }, blobs: [config, layer] };
}

async function pushImage(store: Store, image: Image, reference: string): Promise<Descriptor> {
  for (const b of image.blobs) await pushBlob(store, b);
  return store.pushManifest(image.manifest, image.descriptor.mediaType, reference);
}

function makeIndex(children: Descriptor[], mediaType: string = MediaType.ociIndex): { bytes: Buffer; descriptor: Descriptor } {
  const arches = ['amd64', 'arm64', 's390x', 'ppc64le'];
  const manifests = children.map((c, i) => ({ ...c, platform: { architecture: arches[i % arches.length], os: 'linux' } }));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }));
  return { bytes, descriptor: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

function uniqueTag(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

function abortedSignal(): AbortSignal {
  const c = new AbortController();
  c.abort();
  return c.signal;
}

/**
 * Registers the conformance cases for the Store `factory` makes. Every case gets a fresh store from the factory
 * and cleans it up, whatever the outcome.
 */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  const withStore = (fn: (sut: StoreUnderTest) => Promise<void>) => async () => {
    const sut = await factory();
    try {
      await fn(sut);
    } finally {
      await sut.cleanup();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    for (const size of [0, 1, 3 * MiB]) {
      test(`blob/push-then-fetch/${size}B`, withStore(async ({ store }) => {
        const blob = randomBlob(size);
        let pushed = 0;
        await store.pushBlob(blob.descriptor, openBytes(blob.bytes), { onBytes: (n) => (pushed += n) });
        assert.equal(pushed, size, 'onBytes counts every pushed byte');
        assert.equal(await store.statBlob(blob.descriptor.digest), size);
        let fetched = 0;
        const bytes = await readAll(await store.fetchBlob(blob.descriptor, { onBytes: (n) => (fetched += n) }));
        assert.ok(bytes.equals(blob.bytes), 'fetched bytes equal pushed bytes');
        assert.equal(fetched, size, 'onBytes counts every fetched byte');
      }));
    }

    test('blob/opener-returns-array', withStore(async ({ store }) => {
      const blob = randomBlob(4096);
      // `async () => [bytes]` is the simplest opener; stores must take any iterable for-await accepts.
      const open = (async () => [blob.bytes.subarray(0, 100), blob.bytes.subarray(100)]) as unknown as BlobOpener;
      await store.pushBlob(blob.descriptor, open);
      assert.equal(await store.statBlob(blob.descriptor.digest), 4096);
    }));

    test('blob/digest-mismatch', withStore(async ({ store }) => {
      const blob = randomBlob(64 * 1024);
      const other = randomBytes(64 * 1024);
      await assertFailsWith(store.pushBlob(blob.descriptor, openBytes(other)), 'DIGEST_MISMATCH');
      assert.equal(await store.statBlob(blob.descriptor.digest), undefined, 'nothing is committed');
      await assertFailsWith(store.fetchBlob(blob.descriptor), 'BLOB_UNKNOWN');
    }));

    test('blob/size-mismatch', withStore(async ({ store }) => {
      const blob = randomBlob(10_000);
      const short = { ...blob.descriptor, size: blob.bytes.length + 1 };
      await assertFailsWith(store.pushBlob(short, openBytes(blob.bytes)), 'SIZE_MISMATCH');
      const long = { ...blob.descriptor, size: blob.bytes.length - 1 };
      await assertFailsWith(store.pushBlob(long, openBytes(blob.bytes)), 'SIZE_MISMATCH');
      assert.equal(await store.statBlob(blob.descriptor.digest), undefined, 'nothing is committed');
    }));

    test('blob/push-twice', withStore(async ({ store }) => {
      const blob = randomBlob(100_000);
      await pushBlob(store, blob);
      await pushBlob(store, blob);
      assert.ok((await readAll(await store.fetchBlob(blob.descriptor))).equals(blob.bytes));
    }));

    test('blob/push-concurrently-10x', withStore(async ({ store }) => {
      const blob = randomBlob(MiB);
      await Promise.all(Array.from({ length: 10 }, () => store.pushBlob(blob.descriptor, openBytes(blob.bytes, 64 * 1024))));
      assert.equal(await store.statBlob(blob.descriptor.digest), MiB);
      assert.ok((await readAll(await store.fetchBlob(blob.descriptor))).equals(blob.bytes));
    }));

    test('blob/concurrent-bad-and-good-push', withStore(async ({ store }) => {
      // A failed push of a digest must not fail a concurrent, correct push of the same digest.
      const blob = randomBlob(512 * 1024);
      const [bad, good] = await Promise.allSettled([
        store.pushBlob(blob.descriptor, openBytes(randomBytes(blob.bytes.length))),
        store.pushBlob(blob.descriptor, openBytes(blob.bytes)),
      ]);
      assert.equal(bad.status, 'rejected');
      assert.equal(good.status, 'fulfilled', good.status === 'rejected' ? String(good.reason) : '');
      assert.ok((await readAll(await store.fetchBlob(blob.descriptor))).equals(blob.bytes));
    }));

    test('blob/missing', withStore(async ({ store }) => {
      const blob = randomBlob(10);
      assert.equal(await store.statBlob(blob.descriptor.digest), undefined);
      await assertFailsWith(store.fetchBlob(blob.descriptor), 'BLOB_UNKNOWN');
    }));

    for (const format of ['oci', 'docker'] as const) {
      test(`manifest/${format}/push-by-tag`, withStore(async ({ store }) => {
        const image = makeImage(format);
        const tag = uniqueTag(format);
        const pushed = await pushImage(store, image, tag);
        assert.deepEqual(pushed, image.descriptor);
        for (const ref of [tag, image.descriptor.digest]) {
          const fetched = await store.fetchManifest(ref);
          assert.ok(Buffer.from(fetched.bytes).equals(image.manifest), `bytes by ${ref}`);
          assert.equal(fetched.descriptor.mediaType, image.descriptor.mediaType);
          assert.equal(fetched.descriptor.digest, image.descriptor.digest);
          assert.equal(fetched.descriptor.size, image.descriptor.size);
          const stat = await store.statManifest(ref);
          assert.ok(stat);
          assert.equal(stat.mediaType, image.descriptor.mediaType);
          assert.equal(stat.digest, image.descriptor.digest);
          assert.equal(stat.size, image.descriptor.size);
        }
        for (const b of image.blobs) assert.equal(await store.statBlob(b.descriptor.digest), b.descriptor.size);
      }));
    }

    test('manifest/push-by-digest', withStore(async ({ store }) => {
      const image = makeImage('oci');
      const pushed = await pushImage(store, image, image.descriptor.digest);
      assert.deepEqual(pushed, image.descriptor);
      const fetched = await store.fetchManifest(image.descriptor.digest);
      assert.ok(Buffer.from(fetched.bytes).equals(image.manifest));
      assert.equal(fetched.descriptor.mediaType, MediaType.ociManifest);
    }));

    test('manifest/push-twice', withStore(async ({ store }) => {
      const image = makeImage('oci');
      const tag = uniqueTag('twice');
      await pushImage(store, image, tag);
      await pushImage(store, image, tag);
      assert.equal((await store.statManifest(tag))?.digest, image.descriptor.digest);
    }));

    test('manifest/digest-reference-mismatch', withStore(async ({ store }) => {
      const image = makeImage('oci');
      for (const b of image.blobs) await pushBlob(store, b);
      const wrong = sha256(randomBytes(16));
      await assertFailsWith(store.pushManifest(image.manifest, MediaType.ociManifest, wrong), 'DIGEST_MISMATCH', 'DIGEST_INVALID');
      assert.equal(await store.statManifest(wrong), undefined);
    }));

    test('manifest/missing', withStore(async ({ store }) => {
      const tag = uniqueTag('absent');
      const digest = sha256(randomBytes(16));
      assert.equal(await store.statManifest(tag), undefined);
      assert.equal(await store.statManifest(digest), undefined);
      await assertFailsWith(store.fetchManifest(tag), 'MANIFEST_UNKNOWN');
      await assertFailsWith(store.fetchManifest(digest), 'MANIFEST_UNKNOWN');
    }));

    for (const [label, indexType, format] of [
      ['oci-index', MediaType.ociIndex, 'oci'],
      ['docker-manifest-list', MediaType.dockerManifestList, 'docker'],
    ] as const) {
      test(`manifest/${label}`, withStore(async ({ store }) => {
        const images = [makeImage(format), makeImage(format)];
        for (const image of images) await pushImage(store, image, image.descriptor.digest);
        const index = makeIndex(images.map((i) => i.descriptor), indexType);
        const tag = uniqueTag('multi');
        assert.deepEqual(await store.pushManifest(index.bytes, indexType, tag), index.descriptor);
        const fetched = await store.fetchManifest(tag);
        assert.ok(Buffer.from(fetched.bytes).equals(index.bytes));
        assert.deepEqual(fetched.descriptor, index.descriptor);
        assert.deepEqual(await store.statManifest(index.descriptor.digest), index.descriptor);
        for (const image of images) {
          const child = await store.fetchManifest(image.descriptor.digest);
          assert.ok(Buffer.from(child.bytes).equals(image.manifest));
          assert.equal(child.descriptor.mediaType, image.descriptor.mediaType);
        }
      }));
    }

    test('manifest/missing-references/blob', async (t) => {
      const sut = await factory();
      try {
        if (sut.checksReferences === false) return t.skip('store does not check references');
        const { store } = sut;
        const image = makeImage('oci');
        await pushBlob(store, image.blobs[0]!); // the config, not the layer
        const tag = uniqueTag('dangling');
        await assertFailsWith(store.pushManifest(image.manifest, MediaType.ociManifest, tag), 'BLOB_UNKNOWN', 'MANIFEST_UNKNOWN');
        assert.equal(await store.statManifest(tag), undefined);
      } finally {
        await sut.cleanup();
      }
    });

    test('manifest/missing-references/child', async (t) => {
      const sut = await factory();
      try {
        if (sut.checksReferences === false) return t.skip('store does not check references');
        const { store } = sut;
        const present = makeImage('oci');
        await pushImage(store, present, present.descriptor.digest);
        const index = makeIndex([present.descriptor, makeImage('oci').descriptor]);
        const tag = uniqueTag('dangling');
        await assertFailsWith(store.pushManifest(index.bytes, MediaType.ociIndex, tag), 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN');
        assert.equal(await store.statManifest(tag), undefined);
      } finally {
        await sut.cleanup();
      }
    });

    test('manifest/retag-moves-tag', withStore(async ({ store }) => {
      const first = makeImage('oci');
      const second = makeImage('oci');
      const tag = uniqueTag('moving');
      await pushImage(store, first, tag);
      await pushImage(store, second, tag);
      const fetched = await store.fetchManifest(tag);
      assert.equal(fetched.descriptor.digest, second.descriptor.digest);
      assert.ok(Buffer.from(fetched.bytes).equals(second.manifest));
      assert.equal((await store.statManifest(first.descriptor.digest))?.digest, first.descriptor.digest, 'the old manifest stays reachable by digest');
    }));

    test('tags/list', withStore(async ({ store }) => {
      if (!canListTags(store)) return;
      const image = makeImage('oci');
      const other = makeImage('docker');
      const tags = [uniqueTag('b'), uniqueTag('a'), uniqueTag('c')];
      await pushImage(store, image, tags[0]!);
      await pushImage(store, image, tags[1]!);
      await pushImage(store, other, tags[2]!);
      await pushImage(store, other, tags[2]!);
      await pushImage(store, image, image.descriptor.digest);
      const listed = await store.listTags();
      for (const t of tags) assert.ok(listed.includes(t), `${t} listed`);
      assert.equal(new Set(listed).size, listed.length, 'no duplicates');
      assert.ok(!listed.some((t) => t.startsWith('sha256:')), 'digest pushes are not tags');
    }));

    test('abort/already-aborted', withStore(async ({ store }) => {
      const signal = abortedSignal();
      const image = makeImage('oci');
      const blob = image.blobs[1]!;
      await assertFailsWith(store.pushBlob(blob.descriptor, openBytes(blob.bytes), { signal }), 'ABORTED');
      assert.equal(await store.statBlob(blob.descriptor.digest), undefined, 'an aborted push commits nothing');
      await pushImage(store, image, 'present');
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['statBlob', () => store.statBlob(blob.descriptor.digest, { signal })],
        ['fetchBlob', () => store.fetchBlob(blob.descriptor, { signal })],
        ['statManifest', () => store.statManifest('present', { signal })],
        ['fetchManifest', () => store.fetchManifest('present', { signal })],
        ['pushManifest', () => store.pushManifest(image.manifest, MediaType.ociManifest, 'other', { signal })],
      ];
      if (canListTags(store)) calls.push(['listTags', () => store.listTags({ signal })]);
      for (const [label, call] of calls) {
        await assert.rejects(call(), (err: unknown) => isGantryError(err, 'ABORTED'), `${label} rejects with ABORTED`);
      }
      assert.equal(await store.statManifest('other'), undefined, 'an aborted manifest push tags nothing');
    }));

    test('abort/during-push', withStore(async ({ store }) => {
      const blob = randomBlob(MiB);
      const controller = new AbortController();
      // The source delivers half the blob and then stalls, as a hung upstream would: the abort must still end the push.
      const open: BlobOpener = async () =>
        (async function* () {
          yield blob.bytes.subarray(0, MiB / 2);
          controller.abort();
          await new Promise<never>(() => {});
        })();
      await assertFailsWith(store.pushBlob(blob.descriptor, open, { signal: controller.signal }), 'ABORTED');
      assert.equal(await store.statBlob(blob.descriptor.digest), undefined);
      await pushBlob(store, blob);
      assert.equal(await store.statBlob(blob.descriptor.digest), MiB, 'a later push succeeds');
    }));

    test('abort/during-fetch', withStore(async ({ store }) => {
      const blob = randomBlob(3 * MiB);
      await pushBlob(store, blob);
      const controller = new AbortController();
      const stream = await store.fetchBlob(blob.descriptor, { signal: controller.signal });
      await assert.rejects(
        (async () => {
          let n = 0;
          for await (const chunk of stream) {
            n += chunk.byteLength;
            controller.abort();
          }
          return n;
        })(),
        (err: unknown) => isGantryError(err, 'ABORTED'),
      );
    }));

    test('digest/invalid', withStore(async ({ store }) => {
      await assertFailsWith(store.statBlob('sha256:../../etc/passwd' as Digest), 'DIGEST_INVALID');
    }));
  });
}
