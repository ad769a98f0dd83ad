// The archive workflows of gantry mirror: mirror to disk (file://DIR destination) and disk to mirror (--from).
// Thin: flags → one library call → what to print; the archive format lives in src/archive.
import { join } from 'node:path';
import { GantryError } from '../../errors.js';
import { diskToMirror } from '../../mirror/disk-to-mirror.js';
import { measurePlan } from '../../mirror/measure-plan.js';
import { readHistory, shippedBlobs } from '../../archive/history.js';
import { catalogKey, imageKey, mirrorToDisk } from '../../mirror/mirror-to-disk.js';
import { planMirror, type PlannedCatalog, type PlannedImage } from '../../mirror/plan-mirror.js';
import type { MirrorTarget } from '../../generate/destination.js';
import { writeFileAtomic } from '../../files/write-tree.js';
import { formatReference } from '../../oci/reference.js';
import { formatBytes } from '../output.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { accessFrom, openSession } from '../registry-flags.js';
import { loadCatalogSourceTemplates, loadImageSetConfig, planAndReport, writeDryRun, reportFailures, requireConfig, writeClusterOutput, excludedArchitectures, type MirrorFlags } from '../mirror-output.js';
import type { CliContext } from '../context.js';
import { GANTRY_VERSION } from '../../version.js';
import { blueprintSource, writeDryRunBlueprint } from '../mirror-blueprint.js';
import type { BlueprintImage } from '../../generate/microshift-blueprint.js';

const GIB = 1024 ** 3;
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: GIB, t: 1e12, tb: 1e12, tib: 1024 ** 4 };

/** A line about a long file step at most every PROGRESS_EVERY_MS (packing or checking a big part takes minutes). */
const PROGRESS_EVERY_MS = 10_000;
function partProgress(ctx: CliContext, verb: string, quiet: boolean): (file: string, done: number, total: number) => void {
  let last = Date.now();
  return (file, done, total) => {
    const now = Date.now();
    if (quiet || now - last < PROGRESS_EVERY_MS || done >= total) return;
    last = now;
    ctx.stderr.write(`${verb} ${file}: ${formatBytes(done)} of ${formatBytes(total)}\n`);
  };
}

