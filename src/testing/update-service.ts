// A small fake update service (Cincinnati's `graph` API) on 127.0.0.1 and a random port: graphs per channel and
// arch with edges and conditional edges, a request log, and faults (500, a bounded hang, bad JSON) for tests; also
// the graph-data tar.gz (/graph-data, like api.openshift.com/api/upgrades_info/graph-data) built from a few files.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';

export interface FakeRelease {
  version: string;
  /** Default: a made-up quay.io payload by digest derived from the version. */
  payload?: string;
  metadata?: Record<string, string>;
}

export interface FakeRisk {
  name: string;
  url?: string;
  message?: string;
}

export interface FakeGraph {
  releases: FakeRelease[];
  /** [from version, to version]. */
  edges?: [string, string][];
  conditional?: { edges: [string, string][]; risks: FakeRisk[] }[];
}

export type UpdateServiceFault = 'none' | 'status-500' | 'hang' | 'bad-json';

export interface FakeUpdateService {
  /** The graph URL, like https://api.openshift.com/api/upgrades_info/v1/graph. */
  url: string;
  /** Where the graph-data tar.gz is served (404 when none was given). */
  graphDataUrl: string;
  /** How many times the graph data was asked for. */
  graphDataRequests: number;
  requests: { channel: string | null; arch: string | null; accept: string | undefined }[];
  fault: UpdateServiceFault;
  close(): Promise<void>;
}

/** A payload reference shaped like OpenShift's: quay.io/openshift-release-dev/ocp-release@sha256:<64 hex>. */
export function fakePayload(version: string, arch = 'amd64'): string {
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += ((version.charCodeAt(i % version.length) * 31 + arch.length * 7 + i * 13) % 256).toString(16).padStart(2, '0');
  return `quay.io/openshift-release-dev/ocp-release@sha256:${hex.slice(0, 64)}`;
}

/** Cincinnati's JSON for a graph: nodes, edges as node indexes, conditional edges by version. */
export function cincinnatiJson(graph: FakeGraph, arch = 'amd64'): string {
  const index = new Map(graph.releases.map((r, i) => [r.version, i]));
  const at = (v: string) => {
    const i = index.get(v);
    if (i === undefined) throw new Error(`fake graph: edge names unknown version ${v}`);
    return i;
  };
  return JSON.stringify({
    nodes: graph.releases.map((r) => ({ version: r.version, payload: r.payload ?? fakePayload(r.version, arch), metadata: r.metadata ?? {} })),
    edges: (graph.edges ?? []).map(([f, t]) => [at(f), at(t)]),
    conditionalEdges: (graph.conditional ?? []).map((c) => ({
      edges: c.edges.map(([from, to]) => ({ from, to })),
      risks: c.risks.map((r) => ({ url: r.url ?? `https://example.com/${r.name}`, name: r.name, message: r.message ?? `${r.name} may break the update`, matchingRules: [{ type: 'Always' }] })),
    })),
  });
}

/**
 * Serves `graphs[arch][channel]` at /graph?channel=…&arch=…. An unknown channel answers an empty graph (as the
 * public service does); a request without a channel or without Accept: application/json is refused like Cincinnati.
 * A hang holds the answer for at most hangMs (then drops the connection), so a test never waits forever.
 */
export async function startUpdateService(
  graphs: Record<string, Record<string, FakeGraph>>,
  opts: { hangMs?: number; /** PEM contents: serve HTTPS with this certificate. */ tls?: { cert: string; key: string }; /** Served at /graph-data. */ graphData?: Uint8Array } = {},
): Promise<FakeUpdateService> {
  const hangMs = opts.hangMs ?? 20_000;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const service: FakeUpdateService = { url: '', graphDataUrl: '', graphDataRequests: 0, requests: [], fault: 'none', close: async () => undefined };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname === '/graph-data') {
      service.graphDataRequests++;
      if (!opts.graphData) return send(res, 404, { kind: 'not_found', value: 'no graph data' });
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(opts.graphData.length) });
      return res.end(opts.graphData);
    }
    const channel = u.searchParams.get('channel');
    const arch = u.searchParams.get('arch') ?? 'amd64';
    service.requests.push({ channel, arch: u.searchParams.get('arch'), accept: req.headers.accept });
    if (u.pathname !== '/graph') return send(res, 404, { kind: 'not_found', value: `no route for ${u.pathname}` });
    if (service.fault === 'hang') {
      const t = setTimeout(() => {
        timers.delete(t);
        req.socket.destroy();
      }, hangMs);
      timers.add(t);
      return;
    }
    if (service.fault === 'status-500') return send(res, 500, { kind: 'upstream_unreachable', value: 'failed to fetch the graph from the upstream (fake outage)' });
    if (service.fault === 'bad-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"nodes": [ {"version": "4.16.0",');
    }
    if (!(req.headers.accept ?? '').includes('application/json')) return send(res, 406, { kind: 'invalid_content_type', value: 'expected Accept: application/json' });
    if (!channel) return send(res, 400, { kind: 'missing_params', value: 'mandatory client parameters missing: channel' });
    const graph = graphs[arch]?.[channel];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(graph ? cincinnatiJson(graph, arch) : JSON.stringify({ nodes: [], edges: [], conditionalEdges: [] }));
  };
  const server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake update service: no port');
  service.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${address.port}/graph`;
  service.graphDataUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${address.port}/graph-data`;
  service.close = async () => {
    for (const t of timers) clearTimeout(t);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return service;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * A graph-data tar.gz shaped like the real one: `./`, then the entries in the order given, directories before
 * their files, owner uid 1000850000 as the service writes it.
 */
export async function graphDataTarball(files: Record<string, string>): Promise<Uint8Array> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const dirs = new Set<string>(['./']);
  const add = (header: Parameters<typeof pack.entry>[0], body?: string) => new Promise<void>((resolve, reject) => (body === undefined ? pack.entry(header, (e) => (e ? reject(e) : resolve())) : pack.entry(header, body, (e) => (e ? reject(e) : resolve()))));
  await add({ name: './', type: 'directory', mode: 0o755, uid: 1000850000, gid: 0 });
  for (const [name, body] of Object.entries(files)) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = `${parts.slice(0, i).join('/')}/`;
      if (dirs.has(d)) continue;
      dirs.add(d);
      await add({ name: d, type: 'directory', mode: 0o755, uid: 1000850000, gid: 0 });
    }
    await add({ name, type: 'file', mode: 0o664, uid: 1000850000, gid: 0 }, body);
  }
  pack.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

/** A few files of cincinnati-graph-data: the schema version, two channels, a blocked edge, raw metadata. */
export const SAMPLE_GRAPH_DATA: Record<string, string> = {
  version: '1.2.0\n',
  LICENSE: 'Apache License 2.0 (test copy)\n',
  'raw/metadata.json': '{}\n',
  'channels/stable-4.16.yaml': 'name: stable-4.16\nversions:\n- 4.16.0\n- 4.16.1\n- 4.16.2\n',
  'channels/fast-4.16.yaml': 'name: fast-4.16\nversions:\n- 4.16.0\n- 4.16.1\n- 4.16.2\n',
  'blocked-edges/4.16.2-AzureDNS.yaml': 'to: 4.16.2\nfrom: 4[.]16[.]0\nurl: https://example.com/AzureDNS\nname: AzureDNS\nmessage: test risk\nmatchingRules:\n- type: Always\n',
};
