// Table tests for the archive's naming rules: which member names a part may hold, part file names, and the
// validation of a part's member list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isArchiveMemberName, parseArchiveManifest, parsePartFileName, parsePartIndex, partFileName } from './archive-format.js';
import { isGantryError } from '../errors.js';

const HEX = 'ab'.repeat(32);

for (const [name, ok] of [
  ['oci-layout', true],
  ['index.json', true],
  [`blobs/sha256/${HEX}`, true],
  ['gantry/archive-seq1.json', true],
  ['gantry/parts/seq1-000001.json', true],
  [`gantry/signatures/sha256-${HEX}-1`, true],
  ['gantry/signatures/../index.json', false],
  ['gantry/signatures/a/b', false],
  ['../evil', false],
  ['/etc/passwd', false],
  ['gantry/../index.json', false],
  ['gantry/..', false],
  [`blobs/sha256/${HEX}/`, false],
  [`blobs/sha256/${HEX.toUpperCase()}`, false],
  [`blobs/sha512/${HEX}`, false],
  ['blobs/sha256/abc', false],
  ['./index.json', false],
  ['gantry/a/b/c', false],
  ['', false],
] as const) {
  test(`archive-format/member name ${ok ? 'accepted' : 'rejected'}: ${JSON.stringify(name)}`, () => {
    assert.equal(isArchiveMemberName(name), ok);
  });
}

test('archive-format/part file names round-trip; others are not parts', () => {
  assert.equal(partFileName(12, 3), 'mirror_seq12_000003.tar');
  assert.deepEqual(parsePartFileName('mirror_seq12_000003.tar'), { sequence: 12, part: 3 });
  for (const n of ['mirror_seq0_000001.tar', 'mirror_seq1_1.tar', 'mirror_000001.tar', 'mirror_seq1_000001.tar.tmp', 'x/mirror_seq1_000001.tar']) {
    assert.equal(parsePartFileName(n), undefined, n);
  }
});

const index = (members: unknown) => Buffer.from(JSON.stringify({ format: 'gantry.archive/v1', archiveId: 'x', sequence: 1, part: 1, parts: 1, members }));

for (const [name, bytes] of [
  ['error/not JSON', Buffer.from('{')],
  ['error/other format', Buffer.from(JSON.stringify({ format: 'tar', members: [] }))],
  ['error/member with traversal', index([{ name: '../x', size: 1, sha256: HEX }])],
  ['error/member with bad checksum', index([{ name: 'index.json', size: 1, sha256: 'xyz' }])],
  ['error/member with negative size', index([{ name: 'index.json', size: -1, sha256: HEX }])],
] as const) {
  test(`archive-format/part index ${name}`, () => {
    assert.throws(() => parsePartIndex(bytes, 'p.tar'), (e: unknown) => isGantryError(e, 'ARCHIVE_INVALID'));
  });
}

test('archive-format/part index valid', () => {
  assert.equal(parsePartIndex(index([{ name: 'index.json', size: 3, sha256: HEX }]), 'p.tar').members.length, 1);
});

const manifestWith = (releases: unknown) =>
  Buffer.from(JSON.stringify({ format: 'gantry.archive/v1', sequence: 1, images: [], manifests: {}, releases }));
const SIG = { member: `gantry/signatures/sha256-${HEX}-1`, keyId: '0123456789abcdef', dockerReference: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64' };

for (const [name, releases, ok] of [
  ['signed', [{ version: '4.16.0', arch: 'amd64', digest: `sha256:${HEX}`, signatures: [SIG] }], true],
  ['skipped', [{ version: '4.16.0', arch: 'amd64', digest: `sha256:${HEX}`, signatures: 'skipped' }], true],
  ['error/not a list', { version: '4.16.0' }, false],
  ['error/member of another digest', [{ version: '4.16.0', arch: 'amd64', digest: `sha256:${'cd'.repeat(32)}`, signatures: [SIG] }], false],
  ['error/member outside gantry/signatures', [{ version: '4.16.0', arch: 'amd64', digest: `sha256:${HEX}`, signatures: [{ ...SIG, member: 'index.json' }] }], false],
  ['error/no digest', [{ version: '4.16.0', arch: 'amd64', signatures: 'skipped' }], false],
] as const) {
  test(`archive-format/manifest releases ${name}`, () => {
    if (ok) {
      assert.deepEqual(parseArchiveManifest(manifestWith(releases), 'x').releases, releases);
      return;
    }
    assert.throws(() => parseArchiveManifest(manifestWith(releases), 'x'), (e) => isGantryError(e, 'ARCHIVE_INVALID'));
  });
}
