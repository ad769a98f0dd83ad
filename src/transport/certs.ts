// TLS material per registry host: CA certificates and client certificates from certs.d directories
// (/etc/containers/certs.d/HOST:PORT, /etc/docker/certs.d/HOST:PORT, or a --cert-dir), as containers/image reads them.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

export interface TlsMaterial {
  /** Extra CAs, added to Node's bundled roots. Undefined when there are none. */
  ca?: string[];
  cert?: string;
  key?: string;
}

export const CERTS_D_ROOTS = ['/etc/containers/certs.d', '/etc/docker/certs.d'];

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Reads one certs.d-style directory: *.crt are CAs; NAME.cert + NAME.key are a client certificate. */
export async function readCertDir(dir: string): Promise<TlsMaterial> {
  const names = await listDir(dir);
  const out: TlsMaterial = {};
  const cas: string[] = [];
  for (const name of names) {
    if (name.endsWith('.crt')) cas.push(await readFile(join(dir, name), 'utf8'));
    if (name.endsWith('.cert')) {
      const keyName = `${name.slice(0, -'.cert'.length)}.key`;
      if (names.includes(keyName)) {
        out.cert = await readFile(join(dir, name), 'utf8');
        out.key = await readFile(join(dir, keyName), 'utf8');
      }
    }
  }
  if (cas.length > 0) out.ca = [...rootCertificates, ...cas];
  return out;
}

/** TLS material for a registry host: an explicit --cert-dir wins, else the first certs.d that has the host. */
export async function loadTlsMaterial(host: string, certDir?: string, roots: string[] = CERTS_D_ROOTS): Promise<TlsMaterial> {
  if (certDir) return readCertDir(certDir);
  for (const root of roots) {
    const m = await readCertDir(join(root, host));
    if (m.ca || m.cert) return m;
  }
  return {};
}
