// The release planning step over memory stores: oc-mirror's names for the release image and its components, a
// component shared by two releases planned once per name, and a multi-arch payload whose architectures disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../content/memory-store.js';
import type { ReleasePlatform } from '../config/config-types.js';
import { isGantryError } from '../errors.js';
import { formatReference } from '../oci/reference.js';
import { parseUpdateGraph } from '../release/index.js';
import { buildIndex, pushTestImage } from '../testing/images.js';
import { bootImagesConfigMap, buildFilesImage, payloadFiles } from '../testing/release-fixtures.js';
import { planReleases } from './plan-releases.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const ART = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';

const put = pushTestImage;

const platform = (p: Partial<ReleasePlatform>): ReleasePlatform => ({ channels: [], graph: false, kubeVirtContainer: false, ...p });

test('plan-releases/names, a shared component once per release, reasons; the graph is read once per channel', async () => {
  const store = createMemoryStore({ location: 'docker://quay.io/openshift-release-dev/ocp-release' });
  const a = await buildFilesImage({ seed: 'a', layers: [payloadFiles({ version: '4.16.0', components: { cli: `${ART}@${D('1')}`, etcd: `${ART}@${D('2')}` } })] });
  const b = await buildFilesImage({ seed: 'b', layers: [payloadFiles({ version: '4.16.1', components: { cli: `${ART}@${D('1')}`, etcd: `${ART}@${D('3')}` } })] });
  await put(store, a, 'a');
  await put(store, b, 'b');
  const graph = JSON.stringify({
    nodes: [
      { version: '4.16.0', payload: `quay.io/openshift-release-dev/ocp-release@${a.manifest.digest}`, metadata: {} },
      { version: '4.16.1', payload: `quay.io/openshift-release-dev/ocp-release@${b.manifest.digest}`, metadata: {} },
    ],
    edges: [[0, 1]],
  });
  const reads: string[] = [];
  const plan = await planReleases({
    platform: platform({ channels: [{ name: 'stable-4.16', type: 'ocp', minVersion: '4.16.0', shortestPath: false, full: false }] }),
    readGraph: async (req) => {
      reads.push(`${req.arch}/${req.channel}`);
      return parseUpdateGraph(graph, { source: 'test', channel: req.channel, arch: req.arch });
    },
    source: () => store,
  });
  assert.deepEqual(reads, ['amd64/stable-4.16']);
  assert.deepEqual(plan.releases.map((r) => [r.version, r.tag, r.components, r.reason]), [['4.16.0', '4.16.0-x86_64', 2, 'range'], ['4.16.1', '4.16.1-x86_64', 2, 'range']]);
  const named = plan.images.map((i) => `${formatReference(i.source)} → ${i.naming.targetRepo}:${i.naming.targetTag}`);
  assert.deepEqual(named, [
    `quay.io/openshift-release-dev/ocp-release@${a.manifest.digest} → openshift/release-images:4.16.0-x86_64`,
    `${ART}@${D('1')} → openshift/release:4.16.0-x86_64-cli`,
    `${ART}@${D('2')} → openshift/release:4.16.0-x86_64-etcd`,
    `quay.io/openshift-release-dev/ocp-release@${b.manifest.digest} → openshift/release-images:4.16.1-x86_64`,
    `${ART}@${D('1')} → openshift/release:4.16.1-x86_64-cli`,
    `${ART}@${D('3')} → openshift/release:4.16.1-x86_64-etcd`,
  ]);
  assert.deepEqual(plan.images[4]!.reason, { release: '4.16.1', arch: 'amd64', channel: 'stable-4.16', selected: 'range', component: 'cli' });
});

test('plan-releases/error: a multi-arch payload whose architectures name different images for one component', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const index = buildIndex([
    await buildFilesImage({ seed: 'x', layers: [payloadFiles({ version: '4.16.1', components: { cli: `${ART}@${D('1')}` } })] }),
    await buildFilesImage({ seed: 'x', layers: [payloadFiles({ version: '4.16.1', components: { cli: `${ART}@${D('4')}` } })], platform: { os: 'linux', architecture: 'arm64' } }),
  ]);
  await put(store, index, '4.16.1-multi');
  await assert.rejects(planReleases({ platform: platform({ release: 'r.example/ocp-release:4.16.1-multi' }), source: () => store }), (err: unknown) => {
    assert.ok(isGantryError(err, 'RELEASE_INVALID'), String(err));
    assert.match(err.message, /component cli is .* for one architecture and .* for another/);
    return true;
  });
});

