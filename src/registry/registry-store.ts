// Store over one repository of a registry (distribution API v2): manifests by tag or digest, blobs with
// Range-resumed downloads, monolithic and chunked uploads, cross-repository mounts, tags, referrers, manifest deletes.
import { Defaults } from '../defaults.js';
import { GantryError, abortError } from '../errors.js';
import { ChunkReader, collectBytes, countBytes } from '../content/chunks.js';
import type {
  BlobMounter,
  BlobOpener,
  FetchBlobOptions,
  FetchedManifest,
  ManifestDeleter,
  OpOptions,
  PushBlobOptions,
  ReferrerLister,
  Store,
  TagLister,
} from '../content/store.js';
import { digestHex, isDigest, parseDigest, sha256, verifyStream, type Digest } from '../oci/digest.js';
import { parseManifest, type Descriptor } from '../oci/manifest.js';
import { MANIFEST_ACCEPT, MediaType } from '../oci/media-types.js';
import { checkManifestReference } from '../oci/reference.js';
import { header, type RegistryClient, type Response } from '../transport/registry-client.js';
import { resumeBody } from '../transport/resume-body.js';

export interface RegistryStoreOptions {
  client: RegistryClient;
  repository: string;
  chunkedUploadThreshold?: number;
  chunkSize?: number;
}

