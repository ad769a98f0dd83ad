// HEAD requests over node:http(s) keep-alive agents. undici closes the socket after every HEAD (a guard
// against servers that send HEAD bodies), so existence checks through it cost a new TCP (and TLS) connection
// each; registries answer HEAD correctly, so these go through a pool that keeps its connections.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TlsMaterial } from './certs.js';

export interface HeadResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

export interface HeadClient {
  head(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<HeadResponse>;
  close(): void;
}

export function createHeadClient(opts: { tls: TlsMaterial; verify: boolean; maxSockets: number; timeoutMs: number }): HeadClient {
  const common = { keepAlive: true, maxSockets: opts.maxSockets, scheduling: 'lifo' as const };
  const http = new HttpAgent(common);
  const https = new HttpsAgent({
    ...common,
    rejectUnauthorized: opts.verify,
    ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
    ...(opts.tls.cert ? { cert: opts.tls.cert, key: opts.tls.key } : {}),
  });
  return {
    head(url, headers, signal) {
      return new Promise((resolve, reject) => {
        const secure = url.protocol === 'https:';
        const req = (secure ? httpsRequest : httpRequest)(url, { method: 'HEAD', headers, agent: secure ? https : http, timeout: opts.timeoutMs, ...(signal ? { signal } : {}) }, (res) => {
          res.resume();
          res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error('HEAD request timed out'), { code: 'UND_ERR_HEADERS_TIMEOUT' })));
        req.on('error', reject);
        req.end();
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
