// Table tests for the parts of release signature handling that are data in, data out: which store type a planned
// release uses, and what an archive records for each release (signature members, or skipped); and the record a
// delete updates, in a temporary workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReleasePlatform } from '../config/config-types.js';
import type { MirrorPlan } from './plan-mirror.js';
import type { PlannedRelease } from './plan-releases.js';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archivedReleases, forgetReleaseSignatures, payloadDigest, releaseSignatureResources, releaseType, signatureMemberName, signatureRecordFile } from './release-signatures.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const release = (version: string, digest: string, channel?: string): PlannedRelease => ({
  version,
  arch: 'amd64',
  payload: `quay.io/openshift-release-dev/ocp-release@${digest}`,
  ...(channel ? { channel } : {}),
  reason: 'head',
  multiArch: false,
  components: 1,
  tag: `${version}-x86_64`,
});
const platform = (types: ('ocp' | 'okd')[]): ReleasePlatform => ({
  channels: types.map((type, n) => ({ name: `c${n}`, type, shortestPath: false, full: false })),
  graph: false,
  kubeVirtContainer: false,
});

for (const [name, r, p, want] of [
  ['ocp channel', release('4.16.0', D1, 'c0'), platform(['ocp', 'okd']), 'ocp'],
  ['okd channel', release('4.16.0', D1, 'c1'), platform(['ocp', 'okd']), 'okd'],
  ['platform.release with only okd channels', release('4.16.0', D1), platform(['okd']), 'okd'],
  ['platform.release with mixed channels', release('4.16.0', D1), platform(['okd', 'ocp']), 'ocp'],
  ['platform.release without channels', release('4.16.0', D1), platform([]), 'ocp'],
] as const) {
  test(`release-signatures/type ${name}`, () => assert.equal(releaseType(r, p), want));
}

test('release-signatures/payload digest of a planned release', () => assert.equal(payloadDigest(release('4.16.0', D2)), D2));

const sig = (n: number) => ({ index: n, url: `http://store/${n}`, dockerReference: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64', keyId: '0123456789abcdef', bytes: new Uint8Array([n]) });

test('release-signatures/archive records: signed releases get members sha256-<hex>-<n>, sorted by digest; unsigned ones are left out', () => {
  const plan = { images: [], catalogs: [], blocked: [], issues: [], releases: [release('4.16.1', D2), release('4.16.0', D1)] } as MirrorPlan;
  const { releases, members } = archivedReleases(plan, { signed: [{ version: '4.16.1', arch: 'amd64', digest: D2, signatures: [sig(1), sig(2)] }], skipped: false });
  assert.deepEqual(releases, [
    {
      version: '4.16.1',
      arch: 'amd64',
      digest: D2,
      signatures: [1, 2].map((n) => ({ member: signatureMemberName(D2, n), keyId: '0123456789abcdef', dockerReference: sig(n).dockerReference })),
    },
  ]);
  assert.deepEqual(members.map((m) => [m.name, [...m.bytes]]), [
    [`gantry/signatures/sha256-${'2'.repeat(64)}-1`, [1]],
    [`gantry/signatures/sha256-${'2'.repeat(64)}-2`, [2]],
  ]);
});

test('release-signatures/archive records: skipped releases say so and carry nothing', () => {
  const plan = { images: [], catalogs: [], blocked: [], issues: [], releases: [release('4.16.1', D2), release('4.16.0', D1)] } as MirrorPlan;
  const { releases, members } = archivedReleases(plan, { signed: [], skipped: true });
  assert.deepEqual(releases.map((r) => [r.digest, r.signatures]), [[D1, 'skipped'], [D2, 'skipped']]);
  assert.deepEqual(members, []);
});

test('release-signatures/forget: deleted releases leave the record and the ConfigMap; the last one takes the files with it; no record, nothing touched', async () => {
  const ws = await mkdtemp(join(tmpdir(), 'gantry-forget-'));
  try {
    const target = { registry: 'mirror.example', namespace: 'm' };
    assert.deepEqual(await forgetReleaseSignatures(ws, target, new Set([D1])), [], 'no record: nothing to forget');
    assert.deepEqual(await readdir(ws), []);
    const sig = (digest: string) => ({ version: digest === D1 ? '4.16.0' : '4.16.1', arch: 'amd64', digest, signatures: [{ index: 1, url: 'x', dockerReference: 'r', keyId: 'k', bytes: new Uint8Array([1, 2, 3]) }] });
    await releaseSignatureResources(ws, target, [sig(D1), sig(D2)], { anyRelease: true });
    assert.deepEqual(await forgetReleaseSignatures(ws, target, new Set([D1, `sha256:${'9'.repeat(64)}`])), [{ version: '4.16.0', arch: 'amd64', digest: D1 }]);
    const cm = JSON.parse(await readFile(join(ws, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as { binaryData: Record<string, string> };
    assert.deepEqual(Object.keys(cm.binaryData), [`sha256-${'2'.repeat(64)}-1`]);
    assert.deepEqual((JSON.parse(await readFile(signatureRecordFile(ws, target), 'utf8')) as { releases: { digest: string }[] }).releases.map((r) => r.digest), [D2]);
    assert.deepEqual(await forgetReleaseSignatures(ws, target, new Set([D2])), [{ version: '4.16.1', arch: 'amd64', digest: D2 }]);
    assert.deepEqual(await readdir(join(ws, 'cluster-resources')).catch(() => []), [], 'no release left: no ConfigMap files');
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});
