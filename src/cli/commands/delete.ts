// gantry delete, in two reviewable phases as oc-mirror v2 (reference §1.3): --generate plans a
// DeleteImageSetConfiguration into DIR/delete/delete-images.yaml; --delete-yaml-file deletes those manifests.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { parseDeleteImageList, parseImageSetConfig } from '../../config/index.js';
import { generateDeleteList } from '../../delete/generate-delete-list.js';
import { executeDelete, type DeleteResult } from '../../delete/execute-delete.js';
import { withDirectoryLock } from '../../mirror/index.js';
import { CLUSTER_RESOURCES_DIR } from '../../mirror/workspace-files.js';
import { forgetReleaseSignatures, signatureRecordFile } from '../../mirror/release-signatures.js';
import { writeDeleteListFromPruningPlan } from '../../delete/pruning-plan-list.js';
import type { MirrorTarget } from '../../generate/destination.js';
import { parseRegistryTarget } from '../locations.js';
import { addUpdateGraphFlags, graphReader } from '../update-graphs.js';
import { formatError } from '../output.js';
import { exitOnInterrupt, storesFrom, workspaceDir } from '../mirror-output.js';
import { addAccessFlags, addCommonRegistryFlags, openSession, parseCount } from '../registry-flags.js';
import { deleteJson, describeIssue, describeOutcome, describeSkipped, generateJson, retryLine, summarizeDelete } from '../delete-report.js';
import type { CliContext } from '../context.js';

type Opts = Record<string, unknown> & { workspace: string; output: string };

export function registerDelete(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('delete')
    .description('delete mirrored images in two steps: --generate a list to review, then --delete-yaml-file it')
    .argument('<destination>', 'docker://HOST[:PORT][/NAMESPACE], as given to gantry mirror')
    .option('--generate', 'step 1: plan the DeleteImageSetConfiguration (-c) and write DIR/delete/delete-images.yaml; deletes nothing')
    .option('-c, --config <file>', 'the DeleteImageSetConfiguration (mirror.openshift.io/v2alpha1), with --generate')
    .option('--prune-plan <file>', 'with --generate, instead of -c: list the manifests of a pruning-plan.json (from gantry mirror --dry-run, or oc-mirror v1)')
    .option('--workspace <dir>', 'with --generate: the list goes to DIR/delete/ (a path or file://DIR); with --delete-yaml-file: whose release signature record to update (default: the workspace the list lies in)', 'gantry-workspace')
    .option('--delete-id <id>', 'with --generate: suffix for the file names (delete-images-ID.yaml), to keep several lists')
    .option('--max-nested-paths <n>', 'with --generate: the value gantry mirror was run with', parseCount('--max-nested-paths'))
    .option('--delete-yaml-file <file>', 'step 2: delete the manifests this list names')
    .option('--dry-run', 'with --delete-yaml-file: say what would be deleted, delete nothing')
    .option('--fail-fast', 'with --delete-yaml-file: stop at the first manifest that cannot be deleted')
    .option('-o, --output <format>', 'text or json (json: the result on stdout)', 'text');
  // mirror.platform in a DeleteImageSetConfiguration: the releases are selected from the same update graphs.
  addUpdateGraphFlags(cmd, { accessFlags: false });
  addAccessFlags(cmd, 'src-', 'source (catalogs)');
  addAccessFlags(cmd, 'dest-', 'destination');
  addCommonRegistryFlags(cmd);
  cmd.action(async (destination: string, opts: Opts, self: Command) => {
    const target = parseRegistryTarget(destination);
    checkFlags(opts);
    const generate = opts.prunePlan ? runGenerateFromPruningPlan : runGenerate;
    const workspaceGiven = self.getOptionValueSource('workspace') !== 'default';
    ctx.exitCode = await exitOnInterrupt(ctx, () => (opts.generate ? generate(destination, target, opts, ctx) : runDeleteList(target, opts, ctx, workspaceGiven)));
  });
}

