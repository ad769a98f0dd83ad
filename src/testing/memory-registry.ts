// A registry in memory for library tests: one memory store per host/repository, made on first use, behind the
// store resolver the mirror and delete operations take; and a way to put a test image into any Store.
import { createMemoryStore, type MemoryStore } from '../content/memory-store.js';
import type { Store } from '../content/store.js';
import type { BuiltBlob, TestImage } from './images.js';

export interface MemoryRegistry {
  resolve(repo: { registry: string; repository: string }): MemoryStore;
  repo(host: string, repository: string): MemoryStore;
  /** host/repository of every store made so far, sorted. */
  names(): string[];
}

export function createMemoryRegistry(): MemoryRegistry {
  const stores = new Map<string, MemoryStore>();
  const repo = (host: string, repository: string) => {
    const key = `${host}/${repository}`;
    let s = stores.get(key);
    if (!s) stores.set(key, (s = createMemoryStore({ location: `memory://${key}` })));
    return s;
  };
  return { resolve: (r) => repo(r.registry, r.repository), repo, names: () => [...stores.keys()].sort() };
}

export async function putImage(store: Store, tag: string, img: TestImage): Promise<void> {
  const put = (b: BuiltBlob) => store.pushBlob({ mediaType: b.mediaType, digest: b.digest, size: b.size }, async () => [b.bytes]);
  for (const b of [img.config, ...img.layers]) await put(b);
  await store.pushManifest(img.manifest.bytes, img.manifest.mediaType, tag);
}
