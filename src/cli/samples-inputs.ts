// The `--from FILE…` inputs of `gantry samples` commands: files (YAML/JSON), assets directories or "-" for stdin,
// read into one SamplesSet; and the printing of samples issues (errors stop the command, exit 1).
import { readFile, stat } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { combineSamples, formatIssue, readSamplesFile, readSamplesTree, type SamplesIssue, type SamplesSet } from '../samples/index.js';
import { readStream } from './catalog-source.js';
import type { CliContext } from './context.js';

const IMAGE_HINT =
  'reading the samples operator image or a release payload is not supported yet (it needs the release payload reader); copy the assets out of the image (/opt/openshift/operator/<arch>/…), or export `oc get cm imagestreamtag-to-image -n openshift-cluster-samples-operator -o yaml` or `oc get is -n openshift -o json`';

/** Reads every --from input (in the order given) and combines them: aliases resolved, duplicates found. */
export async function readSamplesInputs(ctx: CliContext, sources: readonly string[]): Promise<SamplesSet> {
  if (sources.length === 0) {
    throw new GantryError('USAGE', '--from is required', { hint: 'give the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output or the operator\'s assets directory: --from FILE…' });
  }
  const sets: SamplesSet[] = [];
  for (const source of sources) {
    if (/^(docker|oci|oci-archive|docker-archive|release):/.test(source)) {
      throw new GantryError('USAGE', `${source}: an image is not a samples input`, { hint: IMAGE_HINT });
    }
    if (source === '-') {
      const bytes = await readStream(process.stdin, ctx.signal);
      sets.push(readSamplesFile({ file: '<stdin>', text: new TextDecoder().decode(bytes) }));
      continue;
    }
    const st = await stat(source).catch((err: unknown) => {
      const looksLikeImage = /^[a-z0-9.-]+\.[a-z]+(:[0-9]+)?\/[^\s]+(:[\w.-]+|@sha256:[0-9a-f]+)$/.test(source);
      throw new GantryError('NOT_FOUND', `${source}: no such file or directory`, { cause: err, ...(looksLikeImage ? { hint: IMAGE_HINT } : {}) });
    });
    if (st.isDirectory()) {
      sets.push(await readSamplesTree(await createDirectoryTree(source), source, { signal: ctx.signal }));
    } else {
      const text = await readFile(source, 'utf8').catch((err: unknown) => {
        throw new GantryError('IO_ERROR', `cannot read ${source}`, { cause: err });
      });
      sets.push(readSamplesFile({ file: source, text }));
    }
  }
  return combineSamples(sets);
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
