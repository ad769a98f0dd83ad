// Interoperability of the layout store with the reference clients: layouts we write are read, copied and
// unpacked by skopeo and umoci; layouts skopeo and umoci write are read by us with identical digests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sha256, verifyStream, type Digest } from '../src/oci/digest.js';
import { parseManifest, type Descriptor } from '../src/oci/manifest.js';
import { MediaType } from '../src/oci/media-types.js';
import type { Store } from '../src/content/store.js';
import { createLayoutStore, parseLayoutReference } from '../src/layout/index.js';

const TOOL_TIMEOUT_MS = 60_000;

interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a reference tool with a timeout; a failure reports its stderr. */
function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: TOOL_TIMEOUT_MS, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr.toString()}`));
      else resolve({ stdout, stderr: stderr.toString() });
    });
  });
}

async function hasTool(cmd: string): Promise<boolean> {
  return run(cmd, ['--version']).then(
    () => true,
    () => false,
  );
}

// ---- a real image, built by hand ---------------------------------------------------------------------------

/** One ustar header block (POSIX.1-1988): name, mode, uid/gid, size, mtime, checksum, type, magic. */
function tarHeader(name: string, size: number, type: '0' | '5', mode: number): Buffer {
  const h = Buffer.alloc(512);
  const octal = (offset: number, length: number, value: number): void => {
    h.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
  };
  h.write(name, 0, 100, 'utf8');
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1_700_000_000);
  h.write('        ', 148, 8, 'ascii'); // the checksum is computed with its own field as spaces
  h.write(type, 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

function makeTar(files: Array<{ name: string; content: Buffer }>): Buffer {
  const parts: Buffer[] = [tarHeader('etc/', 0, '5', 0o755)];
  for (const f of files) {
    parts.push(tarHeader(f.name, f.content.length, '0', 0o644), f.content, Buffer.alloc((512 - (f.content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

interface Built {
  bytes: Buffer;
  descriptor: Descriptor;
}

function built(bytes: Buffer, mediaType: string): Built {
  return { bytes, descriptor: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

interface Image {
  manifest: Built;
  blobs: Built[];
  fileName: string;
  fileContent: Buffer;
}

function makeImage(architecture: string): Image {
  const fileContent = Buffer.from(`hello from gantry on ${architecture}\n`);
  const fileName = 'etc/gantry-release';
  const tar = makeTar([{ name: fileName, content: fileContent }]);
  const layer = built(gzipSync(tar), MediaType.ociLayerGzip);
  const config = built(
    Buffer.from(
      JSON.stringify({
        created: '2024-01-01T00:00:00Z',
        architecture,
        os: 'linux',
        config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        history: [{ created: '2024-01-01T00:00:00Z', created_by: 'gantry interop test' }],
      }),
    ),
    MediaType.ociConfig,
  );
  const manifest = built(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: config.descriptor, layers: [layer.descriptor] })),
    MediaType.ociManifest,
  );
  return { manifest, blobs: [config, layer], fileName, fileContent };
}

async function pushImage(store: Store, image: Image, reference: string): Promise<Descriptor> {
  for (const b of image.blobs) await store.pushBlob(b.descriptor, async () => (async function* () { yield b.bytes; })());
  return store.pushManifest(image.manifest.bytes, MediaType.ociManifest, reference);
}

/** Reads every blob a manifest (tree) references through `store`, verifying each against its digest. */
async function verifyTree(store: Store, reference: string): Promise<number> {
  const { descriptor, bytes } = await store.fetchManifest(reference);
  const m = parseManifest(bytes, descriptor.mediaType);
  let count = 1;
  if (m.kind === 'index') {
    for (const child of m.manifests) count += await verifyTree(store, child.digest);
    return count;
  }
  for (const blob of [m.config, ...m.layers]) {
    for await (const _ of verifyStream(await store.fetchBlob(blob), blob.digest, blob.size)) {
      // verifyStream throws on a mismatch after the last chunk
    }
    count++;
  }
  return count;
}

// ---- tests -----------------------------------------------------------------------------------------------------

let scratch: string;
let skopeo = false;
let umoci = false;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gantry-interop-'));
  [skopeo, umoci] = await Promise.all([hasTool('skopeo'), hasTool('umoci')]);
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const dir = (name: string): string => join(scratch, name);

describe('layout interop', () => {
  test('interop/skopeo-reads-our-layout', async (t) => {
    if (!skopeo) return t.skip('skopeo not installed');
    const store = createLayoutStore({ path: dir('ours-inspect'), create: true });
    const image = makeImage('amd64');
    const desc = await pushImage(store, image, 'v1');
    const raw = (await run('skopeo', ['inspect', '--raw', `oci:${store.path}:v1`])).stdout;
    assert.ok(raw.equals(image.manifest.bytes), 'skopeo returns our manifest bytes');
    assert.equal(sha256(raw), desc.digest);
    const info = JSON.parse((await run('skopeo', ['inspect', `oci:${store.path}:v1`])).stdout.toString()) as { Digest: string; Architecture: string; Layers: string[] };
    assert.equal(info.Digest, desc.digest);
    assert.equal(info.Architecture, 'amd64');
    assert.deepEqual(info.Layers, [image.blobs[1]!.descriptor.digest]);
  });

  test('interop/skopeo-and-we-agree-on-oci-reference-syntax', async (t) => {
    if (!skopeo) return t.skip('skopeo not installed');
    const store = createLayoutStore({ path: dir('ours-refname'), create: true });
    const image = makeImage('amd64');
    // A ref name holding ":" and "/": the path ends at the first colon for both of us.
    const text = `oci:${store.path}:quay.io/org/app:1.0`;
    const { reference } = parseLayoutReference(text);
    assert.equal(reference, 'quay.io/org/app:1.0');
    const desc = await pushImage(store, image, reference!);
    assert.equal(sha256((await run('skopeo', ['inspect', '--raw', text])).stdout), desc.digest);
  });

  test('interop/skopeo-copies-our-layout-and-we-read-its-copy', async (t) => {
    if (!skopeo) return t.skip('skopeo not installed');
    const ours = createLayoutStore({ path: dir('ours-copy'), create: true });
    const image = makeImage('amd64');
    const desc = await pushImage(ours, image, 'v1');
    const theirsPath = dir('theirs-copy');
    await run('skopeo', ['--insecure-policy', 'copy', '--quiet', `oci:${ours.path}:v1`, `oci:${theirsPath}:v1`]);
    // The layout skopeo wrote, read by us.
    const theirs = createLayoutStore({ path: theirsPath });
    const fetched = await theirs.fetchManifest('v1');
    assert.equal(fetched.descriptor.digest, desc.digest, 'skopeo kept the manifest byte for byte');
    assert.equal(fetched.descriptor.mediaType, MediaType.ociManifest);
    assert.deepEqual(await theirs.listTags(), ['v1']);
    assert.equal(await verifyTree(theirs, 'v1'), 3);
  });

  test('interop/umoci-unpacks-our-layout', async (t) => {
    if (!umoci) return t.skip('umoci not installed');
    const store = createLayoutStore({ path: dir('ours-umoci'), create: true });
    const image = makeImage('amd64');
    await pushImage(store, image, 'v1');
    const bundle = dir('bundle');
    await run('umoci', ['unpack', '--rootless', '--image', `${store.path}:v1`, bundle]);
    assert.ok((await readFile(join(bundle, 'rootfs', image.fileName))).equals(image.fileContent));
    const runtimeConfig = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as { process?: { args?: string[] } };
    assert.deepEqual(runtimeConfig.process?.args, ['/bin/sh'], 'umoci read our image config');
  });

  test('interop/multi-arch-index-round-trip', async (t) => {
    if (!skopeo) return t.skip('skopeo not installed');
    const ours = createLayoutStore({ path: dir('ours-index'), create: true });
    const images = [makeImage('amd64'), makeImage('arm64')];
    const children: Descriptor[] = [];
    for (const [i, image] of images.entries()) {
      const d = await pushImage(ours, image, image.manifest.descriptor.digest);
      children.push({ ...d, platform: { architecture: i === 0 ? 'amd64' : 'arm64', os: 'linux' } });
    }
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: children }));
    const indexDesc = await ours.pushManifest(index, MediaType.ociIndex, 'multi');
    assert.ok((await run('skopeo', ['inspect', '--raw', `oci:${ours.path}:multi`])).stdout.equals(index));
    const arm = JSON.parse((await run('skopeo', ['--override-arch', 'arm64', 'inspect', `oci:${ours.path}:multi`])).stdout.toString()) as {
      Digest: string;
      Architecture: string;
      Layers: string[];
    };
    // skopeo reports the digest it was pointed at (the index) and the image it resolved for the platform.
    assert.equal(arm.Digest, indexDesc.digest);
    assert.equal(arm.Architecture, 'arm64');
    assert.deepEqual(arm.Layers, [images[1]!.blobs[1]!.descriptor.digest], 'skopeo resolved the arm64 child through our index');
    const theirsPath = dir('theirs-index');
    await run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--all', `oci:${ours.path}:multi`, `oci:${theirsPath}:multi`]);
    const theirs = createLayoutStore({ path: theirsPath });
    assert.equal((await theirs.fetchManifest('multi')).descriptor.digest, indexDesc.digest);
    assert.equal((await theirs.fetchManifest('multi')).descriptor.mediaType, MediaType.ociIndex);
    assert.equal(await verifyTree(theirs, 'multi'), 1 + 2 * 3);
  });

  test('interop/umoci-layout-read-and-extended', async (t) => {
    if (!umoci) return t.skip('umoci not installed');
    const path = dir('umoci-layout');
    await run('umoci', ['init', '--layout', path]);
    await run('umoci', ['new', '--image', `${path}:fresh`]);
    const store = createLayoutStore({ path });
    const fresh = await store.fetchManifest('fresh');
    assert.equal(fresh.descriptor.mediaType, MediaType.ociManifest);
    assert.equal(sha256(fresh.bytes), fresh.descriptor.digest as Digest);
    assert.equal(await verifyTree(store, 'fresh'), 2, 'manifest and config (no layers yet)');
    // We add a tag to umoci's layout; umoci sees both.
    await pushImage(store, makeImage('amd64'), 'ours');
    const listed = (await run('umoci', ['ls', '--layout', path])).stdout.toString().split('\n').filter(Boolean).sort();
    assert.deepEqual(listed, ['fresh', 'ours']);
    const bundle = dir('bundle-umoci-layout');
    await run('umoci', ['unpack', '--rootless', '--image', `${path}:ours`, bundle]);
    assert.ok((await readFile(join(bundle, 'rootfs', 'etc', 'gantry-release'), 'utf8')).startsWith('hello from gantry'));
  });
});
