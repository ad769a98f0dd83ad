// Signatures, attestations, SBOMs and OCI referrers travel with every mirrored image, against real registries:
// mirror to mirror, mirror to disk then disk to mirror (the archive carries them), --remove-signatures, an image
// without any (nothing extra, no error), and rebuilt catalogs reported as unsigned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw, type TestImage, type TestIndex } from '../src/testing/images.js';
import { pushAttachments, type PushedAttachments } from '../src/testing/cosign-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { pushDemoCatalog } from './demo-catalog.js';
import { digestTag } from '../src/generate/destination.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};
let signed: PushedAttachments;
let operatorSigned: PushedAttachments;
let multi: TestIndex;
let multiSigned: PushedAttachments;
let armSigned: PushedAttachments;

const gantry = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, ...NO_TLS, '--plain'], { encoding: 'utf8', cwd: dir.path, maxBuffer: 64 << 20 });

/** Tag → digest of every tag in a repository of `reg`, read with plain HTTP (not gantry's code). */
async function tagDigests(reg: RunningRegistry, repo: string): Promise<Record<string, string>> {
  const res = await fetch(`${reg.url}/v2/${repo}/tags/list`);
  if (res.status === 404) return {};
  const tags = ((await res.json()) as { tags: string[] | null }).tags ?? [];
  const out: Record<string, string> = {};
  for (const t of tags.sort()) {
    const head = await fetch(`${reg.url}/v2/${repo}/manifests/${t}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' },
    });
    out[t] = head.headers.get('docker-content-digest') ?? '';
  }
  return out;
}

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('signatures');
  images.signed = buildImage({ seed: 'sig-signed', layerSizes: [20_000] });
  images.plain = buildImage({ seed: 'sig-plain', layerSizes: [15_000] });
  images.operator = buildImage({ seed: 'sig-operator', layerSizes: [10_000] });
  images.bundle = buildImage({ seed: 'sig-bundle', layerSizes: [5_000] });
  await pushImageRaw(src.url, 'tools/signed', '1', images.signed);
  await pushImageRaw(src.url, 'tools/plain', '1', images.plain);
  await pushImageRaw(src.url, 'demo/operator', 'v1', images.operator);
  await pushImageRaw(src.url, 'demo/bundle', 'v1.0.0', images.bundle);
  await pushDemoCatalog(src, images.operator, [['1.0.0', images.bundle]]);
  signed = await pushAttachments(src.url, 'tools/signed', images.signed.manifest, { signature: true, attestation: true, sbom: true, referrer: true, dockerReference: `${src.host}/tools/signed` });
  // A multi-arch image signed as cosign sign --recursive does: the index and each platform's manifest.
  multi = buildIndex([buildImage({ seed: 'sig-multi-amd64', layerSizes: [4_000] }), buildImage({ seed: 'sig-multi-arm64', layerSizes: [4_000], platform: { os: 'linux', architecture: 'arm64' } })]);
  await pushIndexRaw(src.url, 'tools/multi', '1', multi);
  multiSigned = await pushAttachments(src.url, 'tools/multi', multi.manifest, { signature: true });
  armSigned = await pushAttachments(src.url, 'tools/multi', multi.images[1]!.manifest, { signature: true, sbom: true });
  operatorSigned = await pushAttachments(src.url, 'demo/operator', images.operator.manifest, { signature: true, referrer: true });
  const isc = [
    'apiVersion: mirror.openshift.io/v2alpha1',
    'kind: ImageSetConfiguration',
    'mirror:',
    '  operators:',
    `  - catalog: ${src.host}/catalogs/demo-index:v1`,
    '    packages:',
    '    - name: demo-op',
    '  additionalImages:',
    `  - name: ${src.host}/tools/signed:1`,
    `  - name: ${src.host}/tools/plain:1`,
    `  - name: ${src.host}/tools/multi:1`,
    '',
  ].join('\n');
  await writeFile(join(dir.path, 'isc.yaml'), isc);
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

/** Every attachment tag has the source's digest, except the one the image itself holds (pinned by digest). */
function assertCarried(got: Record<string, string>, pushed: PushedAttachments, what: string, image?: TestImage): void {
  const own = image ? digestTag(image.manifest.digest) : undefined;
  for (const [tag, digest] of Object.entries(pushed.tags)) {
    if (tag === own) assert.equal(got[tag], image!.manifest.digest, `${what}: ${tag} still names the image`);
    else assert.equal(got[tag], digest, `${what}: ${tag} has the source's digest`);
  }
}

async function hasManifest(reg: RunningRegistry, repo: string, digest: string): Promise<boolean> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' } });
  return res.status === 200;
}