function checkFlags(opts: Opts): void {
  const usage = (message: string) => new GantryError('USAGE', message, { hint: 'gantry delete --generate -c disc.yaml docker://HOST…, then gantry delete --delete-yaml-file FILE docker://HOST…' });
  workspaceDir(opts.workspace);
  if (opts.output !== 'text' && opts.output !== 'json') throw usage(`--output must be text or json, not "${opts.output}"`);
  if (Boolean(opts.generate) === Boolean(opts.deleteYamlFile)) throw usage('give exactly one of --generate and --delete-yaml-file');
  if (opts.generate && !opts.config && !opts.prunePlan) throw usage('--generate needs -c, the DeleteImageSetConfiguration, or --prune-plan FILE');
  if (opts.config && opts.prunePlan) throw usage('give -c or --prune-plan, not both');
  if (opts.prunePlan && opts.maxNestedPaths !== undefined) throw usage('--max-nested-paths goes with -c: a pruning plan names the destination repositories already');
  if (opts.generate && (opts.dryRun || opts.failFast)) throw usage('--generate deletes nothing: --dry-run and --fail-fast go with --delete-yaml-file');
  if (!opts.generate && (opts.config || opts.prunePlan || opts.deleteId !== undefined || opts.maxNestedPaths !== undefined)) throw usage('-c, --prune-plan, --delete-id and --max-nested-paths go with --generate');
  if ((opts.updateGraph !== undefined || opts.updateUrl !== undefined) && !opts.config) throw usage('--update-graph and --update-url go with --generate -c (they select the releases of delete.platform)');
  if (typeof opts.deleteId === 'string' && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(opts.deleteId)) throw usage(`--delete-id "${opts.deleteId}" must be letters, digits, ".", "_" and "-"`);
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${file}`, { cause: err });
  });
}

async function runGenerate(destination: string, target: MirrorTarget, opts: Opts, ctx: CliContext): Promise<number> {
  const file = opts.config as string;
  const text = await readText(file);
  const parsed = parseImageSetConfig(text, file);
  for (const i of parsed.issues) ctx.stderr.write(`${describeIssue(i)}\n`);
  if (!parsed.config) throw new GantryError('CONFIG_INVALID', `${file} is not a valid DeleteImageSetConfiguration`);
  if (parsed.config.kind !== 'DeleteImageSetConfiguration') {
    throw new GantryError('CONFIG_INVALID', `${file} is an ${parsed.config.kind}`, { hint: 'gantry delete --generate reads kind: DeleteImageSetConfiguration, with the images to delete under delete:' });
  }
  const session = await openSession(opts, (info) => ctx.stderr.write(`${retryLine(info)}\n`));
  try {
    const stores = storesFrom(session, opts);
    const result = await generateDeleteList({
      config: parsed.config,
      configText: text,
      target,
      workspace: workspaceDir(opts.workspace),
      ...(typeof opts.deleteId === 'string' ? { deleteId: opts.deleteId } : {}),
      source: stores.source,
      storeFor: stores.destination,
      ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}),
      readGraph: graphReader(opts, ctx.signal),
      signal: ctx.signal,
    });
    const { plan, written } = result;
    for (const i of plan.issues) if (i.severity !== 'info') ctx.stderr.write(`${i.severity}: ${i.catalog ? `${i.catalog}: ` : ''}${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}\n`);
    for (const b of plan.blocked) ctx.stderr.write(`blocked: ${b.image} (matches ${b.pattern}), not listed\n`);
    const errors = plan.issues.filter((i) => i.severity === 'error').length;
    if (errors > 0) throw new GantryError('CONFIG_INVALID', `${errors} problem${errors === 1 ? '' : 's'} in the selection; no list was written`);
    for (const s of result.skipped) ctx.stderr.write(`${describeSkipped(s)}\n`);
    for (const f of result.failed) ctx.stderr.write(`${formatError(f.error, ctx.debug, `docker://${f.image.dest.registry}/${f.image.dest.repository}:${f.image.dest.tag}`)}\n`);
    if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(generateJson(result, written), null, 2)}\n`);
    const notPresent = result.skipped.length ? ` (${result.skipped.length} skipped: not at the destination as mirrored)` : '';
    ctx.stderr.write(`delete list: ${result.items.length} manifest${result.items.length === 1 ? '' : 's'} to delete${notPresent}\n`);
    if (!written) throw new GantryError('DELETE_FAILED', `${result.failed.length} image${result.failed.length === 1 ? '' : 's'} could not be looked up at the destination; no list was written`, { hint: 'fix the cause above and run --generate again' });
    ctx.stderr.write(`wrote ${written.listFile} and ${written.configFile}\n`);
    ctx.stderr.write(`nothing was deleted yet: review the list, then run\n  gantry delete --delete-yaml-file ${written.listFile} ${destination}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

async function runGenerateFromPruningPlan(destination: string, target: MirrorTarget, opts: Opts, ctx: CliContext): Promise<number> {
  const { items, written } = await writeDeleteListFromPruningPlan({
    planFile: opts.prunePlan as string,
    target,
    workspace: workspaceDir(opts.workspace),
    ...(typeof opts.deleteId === 'string' ? { deleteId: opts.deleteId } : {}),
  });
  if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify({ phase: 'generate', file: written.listFile, config: written.configFile, items, skipped: [], failed: [], blocked: [], deleted: 0 }, null, 2)}\n`);
  ctx.stderr.write(`delete list: ${items.length} manifest${items.length === 1 ? '' : 's'} to delete, from ${opts.prunePlan as string}\n`);
  ctx.stderr.write(`wrote ${written.listFile} and ${written.configFile}\n`);
  ctx.stderr.write(`nothing was deleted yet: review the list, then run\n  gantry delete --delete-yaml-file ${written.listFile} ${destination}\n`);
  return 0;
}

