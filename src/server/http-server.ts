// The socket side of the catalogd HTTP API: node:http (or node:https with a cert and key) around the pure
// handler, and a graceful stop that refuses new connections but lets in-flight responses finish.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CatalogQuery } from './catalog-query.js';
import { createHttpHandler, type HttpRequest, type HttpResponse } from './http-handler.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** PEM bytes; both or neither. */
  tls?: { cert: Buffer; key: Buffer };
  /** Routes tried before catalogd's (the web UI); undefined leaves the request to catalogd's handler. */
  routes?: (req: HttpRequest) => HttpResponse | undefined;
}

export interface RunningServer {
  /** "http://127.0.0.1:8080" or https://…, with the port actually bound. */
  url: string;
  /** Stops accepting, waits for in-flight responses, closes idle keep-alive connections. */
  close(): Promise<void>;
}

export async function startHttpServer(catalogs: Map<string, CatalogQuery>, opts: HttpServerOptions): Promise<RunningServer> {
  const handle = createHttpHandler(catalogs);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    const out = opts.routes?.(request) ?? handle(request);
    res.writeHead(out.status, { ...out.headers, 'content-length': String(out.body.length) });
    res.end(req.method === 'HEAD' ? undefined : out.body);
  };
  const server: Server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createHttp(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
