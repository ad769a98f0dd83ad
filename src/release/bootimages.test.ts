// The coreos-bootimages ConfigMap: its KubeVirt containers per stream architecture, each kind of malformed input
// naming the release and the file, and the payload reader returning it from the same pass (a memory store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import { isGantryError } from '../errors.js';
import { buildIndex, descriptorOf, type TestImage, type TestIndex } from '../testing/images.js';
import { bootImagesConfigMap, buildFilesImage, payloadFiles } from '../testing/release-fixtures.js';
import { BOOTIMAGES_MANIFEST, parseBootImages, releaseKubeVirt, streamArch } from './bootimages.js';
import { readReleaseImage } from './payload.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const ART = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
const bytes = (s: string) => Buffer.from(s);

async function put(store: MemoryStore, image: TestImage | TestIndex, tag: string): Promise<void> {
  const images = 'images' in image ? image.images : [image];
  for (const img of images) {
    for (const b of [img.config, ...img.layers]) await store.pushBlob(descriptorOf(b), async () => [b.bytes]);
    await store.pushManifest(img.manifest.bytes, img.manifest.mediaType, 'images' in image ? img.manifest.digest : tag);
  }
  if ('images' in image) await store.pushManifest(image.manifest.bytes, image.manifest.mediaType, tag);
}

test('bootimages/parse: kubevirt digest-ref per stream architecture, others absent; stream and releaseVersion kept', () => {
  const cm = bootImagesConfigMap({ version: '4.16.3', kubevirt: { x86_64: `${ART}@${D('a')}`, s390x: `${ART}@${D('b')}` } });
  const b = parseBootImages(bytes(cm), 'release 4.16.3');
  assert.deepEqual([...b.kubevirt.keys()], ['s390x', 'x86_64']);
  assert.deepEqual(b.kubevirt.get('x86_64'), { arch: 'x86_64', image: `${ART}@${D('a')}`, rhcos: '416.94.202406-0' });
  assert.equal(b.stream, 'rhcos-4.16');
  assert.equal(b.releaseVersion, '4.16.3');
  assert.deepEqual([streamArch('amd64'), streamArch('arm64'), streamArch('s390x')], ['x86_64', 'aarch64', 's390x']);
});

const stream = (s: string) => bootImagesConfigMap({ version: '4.16.3', kubevirt: {}, stream: s });
const kv = (ref: unknown) => stream(JSON.stringify({ architectures: { x86_64: { images: { kubevirt: { 'digest-ref': ref } } } } }));

for (const c of [
  { name: 'error/stream is not JSON', text: stream('{"architectures": {'), mentions: ['data.stream is not JSON'] },
  { name: 'error/not a ConfigMap', text: 'kind: Secret\ndata: {stream: "{}"}\n', mentions: ['not a ConfigMap with data.stream'] },
  { name: 'error/not YAML', text: 'kind: ConfigMap\ndata: [unclosed\n', mentions: ['is not YAML'] },
  { name: 'error/no architectures', text: stream('{"stream": "rhcos-4.16"}'), mentions: ['no "architectures"'] },
  { name: 'error/digest-ref by tag', text: kv(`${ART}:latest`), mentions: ['architectures.x86_64.images.kubevirt.digest-ref', 'not pinned by digest'] },
  { name: 'error/digest-ref not a reference', text: kv('Not A Ref!!'), mentions: ['not an image reference'] },
  { name: 'error/digest-ref not a string', text: kv(42), mentions: ['digest-ref is not a string'] },
]) {
  test(`bootimages/${c.name}`, () => {
    assert.throws(
      () => parseBootImages(bytes(c.text), 'release 4.16.3 (r/ocp-release:4.16.3-x86_64)'),
      (err: unknown) => {
        assert.ok(isGantryError(err, 'RELEASE_INVALID'), String(err));
        for (const m of ['release 4.16.3 (r/ocp-release:4.16.3-x86_64)', BOOTIMAGES_MANIFEST, ...c.mentions]) assert.ok(err.message.includes(m), `${err.message} mentions ${m}`);
        return true;
      },
    );
  });
}

