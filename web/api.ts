// The JSON the UI reads from gantry serve (/ui/api/…, src/server/ui/ui-handler.ts), typed for the front end,
// and one cached fetch per URL so going back to a page does not ask again.
import type { ChannelLayout, GraphBus, GraphRow, PackageSummary } from '../src/server/ui/ui-api-types.js';

export type { ChannelLayout, GraphBus, GraphRow, PackageSummary };

export interface CatalogInfo {
  name: string;
  packages: number;
  bundles: number;
}

export interface CatalogsResponse {
  catalogs: CatalogInfo[];
  olmVersions: string[];
  defaultOlmVersion: string;
}

export interface BundleRow {
  name: string;
  image: string;
  version: string;
  installModes: string[] | null;
  webhooks: boolean | null;
  webhookTypes: string[] | null;
  dependencies: string[];
  displayName: string | null;
  deprecated: string | null;
  relatedImages: number;
}

export interface ChannelInfo {
  name: string;
  head: string | null;
  heads: string[];
  deprecated: string | null;
  entries: number;
}

export interface PackageDetail {
  name: string;
  catalog: string;
  summary?: PackageSummary;
  description: string;
  defaultChannel: string;
  deprecated: string | null;
  channels: ChannelInfo[];
  bundles: BundleRow[];
}

export interface BundleDetail extends Omit<BundleRow, 'relatedImages'> {
  package: string;
  relatedImages: { name: string; image: string }[];
  properties: { type: string; value: unknown }[];
}

export interface PlanResponse {
  resolution: {
    bundle: { name: string; version: string; image: string; catalog: string } | null;
    error?: string;
    conditions: { type: string; status: string; reason: string; message: string }[];
    rejected: { catalog: string; bundle: string; version: string; reason: string; detail: string }[];
  };
  check?: { olmVersion: string; installable: boolean | null; reasons: { code: string; message: string }[]; notes: string[] };
  set: { yaml: string } | { refused: { code: string; message: string; hint?: string } } | null;
}

export interface ApiError {
  error: { code: string; message: string; hint?: string };
}

export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, Promise<unknown>>();

/** GETs JSON; a non-2xx answer becomes a RequestError with the server's code and message. Failures are not cached. */
export function getJson<T>(url: string, opts: { cache?: boolean } = {}): Promise<T> {
  const hit = opts.cache !== false ? cache.get(url) : undefined;
  if (hit) return hit as Promise<T>;
  const p = fetch(url).then(async (res) => {
    const body = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const e = (body as ApiError | null)?.error;
      throw new RequestError(e?.message ?? `${res.status} ${res.statusText}`, e?.code ?? 'HTTP', e?.hint);
    }
    return body as T;
  });
  if (opts.cache !== false) {
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

const seg = encodeURIComponent;
export const api = {
  catalogs: () => '/ui/api/catalogs',
  packages: (c: string) => `/ui/api/catalogs/${seg(c)}/packages`,
  pkg: (c: string, p: string) => `/ui/api/catalogs/${seg(c)}/packages/${seg(p)}`,
  icon: (c: string, p: string) => `/ui/api/catalogs/${seg(c)}/packages/${seg(p)}/icon`,
  bundle: (c: string, p: string, b: string) => `/ui/api/catalogs/${seg(c)}/packages/${seg(p)}/bundles/${seg(b)}`,
  graph: (c: string, p: string, ch: string) => `/ui/api/catalogs/${seg(c)}/packages/${seg(p)}/channels/${seg(ch)}/graph`,
  plan: (c: string, q: { package: string; channel: string; version: string; olmVersion: string; namespace: string }) => {
    const s = new URLSearchParams({ package: q.package, version: q.version, olmVersion: q.olmVersion });
    if (q.channel) s.append('channel', q.channel);
    if (q.namespace) s.set('namespace', q.namespace);
    return `/ui/api/catalogs/${seg(c)}/plan?${s}`;
  },
};
