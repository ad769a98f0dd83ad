// One plain GET of a small document (an update graph, a JSON API answer) with the registry side's TLS behaviour
// (certs.d, --cert-dir, --tls-verify=false), the environment's proxies, a timeout, bounded redirects and a size cap.
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { Defaults } from '../defaults.js';
import { GantryError } from '../errors.js';
import { loadTlsMaterial } from './certs.js';
import { readCapped } from './read-capped.js';

export interface HttpGetOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  tlsVerify?: boolean;
  certDir?: string;
  /** Connect, headers, and any pause in the body (default Defaults.requestTimeoutMs). */
  timeoutMs?: number;
  /** Bytes of body kept; a larger answer is an error (default 64 MiB: the whole public OCP graph is a few MB). */
  maxBytes?: number;
  /** Proxy variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, lower case too); the caller passes the process's. */
  env?: Record<string, string | undefined>;
  /** Keep the body as bytes (`bytes`), not UTF-8 text: OpenPGP signatures are binary. */
  binary?: boolean;
}

export interface HttpGetResult {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  contentType: string | undefined;
  text: string;
  /** The body as received, with `binary` (then `text` is empty). */
  bytes?: Uint8Array;
}

const MAX_REDIRECTIONS = 5;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** GET and read the body as text, whatever the status (the caller decides what a 4xx/5xx means). */
export async function httpGet(url: string, opts: HttpGetOptions = {}): Promise<HttpGetResult> {
  const timeoutMs = opts.timeoutMs ?? Defaults.requestTimeoutMs;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let current = new URL(url);
  const agents: Dispatcher[] = [];
  try {
    for (let hop = 0; hop <= MAX_REDIRECTIONS; hop++) {
      const dispatcher = await dispatcherFor(current, opts, timeoutMs);
      agents.push(dispatcher);
      const res = await request(current, {
        dispatcher,
        method: 'GET',
        headers: { 'user-agent': Defaults.userAgent, ...opts.headers },
        ...(opts.signal ? { signal: opts.signal } : {}),
      }).catch((err: unknown) => {
        throw networkError(current, err, timeoutMs);
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        current = new URL(location, current);
        continue;
      }
      const ct = res.headers['content-type'];
      const contentType = typeof ct === 'string' ? ct : undefined;
      if (opts.binary) {
        const bytes = await readBytesCapped(res.body, maxBytes + 1).catch((err: unknown) => {
          throw networkError(current, err, timeoutMs);
        });
        if (bytes.byteLength > maxBytes) throw new GantryError('IO_ERROR', `${current.href} answered more than ${maxBytes} bytes`);
        return { status: res.statusCode, url: current.href, contentType, text: '', bytes };
      }
      const text = await readCapped(res.body, maxBytes + 1).catch((err: unknown) => {
        throw networkError(current, err, timeoutMs);
      });
      if (Buffer.byteLength(text) > maxBytes) throw new GantryError('IO_ERROR', `${current.href} answered more than ${maxBytes} bytes`);
      return { status: res.statusCode, url: current.href, contentType, text };
    }
    throw new GantryError('IO_ERROR', `${url} redirects more than ${MAX_REDIRECTIONS} times`);
  } finally {
    await Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
  }
}

async function readBytesCapped(body: AsyncIterable<Uint8Array> & { destroy(): void }, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    seen += chunk.byteLength;
    if (seen >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}

async function dispatcherFor(url: URL, opts: HttpGetOptions, timeoutMs: number): Promise<Dispatcher> {
  const tls = url.protocol === 'https:' ? await loadTlsMaterial(url.host, opts.certDir) : {};
  const connect = {
    timeout: timeoutMs,
    rejectUnauthorized: opts.tlsVerify ?? true,
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}),
  };
  const base = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 1 };
  const env = opts.env ?? {};
  const pick = (name: string) => env[name] ?? env[name.toLowerCase()];
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  // Like Go's http.ProxyFromEnvironment (what oc-mirror's Cincinnati client uses): the variables, NO_PROXY honoured.
  if (httpProxy || httpsProxy) {
    const noProxy = pick('NO_PROXY');
    return new EnvHttpProxyAgent({
      ...base,
      ...(httpProxy ? { httpProxy } : {}),
      ...(httpsProxy ? { httpsProxy } : {}),
      ...(noProxy !== undefined ? { noProxy } : {}),
      connect,
      requestTls: connect,
    });
  }
  return new Agent({ ...base, connect });
}

/** Network failures are the user's environment: say which URL and what the socket said; TLS gets its own hint. */
function networkError(url: URL, err: unknown, timeoutMs: number): unknown {
  if (err instanceof GantryError || (err as Error)?.name === 'AbortError') return err;
  const e = err as Error & { code?: string };
  const code = e.code ?? '';
  if (/TIMEOUT/.test(code)) {
    return new GantryError('IO_ERROR', `${url.origin} did not answer within ${timeoutMs / 1000}s (${code})`, { cause: err, hint: 'check the URL and the network; --timeout waits longer' });
  }
  const tls = /certificate|self.signed|CERT_|SSL|TLS/i.test(`${code} ${e.message}`);
  return new GantryError(tls ? 'TLS_ERROR' : 'IO_ERROR', `cannot reach ${url.origin}: ${code ? `${code}: ` : ''}${e.message}`, {
    ...(tls ? { hint: 'for a private CA pass --cert-dir DIR (ca.crt); --tls-verify=false skips verification' } : {}),
    cause: err,
  });
}
