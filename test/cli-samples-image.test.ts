// The samples operator image and release payloads as samples input, through bin/gantry.js against a real registry:
// assets read from the operator image's layers (whiteouts honoured), a release's cluster-samples-operator component
// (labelled or not, components named at an unreachable registry but mirrored beside the release), must-gather from
// --release, and bad input (an image that is neither, a payload without the component, --must-gather disagreeing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildImage, pushImagesRaw, type RawPushItem, type TestImage } from '../src/testing/images.js';
import { buildFilesImage, payloadFiles } from '../src/testing/release-fixtures.js';
import { assetsFiles, pushSampleImages, sampleImages, sampleStreams, sampleTemplates, writeAssetsTree } from '../src/testing/samples-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let reg: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const NO_TLS = ['--tls-verify=false'];
const ROOT = 'opt/openshift/operator';
const OPERATOR_REPO = 'openshift/cluster-samples-operator';
/** Digests of the pushed images: the operator image, must-gather. */
const digests: Record<string, string> = {};

type Doc = { [field: string]: unknown; kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
const docs = (text: string) => (parseAllDocuments(text) as unknown as { toJS(): Doc }[]).map((d) => d.toJS());

async function releaseImage(version: string, components: Record<string, string>, labelled: boolean): Promise<TestImage> {
  return buildFilesImage({ seed: `samples-release/${version}/${labelled}`, layers: [payloadFiles({ version, components })], ...(labelled ? { labels: { 'io.openshift.release': version } } : {}) });
}

before(async () => {
  [reg, dir] = await Promise.all([startRegistry(), tempDir('samples-image')]);
  const streams = sampleStreams(reg.host);
  await pushSampleImages(reg.url, sampleImages(streams));
  const world = { streams, templates: sampleTemplates(), architectures: ['x86_64', 'aarch64'] };
  await writeAssetsTree(join(dir.path, 'assets'), world);
  // The operator image: the assets in one layer, a stream added in it and removed by a whiteout in the next one,
  // and a file elsewhere in the image that must not be read.
  const gone = { name: 'obsolete', tags: [{ name: '1', image: `${reg.host}/old/obsolete:1` }] };
  const operator = await buildFilesImage({
    seed: 'samples-operator',
    layers: [
      { ...assetsFiles(ROOT, { ...world, streams: [...streams, gone] }), 'manifests/image-references': '{"kind":"ImageStream"}' },
      { [`${ROOT}/x86_64/obsolete/imagestreams/.wh.obsolete-rhel.json`]: '', [`${ROOT}/aarch64/obsolete/imagestreams/.wh.obsolete-rhel.json`]: '' },
    ],
  });
  const mustGather = buildImage({ seed: 'must-gather', layerSizes: [256] });
  const plain = buildImage({ seed: 'plain', layerSizes: [256], tarLayer: true });
  digests.operator = operator.manifest.digest;
  digests.mustGather = mustGather.manifest.digest;
  const components = { 'cluster-samples-operator': `${reg.host}/${OPERATOR_REPO}@${operator.manifest.digest}`, 'must-gather': `${reg.host}/openshift/must-gather@${mustGather.manifest.digest}` };
  // As a disconnected mirror holds it: the payload names quay-like sources nobody can reach (port 1 refuses), the
  // components sit beside the release under openshift/release (oc-mirror's layout), by digest.
  const unreachable = { 'cluster-samples-operator': `127.0.0.1:1/ocp-v4.0-art-dev@${operator.manifest.digest}`, 'must-gather': `127.0.0.1:1/ocp-v4.0-art-dev@${mustGather.manifest.digest}` };
  const items: RawPushItem[] = [
    { repository: OPERATOR_REPO, tag: '4.16', image: operator },
    { repository: 'openshift/must-gather', tag: '4.16', image: mustGather },
    { repository: 'plain/image', tag: '1', image: plain },
    { repository: 'ocp/release', tag: '4.16.1-x86_64', image: await releaseImage('4.16.1', components, true) },
    { repository: 'ocp/release', tag: '4.16.1-nolabel', image: await releaseImage('4.16.1', components, false) },
    { repository: 'ocp/release', tag: 'no-samples', image: await releaseImage('4.16.2', { 'must-gather': components['must-gather'] }, true) },
    { repository: 'mirror/openshift/release-images', tag: '4.16.1-x86_64', image: await releaseImage('4.16.1', unreachable, true) },
    { repository: 'mirror/openshift/release', tag: '4.16.1-x86_64-cluster-samples-operator', image: operator },
    { repository: 'mirror/openshift/release', tag: '4.16.1-x86_64-must-gather', image: mustGather },
  ];
  await pushImagesRaw(reg.url, items);
});
after(async () => {
  await reg?.stop();
  await dir?.remove();
});

test('samples-image/the operator image, a release (labelled or not) and a mirrored release plan exactly what the assets tree plans', async () => {
  const fromTree = await runGantry(['samples', 'plan', '--from', join(dir.path, 'assets'), '-o', 'json']);
  assert.equal(fromTree.code, 0, fromTree.stderr);
  const expected = JSON.parse(fromTree.stdout) as { imagestream: string }[];
  assert.ok(expected.length > 5);
  const cases: [string, RegExp][] = [
    [`docker://${reg.host}/${OPERATOR_REPO}:4.16`, /samples from the samples operator image docker:\/\/.*cluster-samples-operator:4\.16/],
    [`${reg.host}/${OPERATOR_REPO}@${digests.operator}`, /samples from the samples operator image/],
    [`docker://${reg.host}/ocp/release:4.16.1-x86_64`, /samples from release 4\.16\.1 \(amd64\): its cluster-samples-operator image .*\/openshift\/cluster-samples-operator@sha256:/],
    [`docker://${reg.host}/ocp/release:4.16.1-nolabel`, /samples from release 4\.16\.1 /],
    [`docker://${reg.host}/mirror/openshift/release-images:4.16.1-x86_64`, new RegExp(`its cluster-samples-operator image ${reg.host.replace(/\./g, '\\.')}/mirror/openshift/release@${digests.operator}`)],
  ];
  for (const [from, said] of cases) {
    const r = await runGantry(['samples', 'plan', '--from', from, '-o', 'json', ...NO_TLS]);
    assert.equal(r.code, 0, `${from}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), expected, from);
    assert.match(r.stderr, said, from);
    // The whited-out stream is not there, and the unrelated file outside /opt/openshift/operator was not read.
    assert.doesNotMatch(r.stdout + r.stderr, /obsolete|manifests\/image-references/, from);
  }
  // An OCI layout holding the release and its operator image: the component is read from the layout, by digest.
  const layout = join(dir.path, 'layout');
  for (const [from, tag] of [[`docker://${reg.host}/ocp/release:4.16.1-x86_64`, 'release'], [`docker://${reg.host}/${OPERATOR_REPO}:4.16`, 'operator']]) {
    const c = await runGantry(['copy', '--src-tls-verify=false', from!, `oci:${layout}:${tag}`]);
    assert.equal(c.code, 0, c.stderr);
  }
  const oci = await runGantry(['samples', 'plan', '--from', `oci:${layout}:release`, '-o', 'json']);
  assert.equal(oci.code, 0, oci.stderr);
  assert.deepEqual(JSON.parse(oci.stdout), expected);
  assert.match(oci.stderr, new RegExp(`its cluster-samples-operator image oci:${layout.replace(/[.]/g, '\\.')}@${digests.operator}`));
  // Issues name the file inside the image.
  const verbose = await runGantry(['samples', 'plan', '--from', `docker://${reg.host}/${OPERATOR_REPO}:4.16`, '--verbose', ...NO_TLS]);
  assert.match(verbose.stderr, new RegExp(`note: docker://.*:4\\.16:/opt/openshift/operator/(aarch64|x86_64)/java/imagestreams/java-rhel\\.json:\\d+: imagestream java tag latest: alias of`));
});

test('samples-image/config and check read the release; --release gives the must-gather ImageStream by digest', async () => {
  const release = `docker://${reg.host}/ocp/release:4.16.1-x86_64`;
  const r = await runGantry(['samples', 'config', '--from', release, '--release', release, '--mirror', reg.host, ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  const all = docs(r.stdout);
  const mg = all.find((d) => d.kind === 'ImageStream' && d.metadata.name === 'must-gather');
  assert.ok(mg, r.stdout);
  assert.equal((mg.spec!.tags as { from: { name: string } }[])[0]!.from.name, `${reg.host}/openshift/must-gather@${digests.mustGather}`);
  assert.match(r.stderr, /must-gather: .*@sha256:.* \(release 4\.16\.1\)/);
  assert.doesNotMatch(r.stdout, /No --release or --must-gather/);
  // Every sample image is at the registry: nothing skipped, architectures from the image's asset directories.
  const spec = all.find((d) => d.kind === 'Config')!.spec!;
  assert.equal(spec.skippedImagestreams, undefined);
  assert.deepEqual([...(spec.architectures as string[])].sort(), ['arm64', 'x86_64']);

  // --must-gather agreeing with the release (the mirror's spelling of the same digest) is kept as given.
  const mirrored = `${reg.host}/mirror/openshift/release@${digests.mustGather}`;
  const agree = await runGantry(['samples', 'config', '--from', release, '--release', release, '--must-gather', mirrored, '--mirror', reg.host, ...NO_TLS]);
  assert.equal(agree.code, 0, agree.stderr);
  assert.match(agree.stdout, new RegExp(`name: ${mirrored.replace(/\./g, '\\.')}`));
  const disagree = await runGantry(['samples', 'config', '--from', release, '--release', release, '--must-gather', `${reg.host}/x@${digests.operator}`, '--mirror', reg.host, ...NO_TLS]);
  assert.equal(disagree.code, 2, disagree.stderr);
  assert.match(disagree.stderr, /error\[USAGE\]: --must-gather .* is not release 4\.16\.1's must-gather image/);

  await writeFile(join(dir.path, 'config.yaml'), r.stdout);
  const check = await runGantry(['samples', 'check', '-c', join(dir.path, 'config.yaml'), '--from', `docker://${reg.host}/${OPERATOR_REPO}:4.16`, '-o', 'json', ...NO_TLS]);
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(JSON.parse(check.stdout), []);
});

test('samples-image/samples mirror reads the release with the source flags', async () => {
  const r = await runGantry(['samples', 'mirror', '--from', `docker://${reg.host}/ocp/release:4.16.1-x86_64`, '--language', 'python', `docker://${reg.host}/copy`, '--workspace', join(dir.path, 'ws'), '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false']);
  assert.equal(r.code, 0, r.stderr);
  const inspect = await runGantry(['inspect', '-o', 'json', ...NO_TLS, `docker://${reg.host}/copy/ubi9/python-311:latest`]);
  assert.equal(inspect.code, 0, inspect.stderr);
});

test('samples-image/bad input: an image that is neither, a payload without the component, an unreadable component', async () => {
  const neither = await runGantry(['samples', 'plan', '--from', `docker://${reg.host}/plain/image:1`, ...NO_TLS]);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /error\[CONFIG_INVALID\]: docker:\/\/.*\/plain\/image:1 is neither the samples operator image \(no files under \/opt\/openshift\/operator\/ in its layers\) nor a release payload \(no release-manifests\/image-references\)/);
  assert.match(neither.stderr, /hint: give the cluster-samples-operator image/);

  const noComponent = await runGantry(['samples', 'plan', '--from', `docker://${reg.host}/ocp/release:no-samples`, ...NO_TLS]);
  assert.equal(noComponent.code, 1);
  assert.match(noComponent.stderr, /error\[NOT_FOUND\]: release 4\.16\.2 \(.*\) has no cluster-samples-operator component in its image-references/);
  const noMustGather = await runGantry(['samples', 'config', '--from', join(dir.path, 'assets'), '--release', `docker://${reg.host}/plain/image:1`, '--mirror', reg.host, ...NO_TLS]);
  assert.equal(noMustGather.code, 1);
  assert.match(noMustGather.stderr, /error\[RELEASE_INVALID\]: .*plain\/image:1 is not a release image/);

  const missing = await runGantry(['samples', 'plan', '--from', `docker://${reg.host}/nothing/here:1`, ...NO_TLS]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error\[MANIFEST_UNKNOWN\]/);
  const notFile = await runGantry(['samples', 'plan', '--from', 'nope.yaml'], { cwd: dir.path });
  assert.equal(notFile.code, 1);
  assert.match(notFile.stderr, /error\[NOT_FOUND\]: nope\.yaml: no such file or directory/);
  // install-manifest takes no --from: nothing to read. A transport that is no image store is refused up front.
  const archive = await runGantry(['samples', 'plan', '--from', 'oci-archive:x.tar']);
  assert.equal(archive.code, 2);
  assert.match(archive.stderr, /error\[USAGE\]: oci-archive:x\.tar: this transport is not a samples input/);
});
