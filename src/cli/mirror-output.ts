// How gantry mirror and gantry delete show a run: input issues with file:line, the library's mirror events as
// progress and log lines, flag values turned into paths, store resolvers over the run's registry session.
import { GantryError } from '../errors.js';
import { isStepEvent, type InputIssue, type MirrorEvent, type StoreResolver } from '../mirror/index.js';
import type { RegistrySession } from '../registry/registry-session.js';
import { formatBytes, formatError } from './output.js';
import type { ProgressDisplay } from './progress.js';
import { accessFrom } from './registry-flags.js';
import type { CliContext } from './context.js';

export type MirrorFlags = Record<string, unknown> & { config?: string; workspace?: string; from?: string };

export function describeInputIssue(i: InputIssue): string {
  return `${i.severity}: ${i.file}:${i.line}:${i.column}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}`;
}

/** A line about a long archive part at most every PROGRESS_EVERY_MS (packing or checking a big part takes minutes). */
const PROGRESS_EVERY_MS = 10_000;

/** Renders mirror events: copy events to the progress display, the other steps as lines on stderr. */
export function createMirrorRenderer(ctx: CliContext, progress: ProgressDisplay, quiet: boolean): (e: MirrorEvent) => void {
  let lastPartLine = Date.now();
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  return (e) => {
    if (!isStepEvent(e)) return progress.onEvent(e);
    switch (e.type) {
      case 'input-issue':
        return say(describeInputIssue(e.issue));
      case 'plan-issue': {
        const i = e.issue;
        if (i.severity !== 'info') say(`${i.severity}: ${i.catalog ? `${i.catalog}: ` : ''}${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}`);
        return;
      }
      case 'blocked':
        return say(`blocked: ${e.image} (matches ${e.pattern})`);
      case 'template-issue':
        return say(describeInputIssue(e.issue));
      case 'archive-check-start':
        if (!quiet) say(`checking archive files in ${e.dir} (nothing is pushed until every one checks out)`);
        return;
      case 'part-verified':
        if (!quiet) say(`verified ${e.file} (${formatBytes(e.bytes)})`);
        return;
      case 'part-written':
        if (!quiet) say(`wrote ${e.file} (${formatBytes(e.bytes)}, part ${e.part} of ${e.parts})`);
        return;
      case 'attachments-copied':
        if (!quiet) say(`signatures: ${e.image}: copied ${e.tags.join(', ')}`);
        return;
      case 'graph-image-built':
        return say(`graph image: built (${e.files} graph-data files) as ${e.destination} ${e.digest}`);
      case 'catalog-unsigned':
        return say(`signatures: the rebuilt catalog ${e.catalog} is unsigned (filtering gave it a new digest; sign the mirror copy if a policy requires it)`);
      case 'part-bytes': {
        const now = Date.now();
        if (quiet || now - lastPartLine < PROGRESS_EVERY_MS || e.done >= e.total) return;
        lastPartLine = now;
        return say(`${e.step} ${e.file}: ${formatBytes(e.done)} of ${formatBytes(e.total)}`);
      }
    }
  };
}

/** Source and destination repositories through the run's session, with the source and destination access flags. */
export function storesFrom(session: RegistrySession, opts: Record<string, unknown>): { source: StoreResolver; destination: StoreResolver } {
  const src = accessFrom(opts, 'src');
  const dest = accessFrom(opts, 'dest');
  return { source: (r) => session.store(r.registry, r.repository, src), destination: (r) => session.store(r.registry, r.repository, dest) };
}

/** file://DIR (and file:///abs/dir) → the directory. */
export function fileTarget(value: string, what: string): string {
  if (!value.startsWith('file://')) throw new GantryError('USAGE', `${what} "${value}" must start with file://`);
  const dir = value.slice('file://'.length);
  if (dir === '') throw new GantryError('USAGE', `${what} "${value}" names no directory`);
  return dir;
}

/** --workspace DIR, or oc-mirror's spelling file://DIR (file:///abs/dir is /abs/dir, not ./file:/abs/dir). */
export function workspaceDir(value: string | undefined, fallback = 'gantry-workspace'): string {
  if (value === undefined) return fallback;
  if (value.startsWith('file://')) return fileTarget(value, '--workspace');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new GantryError('USAGE', `--workspace "${value}" is not a directory`, { hint: 'give a directory path, or file://DIR' });
  return value;
}

export function requireConfig(opts: MirrorFlags): string {
  if (!opts.config) throw new GantryError('USAGE', 'an ImageSetConfiguration is required: -c, --config <file>');
  return opts.config;
}

/**
 * Runs a command body; once the run's signal has aborted (Ctrl-C, SIGTERM), whatever it ends with is an
 * interruption: one line, exit 130.
 */
export async function exitOnInterrupt(ctx: CliContext, body: () => Promise<number>): Promise<number> {
  try {
    const code = await body();
    if (!ctx.signal.aborted) return code;
  } catch (err) {
    if (!ctx.signal.aborted) throw err;
    if (ctx.debug) ctx.stderr.write(`${formatError(err, true)}\n`);
  }
  ctx.stderr.write('error[ABORTED]: interrupted\n  hint: run the same command again; what is already done is not done twice\n');
  return 130;
}
