// `gantry serve` as a child process for CLI tests: start it and wait (bounded) for its ready line, stop it, and
// talk to it with exact requests — node:http with only the given headers, or raw bytes over a socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { BIN } from './run-gantry.js';

const READY_TIMEOUT_MS = 120_000;

export interface Served {
  child: ChildProcess;
  /** The HTTP base URL (http://127.0.0.1:PORT). */
  base: string;
  /** The gRPC address (127.0.0.1:PORT). */
  grpc: string;
  /** The whole ready line, without its newline. */
  line: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const READY_LINE = /^serving (https?:\/\/127\.0\.0\.1:\d+) and gRPC (127\.0\.0\.1:\d+) .*\n/m;

/**
 * Spawns `gantry serve ARGS`, resolves on its one ready line (HTTP and gRPC addresses), rejects if it exits first
 * or is not ready in time.
 */
export function startServe(args: string[], opts: { stdin?: Buffer } = {}): Promise<Served> {
  // The gRPC API listens too (default port 50051): a free port unless the test names one, so runs do not collide.
  const grpc = args.includes('--grpc-listen') ? [] : ['--grpc-listen', '127.0.0.1:0'];
  const child = spawn(process.execPath, [BIN, 'serve', ...args, ...grpc], { stdio: [opts.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  if (opts.stdin) child.stdin!.end(opts.stdin);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${READY_TIMEOUT_MS} ms: ${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = READY_LINE.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1]!, grpc: m[2]!, line: m[0].trimEnd(), stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gantry serve exited ${code} before it was ready: ${stderr}`));
    });
  });
}

/** SIGTERM (or the given signal), SIGKILL after 30 s (over the gRPC drain of 25 s); the exit code. */
export async function stopServe(s: Served | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return s?.child.exitCode ?? null;
  s.child.kill(signal);
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 30_000);
  const code = await s.exited;
  clearTimeout(timer);
  return code;
}

export interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add Accept-Encoding and decompress). */
export function raw(url: string, opts: { method?: string; headers?: Record<string, string>; agent?: Agent; timeoutMs?: number; ca?: Buffer } = {}): Promise<Raw> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, timeout: opts.timeoutMs ?? 30_000, ...(opts.agent ? { agent: opts.agent } : {}), ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Sends these bytes as they are (no client-side URL normalisation) and returns all bytes until the server closes. */
export function rawBytes(base: string, request: string | Buffer, timeoutMs = 10_000): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const parts: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('raw request timed out')), timeoutMs);
    socket.on('connect', () => socket.end(request));
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts).toString('latin1'));
    });
  });
}
