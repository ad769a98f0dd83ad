// Reads a catalog served over http(s) (catalogd's /api/v1/all, an old all.json, any file server) with the same
// TLS flags as registries: --tls-verify=false skips verification, --cert-dir adds CAs and a client certificate.
import { Agent, request } from 'undici';
import { GantryError } from '../errors.js';
import { loadTlsMaterial } from '../transport/certs.js';

export interface FetchUrlOptions {
  signal: AbortSignal;
  tlsVerify: boolean;
  certDir?: string;
}

const MAX_REDIRECTIONS = 5;

export async function fetchUrl(url: string, opts: FetchUrlOptions): Promise<Uint8Array> {
  const u = new URL(url);
  const tls = u.protocol === 'https:' ? await loadTlsMaterial(u.host, opts.certDir) : {};
  const agent = new Agent({ connect: { rejectUnauthorized: opts.tlsVerify, ...tls } });
  try {
    let current = u;
    for (let hop = 0; hop <= MAX_REDIRECTIONS; hop++) {
      const res = await request(current, { dispatcher: agent, signal: opts.signal }).catch((err: unknown) => {
        throw urlError(url, err);
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        current = new URL(location, current);
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new GantryError(res.statusCode === 404 ? 'NOT_FOUND' : 'IO_ERROR', `${url} answered ${res.statusCode}`);
      }
      return new Uint8Array(await res.body.arrayBuffer());
    }
    throw new GantryError('IO_ERROR', `${url} redirects more than ${MAX_REDIRECTIONS} times`);
  } finally {
    await agent.close();
  }
}

/** Network failures are the user's environment, not a gantry bug: say which URL and what the socket said. */
function urlError(url: string, err: unknown): unknown {
  if (err instanceof GantryError || (err as Error)?.name === 'AbortError') return err;
  const e = err as Error & { code?: string };
  const tls = /certificate|self.signed|CERT_|SSL|TLS/i.test(`${e.code ?? ''} ${e.message}`);
  return new GantryError(tls ? 'TLS_ERROR' : 'IO_ERROR', `cannot read ${url}: ${e.code ? `${e.code}: ` : ''}${e.message}`, {
    ...(tls ? { hint: 'for a private CA pass --cert-dir DIR (ca.crt); --tls-verify=false skips verification' } : {}),
    cause: err,
  });
}
