// HTTP client for one registry endpoint (distribution API v2) on undici keep-alive pools: scheme and TLS
// selection, the Basic and Bearer token flows with a token cache, the request retries (the only ones), deadlines,
// and registry errors as GantryErrors.
import { Agent, request, type Dispatcher } from 'undici';
import { Defaults } from '../defaults.js';
import { GantryError, abortError, isGantryError, throwIfAborted, type ErrorCode } from '../errors.js';
import type { Credentials } from './auth-file.js';
import { loadTlsMaterial, type TlsMaterial } from './certs.js';
import { createHeadClient, type HeadClient } from './head-request.js';
import { readCapped } from './read-capped.js';
import { backoffDelay, defaultRetryPolicy, isRetryable, isTimeout, isTlsFailure, parseRetryAfter, sleep, type RetryPolicy } from './retry.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

export interface RegistryClientOptions {
  /** Registry as written in references: "quay.io", "127.0.0.1:5000", "docker.io". */
  registry: string;
  /** Verify TLS certificates (default true). With false, HTTPS without verification is tried, then plain HTTP. */
  tlsVerify?: boolean;
  /** Use plain HTTP without trying HTTPS. */
  plainHttp?: boolean;
  /** A certs.d-style directory for this registry (else /etc/containers/certs.d/HOST and /etc/docker/certs.d/HOST). */
  certDir?: string;
  /** Credentials for a repository (Basic auth, or to obtain Bearer tokens). */
  credentials?: (repository: string) => Credentials | undefined;
  retry?: RetryPolicy;
  connections?: number;
  userAgent?: string;
  /** Told about every retry, for progress displays and logs. */
  onRetry?: (info: RetryInfo) => void;
  /** Deadline for a connection, the response headers, and each pause in a body (default Defaults.requestTimeoutMs). */
  timeoutMs?: number;
  /** The command's flags that fix a failure, for hints; a hint names no flag the command lacks. */
  flags?: FlagNames;
}

export interface FlagNames {
  /** e.g. "--dest-tls-verify" */
  tlsVerify?: string;
  certDir?: string;
  creds?: string;
  authfile?: string;
  timeout?: string;
}

/** The hint for a registry that wants credentials (none given, or wrong ones), naming only the command's flags. */
export function credentialsHint(flags: FlagNames, given: boolean): string {
  const named = [flags.creds, flags.authfile].filter((f): f is string => f !== undefined);
  if (given) return `the credentials were refused: check the username and password (${[...named, 'your auth.json'].join(', ')})`;
  return `this registry needs credentials: log in (auth.json)${named.length > 0 ? `, or pass ${named.join(' / ')}` : ''}`;
}

