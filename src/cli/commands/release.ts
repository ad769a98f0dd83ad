// gantry release graph: a channel's releases from the update graph (an update service, or a saved graph file)
// and the shortest update path between two versions. Thin: flags → release/ → rendering.
import { Option, type Command } from 'commander';
import { GantryError } from '../../errors.js';
import { cincinnatiArch, reportChannel, type ChannelReport, type ReleaseType } from '../../release/index.js';
import type { CliContext } from '../context.js';
import { outputOption } from '../output-flag.js';
import { addUpdateGraphFlags, graphReader } from '../update-graphs.js';
import { registerReleaseVerify } from '../release-verify.js';

export function registerRelease(program: Command, ctx: CliContext): void {
  const release = program.command('release').description('OpenShift and OKD releases: update graphs and channels (payload mirroring is not built yet)');
  const graph = release
    .command('graph')
    .description("show a channel's releases (head marked) and, with --from/--to, the shortest update path between two versions")
    .requiredOption('--channel <name>', 'the channel, e.g. stable-4.16, eus-4.16, or an OKD channel with --type okd')
    .option('--arch <arch>', 'amd64, arm64, ppc64le, s390x or multi (x86_64 and aarch64 are accepted)', 'amd64')
    .addOption(new Option('--type <type>', 'the release type, choosing the default update service').choices(['ocp', 'okd']).default('ocp'))
    .option('--from <version>', 'with --to: print the shortest update path from this version')
    .option('--to <version>', 'with --from: the version the path ends at')
    .addOption(outputOption(['text', 'json'], 'text'));
  addUpdateGraphFlags(graph, { accessFlags: true });
  registerReleaseVerify(release, ctx);
  graph.action(async (opts: Record<string, unknown>) => {
    if ((opts.from === undefined) !== (opts.to === undefined)) throw new GantryError('USAGE', '--from and --to go together');
    const channel = opts.channel as string;
    const arch = cincinnatiArch(opts.arch as string);
    const read = graphReader(opts, ctx.signal);
    const report = reportChannel(await read({ type: opts.type as ReleaseType, channel, arch }), { ...(typeof opts.from === 'string' ? { from: opts.from } : {}), ...(typeof opts.to === 'string' ? { to: opts.to } : {}) });
    ctx.stdout.write(opts.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  });
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
