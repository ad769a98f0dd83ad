// A Docker Registry v2 token server for tests (distribution's "token" auth, spec/auth/token.md): answers
// GET realm?service=…&scope=… with an ES256 JWT that a real distribution registry accepts, and logs requests.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createPrivateKey, randomUUID, sign, timingSafeEqual, X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCert, type TestCa } from './tls.js';

export interface TokenUser {
  username: string;
  password: string;
  /** Actions this user may be granted; default every action asked for. ['pull'] makes a read-only user. */
  actions?: string[];
}

/**
 * What a request without credentials gets:
 * - 'pull': a token granting only the pull action of each requested scope;
 * - 'none': a token granting nothing (Docker Hub's behaviour; the registry then answers 401 insufficient_scope);
 * - 'reject': 401 from the token server itself.
 */
export type AnonymousAccess = 'pull' | 'none' | 'reject';

export interface StartTokenServerOptions {
  users?: TokenUser[];
  /** Default 'none'. */
  anonymous?: AnonymousAccess;
  /** What the token reports as expires_in and how long the registry honours it. Default 300 s. */
  lifetimeSeconds?: number;
  /**
   * distribution 2.8 accepts a token for 60 s past its `exp` (token.Leeway). The server subtracts this from
   * `exp` so that a token stops working after lifetimeSeconds, which lets tests see expiry within seconds.
   * Set 0 for an `exp` claim that reads like a production server's (then tokens live 60 s longer).
   */
  registryLeewaySeconds?: number;
  service?: string;
  issuer?: string;
  /** How the JWT header names its key. distribution 2.8 accepts both; see the test file. Default 'x5c'. */
  keyIdentification?: 'x5c' | 'kid';
  /** Serve HTTPS with the CA's server certificate instead of plain HTTP. */
  tls?: TestCa;
  signal?: AbortSignal;
}

export interface ResourceAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenRequestRecord {
  method: string;
  service: string | undefined;
  /** The scope parameters as sent, in order (the parameter may repeat). */
  scopes: string[];
  /** 'none' without an Authorization header; the password itself is never recorded. */
  credentials: 'none' | 'valid' | 'invalid';
  username: string | undefined;
  status: number;
  granted: ResourceAccess[];
}

/** The fields a registry's `auth.token` section needs; a TokenServer is one. */
export interface TokenAuthSettings {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the certificate the tokens are signed with. */
  rootCertBundle: string;
}

export interface TokenServer extends TokenAuthSettings {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** Every realm request so far, oldest first. */
  readonly requests: readonly TokenRequestRecord[];
  /** While on, issues tokens whose exp is already past even with the registry's leeway (they get 401). */
  issueExpiredTokens(enabled?: boolean): void;
  setLifetime(seconds: number): void;
  /** Clears the request log and turns issueExpiredTokens off. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_LIFETIME_SECONDS = 300;
const DISTRIBUTION_LEEWAY_SECONDS = 60;
const DEFAULT_SERVICE = 'gantry-test-registry';
const DEFAULT_ISSUER = 'gantry-test-token-issuer';

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** libtrust's key ID: base32 of the first 240 bits of sha256(DER SubjectPublicKeyInfo), in ':'-joined groups of 4. */
function libtrustKeyId(cert: X509Certificate): string {
  const der = cert.publicKey.export({ type: 'spki', format: 'der' });
  const sum = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of sum) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}

