// A fault-injecting HTTP proxy in front of one registry, for tests of retry, resume and verification: it
// forwards everything (bodies streamed, Range kept, Location rewritten) except requests that match a fault rule.
import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StartFaultProxyOptions {
  /** Origin of the registry, e.g. "http://127.0.0.1:5000". */
  upstream: string;
  /** CA (PEM) to trust when the upstream is https. The proxy itself always listens on plain HTTP. */
  ca?: string | Buffer;
}

export type FaultKind = 'corrupt' | 'cut' | 'fail' | 'drop';

export interface FaultRule {
  readonly kind: FaultKind;
  /** How many more matching requests this rule will affect. */
  readonly remaining: number;
  /** How many requests it has affected. */
  readonly hits: number;
  /** Stops the rule early. */
  cancel(): void;
}

export interface ProxyLogEntry {
  method: string;
  /** The request target as received: path and query. */
  path: string;
  /** Status sent to the client; undefined when the connection was dropped before any answer. */
  status: number | undefined;
  rangeHeader: string | undefined;
  fault: FaultKind | undefined;
}

export interface FailRequestsOptions {
  method?: string;
  /** Tested against the request target (path and query). */
  pathPattern: RegExp;
  status: number;
  times?: number;
  /** Sent as Retry-After (seconds). */
  retryAfter?: number;
}

export interface DropConnectionsOptions {
  method?: string;
  pathPattern: RegExp;
  times?: number;
}

export interface CutBlobOptions {
  /** Bytes of the body sent before the connection is destroyed. */
  afterBytes: number;
  times?: number;
}

export interface FaultProxy {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  /** Flips one byte (the middle one) of the next `times` successful GETs of the blob; the length is kept. */
  corruptBlob(digest: string, times?: number): FaultRule;
  /** Sends the headers and the first afterBytes bytes of the next `times` successful GETs of the blob, then destroys the socket. */
  cutBlob(digest: string, opts: CutBlobOptions): FaultRule;
  /** Answers the next `times` matching requests with `status` (and an errors body) without asking the upstream. */
  failRequests(opts: FailRequestsOptions): FaultRule;
  /** Destroys the socket of the next `times` matching requests before answering. */
  dropConnections(opts: DropConnectionsOptions): FaultRule;
  readonly requests: readonly ProxyLogEntry[];
  /** Removes every rule and clears the request log. */
  reset(): void;
  stop(): Promise<void>;
}

interface Rule {
  kind: FaultKind;
  remaining: number;
  hits: number;
  /** Request-time match (method and target). */
  matches(method: string, target: string): boolean;
  status?: number;
  retryAfter?: number;
  afterBytes?: number;
}

// RFC 9110 §7.6.1: connection-specific headers are not forwarded; Node frames the bodies itself.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);