test('bootimages/an empty digest-ref means no image for that architecture', () => {
  assert.equal(parseBootImages(bytes(kv('')), 'r').kubevirt.size, 0);
});

test('bootimages/the payload reader returns the ConfigMap from the same pass, only when asked; releaseKubeVirt names it as oc-mirror does', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const cm = bootImagesConfigMap({ version: '4.16.3', kubevirt: { x86_64: `${ART}@${D('a')}`, aarch64: `${ART}@${D('c')}` } });
  const files = payloadFiles({ version: '4.16.3', components: { cli: `${ART}@${D('1')}` }, bootImages: cm });
  const single = await buildFilesImage({ seed: 'kv', layers: [files], baseSize: 2048 });
  await put(store, single, '4.16.3-x86_64');
  const plain = await readReleaseImage(store, '4.16.3-x86_64');
  assert.equal(plain.payloads[0]!.manifests, undefined, 'not asked, not returned');
  const read = await readReleaseImage(store, '4.16.3-x86_64', { manifests: [BOOTIMAGES_MANIFEST] });
  assert.equal(Buffer.from(read.payloads[0]!.manifests!.get(BOOTIMAGES_MANIFEST)!).toString('utf8'), cm);
  assert.deepEqual(releaseKubeVirt(read, 'r').images.map((i) => [i.name, i.arch, i.image]), [['kube-virt-container', 'x86_64', `${ART}@${D('a')}`]]);

  // Multi-arch: one per architecture of the index that has one, suffixed; s390x is in neither.
  const index = buildIndex([single, await buildFilesImage({ seed: 'kv', layers: [files], platform: { os: 'linux', architecture: 'arm64' } })]);
  await put(store, index, '4.16.3-multi');
  const multiRead = await readReleaseImage(store, '4.16.3-multi', { manifests: [BOOTIMAGES_MANIFEST] });
  const multi = releaseKubeVirt(multiRead, 'r');
  assert.deepEqual(multi.images.map((i) => [i.name, i.image]), [['kube-virt-container-x86_64', `${ART}@${D('a')}`], ['kube-virt-container-aarch64', `${ART}@${D('c')}`]]);
  // platform.platforms narrows the multi-arch payload: only those architectures, and one alone is not suffixed.
  const narrowed = releaseKubeVirt(multiRead, 'r', { architectures: ['arm64'] });
  assert.deepEqual(narrowed.images.map((i) => [i.name, i.image]), [['kube-virt-container', `${ART}@${D('c')}`]]);

  // Absent file: asked for, not found, no error; the base layer below the payload layer is not needed for it.
  const bare = await buildFilesImage({ seed: 'bare', layers: [payloadFiles({ version: '4.16.2', components: { cli: `${ART}@${D('1')}` } })] });
  await put(store, bare, '4.16.2-x86_64');
  const none = await readReleaseImage(store, '4.16.2-x86_64', { manifests: [BOOTIMAGES_MANIFEST] });
  assert.equal(none.payloads[0]!.manifests!.size, 0);
  assert.deepEqual(releaseKubeVirt(none, 'r'), { images: [], missingFile: true, missingArchs: [] });
});

test('bootimages/an absent optional file does not send the reader through the base layers', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const img = await buildFilesImage({ seed: 'deep', layers: [payloadFiles({ version: '4.16.2', components: { cli: `${ART}@${D('1')}` } })], baseSize: 4096 });
  await put(store, img, 't');
  const fetched: string[] = [];
  const counting = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'fetchBlob') return Reflect.get(target, key, receiver);
      return (d: Parameters<MemoryStore['fetchBlob']>[0], o?: Parameters<MemoryStore['fetchBlob']>[1]) => (fetched.push(d.digest), target.fetchBlob(d, o));
    },
  });
  await readReleaseImage(counting, 't', { manifests: [BOOTIMAGES_MANIFEST] });
  const base = img.layers[0]!.digest;
  assert.ok(!fetched.includes(base), 'the base layer is not read');
  assert.ok(fetched.includes(img.layers[img.layers.length - 1]!.digest), 'the payload layer is');
});
