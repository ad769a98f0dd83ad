// gantry release graph: a channel's releases from the update graph (an update service, or a saved graph file)
// and the shortest update path between two versions. Thin: flags → release/ → rendering.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { GantryError } from '../../errors.js';
import { cincinnatiArch, fetchGraph, parseUpdateGraph, reportChannel, updateServiceUrl, type ChannelReport, type FetchText, type ReleaseType, type UpdateGraph } from '../../release/index.js';
import { httpGet } from '../../transport/http-get.js';
import { Defaults } from '../../defaults.js';
import type { CliContext } from '../context.js';
import { outputOption } from '../output-flag.js';
import { parseBool, parseDuration } from '../registry-flags.js';

export function registerRelease(program: Command, ctx: CliContext): void {
  const release = program.command('release').description('OpenShift and OKD releases: update graphs and channels (payload mirroring is not built yet)');
  release
    .command('graph')
    .description("show a channel's releases (head marked) and, with --from/--to, the shortest update path between two versions")
    .requiredOption('--channel <name>', 'the channel, e.g. stable-4.16, eus-4.16, or an OKD channel with --type okd')
    .option('--arch <arch>', 'amd64, arm64, ppc64le, s390x or multi (x86_64 and aarch64 are accepted)', 'amd64')
    .addOption(new Option('--type <type>', 'the release type, choosing the default update service').choices(['ocp', 'okd']).default('ocp'))
    .addOption(new Option('--update-graph <file>', 'read the graph from a file saved from the update service (no network)').conflicts('updateUrl'))
    .option('--update-url <url>', `the update service's graph URL (default: UPDATE_URL_OVERRIDE for ocp, else the public service)`)
    .option('--from <version>', 'with --to: print the shortest update path from this version')
    .option('--to <version>', 'with --from: the version the path ends at')
    .option('--tls-verify [bool]', 'verify the update service TLS certificate', true)
    .option('--cert-dir <dir>', 'certs.d-style directory (ca.crt, client.cert/key) for the update service')
    .option('--timeout <duration>', `give up on an update service that does not answer within this (default ${Defaults.requestTimeoutMs / 1000}s)`, parseDuration('--timeout'), Defaults.requestTimeoutMs)
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(async (opts: Record<string, unknown>) => {
      if ((opts.from === undefined) !== (opts.to === undefined)) throw new GantryError('USAGE', '--from and --to go together');
      const channel = opts.channel as string;
      const arch = cincinnatiArch(opts.arch as string);
      const graph = await loadGraph(opts, channel, arch, ctx);
      const report = reportChannel(graph, { ...(typeof opts.from === 'string' ? { from: opts.from } : {}), ...(typeof opts.to === 'string' ? { to: opts.to } : {}) });
      ctx.stdout.write(opts.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    });
}

async function loadGraph(opts: Record<string, unknown>, channel: string, arch: string, ctx: CliContext): Promise<UpdateGraph> {
  if (typeof opts.updateGraph === 'string') {
    const file = opts.updateGraph;
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new GantryError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read update graph file ${file}: ${err.message}`);
    });
    return parseUpdateGraph(text, { source: file, channel, arch });
  }
  const url = updateServiceUrl(opts.type as ReleaseType, { ...(typeof opts.updateUrl === 'string' ? { updateUrl: opts.updateUrl } : {}), env: process.env });
  const tlsVerify = parseBool(opts.tlsVerify as string | boolean | undefined);
  const get: FetchText = (u, o) =>
    httpGet(u, { ...o, tlsVerify, timeoutMs: opts.timeout as number, env: process.env, ...(typeof opts.certDir === 'string' ? { certDir: opts.certDir } : {}) });
  return fetchGraph({ channel, arch, url }, get, ctx.signal);
}

function renderReport(r: ChannelReport): string {
  const lines = [`channel ${r.channel} (${r.arch}): ${r.releases.length} release${r.releases.length === 1 ? '' : 's'}, head ${r.head}`, `source: ${r.source}`];
  const width = Math.max(...r.releases.map((x) => x.version.length));
  for (const x of r.releases) lines.push(`  ${x.version.padEnd(width)}  ${x.payload}${x.head ? '  (head)' : ''}`);
  if (r.path) {
    const n = r.path.edges.length;
    lines.push(`path ${r.path.from} → ${r.path.to}: ${n} update${n === 1 ? '' : 's'}`);
    for (const e of r.path.edges) {
      lines.push(`  ${e.from} → ${e.to}${e.conditional ? `  conditional: ${e.risks.map((k) => k.name).join(', ') || 'unnamed risk'}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
