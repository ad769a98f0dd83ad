// A minimal, independent uploader for seeding registries in tests and benchmarks (distribution API over the
// global fetch): blob POST+PUT, manifest PUT, Basic or Bearer auth. Not the code under test; never use it as such.
import { Agent } from 'undici';
import type { BuiltBlob, TestImage, TestIndex } from './images.js';

export interface RawPushOptions {
  username?: string;
  password?: string;
  /** PEM CA certificate(s) to trust for https registries (and an https token realm). */
  ca?: string | Buffer;
  /** Parallel uploads (blobs within an image, images within pushImagesRaw). Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface RawPushItem {
  repository: string;
  tag: string;
  image: TestImage | TestIndex;
}

const DEFAULT_CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 60_000;

interface RawClient {
  send(repository: string, method: string, url: string, init?: { body?: Buffer; contentType?: string }): Promise<Response>;
  close(): Promise<void>;
}

function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const m = /^(\w+)\s*(.*)$/s.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

function createRawClient(opts: RawPushOptions): RawClient {
  const dispatcher = opts.ca === undefined ? undefined : new Agent({ connect: { ca: opts.ca } });
  const basic =
    opts.username === undefined ? undefined : `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
  // Learned from the first 401: Basic is then sent up front; Bearer tokens are kept per repository.
  let scheme: 'unknown' | 'basic' | 'bearer' = 'unknown';
  const tokens = new Map<string, string>();

  function doFetch(url: string, init: RequestInit): Promise<Response> {
    const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    // undici's Agent is accepted as the global fetch's dispatcher (Node's fetch is undici); the DOM types omit it.
    return fetch(url, { ...init, signal, ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
  }

  function authorization(repository: string): string | undefined {
    if (scheme === 'basic') return basic;
    if (scheme === 'bearer') {
      const t = tokens.get(repository);
      return t === undefined ? undefined : `Bearer ${t}`;
    }
    return undefined;
  }

  async function fetchToken(repository: string, params: Record<string, string>): Promise<void> {
    if (!params.realm) throw new Error('Bearer challenge without realm');
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.append('scope', `repository:${repository}:pull,push`);
    const res = await doFetch(url.href, { headers: basic ? { authorization: basic } : {} });
    if (!res.ok) throw new Error(`token request to ${url.origin}${url.pathname} failed: ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error('token response without a token');
    tokens.set(repository, token);
  }

  async function send(
    repository: string,
    method: string,
    url: string,
    init: { body?: Buffer; contentType?: string } = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      const auth = authorization(repository);
      if (auth) headers.authorization = auth;
      if (init.contentType) headers['content-type'] = init.contentType;
      const res = await doFetch(url, { method, headers, ...(init.body ? { body: init.body } : {}) });
      if (res.status !== 401 || attempt > 0) return res;
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      await res.body?.cancel();
      if (challenge?.scheme === 'basic' && basic) scheme = 'basic';
      else if (challenge?.scheme === 'bearer') {
        scheme = 'bearer';
        await fetchToken(repository, challenge.params);
      } else return res;
    }
  }

  return {
    send,
    async close() {
      await dispatcher?.close();
    },
  };
}

async function expectStatus(res: Response, ok: number[], what: string): Promise<Response> {
  if (!ok.includes(res.status)) {
    const text = await res.text().catch(() => '');
    throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 500)}`);
  }
  return res;
}

async function pushBlob(client: RawClient, base: string, repository: string, blob: BuiltBlob): Promise<void> {
  const blobUrl = `${base}/v2/${repository}/blobs/${blob.digest}`;
  const head = await client.send(repository, 'HEAD', blobUrl);
  if (head.status === 200) return;
  const start = await expectStatus(
    await client.send(repository, 'POST', `${base}/v2/${repository}/blobs/uploads/`),
    [202],
    `start upload of ${blob.digest} to ${repository}`,
  );
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new Error(`upload of ${blob.digest}: no Location header`);
  const put = new URL(location, base);
  put.searchParams.set('digest', blob.digest);
  const done = await expectStatus(
    await client.send(repository, 'PUT', put.href, { body: blob.bytes, contentType: 'application/octet-stream' }),
    [201],
    `upload of ${blob.digest} to ${repository}`,
  );
  await done.body?.cancel();
}

async function pushManifest(client: RawClient, base: string, repository: string, reference: string, m: BuiltBlob): Promise<void> {
  const res = await expectStatus(
    await client.send(repository, 'PUT', `${base}/v2/${repository}/manifests/${reference}`, { body: m.bytes, contentType: m.mediaType }),
    [201],
    `manifest ${reference} to ${repository}`,
  );
  await res.body?.cancel();
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function isIndex(x: TestImage | TestIndex): x is TestIndex {
  return 'images' in x;
}

/**
 * One upload per blob and repository however many items share it: two concurrent uploads of one digest race in
 * distribution (the second PUT can fail with DIGEST_INVALID, a manifest push with MANIFEST_BLOB_UNKNOWN).
 */
type InFlight = Map<string, Promise<void>>;

function pushBlobOnce(inflight: InFlight, client: RawClient, base: string, repository: string, blob: BuiltBlob): Promise<void> {
  const key = `${repository}@${blob.digest}`;
  let p = inflight.get(key);
  if (!p) {
    p = pushBlob(client, base, repository, blob);
    p.catch(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

async function pushOne(client: RawClient, base: string, item: RawPushItem, concurrency: number, inflight: InFlight): Promise<void> {
  const images = isIndex(item.image) ? item.image.images : [item.image];
  for (const image of images) {
    await mapLimit([image.config, ...image.layers], concurrency, (b) => pushBlobOnce(inflight, client, base, item.repository, b));
    // Children of an index go by digest; distribution 2.8 checks that they exist before accepting the index.
    await pushManifest(client, base, item.repository, isIndex(item.image) ? image.manifest.digest : item.tag, image.manifest);
  }
  if (isIndex(item.image)) await pushManifest(client, base, item.repository, item.tag, item.image.manifest);
}

/** Pushes many images/indexes, `concurrency` at a time, over one connection pool and token cache. */
export async function pushImagesRaw(registryUrl: string, items: readonly RawPushItem[], opts: RawPushOptions = {}): Promise<void> {
  const base = registryUrl.replace(/\/+$/, '');
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const client = createRawClient(opts);
  try {
    const inflight: InFlight = new Map();
    await mapLimit(items, concurrency, (item) => pushOne(client, base, item, concurrency, inflight));
  } finally {
    await client.close();
  }
}

/** Pushes an image's blobs and manifest and tags it. `registryUrl` is "http(s)://HOST:PORT". */
export function pushImageRaw(
  registryUrl: string,
  repository: string,
  tag: string,
  image: TestImage,
  opts: RawPushOptions = {},
): Promise<void> {
  return pushImagesRaw(registryUrl, [{ repository, tag, image }], opts);
}

/** Pushes every child image (by digest), then the index under `tag`. */
export function pushIndexRaw(
  registryUrl: string,
  repository: string,
  tag: string,
  index: TestIndex,
  opts: RawPushOptions = {},
): Promise<void> {
  return pushImagesRaw(registryUrl, [{ repository, tag, image: index }], opts);
}
