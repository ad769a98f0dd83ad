// Real CNCF distribution registries (/usr/bin/docker-registry, 2.8) for integration tests and benchmarks: one
// process per call on 127.0.0.1 with a free port, generated config, optional TLS, htpasswd or token auth.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { createTestCa, writeCertsDir, type TestCa } from './tls.js';
import type { TokenAuthSettings } from './token-server.js';

export interface Credentials {
  username: string;
  password: string;
}

export type RegistryAuth =
  /** Basic auth from an htpasswd file. distribution 2.8 accepts it over plain HTTP too (no warning either). */
  | { kind: 'htpasswd'; users: Credentials[]; realm?: string }
  /** Bearer tokens from a token server (see startTokenServer, which satisfies TokenAuthSettings). */
  | { kind: 'token'; server: TokenAuthSettings };

export interface StartRegistryOptions {
  /** true makes a fresh test CA; pass a TestCa to share one between registries. */
  tls?: boolean | TestCa;
  auth?: RegistryAuth;
  /** Existing storage to serve (kept on stop). Default: a fresh directory removed on stop. */
  storageDir?: string;
  /** Default 'warn'. The log goes to a file in the registry's temp dir (see logFile). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Default /usr/bin/docker-registry (found on PATH as docker-registry). */
  binary?: string;
  /** Bound on waiting for GET /v2/ to answer. Default 10 s. */
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT", the registry part of an image reference. */
  host: string;
  port: number;
  /** "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT". */
  url: string;
  storageDir: string;
  /** CA certificate (PEM file) that signed the registry's certificate, when TLS is on. */
  caCert?: string;
  /** A certs.d root holding HOST:PORT/ca.crt (the /etc/containers/certs.d layout), when TLS is on. */
  certsDir?: string;
  /** certsDir/HOST:PORT, the directory `skopeo --cert-dir` takes, when TLS is on. */
  certDir?: string;
  /** The first htpasswd user, when auth is htpasswd. */
  credentials?: Credentials;
  configFile: string;
  logFile: string;
  pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after a bound) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const PORT_ATTEMPTS = 5;
const PROBE_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 1_000;
// distribution checks every request's password with bcrypt; the minimum cost keeps authenticated tests fast.
const BCRYPT_COST = 4;
const LOG_TAIL_CHARS = 3_000;
const INSTANCE_HEADER = 'x-gantry-test-instance';

// Registries still running when this process exits (a test that crashed before its after() hook) are killed.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** A port that was free a moment ago; the caller retries when the race is lost. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

let setprivPath: string | null | undefined;
function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'setpriv'))) {
      setprivPath = join(dir, 'setpriv');
      break;
    }
  }
  return setprivPath;
}

/**
 * The command line for the registry. On Linux, util-linux `setpriv --pdeathsig KILL` execs the registry with a
 * parent-death signal, so even a SIGKILLed test process leaves no registry behind (the exit hook cannot run then).
 */
function registryCommand(binary: string, configFile: string): [string, string[]] {
  const setpriv = findSetpriv();
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', binary, 'serve', configFile]] : [binary, ['serve', configFile]];
}

function childEnv(): NodeJS.ProcessEnv {
  // distribution lets REGISTRY_* variables override the config file; do not inherit any.
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
}

async function readTail(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.slice(-LOG_TAIL_CHARS).trim();
  } catch {
    return '';
  }
}

/**
 * Status of GET /v2/, or undefined when nothing answered or the answer came from another registry (one that
 * won the race for the port): ours sends back the instance id from its config.
 */
