// Release signatures for tests: a throw-away OpenPGP signing key, signatures in the shape OpenShift publishes
// (an "atomic container signature" JSON, signed), and a fake signature store on 127.0.0.1 with a random port.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { createMessage, generateKey, readPrivateKey, sign } from 'openpgp';

export interface TestSigningKey {
  /** Armored public key: what --key reads. */
  publicKey: string;
  privateKey: string;
}

/** An Ed25519 key (fast to make) named like a release signer. */
export async function makeSigningKey(name = 'gantry test release key'): Promise<TestSigningKey> {
  const k = await generateKey({ userIDs: [{ name, email: 'release@example.com' }], format: 'armored' });
  return { publicKey: k.publicKey, privateKey: k.privateKey };
}

/** A binary OpenPGP signed message over the JSON a release signature carries; `signs` overrides the digest named. */
export async function signRelease(key: TestSigningKey, digest: string, dockerReference: string, opts: { signs?: string; type?: string } = {}): Promise<Uint8Array> {
  const claims = {
    critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': opts.signs ?? digest }, type: opts.type ?? 'atomic container signature' },
    optional: { creator: 'gantry tests' },
  };
  const message = await createMessage({ binary: Buffer.from(JSON.stringify(claims)) });
  const signingKeys = await readPrivateKey({ armoredKey: key.privateKey });
  return sign({ message, signingKeys, format: 'binary' });
}

export interface FakeSignatureStore {
  /** The store's base URL, like https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/. */
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  /** Puts signature-1..n for a digest (replacing what was there). */
  put(digest: string, signatures: Uint8Array[]): void;
  close(): Promise<void>;
}

/** Serves /signatures/sha256=<hex>/signature-<n>; anything else is 404, as the real store answers. */
export async function startSignatureStore(): Promise<FakeSignatureStore> {
  const files = new Map<string, Uint8Array>();
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength }).end(Buffer.from(body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/signatures/`,
    requests,
    put(digest, signatures) {
      const dir = `/signatures/${digest.replace(':', '=')}`;
      for (const k of [...files.keys()]) if (k.startsWith(`${dir}/`)) files.delete(k);
      signatures.forEach((s, i) => files.set(`${dir}/signature-${i + 1}`, s));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SignedReleases {
  store: FakeSignatureStore;
  /** The armored public key written to a file, for --key. */
  keyFile: string;
  /** The mirror flags that verify against this store and key. */
  flags: string[];
}

/**
 * A store holding one signature by a fresh test key for each release (by digest, naming its tagged reference), and
 * the key in `dir`: what a test of release mirroring needs, since gantry verifies every release before copying it.
 */
export async function startSignedStore(dir: string, releases: readonly { digest: string; tagged: string }[]): Promise<SignedReleases> {
  const key = await makeSigningKey();
  const keyFile = join(dir, 'release-key.asc');
  await writeFile(keyFile, key.publicKey);
  const store = await startSignatureStore();
  for (const r of releases) store.put(r.digest, [await signRelease(key, r.digest, r.tagged)]);
  return { store, keyFile, flags: ['--signature-url', store.url, '--key', keyFile] };
}
