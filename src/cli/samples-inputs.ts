// The `--from` inputs of `gantry samples` commands (files, assets directories, "-" for stdin, the operator image or a
// release payload) read into one SamplesSet; and the printing of samples issues (errors stop the command, exit 1).
import { readFile, stat } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { combineSamples, formatIssue, readSamplesFile, readSamplesTree, type SamplesIssue, type SamplesSet } from '../samples/index.js';
import { readStream } from './catalog-source.js';
import type { CliContext } from './context.js';
import { createImageOpener, isImageInput, readSamplesImage, type ImageOpener } from './samples-image.js';

const IMAGE_HINT = 'an image is read as docker://REF (or oci:PATH[:REF]): the samples operator image or a release payload';

export interface SamplesInputOptions {
  /** The command's registry flags, for images given as --from (a session is opened only for one). */
  registryFlags?: Record<string, unknown>;
  /** Which side's access flags apply: '' (the command's own) or 'src' (samples mirror's source side). */
  prefix?: '' | 'src';
}

/** Reads every --from input (in the order given) and combines them: aliases resolved, duplicates found. */
export async function readSamplesInputs(ctx: CliContext, sources: readonly string[], opts: SamplesInputOptions = {}): Promise<SamplesSet> {
  if (sources.length === 0) {
    throw new GantryError('USAGE', '--from is required', { hint: 'give the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output, the operator\'s assets directory, or the operator/release image (docker://REF): --from FILE…' });
  }
  const images = opts.registryFlags ? createImageOpener(opts.registryFlags, opts.prefix ?? '') : undefined;
  try {
    return combineSamples(await readEach(ctx, sources, images));
  } finally {
    await images?.close();
  }
}

async function readEach(ctx: CliContext, sources: readonly string[], images: ImageOpener | undefined): Promise<SamplesSet[]> {
  const sets: SamplesSet[] = [];
  for (const source of sources) {
    if (/^(oci-archive|docker-archive|release):/.test(source)) {
      throw new GantryError('USAGE', `${source}: this transport is not a samples input`, { hint: IMAGE_HINT });
    }
    if (source === '-') {
      const bytes = await readStream(process.stdin, ctx.signal);
      sets.push(readSamplesFile({ file: '<stdin>', text: new TextDecoder().decode(bytes) }));
      continue;
    }
    const st = /^(docker:\/\/|oci:)/.test(source) ? undefined : await stat(source).catch(() => undefined);
    if (st === undefined) {
      if (!isImageInput(source)) throw new GantryError('NOT_FOUND', `${source}: no such file or directory`, { hint: IMAGE_HINT });
      if (!images) throw new GantryError('USAGE', `${source}: an image is not an input of this command`, { hint: 'export the imagestreams or the assets first' });
      const read = await readSamplesImage(source, images, { signal: ctx.signal });
      ctx.stderr.write(`samples from ${read.description}\n`);
      sets.push(read.set);
      continue;
    }
    if (st.isDirectory()) {
      sets.push(await readSamplesTree(await createDirectoryTree(source), source, { signal: ctx.signal }));
    } else {
      const text = await readFile(source, 'utf8').catch((err: unknown) => {
        throw new GantryError('IO_ERROR', `cannot read ${source}`, { cause: err });
      });
      sets.push(readSamplesFile({ file: source, text }));
    }
  }
  return sets;
}

/**
 * Prints issues to stderr (error[CONFIG_INVALID]: …, warning: …, note: …), sorted by file and line, and throws
 * when any is an error, after all were printed: a plan from half-read input is worse than none. Notes (what gantry
 * did, e.g. each alias resolved) are summed up in one line per kind unless `verbose`.
 */
export function reportSamplesIssues(ctx: CliContext, issues: readonly SamplesIssue[], opts: { verbose?: boolean } = {}): void {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...issues].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || rank[a.severity] - rank[b.severity]);
  const notes = new Map<string, SamplesIssue[]>();
  for (const i of sorted) {
    if (i.severity === 'info' && !opts.verbose) {
      notes.set(i.code, [...(notes.get(i.code) ?? []), i]);
      continue;
    }
    const prefix = i.severity === 'error' ? 'error[CONFIG_INVALID]' : i.severity === 'warning' ? 'warning' : 'note';
    ctx.stderr.write(`${prefix}: ${formatIssue(i)} (${i.code})\n`);
  }
  for (const [code, list] of notes) {
    const first = list[0]!;
    const example = first.imagestream === undefined ? first.file : `${first.imagestream}${first.tag === undefined ? '' : `:${first.tag}`}`;
    ctx.stderr.write(`note: ${NOTE_SUMMARY[code] ?? code} ×${list.length} (first: ${example}: ${first.message}); --verbose lists each (${code})\n`);
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (errors > 0) {
    throw new GantryError('CONFIG_INVALID', `${errors} error${errors === 1 ? '' : 's'} in the samples input (listed above)`, {
      hint: 'fix or remove the entries named above; nothing is planned from input with errors',
    });
  }
}

const NOTE_SUMMARY: Record<string, string> = {
  ALIAS_RESOLVED: 'ImageStreamTag aliases resolved to the image of the tag they point at, mirrored with it',
  IGNORED_FILE: 'files not under imagestreams/ or templates/ left unread',
};
