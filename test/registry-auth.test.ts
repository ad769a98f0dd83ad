// Authentication and TLS against real registries: htpasswd Basic, TLS with a test CA (certs.d), and the
// Bearer token flow with a token server (cache, expiry, re-authentication, scopes for mounts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCopyRun } from '../src/copy/copy-run.js';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startTokenServer, type TokenServer } from '../src/testing/token-server.js';
import { loadCredentialStore } from '../src/transport/auth-file.js';
import { isGantryError } from '../src/errors.js';
import { PLAIN, tempDir, testSession } from './helpers.js';

const image = buildImage({ seed: 'auth', layerSizes: [50_000] });

describe('htpasswd', () => {
  let reg: RunningRegistry;
  before(async () => {
    reg = await startRegistry({ auth: { kind: 'htpasswd', users: [{ username: 'alice', password: 's3cret-pw' }] } });
    await pushImageRaw(reg.url, 'app/a', 'v1', image, { username: 'alice', password: 's3cret-pw' });
  });
  after(() => reg?.stop());

  test('auth/basic with credentials reads and writes', async () => {
    const session = testSession();
    const access = { ...PLAIN, credentials: { username: 'alice', password: 's3cret-pw' } };
    const r = await createCopyRun().copyImage({ source: session.store(reg.host, 'app/a', access), sourceRef: 'v1', dest: session.store(reg.host, 'app/b', access), destRef: 'v1' });
    await session.close();
    assert.equal(r.ok, true, String(r.error));
  });

  test('auth/basic without or with wrong credentials is REGISTRY_UNAUTHORIZED with a hint, no password in it', async () => {
    const session = testSession();
    for (const access of [PLAIN, { ...PLAIN, credentials: { username: 'alice', password: 'wrong-pw' } }]) {
      await assert.rejects(session.store(reg.host, 'app/a', access).fetchManifest('v1'), (e: unknown) => {
        assert.ok(isGantryError(e, 'REGISTRY_UNAUTHORIZED'), String(e));
        assert.match(e.hint ?? '', /credentials/);
        assert.doesNotMatch(`${e.message} ${e.hint}`, /wrong-pw|s3cret/);
        return true;
      });
    }
    await session.close();
  });

  test('auth/credentials from an auth file (REGISTRY_AUTH_FILE), most specific entry first', async () => {
    const dir = await tempDir('authfile');
    const file = join(dir.path, 'auth.json');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    await writeFile(file, JSON.stringify({ auths: { [reg.host]: { auth: b64('alice:wrong') }, [`${reg.host}/app`]: { auth: b64('alice:s3cret-pw') } } }));
    const credentialStore = await loadCredentialStore({ env: { REGISTRY_AUTH_FILE: file, HOME: dir.path } });
    assert.equal(credentialStore.lookup(reg.host, 'app/a')?.password, 's3cret-pw');
    assert.equal(credentialStore.lookup(reg.host, 'other/a')?.password, 'wrong');
    const session = testSession({ credentialStore });
    const m = await session.store(reg.host, 'app/a', PLAIN).fetchManifest('v1');
    await session.close();
    await dir.remove();
    assert.equal(m.descriptor.digest, image.manifest.digest);
  });
});

describe('tls', () => {
  let reg: RunningRegistry;
  before(async () => {
    reg = await startRegistry({ tls: true });
    await pushImageRaw(reg.url, 'app/t', 'v1', image, { ca: await readFile(reg.caCert!) });
  });
  after(() => reg?.stop());

  test('tls/verified with the CA from a certs.d directory', async () => {
    const session = testSession();
    const m = await session.store(reg.host, 'app/t', { certDir: reg.certDir! }).fetchManifest('v1');
    await session.close();
    assert.equal(m.descriptor.digest, image.manifest.digest);
  });

  test('tls/an unknown CA is TLS_ERROR with a hint; --tls-verify=false connects', async () => {
    const session = testSession();
    await assert.rejects(session.store(reg.host, 'app/t').fetchManifest('v1'), (e: unknown) => {
      assert.ok(isGantryError(e, 'TLS_ERROR'), String(e));
      assert.match(e.hint ?? '', /certs\.d|--cert-dir/);
      return true;
    });
    const m = await session.store(reg.host, 'app/t', { tlsVerify: false }).fetchManifest('v1');
    await session.close();
    assert.equal(m.descriptor.digest, image.manifest.digest);
  });
});

describe('bearer tokens', () => {
  let tokens: TokenServer;
  let reg: RunningRegistry;
  before(async () => {
    tokens = await startTokenServer({ users: [{ username: 'bob', password: 'tok-pw' }], anonymous: 'none' });
    reg = await startRegistry({ auth: { kind: 'token', server: tokens } });
    await pushImageRaw(reg.url, 'app/tok', 'v1', image, { username: 'bob', password: 'tok-pw' });
  });
  after(async () => {
    await reg?.stop();
    await tokens?.stop();
  });

  test('token/copy within the registry: tokens are cached per scope, a mount asks for both repositories', async () => {
    tokens.reset();
    const session = testSession();
    const access = { ...PLAIN, credentials: { username: 'bob', password: 'tok-pw' } };
    const r = await createCopyRun().copyImage({ source: session.store(reg.host, 'app/tok', access), sourceRef: 'v1', dest: session.store(reg.host, 'app/tok2', access), destRef: 'v1' });
    await session.close();
    assert.equal(r.ok, true, String(r.error));
    // A handful of token requests for a whole image, not one per request.
    assert.ok(tokens.requests.length <= 4, `token requests: ${tokens.requests.length}`);
    assert.ok(tokens.requests.every((q) => q.credentials === 'valid'));
    assert.ok(tokens.requests.some((q) => q.scopes.includes('repository:app/tok:pull') && q.scopes.includes('repository:app/tok2:pull,push')));
  });

  test('token/an expired token is renewed once and the request succeeds', async () => {
    const session = testSession();
    const store = session.store(reg.host, 'app/tok', { ...PLAIN, credentials: { username: 'bob', password: 'tok-pw' } });
    // 2 s: exp is whole seconds, so a 1 s token issued late in a second could be dead on arrival.
    tokens.setLifetime(2);
    tokens.reset();
    await store.fetchManifest('v1');
    await new Promise((r) => setTimeout(r, 3_200));
    tokens.setLifetime(300);
    const m = await store.fetchManifest('v1');
    await session.close();
    assert.equal(m.descriptor.digest, image.manifest.digest);
    assert.equal(tokens.requests.length, 2, 'one token, then one renewal after the 401');
  });

  test('token/anonymous access without a grant is REGISTRY_UNAUTHORIZED', async () => {
    const session = testSession();
    await assert.rejects(session.store(reg.host, 'app/tok', PLAIN).fetchManifest('v1'), (e: unknown) => isGantryError(e, 'REGISTRY_UNAUTHORIZED'));
    await session.close();
  });

  test('token/wrong password fails at the token server with its status, no retry storm', async () => {
    tokens.reset();
    const session = testSession();
    await assert.rejects(
      session.store(reg.host, 'app/tok', { ...PLAIN, credentials: { username: 'bob', password: 'nope' } }).fetchManifest('v1'),
      (e: unknown) => isGantryError(e, 'REGISTRY_UNAUTHORIZED') && e.status === 401,
    );
    await session.close();
    assert.ok(tokens.requests.length <= 2);
  });
});