async function runDeleteList(target: MirrorTarget, opts: Opts, ctx: CliContext, workspaceGiven: boolean): Promise<number> {
  const file = opts.deleteYamlFile as string;
  const parsed = parseDeleteImageList(await readText(file), file, { target });
  for (const i of parsed.issues) ctx.stderr.write(`${describeIssue(i)}\n`);
  if (!parsed.items) {
    if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify({ phase: 'delete', file, issues: parsed.issues }, null, 2)}\n`);
    const n = parsed.issues.filter((i) => i.severity === 'error').length;
    throw new GantryError('DELETE_LIST_INVALID', `${file}: ${n} problem${n === 1 ? '' : 's'}; nothing was deleted`, { hint: 'fix the list, or generate it again with gantry delete --generate' });
  }
  const dryRun = Boolean(opts.dryRun);
  const session = await openSession(opts, (info) => ctx.stderr.write(`${retryLine(info)}\n`));
  try {
    const result = await executeDelete(parsed.items, {
      storeFor: storesFrom(session, opts).destination,
      dryRun,
      failFast: Boolean(opts.failFast),
      onOutcome: (o) => ctx.stderr.write(`${describeOutcome(o, ctx.debug)}\n`),
      signal: ctx.signal,
    });
    const forgotten = dryRun ? { releases: [] } : await forgetDeletedReleases(result, target, listWorkspace(file, opts.workspace, workspaceGiven));
    for (const f of forgotten.releases) ctx.stderr.write(`release ${f.version} (${f.arch}, ${f.digest}) is gone: its signatures left ${f.file}\n`);
    if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify({ ...(deleteJson(file, dryRun, result) as object), releaseSignaturesRemoved: forgotten.releases.map(({ version, arch, digest }) => ({ version, arch, digest })) }, null, 2)}\n`);
    ctx.stderr.write(`${summarizeDelete(result, dryRun)}\n`);
    const failed = result.counts.failed;
    if (failed > 0) throw new GantryError('DELETE_FAILED', `${failed} of ${parsed.items.length} manifests could not be deleted`, { hint: 'the other items were handled; after fixing the cause, run the same command again (what is gone reports as already deleted)' });
    return 0;
  } finally {
    await session.close();
  }
}

/** The workspace whose records a delete updates: --workspace when given, else the one the list was generated in (WORKSPACE/delete/FILE). */
function listWorkspace(file: string, workspace: string, given: boolean): string {
  if (given) return workspaceDir(workspace);
  const dir = dirname(resolve(file));
  return basename(dir) === 'delete' ? dirname(dir) : workspaceDir(workspace);
}

/**
 * Release images gone from the destination (deleted now, or before) leave the workspace's signature record and the
 * signature ConfigMap it writes; nothing is touched when the workspace has no record for this destination.
 */
async function forgetDeletedReleases(result: DeleteResult, target: MirrorTarget, workspace: string): Promise<{ releases: { version: string; arch: string; digest: string; file: string }[] }> {
  const gone = new Set(result.outcomes.filter((o) => o.status === 'deleted' || o.status === 'absent').map((o) => o.item.dest.digest as string));
  if (gone.size === 0 || !(await stat(signatureRecordFile(workspace, target)).then(() => true, () => false))) return { releases: [] };
  const forgotten = await withDirectoryLock(workspace, 'delete --delete-yaml-file', () => forgetReleaseSignatures(workspace, target, gone));
  const file = join(workspace, CLUSTER_RESOURCES_DIR, 'signature-configmap.json');
  return { releases: forgotten.map((f) => ({ ...f, file })) };
}