function probe(url: string, ca: Buffer | undefined, instanceId: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const doRequest = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = doRequest(`${url}/v2/`, { method: 'GET', agent: false, timeout: PROBE_TIMEOUT_MS, ...(ca ? { ca } : {}) }, (res) => {
      res.resume();
      resolve(res.headers[INSTANCE_HEADER] === instanceId ? res.statusCode : undefined);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

function buildConfig(input: {
  port: number;
  storageDir: string;
  logLevel: string;
  tls: TestCa | undefined;
  htpasswdFile: string | undefined;
  auth: RegistryAuth | undefined;
  instanceId: string;
}): string {
  const auth =
    input.auth?.kind === 'htpasswd'
      ? { htpasswd: { realm: input.auth.realm ?? 'gantry-test', path: input.htpasswdFile } }
      : input.auth?.kind === 'token'
        ? {
            token: {
              realm: input.auth.server.realm,
              service: input.auth.server.service,
              issuer: input.auth.server.issuer,
              rootcertbundle: input.auth.server.rootCertBundle,
            },
          }
        : undefined;
  const config = {
    version: '0.1',
    log: { level: input.logLevel, formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: input.storageDir },
      delete: { enabled: true },
      // No background purge goroutine touching shared storage while a benchmark reuses it.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${input.port}`,
      // A fixed secret silences the "No HTTP secret provided" warning and keeps upload state valid across restarts.
      secret: 'gantry-test-registry-secret',
      headers: { [INSTANCE_HEADER]: [input.instanceId] },
      ...(input.tls ? { tls: { certificate: input.tls.serverCert, key: input.tls.serverKey } } : {}),
    },
    ...(auth ? { auth } : {}),
  };
  // JSON is YAML (1.2 flow style), which distribution's yaml.v2 parser reads; no YAML quoting to get wrong.
  return JSON.stringify(config, null, 2);
}

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-registry-'));
  try {
    return await startIn(dir, opts);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string, opts: StartRegistryOptions): Promise<RunningRegistry> {
  const { signal } = opts;
  const storageDir = opts.storageDir ?? join(dir, 'storage');
  await mkdir(storageDir, { recursive: true });
  let tls: TestCa | undefined;
  if (opts.tls === true) {
    const caDir = join(dir, 'ca');
    await mkdir(caDir);
    tls = await createTestCa(caDir, signal ? { signal } : {});
  } else if (opts.tls) {
    tls = opts.tls;
  }
  const ca = tls ? await readFile(tls.caCert) : undefined;
  let htpasswdFile: string | undefined;
  if (opts.auth?.kind === 'htpasswd') {
    htpasswdFile = join(dir, 'htpasswd');
    const lines = opts.auth.users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, BCRYPT_COST)}`);
    await writeFile(htpasswdFile, `${lines.join('\n')}\n`);
  }
  const configFile = join(dir, 'config.yml');
  const logFile = join(dir, 'registry.log');
  const scheme = tls ? 'https' : 'http';
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  let lastFailure = '';
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    signal?.throwIfAborted();
    const port = await findFreePort();
    const instanceId = randomBytes(8).toString('hex');
    await writeFile(
      configFile,
      buildConfig({ port, storageDir, logLevel: opts.logLevel ?? 'warn', tls, htpasswdFile, auth: opts.auth, instanceId }),
    );
    const log = await open(logFile, 'a');
    let child: ChildProcess;
    try {
      const [command, args] = registryCommand(opts.binary ?? 'docker-registry', configFile);
      child = spawn(command, args, {
        stdio: ['ignore', log.fd, log.fd],
        env: childEnv(),
      });
    } finally {
      await log.close();
    }
    let spawnFailure: Error | undefined;
    child.once('error', (e) => (spawnFailure = e));
    track(child);
    const url = `${scheme}://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (Date.now() < deadline && !signal?.aborted) {
      if (spawnFailure || child.exitCode !== null || child.signalCode !== null) break;
      const status = await probe(url, ca, instanceId);
      if (status === 200 || status === 401) {
        ready = true;
        break;
      }
      await delay(PROBE_INTERVAL_MS);
    }
    if (ready && child.pid !== undefined) {
      const host = `127.0.0.1:${port}`;
      let certsDir: string | undefined;
      let certDir: string | undefined;
      if (tls) {
        certsDir = join(dir, 'certs.d');
        certDir = await writeCertsDir(certsDir, host, tls.caCert);
      }
      let stopped: Promise<void> | undefined;
      const running = child;
      return {
        host,
        port,
        url,
        storageDir,
        ...(tls ? { caCert: tls.caCert, certsDir, certDir } : {}),
        ...(opts.auth?.kind === 'htpasswd' && opts.auth.users[0] ? { credentials: { ...opts.auth.users[0] } } : {}),
        configFile,
        logFile,
        pid: child.pid,
        stop() {
          stopped ??= (async () => {
            await killProcess(running);
            // The CA may be the caller's (opts.tls); it lives outside dir then and is left alone.
            await rm(dir, { recursive: true, force: true });
          })();
          return stopped;
        },
      };
    }
    await killProcess(child);
    if (spawnFailure) throw new Error(`could not run docker-registry: ${spawnFailure.message}`, { cause: spawnFailure });
    if (signal?.aborted) throw new Error('registry start aborted', { cause: signal.reason });
    const tail = await readTail(logFile);
    lastFailure = tail;
    // Lost the race for the port: another process bound it between findFreePort and the registry's listen.
    if (/address already in use/i.test(tail)) {
      await writeFile(logFile, '');
      continue;
    }
    const exited = child.exitCode !== null ? `exited with code ${child.exitCode}` : `did not answer GET ${url}/v2/ within ${timeoutMs} ms`;
    throw new Error(`docker-registry ${exited}; log tail:\n${tail}`);
  }
  throw new Error(`docker-registry could not bind a free port in ${PORT_ATTEMPTS} attempts; log tail:\n${lastFailure}`);
}