/** "4GiB", "500MiB", "1048576" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) throw new GantryError('USAGE', `--archive-size "${text}" is not a size`, { hint: 'for example 4GiB, 500MiB or a number of bytes' });
  return Math.floor(Number(m[1]) * unit);
}


export async function runMirrorToDisk(dir: string, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  const { config, text } = await loadImageSetConfig(requireConfig(opts), ctx);
  const templates = await loadCatalogSourceTemplates(config, ctx);
  const archiveSize = typeof opts.archiveSize === 'string' ? parseSize(opts.archiveSize) : (config.archiveSize ?? 500) * GIB;
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet: Boolean(opts.quiet), plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    const srcAccess = accessFrom(opts, 'src');
    // Destination names are decided when the archive is pushed; the plan names archive keys.
    const plan = await planMirror({ config, session, srcAccess, signal: ctx.signal });
    const describe = { imageDestination: (i: PlannedImage) => `file://${dir}/${imageKey(i)}`, catalogDestination: (c: PlannedCatalog) => `file://${dir}/${catalogKey(c)}` };
    await planAndReport(plan, dir, ctx, describe);
    if (opts.dryRun) {
      // "At the destination" means: carried by an earlier archive of this directory.
      const shipped = opts.ignoreHistory ? new Map() : shippedBlobs(await readHistory(dir));
      const measures = await measurePlan(plan, { session, srcAccess, hasBlob: async (_i, digest) => shipped.has(digest), signal: ctx.signal });
      progress.stop();
      await writeDryRun(plan, measures, dir, plan.images.map((i) => `docker://${formatReference(i.source)}=file://${dir}/${imageKey(i)}\n`).join(''), ctx, describe);
      await writeDryRunBlueprint(plan, dir, opts, { sourceStore: (i) => session.store(i.source.registry, i.source.repository, srcAccess), destinationKnown: false, extra: opts.blueprintExtra as BlueprintImage[] }, ctx);
      return 0;
    }
    const result = await mirrorToDisk(plan, {
      dir,
      session,
      srcAccess,
      configText: text,
      templates,
      blockedImages: (config.mirror?.blockedImages ?? []).map((b) => b.name),
      archiveSize,
      ignoreHistory: Boolean(opts.ignoreHistory),
      gantryVersion: GANTRY_VERSION,
      onEvent: (e) => progress.onEvent(e),
      onPartBytes: partProgress(ctx, 'writing', Boolean(opts.quiet)),
      onPart: (p) => {
        if (!opts.quiet) ctx.stderr.write(`wrote ${p.file} (${formatBytes(p.bytes)}, part ${p.part} of ${p.parts})\n`);
      },
      failFast: Boolean(opts.failFast),
      signal: ctx.signal,
    });
    const stats = progress.stop();
    const report = await reportFailures(dir, result.failed, ctx);
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
    if (report) ctx.stderr.write(`PARTIAL archive: ${result.failed.length} failed and are not in it; details and affected bundles in ${report}\n`);
    ctx.stderr.write(`next: copy ${join(dir, `mirror_seq${m.sequence}_*.tar`)} to the disconnected side, then: gantry mirror --from file://DIR docker://REGISTRY\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}

export async function runDiskToMirror(dir: string, target: MirrorTarget, opts: MirrorFlags, ctx: CliContext): Promise<number> {
  if (opts.config) ctx.stderr.write(`note: ${opts.config} is not read: the archive records the image set it was made from\n`);
  const progress = await createProgressDisplay({ stream: ctx.stderr, quiet: Boolean(opts.quiet), plain: Boolean(opts.plain) });
  const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    if (!opts.quiet) ctx.stderr.write(`checking archive files in ${dir} (nothing is pushed until every one checks out)\n`);
    const result = await diskToMirror({
      dir,
      target,
      ...(typeof opts.maxNestedPaths === 'number' ? { maxNestedPaths: opts.maxNestedPaths } : {}),
      session,
      destAccess: accessFrom(opts, 'dest'),
      onEvent: (e) => progress.onEvent(e),
      onVerifyBytes: partProgress(ctx, 'checking', Boolean(opts.quiet)),
      onVerified: (p) => {
        if (!opts.quiet) ctx.stderr.write(`verified ${p.file} (${formatBytes(p.bytes)})\n`);
      },
      failFast: Boolean(opts.failFast),
      dryRun: Boolean(opts.dryRun),
      signal: ctx.signal,
    });
    const stats = progress.stop();
    for (const b of result.blocked) ctx.stderr.write(`blocked: ${b.image} (matches ${b.pattern})\n`);
    if (opts.dryRun) {
      await writeFileAtomic(join(dir, 'mapping.txt'), result.planned.map((p) => `file://${dir}/${p.key}=docker://${formatReference(p.dest)}\n`).join(''));
      ctx.stderr.write(`dry run: archive checked; ${result.planned.length} images would be pushed; see ${join(dir, 'mapping.txt')}\n`);
      return 0;
    }
    const destAccess = accessFrom(opts, 'dest');
    const out = await writeClusterOutput(
      dir,
      target,
      result.mirrored,
      { icsp: Boolean(opts.icsp), templates: result.templates, excludeArchitectures: excludedArchitectures(opts), storeFor: (i) => session.store(i.dest.registry, i.dest.repository, destAccess), blueprintSource: blueprintSource(opts), blueprintExtra: opts.blueprintExtra as BlueprintImage[] },
      ctx,
    );
    const report = await reportFailures(dir, result.failed, ctx);
    ctx.stderr.write(`${summarize(stats)}\n`);
    if (result.archive.partial) {
      ctx.stderr.write(`warning: archive sequence ${result.archive.sequence} is PARTIAL: ${result.archive.failed.length} images failed when it was made and are not in it:\n`);
      for (const f of result.archive.failed) ctx.stderr.write(`  ${f.what}: ${f.message}\n`);
    }
    if (report) ctx.stderr.write(`${result.failed.length} failed; details in ${report}\n`);
    ctx.stderr.write(`cluster resources: ${out.dir} (${out.images} images mirrored to this destination so far: ${out.files.join(', ')})\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await session.close();
  }
}
