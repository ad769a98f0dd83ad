import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestBlobs, parseManifest } from './manifest.js';
import { MediaType } from './media-types.js';
import { isGantryError } from '../errors.js';
import { parsePlatform, platformMatches } from './platform.js';
import { DigestVerifier, sha256, verifyStream } from './digest.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const enc = (o: unknown) => Buffer.from(JSON.stringify(o));

test('manifest/oci image with subject and artifactType', () => {
  const m = parseManifest(
    enc({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.example+json',
      config: { mediaType: MediaType.ociEmpty, digest: d('a'), size: 2 },
      layers: [{ mediaType: 'application/octet-stream', digest: d('b'), size: 10 }],
      subject: { mediaType: MediaType.ociManifest, digest: d('c'), size: 100 },
    }),
  );
  assert.equal(m.kind, 'manifest');
  assert.equal(m.artifactType, 'application/vnd.example+json');
  assert.equal(m.subject?.digest, d('c'));
  if (m.kind === 'manifest') assert.deepEqual(manifestBlobs(m).map((b) => b.digest), [d('a'), d('b')]);
});

test('manifest/docker list and mediaType from header when the body has none', () => {
  const list = parseManifest(enc({ schemaVersion: 2, mediaType: MediaType.dockerManifestList, manifests: [] }));
  assert.equal(list.kind, 'index');
  const noType = parseManifest(enc({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest: d('1'), size: 5 }] }));
  assert.equal(noType.mediaType, MediaType.ociIndex);
});

test('manifest/schema1 rejected with its own code', () => {
  assert.throws(
    () => parseManifest(enc({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] })),
    (e: unknown) => isGantryError(e, 'MANIFEST_UNSUPPORTED') && /schema1/.test(e.message),
  );
  assert.throws(() => parseManifest(enc({ schemaVersion: 2 }), MediaType.dockerSchema1Signed), (e: unknown) => isGantryError(e, 'MANIFEST_UNSUPPORTED'));
});

test('manifest/invalid inputs', () => {
  for (const bad of ['not json', '[]', '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}']) {
    assert.throws(() => parseManifest(Buffer.from(bad)), (e: unknown) => isGantryError(e, 'MANIFEST_INVALID'));
  }
  assert.throws(
    () => parseManifest(enc({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: 'x', digest: 'sha256:zz', size: 1 }] })),
    (e: unknown) => isGantryError(e, 'MANIFEST_INVALID'),
  );
});

test('platform/parse and match with default variants', () => {
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  assert.ok(platformMatches(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' }));
  assert.ok(platformMatches(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' }));
  assert.ok(!platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' }));
  assert.ok(!platformMatches(parsePlatform('linux/amd64'), { os: 'windows', architecture: 'amd64' }));
  assert.throws(() => parsePlatform('linux'), (e: unknown) => isGantryError(e, 'PLATFORM_INVALID'));
});

test('digest/verifier catches wrong bytes and wrong size', () => {
  const data = Buffer.from('hello');
  const v = new DigestVerifier(sha256(data), 5);
  v.update(data);
  v.check();
  const w = new DigestVerifier(sha256(data), 5);
  w.update(Buffer.from('hellO'));
  assert.throws(() => w.check(), (e: unknown) => isGantryError(e, 'DIGEST_MISMATCH'));
  const s = new DigestVerifier(sha256(data), 4);
  assert.throws(() => s.update(data), (e: unknown) => isGantryError(e, 'SIZE_MISMATCH'));
});

test('digest/verifyStream withholds the last chunk of corrupt content', async () => {
  const good = [Buffer.from('abc'), Buffer.from('def')];
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of verifyStream(good, sha256('abcdeX'), 6)) seen.push(Buffer.from(c).toString());
  }, (e: unknown) => isGantryError(e, 'DIGEST_MISMATCH'));
  assert.deepEqual(seen, ['abc']);
});