export interface RetryInfo {
  registry: string;
  operation: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export type Body = Uint8Array | string | (() => Promise<AsyncIterable<Uint8Array>>);

export interface RequestOptions {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Path (and query) below the origin, or an absolute URL (upload Locations, redirects). */
  path: string;
  /** Token scopes the request needs, e.g. ["repository:app:pull"]. */
  scopes: string[];
  /** Repository whose credentials to use. */
  repository: string;
  headers?: Record<string, string>;
  body?: Body;
  /** Statuses returned to the caller instead of thrown (2xx are always returned). */
  allow?: number[];
  signal?: AbortSignal;
  /** What a failure message should call this request, e.g. "fetch manifest app:1.0". */
  operation: string;
  /** Retry on retryable failures (default true). Stream bodies are reopened for each attempt. */
  retry?: boolean;
  /** Send no credentials (used after a redirect to another host). */
  anonymous?: boolean;
}

/** The part of a response body callers use; undici's bodies have it, HEAD answers get an empty one. */
export interface ResponseBody extends AsyncIterable<Uint8Array | Buffer> {
  dump(): Promise<void>;
  text(): Promise<string>;
  destroy(): void;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
  url: URL;
}

const EMPTY_BODY: ResponseBody = {
  dump: async () => undefined,
  text: async () => '',
  destroy: () => undefined,
  async *[Symbol.asyncIterator]() {
    // a HEAD answer has no body
  },
};

interface Token {
  value: string;
  expiresAt: number;
}

/** Docker Hub's API lives on another host than its references name. */
function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

export function header(res: { headers: Response['headers'] }, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

const STATUS_CODES: Record<number, ErrorCode> = { 401: 'REGISTRY_UNAUTHORIZED', 403: 'REGISTRY_DENIED', 404: 'NOT_FOUND' };

export class RegistryClient {
  readonly registry: string;
  private readonly opts: RegistryClientOptions;
  readonly retryPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private originPromise: Promise<{ origin: string; dispatcher: Agent }> | undefined;
  private headClient: HeadClient | undefined;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, Token>();
  private readonly tokenFetches = new Map<string, Promise<Token>>();
  private agents: Agent[] = [];

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    this.opts = opts;
    this.retryPolicy = opts.retry ?? defaultRetryPolicy();
    this.timeoutMs = opts.timeoutMs ?? Defaults.requestTimeoutMs;
  }

  /** The origin actually used (after scheme detection), e.g. "https://quay.io". */
  async origin(signal?: AbortSignal): Promise<string> {
    return (await this.connect(signal)).origin;
  }

  /** Closes the pools; a body nobody finished reading is destroyed after a short grace period, not waited for. */
  async close(): Promise<void> {
    this.headClient?.close();
    this.headClient = undefined;
    const agents = this.agents;
    this.agents = [];
    await Promise.all(
      agents.map(async (a) => {
        const timer = setTimeout(() => void a.destroy().catch(() => undefined), 2_000);
        try {
          await a.close();
        } catch {
          // already closed or destroyed
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  private makeAgent(tls: TlsMaterial, verify: boolean): Agent {
    const agent = new Agent({
      connections: this.opts.connections ?? Defaults.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: this.timeoutMs, rejectUnauthorized: verify, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) },
    });
    this.agents.push(agent);
    return agent;
  }

  private connect(signal?: AbortSignal): Promise<{ origin: string; dispatcher: Agent }> {
    if (!this.originPromise) {
      this.originPromise = this.detectOrigin(signal);
      // A failure is kept for the session (every image would fail the same way, after the same wait), except a
      // cancellation, which says nothing about the registry.
      this.originPromise.catch((err: unknown) => {
        if (isGantryError(err, 'ABORTED')) this.originPromise = undefined;
      });
    }
    return this.originPromise;
  }

  /** Pings /v2/ to choose the scheme and learn the auth challenge, so later requests authenticate up front. */
  private async detectOrigin(signal?: AbortSignal): Promise<{ origin: string; dispatcher: Agent }> {
    const host = apiHost(this.registry);
    const verify = this.opts.tlsVerify ?? true;
    const tls = await loadTlsMaterial(host, this.opts.certDir);
    this.headClient = createHeadClient({ tls, verify, maxSockets: this.opts.connections ?? Defaults.connectionsPerOrigin, timeoutMs: this.timeoutMs });
    const candidates = originCandidates(host, verify, this.opts.plainHttp ?? false);
    let lastError: unknown;
    for (const [index, origin] of candidates.entries()) {
      const last = index === candidates.length - 1;
      const dispatcher = this.makeAgent(tls, verify);
      for (let attempt = 0; ; attempt++) {
        throwIfAborted(signal);
        try {
          const res = await request(`${origin}/v2/`, {
            dispatcher,
            method: 'GET',
            headers: { 'user-agent': this.opts.userAgent ?? Defaults.userAgent },
            ...(signal ? { signal } : {}),
          });
          await res.body.dump();
          // Probing plain HTTP on a TLS port gets a 400 from the server, not a registry answer: try the next.
          if (!last && !looksLikeRegistry(res.statusCode, res.headers)) {
            lastError = new GantryError('REGISTRY_UNREACHABLE', `${origin} did not answer as a registry (${res.statusCode})`);
            break;
          }
          const wa = header(res, 'www-authenticate');
          if (res.statusCode === 401 && wa) this.challenge = pickChallenge(parseWwwAuthenticate(wa));
          if (res.statusCode < 500 || attempt >= this.retryPolicy.times) return { origin, dispatcher };
          lastError = new GantryError('REGISTRY_ERROR', `${this.registry} answered ${res.statusCode} to /v2/`, { status: res.statusCode });
        } catch (err) {
          if (signal?.aborted) throw abortError(signal);
          lastError = err;
          // A registry that accepted the connection and said nothing will not answer the other scheme either.
          if (isTimeout(err)) throw this.timeoutError('connect', err);
          // A wrong-scheme probe fails at once (TLS against plain HTTP, or the reverse): try the next scheme.
          if (!last) break;
          if (!isRetryable(err) || attempt >= this.retryPolicy.times) break;
        }
        const delayMs = backoffDelay(this.retryPolicy, attempt + 1);
        this.opts.onRetry?.({ registry: this.registry, operation: 'connect', attempt: attempt + 1, delayMs, reason: describeCause(lastError) });
        await sleep(delayMs, signal);
      }
    }
    throw await this.connectError(lastError, verify, signal);
  }

  /** A body that stops arriving fails as REGISTRY_TIMEOUT (a GantryError), not as undici's raw body timeout. */
  private guardBody(body: ResponseBody, operation: string): ResponseBody {
    if (body === EMPTY_BODY) return body;
    const mapped = (err: unknown): unknown => (isTimeout(err) ? this.timeoutError(operation, err) : err);
    return {
      dump: () => body.dump().catch((err: unknown) => Promise.reject(mapped(err))),
      text: () => body.text().catch((err: unknown) => Promise.reject(mapped(err))),
      destroy: () => body.destroy(),
      async *[Symbol.asyncIterator]() {
        try {
          yield* body;
        } catch (err) {
          throw mapped(err);
        }
      },
    };
  }

  private timeoutError(operation: string, err: unknown): GantryError {
    const flag = this.opts.flags?.timeout;
    return new GantryError('REGISTRY_TIMEOUT', `${operation}: ${this.registry} did not answer within ${formatSeconds(this.timeoutMs)}`, {
      cause: err,
      hint: `check that the registry is up and not overloaded${flag ? `; allow longer with ${flag}` : ''}`,
    });
  }

  private async connectError(err: unknown, verify: boolean, signal?: AbortSignal): Promise<GantryError> {
    const text = describeCause(err);
    const flags = this.opts.flags ?? {};
    if (isTlsFailure(err)) {
      // Tell a plain-HTTP registry apart from a certificate problem: the fix differs.
      if (verify && !this.opts.plainHttp && (await this.answersPlainHttp(signal))) {
        return new GantryError('TLS_ERROR', `${this.registry} speaks plain HTTP, not TLS`, {
          cause: err,
          hint: flags.tlsVerify ? `for a plain-HTTP registry pass ${flags.tlsVerify}=false` : 'this command cannot talk plain HTTP to a registry',
        });
      }
      const hints: string[] = [];
      if (verify) hints.push(`put the registry's CA in /etc/containers/certs.d/${this.registry}/ca.crt${flags.certDir ? ` or pass ${flags.certDir}` : ''}`);
      if (verify && flags.tlsVerify) hints.push(`for a plain-HTTP registry use ${flags.tlsVerify}=false`);
      return new GantryError('TLS_ERROR', `cannot connect to ${this.registry} over TLS: ${text}`, {
        cause: err,
        ...(hints.length > 0 ? { hint: hints.join('; ') } : {}),
      });
    }
    return new GantryError('REGISTRY_UNREACHABLE', `cannot reach registry ${this.registry}: ${text}`, {
      cause: err,
      hint: 'check the host and port, and that the registry is running',
    });
  }

  /** One quick plain-HTTP probe of /v2/ (no credentials are sent); true when a registry answers it. */
  private async answersPlainHttp(signal?: AbortSignal): Promise<boolean> {
    const agent = new Agent({ connections: 1, headersTimeout: 5_000, bodyTimeout: 5_000, connect: { timeout: 5_000 } });
    try {
      const res = await request(`http://${apiHost(this.registry)}/v2/`, { dispatcher: agent, method: 'GET', ...(signal ? { signal } : {}) });
      await res.body.dump();
      return looksLikeRegistry(res.statusCode, res.headers);
    } catch {
      return false;
    } finally {
      void agent.destroy().catch(() => undefined);
    }
  }

  /** Performs a request with authentication, retries and error mapping. */
  async request(req: RequestOptions): Promise<Response> {
    const { origin, dispatcher } = await this.connect(req.signal);
    const url = new URL(req.path, origin);
    const canRetry = req.retry ?? true;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(req.signal);
      let res: { statusCode: number; headers: Response['headers']; body: ResponseBody };
      try {
        const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? Defaults.userAgent, ...req.headers };
        const auth = req.anonymous ? undefined : await this.authorization(req, url, dispatcher);
        if (auth) headers.authorization = auth;
        if (req.method === 'HEAD' && this.headClient) {
          res = { ...(await this.headClient.head(url, headers, req.signal)), body: EMPTY_BODY };
        } else {
          const body = typeof req.body === 'function' ? await req.body() : req.body;
          res = await request(url, {
            dispatcher,
            method: req.method,
            headers,
            ...(body === undefined ? {} : { body: body as Uint8Array }),
            ...(req.signal ? { signal: req.signal } : {}),
          });
        }
      } catch (err) {
        if (req.signal?.aborted) throw abortError(req.signal);
        if (err instanceof GantryError) throw err;
        if (isTimeout(err)) throw this.timeoutError(req.operation, err);
        if (canRetry && isRetryable(err) && attempt < this.retryPolicy.times) {
          await this.pause(req, attempt + 1, describeCause(err));
          continue;
        }
        // Retryable by the caller only when this request was not retried here (a stream body it must reopen).
        throw new GantryError('REGISTRY_UNREACHABLE', `${req.operation}: ${this.registry}: ${describeCause(err)}`, {
          cause: err,
          retryable: !canRetry && isRetryable(err),
        });
      }
      const status = res.statusCode;
      if (status === 401 && !req.anonymous && !reauthenticated) {
        // The token expired or lacks a scope: learn the challenge from this answer, drop the cache, try once more.
        reauthenticated = true;
        const wa = header(res, 'www-authenticate');
        await res.body.dump();
        if (wa) this.challenge = pickChallenge(parseWwwAuthenticate(wa)) ?? this.challenge;
        this.tokens.delete(scopeKey(req.scopes));
        attempt--;
        continue;
      }
      if ((status < 300 && status >= 200) || (status >= 300 && status < 400) || req.allow?.includes(status)) {
        return { status, headers: res.headers, body: this.guardBody(res.body, req.operation), url };
      }
      const retryable = Defaults.retryStatuses.includes(status);
      if (retryable && canRetry && attempt < this.retryPolicy.times) {
        const retryAfter = parseRetryAfter(header(res, 'retry-after'));
        await res.body.dump();
        await this.pause(req, attempt + 1, `HTTP ${status}`, retryAfter);
        continue;
      }
      const hint = status === 401 ? credentialsHint(this.opts.flags ?? {}, !req.anonymous && this.opts.credentials?.(req.repository) !== undefined) : undefined;
      throw await responseError(this.registry, req, res, retryable && !canRetry, hint);
    }
  }

  private async pause(req: RequestOptions, attempt: number, reason: string, retryAfterMs?: number): Promise<void> {
    const delayMs = backoffDelay(this.retryPolicy, attempt, retryAfterMs);
    this.opts.onRetry?.({ registry: this.registry, operation: req.operation, attempt, delayMs, reason });
    await sleep(delayMs, req.signal);
  }

  private async authorization(req: RequestOptions, url: URL, dispatcher: Agent): Promise<string | undefined> {
    const c = this.challenge;
    if (!c) return undefined;
    // Credentials go only to the registry's own origin, never to a redirect target.
    if (url.host !== apiHost(this.registry)) return undefined;
    const creds = this.opts.credentials?.(req.repository);
    if (c.scheme === 'basic') {
      return creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    }
    if (c.scheme !== 'bearer' || !c.params.realm) return undefined;
    const key = scopeKey(req.scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.value}`;
    let pending = this.tokenFetches.get(key);
    if (!pending) {
      pending = this.fetchToken(c, req.scopes, creds, dispatcher, req.signal);
      this.tokenFetches.set(key, pending);
      pending.then(
        (t) => {
          this.tokens.set(key, t);
          this.tokenFetches.delete(key);
        },
        () => this.tokenFetches.delete(key),
      );
    }
    return `Bearer ${(await pending).value}`;
  }

  private async fetchToken(
    c: Challenge,
    scopes: string[],
    creds: Credentials | undefined,
    dispatcher: Agent,
    signal?: AbortSignal,
  ): Promise<Token> {
    const realm = new URL(c.params.realm!);
    if (c.params.service) realm.searchParams.set('service', c.params.service);
    for (const s of scopes) realm.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? Defaults.userAgent };
    if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal);
      try {
        const res = await request(realm, { dispatcher, method: 'GET', headers, ...(signal ? { signal } : {}) });
        const text = await readCapped(res.body, Defaults.maxTokenResponseBytes);
        if (res.statusCode === 200) {
          const doc = JSON.parse(text) as { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
          const value = doc.token ?? doc.access_token;
          if (!value) throw new GantryError('REGISTRY_UNAUTHORIZED', `token server for ${this.registry} returned no token`);
          const lifetime = Math.max(doc.expires_in ?? 60, 60) * 1000;
          const issued = doc.issued_at ? Date.parse(doc.issued_at) : Date.now();
          // Renew a little early so a token does not expire between our check and the registry's.
          return { value, expiresAt: (Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now())) + lifetime - 10_000 };
        }
        if (Defaults.retryStatuses.includes(res.statusCode) && attempt < this.retryPolicy.times) {
          await sleep(backoffDelay(this.retryPolicy, attempt + 1, parseRetryAfter(header(res, 'retry-after'))), signal);
          continue;
        }
        throw new GantryError(
          res.statusCode === 401 || res.statusCode === 403 ? 'REGISTRY_UNAUTHORIZED' : 'REGISTRY_ERROR',
          `authentication to ${this.registry} failed: token server answered ${res.statusCode}${registryMessage(text)}`,
          {
            status: res.statusCode,
            hint: credentialsHint(this.opts.flags ?? {}, creds !== undefined),
          },
        );
      } catch (err) {
        if (err instanceof GantryError) throw err;
        if (signal?.aborted) throw abortError(signal);
        if (isTimeout(err)) throw this.timeoutError(`token server ${realm.origin}`, err);
        if (attempt >= this.retryPolicy.times || !isRetryable(err)) {
          throw new GantryError('REGISTRY_UNREACHABLE', `token server ${realm.origin} for ${this.registry}: ${describeCause(err)}`, { cause: err });
        }
        await sleep(backoffDelay(this.retryPolicy, attempt + 1), signal);
      }
    }
  }
}

/**
 * Schemes to try, in order. Verified TLS: https only. --tls-verify=false: https then http, as containers/image
 * does; but when the registry names a port, plain HTTP goes first (a cheap probe, no credentials sent): one
 * port speaks one protocol, and a TLS port answers plain HTTP with a 400 that is not taken as a registry.
 */
export function originCandidates(host: string, verify: boolean, plainHttp: boolean): string[] {
  if (plainHttp) return [`http://${host}`];
  if (verify) return [`https://${host}`];
  const explicitPort = /:\d+$/.test(host);
  return explicitPort ? [`http://${host}`, `https://${host}`] : [`https://${host}`, `http://${host}`];
}

function looksLikeRegistry(status: number, headers: Response['headers']): boolean {
  return status === 200 || status === 401 || header({ headers }, 'docker-distribution-api-version') !== undefined;
}

function pickChallenge(cs: Challenge[]): Challenge | undefined {
  return cs.find((c) => c.scheme === 'bearer') ?? cs.find((c) => c.scheme === 'basic');
}

function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

export function describeCause(err: unknown): string {
  if (err instanceof GantryError) return err.message;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return code && !msg.includes(code) ? `${msg} (${code})` : msg;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A registry's own words, kept short: they are quoted in a one-line error. */
function cut(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function registryMessage(text: string): string {
  try {
    const doc = JSON.parse(text) as { errors?: { code?: string; message?: string; detail?: unknown }[]; details?: string };
    const first = doc.errors?.[0];
    if (first) return `: ${cut(String(first.code ?? ''))}${first.message ? `: ${cut(String(first.message))}` : ''}`;
    if (doc.details) return `: ${cut(String(doc.details))}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  const t = text.trim().slice(0, 200);
  return t ? `: ${t}` : '';
}

async function responseError(registry: string, req: RequestOptions, res: { statusCode: number; body: ResponseBody }, retryable: boolean, hint401?: string): Promise<GantryError> {
  // Capped: an error page is read for its message, and a hostile or broken server may send gigabytes.
  const text = req.method === 'HEAD' ? '' : await readCapped(res.body, Defaults.maxErrorBodyBytes).catch(() => '');
  if (req.method === 'HEAD') await res.body.dump().catch(() => undefined);
  const status = res.statusCode;
  let code: ErrorCode = STATUS_CODES[status] ?? 'REGISTRY_ERROR';
  const detail = registryMessage(text);
  if (status === 404 || /MANIFEST_UNKNOWN|BLOB_UNKNOWN/.test(detail)) {
    if (detail.includes('MANIFEST_UNKNOWN') || (status === 404 && req.path.includes('/manifests/'))) code = 'MANIFEST_UNKNOWN';
    else if (detail.includes('BLOB_UNKNOWN') || (status === 404 && req.path.includes('/blobs/'))) code = 'BLOB_UNKNOWN';
  }
  let hint: string | undefined;
  if (status === 401) hint = hint401;
  if (status === 403) hint = 'the credentials lack permission for this repository';
  return new GantryError(code, `${req.operation}: ${registry} answered ${status}${detail}`, { status, retryable, ...(hint ? { hint } : {}) });
}
