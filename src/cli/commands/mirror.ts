// gantry mirror: -c isc.yaml docker://HOST[/NS] (mirror to mirror), -c isc.yaml file://DIR (mirror to disk),
// --from file://DIR docker://HOST[/NS] (disk to mirror). Flags → one src/mirror operation → what to print.
import type { Command } from 'commander';
import type { MirrorTarget } from '../../generate/destination.js';
import { runMirrorToMirror } from '../../mirror/index.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { openSession, parseCount } from '../registry-flags.js';
import { exitOnInterrupt, fileTarget, requireConfig, storesFrom, workspaceDir, type MirrorFlags } from '../mirror-output.js';
import { runDiskToMirrorCommand, runMirrorToDiskCommand } from './mirror-archive.js';
import type { CliContext } from '../context.js';
import { parseRegistryTarget } from '../locations.js';
import { addMirrorRunFlags, mirrorInputs, printDryRun, printFailures, runFlags } from '../mirror-flags.js';
import { printReleasePlan, printReleaseSignatures } from '../release-dry-run.js';
import { addUpdateGraphFlags } from '../update-graphs.js';
import { addReleaseSignatureFlags } from '../release-signature-flags.js';
import { addGraphImageFlags } from '../graph-image-flags.js';

export function registerMirror(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('mirror')
    .description('mirror what an ImageSetConfiguration selects: to a registry, to archive files, or from archive files to a registry')
    .argument('<destination>', 'docker://HOST[:PORT][/NAMESPACE], or file://DIR for archives')
    .option('-c, --config <file>', 'the ImageSetConfiguration (mirror.openshift.io/v1alpha2 or v2alpha1); not needed with --from')
    .option('--from <file://DIR>', 'disk to mirror: push the archive files in DIR')
    .option('--workspace <dir>', 'mirror to mirror: where mapping.txt, plan.json and cluster-resources/ go, a path or file://DIR (archives use their DIR)', 'gantry-workspace')
    .option('--dry-run', 'plan only: write mapping.txt and plan.json, copy nothing')
    .option('--archive-size <size>', 'largest archive file, e.g. 4GiB or 500MiB (default: archiveSize from the config, else 500GiB)')
    .option('--ignore-history', 'mirror to disk: put every blob in the archive, even those earlier archives in DIR carried')
    .option('--max-nested-paths <n>', 'fold destination paths deeper than N components (registries with depth limits)', parseCount('--max-nested-paths'))
    .option('--icsp', 'also write ImageContentSourcePolicy (clusters before OpenShift 4.13)')
    .option('--blueprint-exclude-arch <archs>', 'MicroShift blueprint: leave out images named for these architectures, or whose index has no other, e.g. ppc64le,s390x')
    .option('--microshift-release-info <file>', "MicroShift: also MicroShift's own images, mirrored by digest and listed in the blueprint, from microshift-release-info's release-<arch>.json (repeatable)", (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--blueprint-source <where>', 'MicroShift blueprint: pull from the "source" (default) or the "mirror"; stored under the source names either way', 'source');
  addMirrorRunFlags(cmd);
  addUpdateGraphFlags(cmd, { accessFlags: false });
  addReleaseSignatureFlags(cmd);
  addGraphImageFlags(cmd);
  cmd.action(async (destination: string, opts: MirrorFlags) => {
    ctx.exitCode = await exitOnInterrupt(ctx, async () => {
      if (opts.from !== undefined) return runDiskToMirrorCommand(fileTarget(opts.from, '--from'), parseRegistryTarget(destination), opts, ctx);
      if (destination.startsWith('file://')) return runMirrorToDiskCommand(fileTarget(destination, 'destination'), opts, ctx);
      return runMirrorToMirrorCommand(destination, parseRegistryTarget(destination), opts, ctx);
    });
  });
}

async function runMirrorToMirrorCommand(destination: string, target: MirrorTarget, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  const workspace = workspaceDir(opts.workspace);
  const configFile = requireConfig(opts);
  const quiet = Boolean(opts.quiet);
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet, plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const flags = await runFlags(opts, ctx, progress, quiet);
    const result = await runMirrorToMirror({
      ...(await mirrorInputs(configFile, flags)),
      target,
      workspace,
      ...storesFrom(session, opts),
      ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}),
      icsp: Boolean(opts.icsp),
      ...flags,
    });
    const stats = progress.stop();
    if (result.dryRun) {
      printDryRun(result, ctx);
      printReleasePlan(result.plan, ctx);
      const { pruning } = result;
      if (pruning.file) {
        const n = pruning.plan.repositories.reduce((sum, r) => sum + r.manifests.length, 0);
        ctx.stderr.write(`pruning plan: ${n} manifest${n === 1 ? '' : 's'} earlier runs mirrored here ${n === 1 ? 'is' : 'are'} no longer selected; see ${pruning.file}\n  to delete them: gantry delete --generate --prune-plan ${pruning.file} ${destination}, review, then --delete-yaml-file\n`);
      }
      return 0;
    }
    printReleaseSignatures(result.plan, ctx);
    printFailures(result.failed, ctx);
    ctx.stderr.write(`${summarize(stats)}\n`);
    if (result.errorsReport) ctx.stderr.write(`${result.failed.length} failed; details and affected bundles in ${result.errorsReport}\n`);
    const out = result.cluster;
    ctx.stderr.write(`cluster resources: ${out.dir} (${out.images} images mirrored to this destination so far: ${out.files.join(', ')})\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}