export type RegistryStore = Store & TagLister & BlobMounter & ReferrerLister & ManifestDeleter;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createRegistryStore(opts: RegistryStoreOptions): RegistryStore {
  const { client, repository } = opts;
  const threshold = opts.chunkedUploadThreshold ?? Defaults.chunkedUploadThreshold;
  const chunkSize = opts.chunkSize ?? Defaults.chunkSize;
  const pull = [`repository:${repository}:pull`];
  const push = [`repository:${repository}:pull,push`];
  const base = `/v2/${repository}`;
  const location = `docker://${client.registry}/${repository}`;

  async function followRedirects(res: Response, what: string, extraHeaders: Record<string, string>, signal?: AbortSignal, retry = true): Promise<Response> {
    for (let hops = 0; REDIRECTS.has(res.status); hops++) {
      const target = header(res, 'location');
      await res.body.dump();
      if (!target || hops >= 5) throw new GantryError('REGISTRY_ERROR', `${what}: too many or empty redirects`);
      const url = new URL(target, res.url);
      res = await client.request({
        method: 'GET',
        path: url.href,
        scopes: pull,
        repository,
        headers: extraHeaders,
        operation: what,
        retry,
        ...(signal ? { signal } : {}),
      });
    }
    return res;
  }

  async function startUpload(what: string, signal?: AbortSignal): Promise<URL> {
    const res = await client.request({ method: 'POST', path: `${base}/blobs/uploads/`, scopes: push, repository, operation: what, ...(signal ? { signal } : {}) });
    await res.body.dump();
    const loc = header(res, 'location');
    if (res.status !== 202 || !loc) throw new GantryError('REGISTRY_ERROR', `${what}: registry did not open an upload (status ${res.status})`);
    return new URL(loc, res.url);
  }

  const store: RegistryStore = {
    location,
    mountKey: client.registry,
    repository,

    async fetchManifest(reference: string, o: OpOptions = {}): Promise<FetchedManifest> {
      checkManifestReference(reference);
      const what = `fetch manifest ${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
      const res = await client.request({
        method: 'GET',
        path: `${base}/manifests/${reference}`,
        scopes: pull,
        repository,
        headers: { accept: MANIFEST_ACCEPT },
        operation: what,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const bytes = await collectBytes(res.body, Defaults.maxManifestBytes, `manifest ${reference}`);
      const digest = sha256(bytes);
      if (isDigest(reference) && reference !== digest) {
        throw new GantryError('DIGEST_MISMATCH', `${what}: registry returned content with digest ${digest}`);
      }
      const contentType = header(res, 'content-type')?.split(';')[0]?.trim();
      const mediaType = manifestMediaType(bytes, contentType);
      return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
    },

    async statManifest(reference: string, o: OpOptions = {}): Promise<Descriptor | undefined> {
      checkManifestReference(reference);
      const res = await client.request({
        method: 'HEAD',
        path: `${base}/manifests/${reference}`,
        scopes: pull,
        repository,
        headers: { accept: MANIFEST_ACCEPT },
        allow: [404],
        operation: `check manifest ${repository}:${reference}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      await res.body.dump();
      if (res.status === 404) return undefined;
      const digest = header(res, 'docker-content-digest');
      const size = Number(header(res, 'content-length'));
      const mediaType = header(res, 'content-type')?.split(';')[0]?.trim();
      if (!digest || !isDigest(digest) || !Number.isFinite(size) || !mediaType) {
        const m = await store.fetchManifest(reference, o);
        return m.descriptor;
      }
      return { mediaType, digest, size };
    },

    async statBlob(digest: Digest, o: OpOptions = {}): Promise<number | undefined> {
      parseDigest(digest); // a digest goes into a URL path: refuse anything but a well-formed one
      const res = await client.request({
        method: 'HEAD',
        path: `${base}/blobs/${digest}`,
        scopes: pull,
        repository,
        allow: [404],
        operation: `check blob ${digest}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      await res.body.dump();
      if (res.status === 404) return undefined;
      const size = Number(header(res, 'content-length'));
      return Number.isFinite(size) ? size : 0;
    },

    async fetchBlob(desc: Descriptor, o: FetchBlobOptions = {}): Promise<AsyncIterable<Uint8Array>> {
      parseDigest(desc.digest);
      const what = `fetch blob ${desc.digest} from ${repository}`;
      // A resume is one attempt of the body's own retry budget (resumeBody), so its requests are not retried again.
      const open = async (received: number): Promise<{ res: Response; skip: number }> => {
        const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
        const retry = received === 0;
        let res = await client.request({
          method: 'GET',
          path: `${base}/blobs/${desc.digest}`,
          scopes: pull,
          repository,
          headers,
          operation: what,
          retry,
          ...(o.signal ? { signal: o.signal } : {}),
        });
        res = await followRedirects(res, what, headers, o.signal, retry);
        // 206: the server resumed where we asked; 200: it sent everything again, so skip what we already have.
        return { res, skip: received > 0 && res.status !== 206 ? received : 0 };
      };
      // The first response is awaited here so that BLOB_UNKNOWN and auth errors surface before streaming starts.
      const first = await open(0);
      return resumeBody(first, open, { policy: client.retryPolicy, what, ...o });
    },

    async pushBlob(desc: Descriptor, openSource: BlobOpener, o: PushBlobOptions = {}): Promise<void> {
      parseDigest(desc.digest);
      const what = `upload blob ${desc.digest} to ${repository}`;
      const signal = o.signal;
      let url = await startUpload(what, signal);
      const source = verifyStream(countBytes(await openSource(), o.onBytes), desc.digest, desc.size);
      if (desc.size <= threshold) {
        url.searchParams.set('digest', desc.digest);
        const res = await client.request({
          method: 'PUT',
          path: url.href,
          scopes: push,
          repository,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
          body: async () => source,
          retry: false,
          operation: what,
          ...(signal ? { signal } : {}),
        });
        await res.body.dump();
        return;
      }
      const reader = new ChunkReader(source);
      let offset = 0;
      try {
        while (await reader.hasMore()) {
          const length = Math.min(chunkSize, desc.size - offset);
          const res = await client.request({
            method: 'PATCH',
            path: url.href,
            scopes: push,
            repository,
            headers: {
              'content-type': 'application/octet-stream',
              'content-length': String(length),
              'content-range': `${offset}-${offset + length - 1}`,
            },
            body: async () => reader.take(length),
            retry: false,
            operation: what,
            ...(signal ? { signal } : {}),
          });
          await res.body.dump();
          const next = header(res, 'location');
          if (next) url = new URL(next, res.url);
          offset += length;
        }
      } finally {
        await reader.close();
      }
      url.searchParams.set('digest', desc.digest);
      const res = await client.request({ method: 'PUT', path: url.href, scopes: push, repository, operation: what, ...(signal ? { signal } : {}) });
      await res.body.dump();
    },

    async pushManifest(bytes: Uint8Array, mediaType: string, reference: string, o: OpOptions = {}): Promise<Descriptor> {
      checkManifestReference(reference);
      const digest = sha256(bytes);
      if (isDigest(reference) && reference !== digest) {
        throw new GantryError('DIGEST_MISMATCH', `manifest bytes have digest ${digest}, not ${reference}`);
      }
      const res = await client.request({
        method: 'PUT',
        path: `${base}/manifests/${reference}`,
        scopes: push,
        repository,
        headers: { 'content-type': mediaType },
        body: bytes,
        operation: `push manifest ${repository}${isDigest(reference) ? '@' : ':'}${reference}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      await res.body.dump();
      return { mediaType, digest, size: bytes.byteLength };
    },

    async deleteManifest(digest: Digest, o: OpOptions = {}): Promise<boolean> {
      parseDigest(digest); // distribution deletes manifests by digest only (a tag answers 400 UNSUPPORTED)
      const res = await client.request({
        method: 'DELETE',
        path: `${base}/manifests/${digest}`,
        // distribution checks the "delete" action for DELETE (registry/handlers/app.go), not push.
        scopes: [`repository:${repository}:delete`],
        repository,
        allow: [404, 405],
        operation: `delete manifest ${repository}@${digest}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      await res.body.dump();
      if (res.status === 405) {
        throw new GantryError('REGISTRY_ERROR', `delete manifest ${repository}@${digest}: ${client.registry} answered 405: deletes are disabled`, {
          status: 405,
          hint: 'enable deletes on the registry (distribution: storage.delete.enabled: true, or REGISTRY_STORAGE_DELETE_ENABLED=true)',
        });
      }
      return res.status !== 404;
    },

    async listTags(o: OpOptions = {}): Promise<string[]> {
      const tags: string[] = [];
      let path: string | undefined = `${base}/tags/list?n=${Defaults.tagPageSize}`;
      for (let page = 0; path && page < 100_000; page++) {
        const res: Response = await client.request({ method: 'GET', path, scopes: pull, repository, operation: `list tags of ${repository}`, ...(o.signal ? { signal: o.signal } : {}) });
        const doc = JSON.parse(await res.body.text()) as { tags?: string[] | null };
        tags.push(...(doc.tags ?? []));
        path = nextLink(header(res, 'link'), res.url);
      }
      return tags;
    },

    async mountBlob(desc: Descriptor, fromRepository: string, o: OpOptions = {}): Promise<boolean> {
      const res = await client.request({
        method: 'POST',
        path: `${base}/blobs/uploads/?mount=${encodeURIComponent(desc.digest)}&from=${encodeURIComponent(fromRepository)}`,
        scopes: [...push, `repository:${fromRepository}:pull`],
        repository,
        operation: `mount blob ${desc.digest} from ${fromRepository}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      await res.body.dump();
      if (res.status === 201) return true;
      // 202: the registry opened an ordinary upload instead; cancel it so it does not linger.
      const loc = header(res, 'location');
      if (loc) {
        await client
          .request({ method: 'DELETE', path: new URL(loc, res.url).href, scopes: push, repository, allow: [404, 405], operation: 'cancel upload', retry: false })
          .then((r) => r.body.dump())
          .catch(() => undefined);
      }
      return false;
    },

    async referrers(digest: Digest, o: OpOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
      const query = o.artifactType ? `?artifactType=${encodeURIComponent(o.artifactType)}` : '';
      const res = await client.request({
        method: 'GET',
        path: `${base}/referrers/${digest}${query}`,
        scopes: pull,
        repository,
        allow: [404, 400, 405],
        operation: `list referrers of ${digest}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      let manifests: Descriptor[];
      if (res.status === 200) {
        const index = parseManifest(await collectBytes(res.body, Defaults.maxManifestBytes, 'referrers index'), MediaType.ociIndex);
        manifests = index.kind === 'index' ? index.manifests : [];
      } else {
        await res.body.dump();
        // Registries without the referrers API: the tag schema fallback, tag sha256-<hex> holding an index.
        const tag = `${digest.slice(0, digest.indexOf(':'))}-${digestHex(digest)}`;
        const found = await store.statManifest(tag, o);
        if (!found) return [];
        const index = parseManifest((await store.fetchManifest(tag, o)).bytes);
        manifests = index.kind === 'index' ? index.manifests : [];
      }
      return o.artifactType ? manifests.filter((m) => m.artifactType === o.artifactType) : manifests;
    },
  };
  return store;
}

function manifestMediaType(bytes: Uint8Array, contentType: string | undefined): string {
  try {
    return parseManifest(bytes, contentType).mediaType;
  } catch (err) {
    if (err instanceof GantryError && err.code === 'MANIFEST_UNSUPPORTED') throw err;
    return contentType ?? MediaType.ociManifest;
  }
}

function nextLink(link: string | undefined, base: URL): string | undefined {
  if (!link) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return m ? new URL(m[1]!, base).href : undefined;
}
