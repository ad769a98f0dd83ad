// gantry copy SRC DST | gantry copy --mapping FILE: flags → CopyJobs → one copy run → progress and summary.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { createCopyRun, locationOf, type CopyJob } from '../../copy/copy-run.js';
import { parseMappingFile } from '../../copy/mapping-file.js';
import { parsePlatform } from '../../oci/platform.js';
import { Defaults } from '../../defaults.js';
import { destinationReference, openLocation, parseImageLocation } from '../locations.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { formatErrorGroups } from '../output.js';
import { accessFrom, addAccessFlags, addCommonRegistryFlags, openSession, parseCount } from '../registry-flags.js';
import type { CliContext } from '../context.js';

export function registerCopy(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('copy')
    .description('copy images between registries and OCI layouts (docker://REF, oci:PATH[:TAG])')
    .argument('[source]', 'source image')
    .argument('[destination]', 'destination image')
    .option('--mapping <file>', 'copy every SRC=DST pair of a mapping file (oc-mirror mapping.txt format) in one run')
    .option('--all', 'copy every platform of a multi-platform image (the default)')
    .option('--platform <os/arch[/variant]>', 'copy only this platform of a multi-platform image (repeatable)', collect, [])
    .option('--fail-fast', 'stop at the first failed image instead of copying the rest')
    .option('--concurrency <n>', `blob transfers in flight (default ${Defaults.blobConcurrency})`, parseCount('--concurrency'))
    .option('--per-registry <n>', `blob transfers in flight per registry (default ${Defaults.perRegistryConcurrency})`, parseCount('--per-registry'))
    .option('-q, --quiet', 'print only errors and the summary')
    .option('--plain', 'plain log lines instead of a progress bar');
  addAccessFlags(cmd, 'src-', 'source');
  addAccessFlags(cmd, 'dest-', 'destination');
  addCommonRegistryFlags(cmd);
  cmd.action(async (source: string | undefined, destination: string | undefined, opts: Record<string, unknown>) => {
    ctx.exitCode = await runCopy(source, destination, opts, ctx);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCopy(source: string | undefined, destination: string | undefined, opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  const pairs: { source: string; dest: string; where: string }[] = [];
  if (typeof opts.mapping === 'string') {
    if (source || destination) throw new GantryError('USAGE', 'give either SOURCE DESTINATION or --mapping FILE, not both');
    const file = opts.mapping;
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw new GantryError('USAGE', `cannot read mapping file ${file}`, { cause: err });
    });
    for (const e of parseMappingFile(text, file)) pairs.push({ source: e.source, dest: e.dest, where: `${file}:${e.line}` });
  } else {
    if (!source || !destination) throw new GantryError('USAGE', 'copy needs SOURCE and DESTINATION', { hint: 'e.g. gantry copy docker://quay.io/org/app:1.0 oci:./layout:app' });
    pairs.push({ source, dest: destination, where: 'arguments' });
  }
  const platforms = (opts.platform as string[]).map(parsePlatform);
  if (opts.all && platforms.length > 0) throw new GantryError('USAGE', '--all and --platform exclude each other');

  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet: Boolean(opts.quiet), plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  const srcAccess = accessFrom(opts, 'src');
  const destAccess = accessFrom(opts, 'dest');
  try {
    const jobs: CopyJob[] = [];
    for (const p of pairs) {
      const srcLoc = parseImageLocation(p.source, 'source');
      const dstLoc = parseImageLocation(p.dest, 'dest');
      const src = await openLocation(srcLoc, session, srcAccess);
      const dst = await openLocation(dstLoc, session, destAccess, { create: true });
      if (!src.reference) throw new GantryError('USAGE', `${p.where}: source ${p.source} names no tag or digest`);
      jobs.push({ source: src.store, sourceRef: src.reference, dest: dst.store, destRef: destinationReference(dstLoc, src.reference) });
    }
    await session.connect(ctx.signal);
    const run = createCopyRun({
      ...(platforms.length > 0 ? { platforms } : {}),
      ...(typeof opts.concurrency === 'number' ? { blobConcurrency: Math.max(1, opts.concurrency) } : {}),
      ...(typeof opts.perRegistry === 'number' ? { perRegistryConcurrency: Math.max(1, opts.perRegistry) } : {}),
      onEvent: (e) => progress.onEvent(e),
      signal: ctx.signal,
    });
    const results = await run.copyMany(jobs, { failFast: Boolean(opts.failFast) });
    const stats = progress.stop();
    if (ctx.signal.aborted) {
      const done = results.filter((r) => r.ok).length;
      ctx.stderr.write(`${summarize(stats)}\n`);
      ctx.stderr.write(`error[ABORTED]: interrupted: ${done} of ${results.length} images finished\n  hint: run the same command again; it moves only what is still missing\n`);
      return 130;
    }
    const failed = results.filter((r) => !r.ok);
    for (const line of formatErrorGroups(failed.map((f) => ({ error: f.error, subject: locationOf(f.job.source, f.job.sourceRef) })), ctx.debug)) {
      ctx.stderr.write(`${line}\n`);
    }
    ctx.stderr.write(`${summarize(stats)}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}
