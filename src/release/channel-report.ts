// What `gantry release graph` shows for one channel: its releases (head marked) and, between two versions, the
// shortest update path with each update (conditional ones with their risks). Data here; the CLI renders it.
import { GantryError } from '../errors.js';
import { shortestPath } from './shortest-path.js';
import { channelHead, findNode, type UpdateGraph, type UpdateRisk } from './update-graph.js';

export interface ChannelReport {
  channel: string;
  arch: string;
  source: string;
  head: string;
  releases: { version: string; payload: string; head: boolean }[];
  path?: {
    from: string;
    to: string;
    versions: string[];
    edges: { from: string; to: string; conditional: boolean; risks: UpdateRisk[] }[];
  };
}

export function reportChannel(graph: UpdateGraph, opts: { from?: string; to?: string } = {}): ChannelReport {
  const { channel, arch, source } = graph.origin;
  const head = channelHead(graph);
  if (!head) {
    throw new GantryError('RELEASE_CHANNEL_UNKNOWN', `channel "${channel}" has no releases for ${arch} in ${source}`, {
      hint: 'check the channel name and --arch (e.g. stable-4.16, fast-4.16, eus-4.16)',
    });
  }
  const report: ChannelReport = {
    channel,
    arch,
    source,
    head: head.version,
    releases: graph.nodes.map((n) => ({ version: n.version, payload: n.payload, head: n === head })),
  };
  if (opts.from === undefined && opts.to === undefined) return report;
  if (opts.from === undefined || opts.to === undefined) throw new GantryError('USAGE', '--from and --to go together');
  const [from, to] = [opts.from, opts.to].map((v, i) => {
    const node = findNode(graph, v);
    if (!node) {
      throw new GantryError('RELEASE_VERSION_NOT_FOUND', `channel "${channel}" (${arch}) has no release ${v.slice(0, 80)} (${i === 0 ? '--from' : '--to'}); it has ${graph.nodes.length} releases, ${graph.nodes[0]!.version} to ${head.version}`);
    }
    return node;
  }) as [NonNullable<ReturnType<typeof findNode>>, NonNullable<ReturnType<typeof findNode>>];
  const path = shortestPath(graph, from.version, to.version);
  if (!path) {
    throw new GantryError('RELEASE_NO_PATH', `channel "${channel}" (${arch}) has no update path from ${from.version} to ${to.version}`, {
      hint: 'updates only go to higher versions, and only along the edges the service publishes',
    });
  }
  report.path = {
    from: from.version,
    to: to.version,
    versions: path.nodes.map((n) => n.version),
    edges: path.edges.map((e) => ({ from: e.from, to: e.to, conditional: e.conditional, risks: e.risks })),
  };
  return report;
}