test('plan-releases/kubeVirtContainer: the payload\'s KubeVirt container as a release component with its reason; a release without one is a warning naming it', async () => {
  const store = createMemoryStore({ location: 'docker://r/ocp-release' });
  const cm = bootImagesConfigMap({ version: '4.16.1', kubevirt: { x86_64: `${ART}@${D('9')}` } });
  await put(store, await buildFilesImage({ seed: 'k', layers: [payloadFiles({ version: '4.16.1', components: { cli: `${ART}@${D('1')}` }, bootImages: cm })] }), '4.16.1-x86_64');
  await put(store, await buildFilesImage({ seed: 'a', layers: [payloadFiles({ version: '4.16.1', components: { cli: `${ART}@${D('2')}` }, bootImages: cm })], platform: { os: 'linux', architecture: 'arm64' } }), '4.16.1-aarch64');
  await put(store, await buildFilesImage({ seed: 'n', layers: [payloadFiles({ version: '4.16.0', components: { cli: `${ART}@${D('1')}` } })] }), '4.16.0-x86_64');

  const plan = await planReleases({ platform: platform({ release: 'r.example/ocp-release:4.16.1-x86_64', kubeVirtContainer: true }), source: () => store });
  const kv = plan.images.find((i) => i.reason.component === 'kube-virt-container')!;
  assert.equal(`${formatReference(kv.source)} → ${kv.naming.targetRepo}:${kv.naming.targetTag}`, `${ART}@${D('9')} → openshift/release:4.16.1-x86_64-kube-virt-container`);
  assert.deepEqual(kv.reason, { release: '4.16.1', arch: 'amd64', selected: 'release', component: 'kube-virt-container', kubeVirt: { arch: 'x86_64', rhcos: '416.94.202406-0' } });
  assert.deepEqual(plan.releases[0]!.kubeVirtContainer, [{ arch: 'x86_64', image: `${ART}@${D('9')}`, tag: '4.16.1-x86_64-kube-virt-container' }]);
  assert.equal(plan.releases[0]!.components, 1, 'the component count is the payload\'s');
  assert.deepEqual(plan.issues, []);

  const off = await planReleases({ platform: platform({ release: 'r.example/ocp-release:4.16.1-x86_64' }), source: () => store });
  assert.equal(off.images.length, 2, 'not asked, not planned');
  assert.equal(off.releases[0]!.kubeVirtContainer, undefined);

  for (const [tag, why] of [['4.16.1-aarch64', 'no KubeVirt image for aarch64'], ['4.16.0-x86_64', 'has no release-manifests/0000_50_installer_coreos-bootimages.yaml']] as const) {
    const p = await planReleases({ platform: platform({ release: `r.example/ocp-release:${tag}`, kubeVirtContainer: true }), source: () => store });
    assert.equal(p.images.length, 2, tag);
    assert.equal(p.issues.length, 1, tag);
    assert.equal(p.issues[0]!.code, 'RELEASE_KUBEVIRT_MISSING');
    assert.equal(p.issues[0]!.severity, 'warning');
    assert.ok(p.issues[0]!.message.includes(`r.example/ocp-release:${tag}`) && p.issues[0]!.message.includes(why), p.issues[0]!.message);
  }
});

test('plan-releases/a graph that lists a payload under another architecture than the image\'s is a warning naming both', async () => {
  const store = createMemoryStore({ location: 'docker://quay.io/openshift-release-dev/ocp-release' });
  const a = await buildFilesImage({ seed: 'mismatch', layers: [payloadFiles({ version: '4.16.0', components: { cli: `${ART}@${D('1')}` } })] });
  await put(store, a, 'a');
  const graph = JSON.stringify({ nodes: [{ version: '4.16.0', payload: `quay.io/openshift-release-dev/ocp-release@${a.manifest.digest}`, metadata: {} }], edges: [] });
  const plan = await planReleases({
    platform: platform({ architectures: ['arm64'], channels: [{ name: 'stable-4.16', type: 'ocp', shortestPath: false, full: false }] }),
    readGraph: async (req) => parseUpdateGraph(graph, { source: 'test', channel: req.channel, arch: req.arch }),
    source: () => store,
  });
  assert.equal(plan.releases[0]!.tag, '4.16.0-aarch64', 'the graph\'s architecture names it, as oc-mirror does');
  assert.deepEqual(plan.issues.map((i) => [i.severity, i.code]), [['warning', 'RELEASE_ARCH_MISMATCH']]);
  assert.match(plan.issues[0]!.message, /4\.16\.0 \(arm64, channel stable-4\.16\).*lists it for arm64.*is built for amd64/);
});
