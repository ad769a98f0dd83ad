// The web UI's routes as a pure function: the page and its assets at / and /ui/assets/, JSON under /ui/api/
// (apart from catalogd's /catalogs/…); undefined for every other path, which the catalogd handler answers.
import { gzipSync } from 'node:zlib';
import { isGantryError } from '../../errors.js';
import { byteOrder } from '../../order.js';
import { compareVersions } from '../../semver/index.js';
import type { Bundle } from '../../catalog/fbc/types.js';
import { describeBundle } from '../../catalog/query/catalog-index.js';
import { planFromCatalogs } from '../../install/plan-from-catalogs.js';
import { DEFAULT_OLM_VERSION, knownOlmVersions, parseOlmVersion } from '../../install/olm-versions.js';
import type { HttpRequest, HttpResponse } from '../http-handler.js';
import { layoutChannel } from './graph-layout.js';
import { csvMetadata, type UiCatalog } from './ui-catalog.js';

export interface UiAsset {
  contentType: string;
  body: Buffer;
}

export interface UiHandlerOptions {
  catalogs: UiCatalog[];
  /** Asset files by name ("index.html", "app.js", …), as the build wrote them to dist/ui/. */
  assets: Map<string, UiAsset>;
}

/** Smaller bodies are not worth compressing (the catalogd handler's threshold). */
const GZIP_MIN_BYTES = 1400;
/** An olm.bundle.object is a whole manifest in base64: the bundle view shows its kind and name instead. */
const OBJECT_PREVIEW = 'olm.bundle.object';

type Route = (req: HttpRequest, url: URL, m: string[]) => HttpResponse;

const header = (req: HttpRequest, name: string): string => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

function send(req: HttpRequest, status: number, contentType: string, body: Buffer, cache = 'no-cache'): HttpResponse {
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': cache, vary: 'Accept-Encoding', 'x-content-type-options': 'nosniff' };
  if (body.length >= GZIP_MIN_BYTES && /\bgzip\b/.test(header(req, 'accept-encoding'))) {
    headers['content-encoding'] = 'gzip';
    return { status, headers, body: gzipSync(body, { level: 6 }) };
  }
  return { status, headers, body };
}

const json = (req: HttpRequest, value: unknown, status = 200) => send(req, status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(value)));
const notFound = (req: HttpRequest, message: string) => json(req, { error: { code: 'NOT_FOUND', message } }, 404);

/** The bundle with its properties as written, except manifests in olm.bundle.object, which are summarised. */
function bundleDetail(b: Bundle, deprecated: string | null) {
  const properties = (b.properties ?? []).map((p) => {
    if (p.type !== OBJECT_PREVIEW) return p;
    try {
      const data = (p.value as { data?: string }).data ?? '';
      const obj = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { kind?: string; metadata?: { name?: string } };
      return { type: p.type, value: { kind: obj.kind ?? '', name: obj.metadata?.name ?? '', bytes: data.length } };
    } catch {
      return { type: p.type, value: { unreadable: true } };
    }
  });
  return { name: b.name, package: b.package, image: b.image, ...describeBundle(b), deprecated, relatedImages: b.relatedImages ?? [], properties };
}

