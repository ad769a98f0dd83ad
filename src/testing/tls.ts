// Test TLS material made with the openssl CLI: a throw-away CA, server certificates it signs for the loopback
// names, and certs.d-style directories (DIR/HOST:PORT/ca.crt, the /etc/containers/certs.d layout).
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runTool } from './tools.js';

export interface TestCa {
  /** PEM files. The CA signs serverCert, which is valid for 127.0.0.1, localhost and ::1. */
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

export interface CreateTestCaOptions {
  /** Common name of the CA; useful when a test needs two distinct CAs. */
  name?: string;
  signal?: AbortSignal;
}

const OPENSSL_TIMEOUT_MS = 20_000;
// Validity starts now (openssl's default); a month is plenty for a test run and keeps stale material obviously stale.
const VALID_DAYS = '30';
const SERVER_NAMES = 'IP:127.0.0.1,DNS:localhost,IP:::1';

async function runOpenssl(args: string[], signal: AbortSignal | undefined): Promise<void> {
  const r = await runTool('openssl', args, { timeoutMs: OPENSSL_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (r.code !== 0) throw new Error(`openssl ${args[0]} failed (${r.code}): ${r.stderr.trim()}`);
}

/** An ECDSA P-256 key (fast to generate, accepted by Go's TLS, Node and skopeo). */
async function generateKey(path: string, signal: AbortSignal | undefined): Promise<void> {
  await runOpenssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path], signal);
}

/** Creates the CA and a server certificate in `dir` (which must exist). */
export async function createTestCa(dir: string, opts: CreateTestCaOptions = {}): Promise<TestCa> {
  const { signal } = opts;
  const files: TestCa = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
  };
  const name = opts.name ?? 'gantry test CA';
  await generateKey(files.caKey, signal);
  await runOpenssl(
    [
      'req', '-new', '-x509', '-key', files.caKey, '-out', files.caCert, '-days', VALID_DAYS,
      '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', 'subjectKeyIdentifier=hash',
    ],
    signal,
  );
  await generateKey(files.serverKey, signal);
  const csr = join(dir, 'server.csr');
  await runOpenssl(['req', '-new', '-key', files.serverKey, '-out', csr, '-subj', '/CN=127.0.0.1'], signal);
  const ext = join(dir, 'server.ext');
  await writeFile(
    ext,
    [
      `subjectAltName=${SERVER_NAMES}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  await runOpenssl(
    [
      'x509', '-req', '-in', csr, '-CA', files.caCert, '-CAkey', files.caKey,
      // A random serial instead of -CAcreateserial, which would leave a .srl file behind.
      '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-days', VALID_DAYS, '-extfile', ext, '-out', files.serverCert,
    ],
    signal,
  );
  return files;
}

export interface SelfSignedCert {
  cert: string;
  key: string;
}

/** A self-signed ECDSA certificate (no SANs): what a token server signs JWTs with. */
export async function createSelfSignedCert(
  dir: string,
  opts: { name: string; signal?: AbortSignal },
): Promise<SelfSignedCert> {
  const files = { cert: join(dir, `${opts.name}.crt`), key: join(dir, `${opts.name}.key`) };
  await generateKey(files.key, opts.signal);
  await runOpenssl(
    ['req', '-new', '-x509', '-key', files.key, '-out', files.cert, '-days', VALID_DAYS, '-subj', `/CN=${opts.name}`],
    opts.signal,
  );
  return files;
}

/**
 * Writes `root/HOST/ca.crt` (HOST like "127.0.0.1:5000"), the layout of /etc/containers/certs.d and
 * /etc/docker/certs.d. Returns the host directory, which is what `skopeo --cert-dir` takes.
 */
export async function writeCertsDir(root: string, host: string, caCert: string): Promise<string> {
  const hostDir = join(root, host);
  await mkdir(hostDir, { recursive: true });
  await copyFile(caCert, join(hostDir, 'ca.crt'));
  return hostDir;
}
