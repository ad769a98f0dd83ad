// The socket side of the catalogd HTTP API: node:http (or node:https with a cert and key) around the pure
// handler, and a graceful stop that refuses new connections but lets in-flight responses finish.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream';
import { createGzip, gzip } from 'node:zlib';
import type { CatalogQuery } from './catalog-query.js';
import { createHttpHandler, GZIP_MIN_BYTES, type HttpRequest, type HttpResponse } from './http-handler.js';

const gzipAsync = promisify(gzip);

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
  // Whole catalogs are compressed once, off the event loop, before the first client: gzip costs nothing per request.
  const gzipped = new Map<Buffer, Buffer>();
  for (const c of catalogs.values()) if (c.body.length >= GZIP_MIN_BYTES) gzipped.set(c.body, await gzipAsync(c.body));
  const handle = createHttpHandler(catalogs, { gzipped });
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // HEAD gets GET's headers, Content-Length included. The body is a view of the catalog's one Buffer, handed to
    // the socket as is: no per-request copy, and a client that goes away drops only its reference.
    const send = (out: HttpResponse) => {
      if (out.gzipWhileSending) {
        res.writeHead(out.status, out.headers);
        if (req.method === 'HEAD') return void res.end();
        // zlib works on the thread pool: the event loop keeps serving while a large answer is compressed, and a
        // client that goes away stops the compression (pipeline destroys both ends).
        const gz = createGzip();
        pipeline(gz, res, () => undefined);
        gz.end(out.body);
        return;
      }
      res.writeHead(out.status, { ...out.headers, 'content-length': String(out.body.length) });
      res.end(req.method === 'HEAD' ? undefined : out.body);
    };
    try {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      send(opts.routes?.(request) ?? handle(request));
    } catch {
      // A bug (or a header value node refuses) must cost one request, not the server; catalogd's 5xx body.
      if (res.headersSent) res.destroy();
      else send({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: Buffer.from('500 Internal Server Error\n') });
    }
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
