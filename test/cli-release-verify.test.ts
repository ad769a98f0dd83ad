// gantry release verify through bin/gantry.js against a fake signature store on 127.0.0.1: a good signature (and
// the ConfigMap and ClusterImagePolicy example written for it), the OCP_SIGNATURE_* overrides, signatures that
// fail verification, a release without signatures, an unreachable store and a missing key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSigningKey, signRelease, startSignatureStore, type FakeSignatureStore, type TestSigningKey } from '../src/testing/signature-store.js';
import { runGantry } from './run-gantry.js';
import { tempDir } from './helpers.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const GOOD = `sha256:${hex('good release')}`;
const TWO = `sha256:${hex('two signatures')}`;
const BAD = `sha256:${hex('bad release')}`;
const WRONG = `sha256:${hex('wrong digest')}`;
const NONE = `sha256:${hex('unsigned release')}`;
const IMAGE = 'quay.io/openshift-release-dev/ocp-release';
let store: FakeSignatureStore;
let key: TestSigningKey;
let dir: { path: string; remove(): Promise<void> };
let keyFile: string;
let goodSig: Uint8Array;

before(async () => {
  const [k, stranger] = await Promise.all([makeSigningKey(), makeSigningKey('not the release key')]);
  key = k;
  store = await startSignatureStore();
  dir = await tempDir('release-verify');
  keyFile = join(dir.path, 'release-key.asc');
  await writeFile(keyFile, key.publicKey);
  goodSig = await signRelease(key, GOOD, `${IMAGE}:4.16.0-x86_64`);
  store.put(GOOD, [goodSig]);
  store.put(TWO, [await signRelease(stranger, TWO, `${IMAGE}:4.16.1-x86_64`), await signRelease(key, TWO, `${IMAGE}:4.16.1-x86_64`)]);
  store.put(BAD, [await signRelease(stranger, BAD, `${IMAGE}:4.16.2-x86_64`)]);
  store.put(WRONG, [await signRelease(key, WRONG, `${IMAGE}:4.16.3-x86_64`, { signs: GOOD })]);
});
after(async () => {
  await store?.close();
  await dir?.remove();
});

const verify = (image: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runGantry(['release', 'verify', image, ...extra], { env: { OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '', ...env } });

test('release verify/a good signature verifies; --output-dir writes the ConfigMap as oc-mirror v2 does, the policy example and the raw signature', async () => {
  const out = join(dir.path, 'out');
  const r = await verify(`${IMAGE}@${GOOD}`, ['--signature-url', store.url, '--key', keyFile, '--output-dir', out, '--tls-verify=false', '--cert-dir', dir.path, '--timeout', '10s']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`release ${GOOD}: verified 1 of 1 signature \\(key [0-9a-f]{16}\\); signed as ${IMAGE}:4\\.16\\.0-x86_64`));
  const cm = JSON.parse(await readFile(join(out, 'signature-configmap.json'), 'utf8')) as { metadata: { name: string; namespace: string; labels: Record<string, string> }; binaryData: Record<string, string> };
  assert.equal(cm.metadata.name, 'mirrored-release-signatures');
  assert.equal(cm.metadata.namespace, 'openshift-config-managed');
  assert.deepEqual(cm.metadata.labels, { 'release.openshift.io/verification-signatures': '' });
  assert.deepEqual(Object.keys(cm.binaryData), [`sha256-${GOOD.slice(7)}-1`]);
  assert.deepEqual(Buffer.from(cm.binaryData[`sha256-${GOOD.slice(7)}-1`]!, 'base64'), Buffer.from(goodSig), 'the signature bytes as served');
  const yaml = await readFile(join(out, 'signature-configmap.yaml'), 'utf8');
  assert.match(yaml, /release\.openshift\.io\/verification-signatures: ""/);
  assert.match(await readFile(join(out, 'cluster-image-policy-example.yaml'), 'utf8'), /kind: ClusterImagePolicy/);
  assert.deepEqual(await readdir(join(out, 'signatures')), [`sha256-${GOOD.slice(7)}-1`]);
  assert.ok(store.requests.includes(`/signatures/sha256=${GOOD.slice(7)}/signature-2`), 'asked for the next one until a 404');
});

test('release verify/OCP_SIGNATURE_URL and OCP_SIGNATURE_VERIFICATION_PK stand in for the flags; -o json lists verified and rejected', async () => {
  const r = await verify(TWO, ['-o', 'json'], { OCP_SIGNATURE_URL: store.url, OCP_SIGNATURE_VERIFICATION_PK: keyFile });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { digest: string; store: string; verified: { index: number; dockerReference: string }[]; rejected: { index: number }[] };
  assert.equal(j.digest, TWO);
  assert.equal(j.store, store.url);
  assert.deepEqual(j.verified.map((v) => v.index), [2]);
  assert.deepEqual(j.rejected.map((v) => v.index), [1]);
});

test('release verify/a signature by another key, or over another digest, is SIGNATURE_INVALID naming the release; nothing written', async () => {
  for (const digest of [BAD, WRONG]) {
    const out = join(dir.path, `out-${digest.slice(7, 15)}`);
    const r = await verify(`${IMAGE}@${digest}`, ['--signature-url', store.url, '--key', keyFile, '--output-dir', out]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`^error\\[SIGNATURE_INVALID\\]: release ${digest}: none of its 1 signature verifies`, 'm'));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    await assert.rejects(readdir(out), 'no output directory');
  }
  const wrong = await verify(WRONG, ['--signature-url', store.url, '--key', keyFile]);
  assert.match(wrong.stderr, new RegExp(`it signs ${GOOD}, not ${WRONG}`));
});

test('release verify/a release the store has no signature for is SIGNATURE_NOT_FOUND', async () => {
  // --type okd only changes the default store: the URL given wins.
  const r = await verify(NONE, ['--type', 'okd', '--signature-url', store.url, '--key', keyFile]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`error\\[SIGNATURE_NOT_FOUND\\]: the signature store has no signature for release ${NONE}`));
});

test('release verify/an unreachable store is SIGNATURE_STORE_UNREACHABLE naming the release and the URL', async () => {
  // A port that was just free: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const r = await verify(GOOD, ['--signature-url', `http://127.0.0.1:${port}/sigs/`, '--key', keyFile, '--timeout', '5s']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`error\\[SIGNATURE_STORE_UNREACHABLE\\]: cannot fetch the signatures of release ${GOOD} from http://127\\.0\\.0\\.1:${port}/sigs/sha256=`));
});

test('release verify/bad input: a missing key file says where to get the key; not a digest; a key file without a key', async () => {
  const missing = await verify(GOOD, ['--signature-url', store.url, '--key', join(dir.path, 'nope.asc')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error\[NOT_FOUND\]: cannot read the release key .*nope\.asc/);
  assert.match(missing.stderr, /hint: .*access\.redhat\.com\/security\/team\/key/);
  const tag = await verify(`${IMAGE}:4.16.0-x86_64`, ['--signature-url', store.url, '--key', keyFile]);
  assert.equal(tag.code, 1);
  assert.match(tag.stderr, /error\[DIGEST_INVALID\]/);
  const notKey = join(dir.path, 'not-a-key.txt');
  await writeFile(notKey, 'hello');
  const bad = await verify(GOOD, ['--signature-url', store.url, '--key', notKey]);
  assert.match(bad.stderr, /error\[SIGNATURE_KEY_INVALID\]/);
});
