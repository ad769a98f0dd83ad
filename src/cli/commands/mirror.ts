// gantry mirror: -c isc.yaml docker://HOST[/NS] (mirror to mirror), -c isc.yaml file://DIR (mirror to disk),
// --from file://DIR docker://HOST[/NS] (disk to mirror). Plan, copy, then cluster resources; --dry-run plans only.
import { join } from 'node:path';
import type { Command } from 'commander';
import { executeMirror, planMapping } from '../../mirror/execute-mirror.js';
import { planMirror, type PlannedImage } from '../../mirror/plan-mirror.js';
import { measurePlan } from '../../mirror/measure-plan.js';
import type { Digest } from '../../oci/digest.js';
import type { MirrorTarget } from '../../generate/destination.js';
import { catalogTemplateKey } from '../../generate/catalog-source-template.js';
import { writeFileAtomic } from '../../files/write-tree.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession, parseCount } from '../registry-flags.js';
import { fileTarget, loadCatalogSourceTemplates, loadImageSetConfig, planAndReport, writeDryRun, reportFailures, requireConfig, writeClusterOutput, excludedArchitectures, type MirrorFlags } from '../mirror-output.js';
import { runDiskToMirror, runMirrorToDisk } from './mirror-archive.js';
import type { CliContext } from '../context.js';
import { parseRegistryTarget } from '../locations.js';
import { blueprintSource, releaseInfoImages, writeDryRunBlueprint } from '../mirror-blueprint.js';
import { relatedNamesOf } from '../../mirror/plan-blueprint.js';
import type { BlueprintImage } from '../../generate/microshift-blueprint.js';

export function registerMirror(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('mirror')
    .description('mirror what an ImageSetConfiguration selects: to a registry, to archive files, or from archive files to a registry')
    .argument('<destination>', 'docker://HOST[:PORT][/NAMESPACE], or file://DIR for archives')
    .option('-c, --config <file>', 'the ImageSetConfiguration (mirror.openshift.io/v1alpha2 or v2alpha1); not needed with --from')
    .option('--from <file://DIR>', 'disk to mirror: push the archive files in DIR')
    .option('--workspace <dir>', 'mirror to mirror: where mapping.txt, plan.json and cluster-resources/ go (archives use their DIR)', 'gantry-workspace')
    .option('--dry-run', 'plan only: write mapping.txt and plan.json, copy nothing')
    .option('--archive-size <size>', 'largest archive file, e.g. 4GiB or 500MiB (default: archiveSize from the config, else 500GiB)')
    .option('--ignore-history', 'mirror to disk: put every blob in the archive, even those earlier archives in DIR carried')
    .option('--max-nested-paths <n>', 'fold destination paths deeper than N components (registries with depth limits)', parseCount('--max-nested-paths'))
    .option('--icsp', 'also write ImageContentSourcePolicy (clusters before OpenShift 4.13)')
    .option('--blueprint-exclude-arch <archs>', 'MicroShift blueprint: leave out images named for these architectures, or whose index has no other, e.g. ppc64le,s390x')
    .option('--microshift-release-info <file>', "MicroShift blueprint: also MicroShift's own images, from microshift-release-info's release-<arch>.json (repeatable)", (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--blueprint-source <where>', 'MicroShift blueprint: pull from the "source" (default) or the "mirror"; stored under the source names either way', 'source')
    .option('--fail-fast', 'stop at the first image that fails')
    .option('-q, --quiet', 'print only errors and the summary')
    .option('--plain', 'plain log lines instead of a progress bar');
  addAccessFlags(cmd, 'src-', 'source');
  addAccessFlags(cmd, 'dest-', 'destination');
  addCommonRegistryFlags(cmd);
  cmd.action(async (destination: string, opts: MirrorFlags) => {
    blueprintSource(opts);
    opts.blueprintExtra = await releaseInfoImages(opts, ctx);
    if (opts.from !== undefined) ctx.exitCode = await runDiskToMirror(fileTarget(opts.from, '--from'), parseRegistryTarget(destination), opts, ctx);
    else if (destination.startsWith('file://')) ctx.exitCode = await runMirrorToDisk(fileTarget(destination, 'destination'), opts, ctx);
    else ctx.exitCode = await runMirrorToMirror(parseRegistryTarget(destination), opts, ctx);
  });
}

async function runMirrorToMirror(target: MirrorTarget, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  const { config } = await loadImageSetConfig(requireConfig(opts), ctx);
  const templates = await loadCatalogSourceTemplates(config, ctx);
  const workspace = opts.workspace ?? 'gantry-workspace';
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet: Boolean(opts.quiet), plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const srcAccess = accessFrom(opts, 'src');
    const plan = await planMirror({ config, target, session, srcAccess, ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}), signal: ctx.signal });
    await planAndReport(plan, workspace, ctx);
    if (opts.dryRun) {
      const destAccess = accessFrom(opts, 'dest');
      const destOf = (i: PlannedImage) => session.store(i.dest.registry, i.dest.repository, destAccess);
      const measures = await measurePlan(plan, {
        session,
        srcAccess,
        hasBlob: async (i, digest) => (await destOf(i).statBlob(digest as Digest, { signal: ctx.signal })) !== undefined,
        hasImage: async (i, digest) => (await destOf(i).statManifest(i.dest.tag ?? 'latest', { signal: ctx.signal }))?.digest === digest,
        signal: ctx.signal,
      });
      progress.stop();
      await writeDryRun(plan, measures, workspace, planMapping(plan), ctx);
      await writeDryRunBlueprint(plan, workspace, opts, { sourceStore: (i) => session.store(i.source.registry, i.source.repository, srcAccess), destinationKnown: true, extra: opts.blueprintExtra as BlueprintImage[] }, ctx);
      return 0;
    }
    const result = await executeMirror(plan, { session, srcAccess, destAccess: accessFrom(opts, 'dest'), onEvent: (e) => progress.onEvent(e), failFast: Boolean(opts.failFast), signal: ctx.signal });
    const stats = progress.stop();
    const byDest = new Map(plan.catalogs.flatMap((c) => (templates.has(c.catalog) ? [[catalogTemplateKey(c.dest), templates.get(c.catalog)!] as const] : [])));
    const destAccess = accessFrom(opts, 'dest');
    const out = await writeClusterOutput(
      workspace,
      target,
      result.mirrored,
      { icsp: Boolean(opts.icsp), templates: byDest, excludeArchitectures: excludedArchitectures(opts), storeFor: (i) => session.store(i.dest.registry, i.dest.repository, destAccess), blueprintSource: blueprintSource(opts), relatedNames: relatedNamesOf(plan.images), blueprintExtra: opts.blueprintExtra as BlueprintImage[] },
      ctx,
    );
    const report = await reportFailures(workspace, result.failed, ctx);
    ctx.stderr.write(`${summarize(stats)}\n`);
    if (report) ctx.stderr.write(`${result.failed.length} failed; details and affected bundles in ${report}\n`);
    ctx.stderr.write(`cluster resources: ${out.dir} (${out.images} images mirrored to this destination so far: ${out.files.join(', ')})\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}