export function createUiHandler(opts: UiHandlerOptions): (req: HttpRequest) => HttpResponse | undefined {
  const byName = new Map(opts.catalogs.map((c) => [c.name, c]));
  // The first page's data, serialised and compressed once.
  const lists = new Map(opts.catalogs.map((c) => {
    const body = Buffer.from(JSON.stringify({ catalog: c.name, packages: c.packages }));
    return [c.name, { body, gzip: gzipSync(body, { level: 9 }) }] as const;
  }));
  const olmVersions = knownOlmVersions();
  const zippedAssets = new Map<string, Buffer>();

  const pkgOf = (req: HttpRequest, catalog: string, pkg: string) => {
    const c = byName.get(catalog);
    const p = c?.model.packages.get(pkg);
    return p ? { c: c!, p } : notFound(req, c ? `package ${JSON.stringify(pkg)} is not in catalog ${c.name}` : `no catalog ${JSON.stringify(catalog)} is served`);
  };
  const isResponse = (x: object): x is HttpResponse => 'status' in x;

  const routes: [RegExp, Route][] = [
    [/^\/ui\/api\/catalogs$/, (req) => json(req, { catalogs: opts.catalogs.map((c) => ({ name: c.name, packages: c.packages.length, bundles: c.bundleCount })), olmVersions, defaultOlmVersion: DEFAULT_OLM_VERSION })],
    [/^\/ui\/api\/catalogs\/([^/]+)\/packages$/, (req, _u, [name]) => {
      const list = lists.get(name!);
      if (!list) return notFound(req, `no catalog ${JSON.stringify(name)} is served`);
      const gz = /\bgzip\b/.test(header(req, 'accept-encoding'));
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', vary: 'Accept-Encoding', ...(gz ? { 'content-encoding': 'gzip' } : {}) }, body: gz ? list.gzip : list.body };
    }],
    [/^\/ui\/api\/catalogs\/([^/]+)\/packages\/([^/]+)$/, (req, _u, [catalog, pkg]) => {
      const found = pkgOf(req, catalog!, pkg!);
      if (isResponse(found)) return found;
      const { p } = found;
      // Newest first, as the graph draws them; versions that do not parse last.
      const order = [...p.bundles.values()].sort((a, b) => {
        const va = p.versions.get(a.name);
        const vb = p.versions.get(b.name);
        if (va && vb) return compareVersions(vb, va) || byteOrder(a.name, b.name);
        return va || vb ? (va ? -1 : 1) : byteOrder(a.name, b.name);
      });
      const bundles = order.map((b) => ({ name: b.name, image: b.image, ...describeBundle(b), deprecated: p.deprecatedBundles.get(b.name) ?? null, relatedImages: b.relatedImages?.length ?? 0 }));
      const channels = [...p.channels.values()].map((c) => ({ name: c.channel.name, head: c.head ?? null, heads: c.heads, deprecated: c.deprecated ?? null, entries: c.entries.size }));
      const summary = found.c.packages.find((s) => s.name === p.pkg.name);
      const meta = csvMetadata(p.bundles.get(summary?.head ?? ''));
      return json(req, {
        name: p.pkg.name,
        catalog: found.c.name,
        summary,
        description: p.pkg.description ?? (typeof meta?.description === 'string' ? meta.description : ''),
        defaultChannel: p.pkg.defaultChannel,
        deprecated: p.deprecated ?? null,
        channels,
        bundles,
      });
    }],
    [/^\/ui\/api\/catalogs\/([^/]+)\/packages\/([^/]+)\/icon$/, (req, _u, [catalog, pkg]) => {
      const found = pkgOf(req, catalog!, pkg!);
      if (isResponse(found)) return found;
      const icon = found.p.pkg.icon;
      if (!icon?.base64data) return notFound(req, `package ${pkg} has no icon`);
      // An SVG icon could carry script: it is drawn by an <img> (no script runs there), and sandboxed if opened as a page.
      const type = /^image\/[-+.\w]+$/.test(icon.mediatype) ? icon.mediatype : 'application/octet-stream';
      const out = send(req, 200, type, Buffer.from(icon.base64data, 'base64'), 'max-age=3600');
      out.headers['content-security-policy'] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
      return out;
    }],
    [/^\/ui\/api\/catalogs\/([^/]+)\/packages\/([^/]+)\/bundles\/([^/]+)$/, (req, _u, [catalog, pkg, bundle]) => {
      const found = pkgOf(req, catalog!, pkg!);
      if (isResponse(found)) return found;
      const b = found.p.bundles.get(bundle!);
      if (!b) return notFound(req, `bundle ${JSON.stringify(bundle)} is not in package ${pkg}`);
      return json(req, bundleDetail(b, found.p.deprecatedBundles.get(b.name) ?? null));
    }],
    [/^\/ui\/api\/catalogs\/([^/]+)\/packages\/([^/]+)\/channels\/([^/]+)\/graph$/, (req, _u, [catalog, pkg, channel]) => {
      const found = pkgOf(req, catalog!, pkg!);
      if (isResponse(found)) return found;
      const ch = found.p.channels.get(channel!);
      if (!ch) return notFound(req, `channel ${JSON.stringify(channel)} is not in package ${pkg}`);
      return json(req, layoutChannel(found.p, ch));
    }],
    [/^\/ui\/api\/catalogs\/([^/]+)\/plan$/, (req, url, [catalog]) => {
      const q = url.searchParams;
      const pkg = q.get('package') ?? '';
      const found = pkgOf(req, catalog!, pkg);
      if (isResponse(found)) return found;
      try {
        const olmVersion = parseOlmVersion(q.get('olmVersion') || DEFAULT_OLM_VERSION);
        const namespace = q.get('namespace') || undefined;
        const plan = planFromCatalogs([{ name: found.c.name, priority: 0, model: found.c.model }], {
          package: pkg,
          channels: q.getAll('channel').filter((c) => c !== ''),
          versionRange: q.get('version') ?? '',
          upgradeConstraintPolicy: 'CatalogProvided',
          olmVersion,
          ...(namespace ? { namespace } : {}),
        });
        return json(req, plan);
      } catch (err) {
        if (!isGantryError(err)) throw err;
        return json(req, { error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } }, 400);
      }
    }],
  ];

  const handle = (req: HttpRequest): HttpResponse | undefined => {
    const url = new URL(req.url, 'http://gantry.invalid');
    const path = url.pathname;
    if (path === '/' || path === '/ui' || path === '/ui/' || path.startsWith('/ui/assets/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('405 Method Not Allowed\n') };
      const file = path.startsWith('/ui/assets/') ? path.slice('/ui/assets/'.length) : 'index.html';
      const asset = opts.assets.get(file);
      if (!asset) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('404 Not Found\n') };
      if (asset.body.length < GZIP_MIN_BYTES || !/\bgzip\b/.test(header(req, 'accept-encoding'))) return send(req, 200, asset.contentType, asset.body);
      let zipped = zippedAssets.get(file);
      if (!zipped) zippedAssets.set(file, (zipped = gzipSync(asset.body, { level: 9 })));
      return { status: 200, headers: { 'content-type': asset.contentType, 'cache-control': 'no-cache', vary: 'Accept-Encoding', 'x-content-type-options': 'nosniff', 'content-encoding': 'gzip' }, body: zipped };
    }
    if (!path.startsWith('/ui/api/')) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(req, { error: { code: 'USAGE', message: `${req.method} is not allowed` } }, 405);
    for (const [re, route] of routes) {
      const m = re.exec(path);
      if (!m) continue;
      let parts: string[];
      try {
        parts = m.slice(1).map((s) => decodeURIComponent(s));
      } catch {
        return json(req, { error: { code: 'USAGE', message: 'malformed percent-encoding in the path' } }, 400);
      }
      return route(req, url, parts);
    }
    return notFound(req, `no such UI endpoint: ${path}`);
  };
  return (req) => {
    try {
      return handle(req);
    } catch (err) {
      // A request must never take the server down; the catalogd API keeps serving.
      return json(req, { error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }, 500);
    }
  };
}
