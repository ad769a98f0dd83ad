// gantry mirror -c isc.yaml docker://HOST[:PORT][/NS]: plan (config → catalogs → selection → images), then
// copy, rebuild filtered catalogs and write cluster resources; --dry-run writes the plan only.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { parseImageSetConfig } from '../../config/index.js';
import { parseReference } from '../../oci/reference.js';
import { describePlan, executeMirror, planMapping } from '../../mirror/execute-mirror.js';
import { planMirror } from '../../mirror/plan-mirror.js';
import { writeFileAtomic, writeFileTree } from '../../files/write-tree.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { formatError } from '../output.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession, parseCount } from '../registry-flags.js';
import type { CliContext } from '../context.js';

export function registerMirror(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('mirror')
    .description('mirror what an ImageSetConfiguration selects to a registry (mirror to mirror)')
    .argument('<destination>', 'docker://HOST[:PORT][/NAMESPACE]')
    .requiredOption('-c, --config <file>', 'the ImageSetConfiguration (mirror.openshift.io/v1alpha2 or v2alpha1)')
    .option('--workspace <dir>', 'where mapping.txt, plan.json and cluster-resources/ go', 'gantry-workspace')
    .option('--dry-run', 'plan only: write mapping.txt and plan.json, copy nothing')
    .option('--max-nested-paths <n>', 'fold destination paths deeper than N components (registries with depth limits)', parseCount('--max-nested-paths'))
    .option('--icsp', 'also write ImageContentSourcePolicy (clusters before OpenShift 4.13)')
    .option('--fail-fast', 'stop at the first image that fails')
    .option('-q, --quiet', 'print only errors and the summary')
    .option('--plain', 'plain log lines instead of a progress bar');
  addAccessFlags(cmd, 'src-', 'source');
  addAccessFlags(cmd, 'dest-', 'destination');
  addCommonRegistryFlags(cmd);
  cmd.action(async (destination: string, opts: Record<string, unknown> & { config: string; workspace: string }) => {
    ctx.exitCode = await runMirror(destination, opts, ctx);
  });
}

async function runMirror(destination: string, opts: Record<string, unknown> & { config: string; workspace: string }, ctx: CliContext): Promise<number> {
  if (destination.startsWith('file://') || opts.from) {
    throw new GantryError('USAGE', 'mirror to disk and disk to mirror are not available yet', { hint: 'mirror to a registry: docker://HOST[:PORT][/NAMESPACE]' });
  }
  if (!destination.startsWith('docker://')) throw new GantryError('USAGE', `destination "${destination}" must start with docker://`);
  const [host, ...ns] = destination.slice('docker://'.length).replace(/\/+$/, '').split('/');
  parseReference(`${host}/x`); // validates the host
  const target = { registry: host!, ...(ns.length ? { namespace: ns.join('/') } : {}) };

  const text = await readFile(opts.config, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${opts.config}`, { cause: err });
  });
  const parsed = parseImageSetConfig(text, opts.config);
  for (const i of parsed.issues) {
    ctx.stderr.write(`${i.severity}: ${i.file}:${i.line}:${i.column}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);
  }
  if (!parsed.config) throw new GantryError('CONFIG_INVALID', `${opts.config} is not a valid ImageSetConfiguration`);

  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet: Boolean(opts.quiet), plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const srcAccess = accessFrom(opts, 'src');
    const plan = await planMirror({
      config: parsed.config,
      target,
      session,
      srcAccess,
      ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}),
      signal: ctx.signal,
    });
    for (const i of plan.issues) if (i.severity !== 'info') ctx.stderr.write(`${i.severity}: ${i.catalog ? `${i.catalog}: ` : ''}${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);
    for (const b of plan.blocked) ctx.stderr.write(`blocked: ${b.image} (matches ${b.pattern})\n`);
    const errors = plan.issues.filter((i) => i.severity === 'error');
    await mkdir(opts.workspace, { recursive: true });
    await writeFileAtomic(join(opts.workspace, 'plan.json'), `${JSON.stringify(describePlan(plan), null, 2)}\n`);
    if (errors.length > 0) throw new GantryError('CONFIG_INVALID', `${errors.length} problem${errors.length === 1 ? '' : 's'} in the selection; nothing was copied`, { hint: `details in ${join(opts.workspace, 'plan.json')}` });
    if (opts.dryRun) {
      await writeFileAtomic(join(opts.workspace, 'mapping.txt'), planMapping(plan));
      progress.stop();
      ctx.stderr.write(`dry run: ${plan.images.length} images and ${plan.catalogs.length} catalog${plan.catalogs.length === 1 ? '' : 's'} planned; see ${join(opts.workspace, 'mapping.txt')} and plan.json\n`);
      return 0;
    }
    const result = await executeMirror(plan, {
      session,
      srcAccess,
      destAccess: accessFrom(opts, 'dest'),
      onEvent: (e) => progress.onEvent(e),
      failFast: Boolean(opts.failFast),
      icsp: Boolean(opts.icsp),
      signal: ctx.signal,
    });
    const stats = progress.stop();
    await writeFileAtomic(join(opts.workspace, 'mapping.txt'), result.mapping);
    await writeFileTree(join(opts.workspace, 'cluster-resources'), new Map(result.clusterResources.map((f) => [f.path, f.content])), { replace: true });
    for (const f of result.failed) ctx.stderr.write(`${formatError(f.error, ctx.debug, f.what)}\n`);
    ctx.stderr.write(`${summarize(stats)}\n`);
    ctx.stderr.write(`cluster resources: ${join(opts.workspace, 'cluster-resources')} (${result.clusterResources.map((f) => f.path).join(', ')})\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}
