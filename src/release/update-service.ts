// Reading update graphs from an update service (Cincinnati's `graph` API) or from files: URLs, query, the answer's
// interpretation and errors. The HTTP GET itself is injected, so this module stays pure and testable.
import { GantryError, isGantryError } from '../errors.js';
import { graphKey, type GraphRequest, type ReleaseType } from './select-releases.js';
import { parseUpdateGraph, type UpdateGraph } from './update-graph.js';

/** OpenShift's update service, as oc-mirror v2 calls it (internal/pkg/cincinnati/download.go OcpUpdateURL). */
export const OCP_UPDATE_URL = 'https://api.openshift.com/api/upgrades_info/v1/graph';
/** OKD's update service, as oc-mirror v2 calls it (OkdUpdateURL). */
export const OKD_UPDATE_URL = 'https://origin-release.ci.openshift.org/graph';
/** The environment variable oc-mirror (and oc) users set to point at another OCP update service. */
export const UPDATE_URL_ENV = 'UPDATE_URL_OVERRIDE';

/** Architecture names as users write them → Cincinnati's `arch` values. */
const ARCH_NAMES: Record<string, string> = { amd64: 'amd64', x86_64: 'amd64', arm64: 'arm64', aarch64: 'arm64', ppc64le: 'ppc64le', s390x: 's390x', multi: 'multi' };

export function cincinnatiArch(arch: string): string {
  const known = ARCH_NAMES[arch.toLowerCase()];
  if (!known) throw new GantryError('USAGE', `unknown release architecture "${arch.slice(0, 40)}"`, { hint: 'one of amd64, arm64, ppc64le, s390x, multi' });
  return known;
}

/** --update-url wins; else, for OCP, UPDATE_URL_OVERRIDE (as in oc-mirror); else the type's public service. */
export function updateServiceUrl(type: ReleaseType, opts: { updateUrl?: string; env?: Record<string, string | undefined> }): string {
  if (opts.updateUrl) return opts.updateUrl;
  const override = opts.env?.[UPDATE_URL_ENV];
  if (type === 'ocp' && override) return override;
  return type === 'okd' ? OKD_UPDATE_URL : OCP_UPDATE_URL;
}

/** The graph URL for one channel and arch: the service URL with `channel` and `arch` set (its other parameters kept). */
export function graphUrl(base: string, channel: string, arch: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new GantryError('USAGE', `update service URL "${base.slice(0, 200)}" is not a URL`, { hint: 'e.g. https://api.openshift.com/api/upgrades_info/v1/graph' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new GantryError('USAGE', `update service URL "${base.slice(0, 200)}" is not http(s)`);
  u.searchParams.set('channel', channel);
  u.searchParams.set('arch', arch);
  return u.href;
}

export interface FetchedText {
  status: number;
  text: string;
  contentType?: string | undefined;
}

export type FetchText = (url: string, opts: { signal?: AbortSignal; headers: Record<string, string> }) => Promise<FetchedText>;

/** Reads one channel's graph from an update service. Errors name the channel, the arch and the URL. */
export async function fetchGraph(req: { channel: string; arch: string; url: string }, fetchText: FetchText, signal?: AbortSignal): Promise<UpdateGraph> {
  const url = graphUrl(req.url, req.channel, req.arch);
  const what = `the update graph of channel "${req.channel}" (${req.arch}) from ${url}`;
  let res: FetchedText;
  try {
    res = await fetchText(url, { ...(signal ? { signal } : {}), headers: { accept: 'application/json' } });
  } catch (err) {
    // Only the run's own cancellation passes through: undici also names a proxy's refused tunnel AbortError
    // (UND_ERR_ABORTED), and that is a failure to read the graph, said with its URL.
    if (signal?.aborted || isGantryError(err, 'ABORTED')) throw err;
    const tls = isGantryError(err, 'TLS_ERROR');
    throw new GantryError(tls ? 'TLS_ERROR' : 'UPDATE_SERVICE_ERROR', `cannot read ${what}: ${(err as Error).message}`, {
      cause: err,
      hint: isGantryError(err) && err.hint ? err.hint : 'check the URL and the network; without network, pass the graph saved earlier with --update-graph FILE',
    });
  }
  if (res.status !== 200) {
    throw new GantryError('UPDATE_SERVICE_ERROR', `cannot read ${what}: the service answered ${res.status}${serviceText(res.text)}`, {
      status: res.status,
      retryable: res.status >= 500 || res.status === 429,
      ...(res.status === 400 ? { hint: 'the service refused the query: check the channel and arch' } : {}),
    });
  }
  return parseUpdateGraph(res.text, { source: url, channel: req.channel, arch: req.arch });
}

/**
 * Reads every graph a selection needs. An optional graph (an intermediate channel) that cannot be read is left
 * out; the path search then says which channels it used.
 */
export async function readGraphs(requests: readonly GraphRequest[], read: (req: GraphRequest) => Promise<UpdateGraph>): Promise<Map<string, UpdateGraph>> {
  const out = new Map<string, UpdateGraph>();
  for (const req of requests) {
    const key = graphKey(req);
    if (out.has(key)) continue;
    try {
      out.set(key, await read(req));
    } catch (err) {
      if (!req.optional || isGantryError(err, 'ABORTED')) throw err;
    }
  }
  return out;
}

/** Cincinnati answers errors as {"kind": …, "value": …}; other services with text. Quoted short, on one line. */
function serviceText(text: string): string {
  let said = text.trim();
  try {
    const doc = JSON.parse(said) as { kind?: unknown; value?: unknown };
    if (typeof doc.value === 'string') said = typeof doc.kind === 'string' ? `${doc.kind}: ${doc.value}` : doc.value;
  } catch {
    // Not JSON: the text as it came.
  }
  said = said.replace(/\s+/g, ' ');
  if (said.length === 0) return '';
  return `: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}`;
}
