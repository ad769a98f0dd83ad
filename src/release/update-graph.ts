// The update graph of one channel and architecture, as the Cincinnati `graph` API returns it (nodes, edges by
// node index, conditional edges by version with their risks), validated into one model with versions parsed.
import { GantryError } from '../errors.js';
import { compareVersions, formatVersion, tryParseVersion, type Version } from '../semver/index.js';

/** One release in the graph: its version, its payload (the release image, by digest) and Cincinnati's metadata. */
export interface ReleaseNode {
  version: string;
  parsed: Version;
  payload: string;
  metadata: Record<string, string>;
}

export interface UpdateRisk {
  name: string;
  url?: string;
  message?: string;
}

/** A directed update from one version to another. Conditional edges carry the risks the service publishes. */
export interface UpdateEdge {
  from: string;
  to: string;
  conditional: boolean;
  risks: UpdateRisk[];
}

export interface UpdateGraph {
  origin: GraphOrigin;
  /** Sorted by version, lowest first. */
  nodes: ReleaseNode[];
  /** Sorted by (from, to) version; an update published both plainly and conditionally counts as plain. */
  edges: UpdateEdge[];
}

/** Where a graph was read from, for messages: the URL or file, and the channel and arch asked for. */
export interface GraphOrigin {
  source: string;
  channel: string;
  arch: string;
}

/**
 * Parses Cincinnati's JSON. Everything the selection relies on is checked (versions parse, edges name existing
 * nodes); unknown fields are ignored, as every Cincinnati client does. Errors name the channel and the source.
 */
export function parseUpdateGraph(text: string, origin: GraphOrigin): UpdateGraph {
  const where = `the update graph of channel "${origin.channel}" (${origin.arch}) from ${origin.source}`;
  const fail = (why: string) => new GantryError('UPDATE_GRAPH_INVALID', `${where} is not valid: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new GantryError('UPDATE_GRAPH_INVALID', `${where} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(doc) || !Array.isArray(doc.nodes)) throw fail('it has no "nodes" list');
  const byIndex: ReleaseNode[] = [];
  const byVersion = new Map<string, ReleaseNode>();
  doc.nodes.forEach((n, i) => {
    if (!isObject(n) || typeof n.version !== 'string' || typeof n.payload !== 'string') throw fail(`nodes[${i}] needs a "version" and a "payload" string`);
    const parsed = tryParseVersion(n.version);
    if (!parsed) throw fail(`nodes[${i}].version "${n.version.slice(0, 80)}" is not a semantic version`);
    const version = formatVersion(parsed);
    if (byVersion.has(version)) throw fail(`version ${version} appears twice`);
    const metadata: Record<string, string> = {};
    if (isObject(n.metadata)) for (const [k, v] of Object.entries(n.metadata)) if (typeof v === 'string') metadata[k] = v;
    const node = { version, parsed, payload: n.payload, metadata };
    byIndex.push(node);
    byVersion.set(version, node);
  });
  const edges = new Map<string, UpdateEdge>();
  const plain = doc.edges ?? [];
  if (!Array.isArray(plain)) throw fail('"edges" is not a list');
  plain.forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || !e.every((x) => Number.isInteger(x) && x >= 0 && x < byIndex.length)) {
      throw fail(`edges[${i}] is not a pair of node indexes below ${byIndex.length}`);
    }
    const from = byIndex[e[0] as number]!.version;
    const to = byIndex[e[1] as number]!.version;
    edges.set(`${from} ${to}`, { from, to, conditional: false, risks: [] });
  });
  const conditional = doc.conditionalEdges ?? [];
  if (!Array.isArray(conditional)) throw fail('"conditionalEdges" is not a list');
  conditional.forEach((c, i) => {
    if (!isObject(c) || !Array.isArray(c.edges)) throw fail(`conditionalEdges[${i}] has no "edges" list`);
    const risks: UpdateRisk[] = [];
    for (const [j, r] of (Array.isArray(c.risks) ? c.risks : []).entries()) {
      if (!isObject(r) || typeof r.name !== 'string') throw fail(`conditionalEdges[${i}].risks[${j}] has no "name"`);
      risks.push({ name: r.name, ...(typeof r.url === 'string' ? { url: r.url } : {}), ...(typeof r.message === 'string' ? { message: r.message } : {}) });
    }
    c.edges.forEach((e, j) => {
      const ends = isObject(e) ? [e.from, e.to].map((v) => (typeof v === 'string' ? byVersion.get(normalise(v)) : undefined)) : [];
      if (!ends[0] || !ends[1]) throw fail(`conditionalEdges[${i}].edges[${j}] does not name two versions of the graph`);
      const key = `${ends[0].version} ${ends[1].version}`;
      const known = edges.get(key);
      if (known && !known.conditional) return;
      const merged = known ? [...known.risks, ...risks.filter((r) => !known.risks.some((k) => k.name === r.name))] : risks;
      edges.set(key, { from: ends[0].version, to: ends[1].version, conditional: true, risks: merged });
    });
  });
  const nodes = [...byIndex].sort((a, b) => compareVersions(a.parsed, b.parsed));
  const rank = new Map(nodes.map((n, i) => [n.version, i]));
  const sorted = [...edges.values()].sort((a, b) => rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)!);
  return { origin, nodes, edges: sorted };
}

/** The channel head: the highest version (what oc-mirror mirrors when a channel sets no range). */
export function channelHead(graph: UpdateGraph): ReleaseNode | undefined {
  return graph.nodes[graph.nodes.length - 1];
}

export function findNode(graph: UpdateGraph, version: string): ReleaseNode | undefined {
  const v = normalise(version);
  return graph.nodes.find((n) => n.version === v);
}

/** Several graphs of one architecture as one (a cross-channel path crosses them): nodes by version, edges merged. */
export function mergeGraphs(graphs: readonly UpdateGraph[], origin: GraphOrigin): UpdateGraph {
  const nodes = new Map<string, ReleaseNode>();
  const edges = new Map<string, UpdateEdge>();
  for (const g of graphs) {
    for (const n of g.nodes) if (!nodes.has(n.version)) nodes.set(n.version, n);
    for (const e of g.edges) {
      const key = `${e.from} ${e.to}`;
      const known = edges.get(key);
      if (!known || (known.conditional && !e.conditional)) edges.set(key, e);
    }
  }
  const sorted = [...nodes.values()].sort((a, b) => compareVersions(a.parsed, b.parsed));
  const rank = new Map(sorted.map((n, i) => [n.version, i]));
  return { origin, nodes: sorted, edges: [...edges.values()].sort((a, b) => rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)!) };
}

/** "4.14.3" and "4.14.3+build" name the same release only when printed the same: versions compare as printed. */
function normalise(version: string): string {
  const v = tryParseVersion(version.trim());
  return v ? formatVersion(v) : version.trim();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