/** Parses "type:name:action,action". The name may itself contain ':' (a host:port), so split at both ends. */
function parseScope(scope: string): ResourceAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const actions = scope.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startTokenServer(opts: StartTokenServerOptions = {}): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-token-'));
  try {
    const signer = await createSelfSignedCert(dir, { name: 'token-signer', ...(opts.signal ? { signal: opts.signal } : {}) });
    const key = createPrivateKey(await readFile(signer.key));
    const cert = new X509Certificate(await readFile(signer.cert));
    const server = opts.tls
      ? createHttpsServer({ cert: await readFile(opts.tls.serverCert), key: await readFile(opts.tls.serverKey) })
      : createHttpServer();
    const handle = createTokenHandler({ opts, key, cert });
    server.on('request', handle.onRequest);
    await listen(server);
    const { port } = server.address() as AddressInfo;
    const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return {
      url,
      realm: `${url}/token`,
      service: handle.service,
      issuer: handle.issuer,
      rootCertBundle: signer.cert,
      get requests() {
        return handle.log;
      },
      issueExpiredTokens(enabled = true) {
        handle.state.expired = enabled;
      },
      setLifetime(seconds: number) {
        handle.state.lifetimeSeconds = seconds;
      },
      reset() {
        handle.log.length = 0;
        handle.state.expired = false;
      },
      async stop() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface HandlerInput {
  opts: StartTokenServerOptions;
  key: KeyObject;
  cert: X509Certificate;
}

function createTokenHandler({ opts, key, cert }: HandlerInput) {
  const service = opts.service ?? DEFAULT_SERVICE;
  const issuer = opts.issuer ?? DEFAULT_ISSUER;
  const leeway = opts.registryLeewaySeconds ?? DISTRIBUTION_LEEWAY_SECONDS;
  const anonymous = opts.anonymous ?? 'none';
  const users = new Map((opts.users ?? []).map((u) => [u.username, u]));
  const state = { expired: false, lifetimeSeconds: opts.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS };
  const log: TokenRequestRecord[] = [];
  const header =
    (opts.keyIdentification ?? 'x5c') === 'x5c'
      ? { typ: 'JWT', alg: 'ES256', x5c: [cert.raw.toString('base64')] }
      : { typ: 'JWT', alg: 'ES256', kid: libtrustKeyId(cert) };
  const encodedHeader = base64url(JSON.stringify(header));

  function signToken(subject: string, access: ResourceAccess[], now: number): string {
    const exp = state.expired ? now - 2 * DISTRIBUTION_LEEWAY_SECONDS - 1 : now + state.lifetimeSeconds - leeway;
    const claims = { iss: issuer, sub: subject, aud: service, exp, nbf: now, iat: now, jti: randomUUID(), access };
    const payload = `${encodedHeader}.${base64url(JSON.stringify(claims))}`;
    // JWS ES256 wants the raw r||s signature (RFC 7518 §3.4), not Node's default DER encoding.
    const signature = sign('sha256', Buffer.from(payload), { key, dsaEncoding: 'ieee-p1363' });
    return `${payload}.${base64url(signature)}`;
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const record: TokenRequestRecord = {
      method: req.method ?? 'GET',
      service: url.searchParams.get('service') ?? undefined,
      scopes: url.searchParams.getAll('scope'),
      credentials: 'none',
      username: undefined,
      status: 0,
      granted: [],
    };
    log.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return reply(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    // Only the GET flow; docker's OAuth2 POST flow falls back to GET when it gets 404/405 (spec/auth/oauth.md).
    if (req.method !== 'GET') return reply(405, { errors: [{ code: 'UNSUPPORTED', message: 'use GET' }] });
    const basic = parseBasic(req.headers.authorization);
    let allowed: (action: string) => boolean;
    if (req.headers.authorization !== undefined) {
      const user = basic ? users.get(basic.username) : undefined;
      record.username = basic?.username;
      if (!basic || !user || !samePassword(user.password, basic.password)) {
        record.credentials = 'invalid';
        return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, {
          'www-authenticate': 'Basic realm="gantry-test-token-server"',
        });
      }
      record.credentials = 'valid';
      const actions = user.actions;
      allowed = actions === undefined ? () => true : (a) => actions.includes(a);
    } else if (anonymous === 'reject') {
      return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'www-authenticate': 'Basic realm="gantry-test-token-server"',
      });
    } else {
      allowed = anonymous === 'pull' ? (a) => a === 'pull' : () => false;
    }
    for (const scope of record.scopes) {
      const parsed = parseScope(scope);
      if (!parsed) continue;
      const actions = parsed.actions.filter(allowed);
      if (actions.length > 0) record.granted.push({ ...parsed, actions });
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signToken(record.username ?? '', record.granted, now);
    reply(200, {
      token,
      access_token: token,
      expires_in: state.lifetimeSeconds,
      issued_at: new Date(now * 1000).toISOString(),
    });
  }

  return { service, issuer, state, log, onRequest };
}
