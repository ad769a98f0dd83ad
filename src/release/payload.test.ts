// The payload reader over a memory store: single and multi-arch releases, the last layer that has a file wins,
// whiteouts and other files ignored, and clear errors for a non-release image and a component without a digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../content/memory-store.js';
import { isGantryError } from '../errors.js';
import { buildIndex, pushTestImage } from '../testing/images.js';
import { buildFilesImage, payloadFiles } from '../testing/release-fixtures.js';
import { parseImageReferences, readReleaseImage, releaseTagArch } from './payload.js';

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const comps = { cli: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D(1)}`, 'must-gather': `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D(2)}` };

const put = pushTestImage;

function rejects(code: string, mentions: string[]) {
  return (err: unknown) => {
    assert.ok(isGantryError(err), String(err));
    assert.equal(err.code, code);
    for (const m of mentions) assert.ok(err.message.includes(m), `${err.message} mentions ${m}`);
    return true;
  };
}

test('payload/single-arch: version from release-metadata, components by name, arch from the config', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const img = await buildFilesImage({ seed: 's1', layers: [payloadFiles({ version: '4.16.1', components: comps, previous: ['4.16.0'] })], platform: { os: 'linux', architecture: 'arm64' } });
  await put(store, img, '4.16.1-aarch64');
  const r = await readReleaseImage(store, '4.16.1-aarch64');
  assert.equal(r.multiArch, false);
  assert.equal(r.digest, img.manifest.digest);
  assert.equal(r.payloads.length, 1);
  const p = r.payloads[0]!;
  assert.equal(p.version, '4.16.1');
  assert.equal(p.arch, 'arm64');
  assert.deepEqual([...p.components], Object.entries(comps));
  assert.deepEqual(p.previous, ['4.16.0']);
});

test('payload/the last layer with the file wins; whiteouts and unrelated files are ignored; no metadata → ImageStream name', async () => {
  const store = createMemoryStore();
  const old = payloadFiles({ version: '4.15.9', components: { cli: comps.cli } });
  const top = payloadFiles({ version: '4.16.2', components: comps, noMetadata: true });
  const img = await buildFilesImage({
    seed: 's2',
    layers: [old, { 'release-manifests/.wh.image-references': '', 'etc/motd': 'hi' }, { ...top, 'release-manifests/0000_00_cvo.yaml': 'kind: Namespace' }],
  });
  await put(store, img, 'x');
  const p = (await readReleaseImage(store, img.manifest.digest)).payloads[0]!;
  assert.deepEqual([...p.components.keys()], ['cli', 'must-gather']);
  // release-metadata of the older layer is still there (a whiteout of a sibling does not hide it): it wins for the version.
  assert.equal(p.version, '4.15.9');
  const onlyTop = await buildFilesImage({ seed: 's3', layers: [{ 'etc/x': 'y' }, top] });
  await put(store, onlyTop, 'y');
  assert.equal((await readReleaseImage(store, 'y')).payloads[0]!.version, '4.16.2');
});

test('payload/multi-arch: one payload per architecture; --arch picks one; an absent arch is PLATFORM_NOT_FOUND', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const files = [payloadFiles({ version: '4.16.1', components: comps })];
  const index = buildIndex([await buildFilesImage({ seed: 'm', layers: files }), await buildFilesImage({ seed: 'm', layers: files, platform: { os: 'linux', architecture: 'arm64' } })]);
  await put(store, index, '4.16.1-multi');
  const r = await readReleaseImage(store, '4.16.1-multi');
  assert.equal(r.multiArch, true);
  assert.equal(r.digest, index.manifest.digest);
  assert.deepEqual(r.payloads.map((p) => [p.arch, p.version, p.digest]), [['amd64', '4.16.1', index.images[0]!.manifest.digest], ['arm64', '4.16.1', index.images[1]!.manifest.digest]]);
  const arm = await readReleaseImage(store, '4.16.1-multi', { arch: 'arm64' });
  assert.deepEqual(arm.payloads.map((p) => p.arch), ['arm64']);
  await assert.rejects(readReleaseImage(store, '4.16.1-multi', { arch: 's390x' }), rejects('PLATFORM_NOT_FOUND', ['s390x']));
});

test('payload/error: an image without image-references is RELEASE_INVALID naming the image', async () => {
  const store = createMemoryStore({ location: 'docker://r/not-a-release' });
  await put(store, await buildFilesImage({ seed: 'n', layers: [{ 'usr/bin/tool': 'x' }] }), 'v1');
  await assert.rejects(readReleaseImage(store, 'v1'), rejects('RELEASE_INVALID', ['docker://r/not-a-release:v1', 'image-references']));
});

test('payload/error: a component pinned by tag, a broken ImageStream, a repeated component', () => {
  const bad = (c: Record<string, string>) => Buffer.from(payloadFiles({ version: '1', components: c })['release-manifests/image-references']!);
  assert.throws(() => parseImageReferences(bad({ cli: 'quay.io/x/y:latest' }), 'img'), rejects('RELEASE_INVALID', ['component cli', 'not pinned by digest']));
  assert.throws(() => parseImageReferences(Buffer.from('{"kind":"Pod"}'), 'img'), rejects('RELEASE_INVALID', ['ImageStream']));
  assert.throws(() => parseImageReferences(Buffer.from('{'), 'img'), rejects('RELEASE_INVALID', ['not JSON']));
  const twice = JSON.stringify({ kind: 'ImageStream', spec: { tags: [{ name: 'a', from: { name: comps.cli } }, { name: 'a', from: { name: comps.cli } }] } });
  assert.throws(() => parseImageReferences(Buffer.from(twice), 'img'), rejects('RELEASE_INVALID', ['listed twice']));
  const noFrom = JSON.stringify({ kind: 'ImageStream', spec: { tags: [{ name: 'a' }] } });
  assert.throws(() => parseImageReferences(Buffer.from(noFrom), 'img'), rejects('RELEASE_INVALID', ['component a has no image']));
});

test('payload/release tag arch names', () => {
  assert.deepEqual(['amd64', 'arm64', 'ppc64le', 's390x', 'multi'].map(releaseTagArch), ['x86_64', 'aarch64', 'ppc64le', 's390x', 'multi']);
});