function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function blobPathPattern(digest: string): RegExp {
  const escaped = digest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^/v2/.+/blobs/${escaped}(?:\\?.*)?$`);
}

function toPublic(rule: Rule, rules: Rule[]): FaultRule {
  return {
    kind: rule.kind,
    get remaining() {
      return rule.remaining;
    },
    get hits() {
      return rule.hits;
    },
    cancel() {
      rule.remaining = 0;
      const i = rules.indexOf(rule);
      if (i >= 0) rules.splice(i, 1);
    },
  };
}

export async function startFaultProxy(opts: StartFaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const upstreamOrigin = upstream.origin;
  const secure = upstream.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) })
    : new HttpAgent({ keepAlive: true });
  const rules: Rule[] = [];
  const log: ProxyLogEntry[] = [];
  let proxyOrigin = '';

  /** The first live rule of one of `kinds` that matches, or undefined. Does not consume it. */
  function findRule(kinds: FaultKind[], method: string, target: string): Rule | undefined {
    return rules.find((r) => r.remaining > 0 && kinds.includes(r.kind) && r.matches(method, target));
  }

  function consume(rule: Rule): void {
    rule.remaining--;
    rule.hits++;
    if (rule.remaining <= 0) {
      const i = rules.indexOf(rule);
      if (i >= 0) rules.splice(i, 1);
    }
  }

  function addRule(rule: Omit<Rule, 'hits'>): FaultRule {
    const full: Rule = { ...rule, hits: 0 };
    if (full.remaining > 0) rules.push(full);
    return toPublic(full, rules);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const entry: ProxyLogEntry = { method, path: target, status: undefined, rangeHeader: req.headers.range, fault: undefined };
    log.push(entry);

    const early = findRule(['drop', 'fail'], method, target);
    if (early) {
      consume(early);
      entry.fault = early.kind;
      if (early.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      // Read the request body first so that a client still sending an upload sees the answer, not a reset.
      req.resume();
      req.once('end', () => {
        const status = early.status ?? 500;
        entry.status = status;
        const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `injected fault: HTTP ${status}` }] });
        res.writeHead(status, {
          'content-type': 'application/json',
          'docker-distribution-api-version': 'registry/2.0',
          ...(early.retryAfter !== undefined ? { 'retry-after': String(early.retryAfter) } : {}),
        });
        res.end(body);
      });
      return;
    }

    const headers = forwardableHeaders(req.headers);
    headers.host = upstream.host;
    const doRequest = secure ? httpsRequest : httpRequest;
    const upReq = doRequest(`${upstreamOrigin}${target}`, { method, headers, agent });
    upReq.on('error', () => {
      if (!res.headersSent) {
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' }).end('fault proxy: upstream unreachable');
      } else {
        res.destroy();
      }
    });
    req.on('close', () => {
      if (!req.complete) upReq.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upReq.destroy();
    });
    upReq.on('response', (upRes) => {
      const status = upRes.statusCode ?? 502;
      const out = forwardableHeaders(upRes.headers);
      const location = upRes.headers.location;
      if (location?.startsWith(upstreamOrigin)) out.location = proxyOrigin + location.slice(upstreamOrigin.length);
      entry.status = status;
      res.writeHead(status, out);
      upRes.on('error', () => res.destroy());
      const bodyRule =
        method === 'GET' && (status === 200 || status === 206) ? findRule(['corrupt', 'cut'], method, target) : undefined;
      if (!bodyRule) {
        upRes.pipe(res);
        return;
      }
      consume(bodyRule);
      entry.fault = bodyRule.kind;
      if (bodyRule.kind === 'corrupt') pipeCorrupted(upRes, res);
      else pipeCut(upRes, res, bodyRule.afterBytes ?? 0);
    });
    req.pipe(upReq);
  }

  const server = createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  proxyOrigin = `http://127.0.0.1:${port}`;

  const anyMethod = (want: string | undefined) => (method: string) => want === undefined || want.toUpperCase() === method;
  return {
    url: proxyOrigin,
    host: `127.0.0.1:${port}`,
    port,
    corruptBlob(digest, times = 1) {
      const pattern = blobPathPattern(digest);
      return addRule({ kind: 'corrupt', remaining: times, matches: (m, t) => m === 'GET' && pattern.test(t) });
    },
    cutBlob(digest, o) {
      const pattern = blobPathPattern(digest);
      return addRule({
        kind: 'cut',
        remaining: o.times ?? 1,
        afterBytes: o.afterBytes,
        matches: (m, t) => m === 'GET' && pattern.test(t),
      });
    },
    failRequests(o) {
      const methodOk = anyMethod(o.method);
      return addRule({
        kind: 'fail',
        remaining: o.times ?? 1,
        status: o.status,
        ...(o.retryAfter !== undefined ? { retryAfter: o.retryAfter } : {}),
        matches: (m, t) => methodOk(m) && o.pathPattern.test(t),
      });
    },
    dropConnections(o) {
      const methodOk = anyMethod(o.method);
      return addRule({ kind: 'drop', remaining: o.times ?? 1, matches: (m, t) => methodOk(m) && o.pathPattern.test(t) });
    },
    get requests() {
      return log;
    },
    reset() {
      for (const r of rules) r.remaining = 0;
      rules.length = 0;
      log.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** Streams the body with the byte at the middle of it (by Content-Length, else the first) inverted. */
function pipeCorrupted(upRes: IncomingMessage, res: ServerResponse): void {
  const length = Number(upRes.headers['content-length'] ?? 0);
  const target = length > 0 ? Math.floor(length / 2) : 0;
  let offset = 0;
  upRes.on('data', (chunk: Buffer) => {
    let out = chunk;
    if (target >= offset && target < offset + chunk.length) {
      out = Buffer.from(chunk);
      out[target - offset] = out[target - offset]! ^ 0xff;
    }
    offset += chunk.length;
    if (!res.write(out)) {
      upRes.pause();
      res.once('drain', () => upRes.resume());
    }
  });
  upRes.on('end', () => res.end());
}

/** Streams the first `afterBytes` bytes of the body, then destroys the client's connection. */
function pipeCut(upRes: IncomingMessage, res: ServerResponse, afterBytes: number): void {
  let sent = 0;
  let cut = false;
  const destroy = (): void => {
    if (cut) return;
    cut = true;
    upRes.destroy();
    // Destroying the socket (not just the response) is what a client sees as a connection reset mid-body.
    res.socket?.destroy();
    res.destroy();
  };
  // An empty write's callback runs once everything before it (the headers at least) reached the socket.
  const flushThenDestroy = (): void => {
    res.write(Buffer.alloc(0), () => destroy());
  };
  if (afterBytes <= 0) {
    upRes.pause();
    flushThenDestroy();
    return;
  }
  upRes.on('data', (chunk: Buffer) => {
    if (cut) return;
    const room = afterBytes - sent;
    if (chunk.length < room) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        upRes.pause();
        res.once('drain', () => upRes.resume());
      }
      return;
    }
    sent += room;
    upRes.pause();
    res.write(chunk.subarray(0, room), () => destroy());
  });
  // A body shorter than afterBytes is still cut: the client never gets a clean end of response.
  upRes.on('end', () => {
    if (!cut) flushThenDestroy();
  });
}
