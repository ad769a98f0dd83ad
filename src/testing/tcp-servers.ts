// Two small TCP servers for tests of failure paths: one that accepts connections and never answers (an
// unresponsive registry), one that forwards to a real port and counts connections (how often a client tried).
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface CountingServer {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  stop(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>, counter: { n: number }): Promise<CountingServer> {
  server.on('connection', (s) => {
    counter.n++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    port,
    get connections() {
      return counter.n;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Accepts every connection, reads what it is sent, and never writes a byte. */
export function startSilentServer(): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => s.resume());
  return listen(server, sockets, { n: 0 });
}

/** Forwards every connection to 127.0.0.1:targetPort byte for byte. */
export function startCountingForwarder(targetPort: number): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  return listen(server, sockets, { n: 0 });
}
