// The archive workflows of gantry mirror: mirror to disk (file://DIR destination) and disk to mirror (--from).
// Thin: flags → one src/mirror operation → what to print; the archive format lives in src/archive.
import { join } from 'node:path';
import { GantryError } from '../../errors.js';
import type { MirrorTarget } from '../../generate/destination.js';
import { runDiskToMirror, runMirrorToDisk } from '../../mirror/index.js';
import { formatBytes } from '../output.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { openSession } from '../registry-flags.js';
import { requireConfig, storesFrom, type MirrorFlags } from '../mirror-output.js';
import type { CliContext } from '../context.js';
import { mirrorInputs, printDryRun, printFailures, runFlags } from '../mirror-flags.js';
import { printReleasePlan, printReleaseSignatures } from '../release-dry-run.js';
import { KEY_FILE_ENV } from '../../release/index.js';
import type { DiskToMirrorRunResult } from '../../mirror/index.js';

const GIB = 1024 ** 3;
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: GIB, t: 1e12, tb: 1e12, tib: 1024 ** 4 };

/** "4GiB", "500MiB", "1048576" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) throw new GantryError('USAGE', `--archive-size "${text}" is not a size`, { hint: 'for example 4GiB, 500MiB or a number of bytes' });
  return Math.floor(Number(m[1]) * unit);
}

export async function runMirrorToDiskCommand(dir: string, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  const archiveSize = typeof opts.archiveSize === 'string' ? parseSize(opts.archiveSize) : undefined;
  const configFile = requireConfig(opts);
  const quiet = Boolean(opts.quiet);
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet, plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const flags = await runFlags(opts, ctx, progress, quiet);
    const result = await runMirrorToDisk({
      ...(await mirrorInputs(configFile, flags)),
      dir,
      source: storesFrom(session, opts).source,
      ...(archiveSize !== undefined ? { archiveSize } : {}),
      ignoreHistory: Boolean(opts.ignoreHistory),
      ...flags,
    });
    const stats = progress.stop();
    if (result.dryRun) {
      printDryRun(result, ctx);
      printReleasePlan(result.plan, ctx);
      return 0;
    }
    printReleaseSignatures(result.plan, ctx);
    printFailures(result.failed, ctx);
    ctx.stderr.write(`${summarize(stats)}\n`);
    const m = result.manifest;
    if (!m) {
      ctx.stderr.write(`no archive written: stopped at the first failure (--fail-fast); what was downloaded is kept for the next run\n`);
      return 1;
    }
    for (const o of result.oversized) ctx.stderr.write(`warning: ${o} is larger than the archive size; it has a part of its own\n`);
    ctx.stderr.write(
      `archive sequence ${m.sequence}: ${result.files.length} file${result.files.length === 1 ? '' : 's'}, ${m.images.length} images, ${formatBytes(m.carried.bytes)} in ${m.carried.blobs} blobs` +
        (m.omitted.blobs > 0 ? `; ${m.omitted.blobs} blobs (${formatBytes(m.omitted.bytes)}) left out, carried by sequence ${m.omitted.sequences.join(', ')}` : '') +
        '\n',
    );
    if (result.errorsReport) ctx.stderr.write(`PARTIAL archive: ${result.failed.length} failed and are not in it; details and affected bundles in ${result.errorsReport}\n`);
    ctx.stderr.write(`next: copy ${join(dir, `mirror_seq${m.sequence}_*.tar`)} to the disconnected side, then: gantry mirror --from file://DIR docker://REGISTRY\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}

export async function runDiskToMirrorCommand(dir: string, target: MirrorTarget, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  if (opts.config) ctx.stderr.write(`note: ${opts.config} is not read: the archive records the image set it was made from\n`);
  if (typeof (opts as { signatureUrl?: unknown }).signatureUrl === 'string') ctx.stderr.write('note: --signature-url is not used: disk to mirror takes the release signatures the archive carries\n');
  const quiet = Boolean(opts.quiet);
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet, plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const result = await runDiskToMirror({
      dir,
      target,
      destination: storesFrom(session, opts).destination,
      ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}),
      icsp: Boolean(opts.icsp),
      ...(await runFlags(opts, ctx, progress, quiet)),
    });
    const stats = progress.stop();
    if (result.dryRun) {
      printArchivedSignatures(result.releaseSignatures, Boolean(opts.key || process.env[KEY_FILE_ENV]), ctx);
      ctx.stderr.write(`dry run: archive checked; ${result.planned.length} images would be pushed; see ${result.mappingFile}\n`);
      return 0;
    }
    printArchivedSignatures(result.releaseSignatures, Boolean(opts.key || process.env[KEY_FILE_ENV]), ctx);
    printFailures(result.failed, ctx);
    ctx.stderr.write(`${summarize(stats)}\n`);
    if (result.archive.partial) {
      ctx.stderr.write(`warning: archive sequence ${result.archive.sequence} is PARTIAL: ${result.archive.failed.length} images failed when it was made and are not in it:\n`);
      for (const f of result.archive.failed) ctx.stderr.write(`  ${f.what}: ${f.message}\n`);
    }
    if (result.errorsReport) ctx.stderr.write(`${result.failed.length} failed; details in ${result.errorsReport}\n`);
    ctx.stderr.write(`cluster resources: ${result.cluster.dir} (${result.cluster.images} images mirrored to this destination so far: ${result.cluster.files.join(', ')})\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}

/** Disk to mirror: whose signatures the archive carried, checked again with the key or trusted from when it was made. */
function printArchivedSignatures(sigs: DiskToMirrorRunResult['releaseSignatures'], keyed: boolean, ctx: CliContext): void {
  for (const r of sigs.signed) {
    ctx.stderr.write(`release ${r.version} (${r.arch}): ${r.signatures.length} signature${r.signatures.length === 1 ? '' : 's'} from the archive, ${keyed ? 'verified again with the key' : 'as verified when the archive was made (--key verifies them again)'}\n`);
  }
  for (const r of sigs.skipped) ctx.stderr.write(`warning: release ${r.version} (${r.arch}): the archive was made with --ignore-release-signature: it carries no signatures for it\n`);
}