test('signatures/mirror to mirror: cosign tags and the referrers index go with the image; an unsigned image gets nothing extra', async () => {
  const r = gantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `docker://${dst.host}/m2m`, '--workspace', join(dir.path, 'ws-m2m')]);
  assert.equal(r.status, 0, r.stderr);
  const got = await tagDigests(dst, 'm2m/tools/signed');
  assert.equal(got['1'], images.signed!.manifest.digest);
  assert.equal(Object.keys(signed.tags).length, 4);
  assertCarried(got, signed, 'tools/signed');
  assert.deepEqual(Object.keys(got).sort(), ['1', ...Object.keys(signed.tags)].sort());
  // The operator is pinned by digest, so its destination tag is sha256-<hex>: the referrers index of that digest
  // cannot take the tag; it (and the referrer in it) goes by digest.
  assertCarried(await tagDigests(dst, 'm2m/demo/operator'), operatorSigned, 'operator image (by digest)', images.operator);
  const opIndex = operatorSigned.tags[digestTag(images.operator!.manifest.digest)]!;
  assert.ok(await hasManifest(dst, 'm2m/demo/operator', opIndex), 'the referrers index is there by digest');
  assert.match(r.stderr, /demo\/operator@sha256:[0-9a-f]{64}: copied .*sha256-[0-9a-f]{64} \(by digest: the image holds that tag\)/);
  // The referrer artifact itself (child of the fallback index) is there by digest.
  const index = (await (await fetch(`${dst.url}/v2/m2m/tools/signed/manifests/${Object.keys(signed.tags).find((t) => !t.includes('.'))}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).json()) as { manifests: { digest: string }[] };
  assert.ok(await hasManifest(dst, 'm2m/tools/signed', index.manifests[0]!.digest), 'the referrer artifact is there by digest');
  assert.deepEqual(Object.keys(await tagDigests(dst, 'm2m/tools/plain')), ['1'], 'no attachment tags for an unsigned image');
  const multiTags = await tagDigests(dst, 'm2m/tools/multi');
  assertCarried(multiTags, multiSigned, 'multi-arch index');
  assertCarried(multiTags, armSigned, 'its arm64 manifest');
  assert.equal(Object.keys(multiTags).length, 4);
  assert.match(r.stderr, new RegExp(`signatures: docker://${src.host}/tools/signed:1: copied sha256-[0-9a-f]{64}\\.sig, sha256-[0-9a-f]{64}\\.att, sha256-[0-9a-f]{64}\\.sbom, sha256-[0-9a-f]{64}\\n`));
  assert.doesNotMatch(r.stderr, /tools\/plain:1: copied/);
  assert.match(r.stderr, /signatures: the rebuilt catalog .*demo-index:v1 is unsigned/);
});

test('signatures/mirror to mirror --remove-signatures: only the images', async () => {
  const r = gantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `docker://${dst.host}/bare`, '--workspace', join(dir.path, 'ws-bare'), '--remove-signatures']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(Object.keys(await tagDigests(dst, 'bare/tools/signed')), ['1']);
  assert.deepEqual(Object.keys(await tagDigests(dst, 'bare/demo/operator')), [digestTag(images.operator!.manifest.digest)]);
  assert.doesNotMatch(r.stderr, /signatures: docker:/);
});

test('signatures/mirror to disk then disk to mirror: the archive carries them; --remove-signatures on the push leaves them out', async () => {
  const out = join(dir.path, 'archive');
  const m2d = gantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `file://${out}`]);
  assert.equal(m2d.status, 0, m2d.stderr);
  assert.match(m2d.stderr, /signatures: docker:\/\/.*tools\/signed:1: copied/);
  const d2m = gantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/d2m`]);
  assert.equal(d2m.status, 0, d2m.stderr);
  const got = await tagDigests(dst, 'd2m/tools/signed');
  assertCarried(got, signed, 'd2m tools/signed');
  assertCarried(await tagDigests(dst, 'd2m/demo/operator'), operatorSigned, 'd2m operator', images.operator);
  assert.ok(await hasManifest(dst, 'd2m/demo/operator', operatorSigned.tags[digestTag(images.operator!.manifest.digest)]!));
  assert.deepEqual(Object.keys(await tagDigests(dst, 'd2m/tools/plain')), ['1']);
  const multiTags = await tagDigests(dst, 'd2m/tools/multi');
  assertCarried(multiTags, multiSigned, 'd2m multi-arch index');
  assertCarried(multiTags, armSigned, 'd2m arm64 manifest');
  assert.match(d2m.stderr, /signatures: docker:\/\/.*tools\/signed:1: copied/);

  const bare = gantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/d2m-bare`, '--remove-signatures']);
  assert.equal(bare.status, 0, bare.stderr);
  assert.deepEqual(Object.keys(await tagDigests(dst, 'd2m-bare/tools/signed')), ['1']);
});

test('signatures/mirror to disk --remove-signatures: the archive carries no attachment', async () => {
  const out = join(dir.path, 'archive-bare');
  const m2d = gantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `file://${out}`, '--remove-signatures']);
  assert.equal(m2d.status, 0, m2d.stderr);
  const d2m = gantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/from-bare`]);
  assert.equal(d2m.status, 0, d2m.stderr);
  assert.deepEqual(Object.keys(await tagDigests(dst, 'from-bare/tools/signed')), ['1']);
});

test('signatures/catalog mirror: signatures of the catalog\'s images go along; --remove-signatures leaves them', async () => {
  const signedRun = gantry(['catalog', 'mirror', `${src.host}/catalogs/demo-index:v1`, `${dst.host}/cm`, '--workspace', join(dir.path, 'ws-cm'), '--to-manifests', join(dir.path, 'manifests-cm')]);
  assert.equal(signedRun.status, 0, signedRun.stderr);
  const bare = gantry(['catalog', 'mirror', `${src.host}/catalogs/demo-index:v1`, `${dst.host}/cm-bare`, '--workspace', join(dir.path, 'ws-cm-bare'), '--to-manifests', join(dir.path, 'manifests-cm-bare'), '--remove-signatures']);
  assert.equal(bare.status, 0, bare.stderr);
  const repoOf = async (prefix: string) => {
    const all = ((await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;
    const found = all.find((r) => r.startsWith(`${prefix}/`) && r.endsWith('operator'));
    assert.ok(found, `an operator repository under ${prefix}: ${all.join(', ')}`);
    return found;
  };
  const signedTags = await tagDigests(dst, await repoOf('cm'));
  assert.equal(signedTags[`${digestTag(images.operator!.manifest.digest)}.sig`], operatorSigned.tags[`${digestTag(images.operator!.manifest.digest)}.sig`]);
  const bareTags = await tagDigests(dst, await repoOf('cm-bare'));
  assert.deepEqual(Object.keys(bareTags).filter((t) => t.endsWith('.sig')), []);
});
