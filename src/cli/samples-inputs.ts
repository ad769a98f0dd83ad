// `--from FILE…` for samples config and check: each file or assets directory through the samples readers, combined,
// issues printed (file:line), any error refused; then the flat tags and template uses the two commands work on.
import { readFile, stat } from 'node:fs/promises';
import { GantryError, quoteValue } from '../errors.js';
import { createDirectoryTree } from '../files/dir-tree.js';
import { combineSamples, formatIssue, readSamplesFile, readSamplesTree, type SamplesSet } from '../samples/index.js';
import type { SamplesInputs } from './commands/samples-out.js';
import type { CliContext } from './context.js';

export async function readSamplesInputs(files: readonly string[], ctx: CliContext): Promise<SamplesSet> {
  const sets: SamplesSet[] = [];
  for (const file of files) {
    let isDir: boolean;
    try {
      isDir = (await stat(file)).isDirectory();
    } catch (err) {
      throw new GantryError('NOT_FOUND', `cannot read --from ${quoteValue(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    sets.push(isDir ? await readSamplesTree(await createDirectoryTree(file), file, { signal: ctx.signal }) : readSamplesFile({ file, text: await readFile(file, 'utf8') }));
  }
  const set = combineSamples(sets);
  for (const issue of set.issues) ctx.stderr.write(`${issue.severity === 'info' ? 'note' : issue.severity}[${issue.code}]: ${formatIssue(issue)}\n`);
  const errors = set.issues.filter((i) => i.severity === 'error').length;
  if (errors) throw new GantryError('CONFIG_INVALID', `${errors} error(s) in the input (above); nothing checked`, { hint: 'fix the entries named above, or leave the file out' });
  return set;
}

/** Every resolved tag once (an imagestream read for several architectures has the same tags), templates by name. */
export function samplesInputsOf(set: SamplesSet): SamplesInputs {
  const tags = new Map<string, SamplesInputs['tags'][number]>();
  for (const s of set.imagestreams) {
    for (const t of s.tags) if (t.image !== undefined) tags.set(`${s.name}\u0000${t.tag}\u0000${t.image}`, { imagestream: s.name, tag: t.tag, image: t.image });
  }
  const templates = new Map<string, Set<string>>();
  for (const t of set.templates) {
    const uses = templates.get(t.name) ?? new Set<string>();
    for (const r of t.references) uses.add(r.imagestream);
    templates.set(t.name, uses);
  }
  const architectures = [...new Set(set.imagestreams.map((s) => s.architecture).filter((a): a is NonNullable<typeof a> => a !== undefined))];
  return {
    tags: [...tags.values()],
    ...(set.templates.length ? { templates: [...templates].map(([name, uses]) => ({ name, imagestreams: [...uses] })) } : {}),
    architectures,
  };
}

export async function loadSamplesInputs(files: string[], ctx: CliContext): Promise<SamplesInputs> {
  return samplesInputsOf(await readSamplesInputs(files, ctx));
}
