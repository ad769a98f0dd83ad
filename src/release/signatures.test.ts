import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makeSigningKey, signRelease, type TestSigningKey } from '../testing/signature-store.js';
import { clusterImagePolicyExample, readVerificationKeys, releaseSignatureConfigMap, verifyReleaseSignatures } from './signatures.js';
import { fetchReleaseSignatures, signatureStoreUrl, signatureUrl, OCP_SIGNATURE_URL, OKD_SIGNATURE_URL, type FetchBytes } from './signature-store.js';
import { isGantryError } from '../errors.js';

const digest = `sha256:${createHash('sha256').update('release').digest('hex')}`;
const other = `sha256:${createHash('sha256').update('other').digest('hex')}`;
const REF = 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64';
let key: TestSigningKey;
let stranger: TestSigningKey;

before(async () => {
  [key, stranger] = await Promise.all([makeSigningKey(), makeSigningKey('someone else')]);
});

const sig = (bytes: Uint8Array, index = 1) => ({ index, url: `https://store/sha256=x/signature-${index}`, bytes });
const keysOf = (k: TestSigningKey) => readVerificationKeys(Buffer.from(k.publicKey), 'key.asc');

test('release-signatures/a signature by the key over the digest verifies and names the release', async () => {
  const r = await verifyReleaseSignatures(digest, [sig(await signRelease(key, digest, REF))], await keysOf(key));
  assert.equal(r.verified.length, 1);
  assert.equal(r.verified[0]!.dockerReference, REF);
  assert.match(r.verified[0]!.keyId, /^[0-9a-f]{16}$/);
});

test('release-signatures/rejections: wrong key, another digest, wrong type, not a signature', async () => {
  const cases: [string, Promise<Uint8Array> | Uint8Array, RegExp][] = [
    ['error/wrong key', signRelease(stranger, digest, REF), /signature-1 of release sha256:[0-9a-f]{64} does not verify/],
    ['error/other digest', signRelease(key, digest, REF, { signs: other }), new RegExp(`it signs ${other}, not ${digest}`)],
    ['error/wrong type', signRelease(key, digest, REF, { type: 'cosign container image signature' }), /not an "atomic container signature"/],
    ['error/garbage', Buffer.from('not a signature'), /does not verify/],
  ];
  const keys = await keysOf(key);
  for (const [name, bytes, reason] of cases) {
    await assert.rejects(verifyReleaseSignatures(digest, [sig(await bytes)], keys), (err) => {
      assert.ok(isGantryError(err, 'SIGNATURE_INVALID'), name);
      assert.match(err.message, new RegExp(`release ${digest}`), name);
      assert.match(err.hint ?? '', reason, name);
      return true;
    });
  }
});

test('release-signatures/one good signature among bad ones verifies the release; the bad one is reported', async () => {
  const r = await verifyReleaseSignatures(digest, [sig(await signRelease(stranger, digest, REF), 1), sig(await signRelease(key, digest, REF), 2)], await keysOf(key));
  assert.deepEqual(r.verified.map((v) => v.index), [2]);
  assert.deepEqual(r.rejected.map((v) => v.index), [1]);
});

test('release-signatures/key file that holds no key is SIGNATURE_KEY_INVALID', async () => {
  await assert.rejects(readVerificationKeys(Buffer.from('hello'), 'k.txt'), (err) => isGantryError(err, 'SIGNATURE_KEY_INVALID') && /k\.txt/.test(err.message));
});

test("release-signatures/ConfigMap as oc-mirror v2 writes it: name, namespace, label, sha256-<hex>-<n> keys", () => {
  const cm = releaseSignatureConfigMap([
    { digest: other, signatures: [Buffer.from('b1')] },
    { digest, signatures: [Buffer.from('a1'), Buffer.from('a2')] },
  ]);
  assert.equal(cm.metadata.name, 'mirrored-release-signatures');
  assert.equal(cm.metadata.namespace, 'openshift-config-managed');
  assert.deepEqual(cm.metadata.labels, { 'release.openshift.io/verification-signatures': '' });
  const hex = digest.slice(7);
  assert.equal(cm.binaryData[`sha256-${hex}-1`], Buffer.from('a1').toString('base64'));
  assert.equal(cm.binaryData[`sha256-${hex}-2`], Buffer.from('a2').toString('base64'));
  assert.equal(cm.binaryData[`sha256-${other.slice(7)}-1`], Buffer.from('b1').toString('base64'));
  assert.deepEqual(Object.keys(cm.binaryData), [...Object.keys(cm.binaryData)].sort(), 'sorted keys');
});

test('release-signatures/ClusterImagePolicy example names the release scopes and the public-key policy', () => {
  const y = clusterImagePolicyExample();
  assert.match(y, /^apiVersion: config\.openshift\.io\/v1$/m);
  assert.match(y, /^kind: ClusterImagePolicy$/m);
  assert.match(y, /^ {2}- quay\.io\/openshift-release-dev\/ocp-release$/m);
  assert.match(y, /policyType: PublicKey/);
});

test('signature-store/URLs: flag, then OCP_SIGNATURE_URL, then the type default; sha256=<hex>/signature-<n>', () => {
  assert.equal(signatureStoreUrl('ocp', {}), OCP_SIGNATURE_URL);
  assert.equal(signatureStoreUrl('okd', {}), OKD_SIGNATURE_URL);
  assert.equal(signatureStoreUrl('ocp', { env: { OCP_SIGNATURE_URL: 'http://e/' } }), 'http://e/');
  assert.equal(signatureStoreUrl('ocp', { signatureUrl: 'http://f/', env: { OCP_SIGNATURE_URL: 'http://e/' } }), 'http://f/');
  assert.equal(signatureUrl('http://s/a', digest, 2), `http://s/a/sha256=${digest.slice(7)}/signature-2`);
  assert.throws(() => signatureUrl('ftp://s/', digest, 1), (e) => isGantryError(e, 'USAGE'));
});

test('signature-store/reads signature-1..n until the first 404; none is SIGNATURE_NOT_FOUND; a network error names the digest', async () => {
  const asked: string[] = [];
  const have = new Set([1, 2]);
  const fetchBytes: FetchBytes = async (url) => {
    asked.push(url);
    const n = Number(url.split('-').pop());
    return have.has(n) ? { status: 200, bytes: Buffer.from(`s${n}`) } : { status: 404, bytes: new Uint8Array() };
  };
  const got = await fetchReleaseSignatures(digest, { store: 'http://s/', fetchBytes });
  assert.deepEqual(got.map((g) => g.index), [1, 2]);
  assert.equal(asked.length, 3);
  have.clear();
  await assert.rejects(fetchReleaseSignatures(digest, { store: 'http://s/', fetchBytes }), (e) => isGantryError(e, 'SIGNATURE_NOT_FOUND') && e.message.includes(digest));
  await assert.rejects(
    fetchReleaseSignatures(digest, { store: 'http://s/', fetchBytes: () => Promise.reject(new Error('ECONNREFUSED')) }),
    (e) => isGantryError(e, 'SIGNATURE_STORE_UNREACHABLE') && e.message.includes(digest),
  );
  await assert.rejects(fetchReleaseSignatures('sha256:abc', { store: 'http://s/', fetchBytes }), (e) => isGantryError(e, 'DIGEST_INVALID'));
});
