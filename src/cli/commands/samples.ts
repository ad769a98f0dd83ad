// gantry samples: the Cluster Samples Operator in disconnected clusters (issue 12). One registerSamples adds the
// subcommands; each subcommand's action is a small function of its own (plan here; config and check alongside).
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { imageSetFragment, parseArchitecture, parseLanguage, parseSamplesMirror, planSamples, S2I_LANGUAGES, SAMPLE_ARCHITECTURES, selectSamples, type SampleArchitecture, type SamplesPlan, type SamplesSelection } from '../../samples/index.js';
import type { CliContext } from '../context.js';
import { outputOption } from '../output-flag.js';
import { readSamplesInputs, reportSamplesIssues } from '../samples-inputs.js';
import { renderTable } from '../table.js';
import { formatYaml } from '../yaml-output.js';

interface SelectionOpts {
  name?: string[];
  language?: string[];
  arch?: string[];
  referenced?: boolean;
}

interface PlanOpts extends SelectionOpts, Record<string, unknown> {
  from?: string[];
  mirror?: string;
  output: 'text' | 'json' | 'yaml' | 'isc';
  verbose?: boolean;
}

const collect = (value: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];

/** The selection flags, shared by the subcommands that take --from. */
export function addSelectionFlags(cmd: Command): Command {
  return cmd
    .option('--name <glob>', 'only imagestreams whose name matches (repeatable, or comma-separated; * and ? globs)', collect)
    .option('--language <lang>', `only S2I imagestreams of a language (repeatable): ${Object.values(S2I_LANGUAGES).map((l) => l.title).join(', ')}`, collect)
    .option('--arch <arch>', `only imagestreams of an architecture (repeatable; assets trees name them): ${SAMPLE_ARCHITECTURES.join(', ')}`, collect)
    .option('--referenced', 'only tags still referenced by templates (needs templates: the assets tree or Template files)');
}

export function selectionFrom(opts: SelectionOpts): SamplesSelection {
  const sel: SamplesSelection = {};
  if (opts.name?.length) sel.names = opts.name;
  if (opts.language?.length) {
    sel.languages = opts.language.map((l) => {
      const key = parseLanguage(l);
      if (!key) throw new GantryError('USAGE', `--language ${l} is not one of the S2I languages`, { hint: `use one of ${Object.keys(S2I_LANGUAGES).join(', ')}` });
      return key;
    });
  }
  if (opts.arch?.length) {
    sel.architectures = opts.arch.map((a): SampleArchitecture => {
      const arch = parseArchitecture(a);
      if (!arch) throw new GantryError('USAGE', `--arch ${a} is not an architecture the operator ships samples for`, { hint: `use one of ${SAMPLE_ARCHITECTURES.join(', ')} (amd64 and arm64 are accepted too)` });
      return arch;
    });
  }
  if (opts.referenced) sel.referencedByTemplates = true;
  return sel;
}

export function registerSamples(program: Command, ctx: CliContext): void {
  const samples = program.command('samples').description('the Cluster Samples Operator in disconnected clusters: what to mirror, how to configure it');
  addSelectionFlags(samples.command('plan'))
    .description('the images the sample imagestreams import: a table, JSON ({imagestream, tag, image} list), YAML, or an ImageSetConfiguration for gantry mirror')
    .option('--from <file...>', 'the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output, ImageStream/Template files, or the operator\'s assets directory ("-" for stdin)')
    .option('--mirror <host[:port][/prefix]>', 'the mirror registry: shows where the operator pulls each image once samplesRegistry is set, and names targetRepo in -o isc where needed')
    .addOption(outputOption(['text', 'json', 'yaml', 'isc'], 'text'))
    .option('--verbose', 'list every note (each alias resolved, each file left unread) instead of a summary line')
    .action(async (opts: PlanOpts) => {
      ctx.exitCode = await runSamplesPlan(ctx, opts);
    });
}

async function runSamplesPlan(ctx: CliContext, opts: PlanOpts): Promise<number> {
  const selection = selectionFrom(opts);
  const mirror = opts.mirror === undefined ? undefined : parseSamplesMirror(opts.mirror);
  const set = selectSamples(await readSamplesInputs(ctx, opts.from ?? []), selection);
  const plan = planSamples(set, mirror ? { mirror } : {});
  reportSamplesIssues(ctx, plan.issues, { verbose: opts.verbose === true });
  ctx.stdout.write(renderPlan(plan, opts.output));
  ctx.stderr.write(`${plan.entries.length} tag${plan.entries.length === 1 ? '' : 's'}, ${plan.images.length} image${plan.images.length === 1 ? '' : 's'} to mirror${mirror ? ` (samplesRegistry: ${mirror.samplesRegistry})` : ''}\n`);
  return 0;
}

function renderPlan(plan: SamplesPlan, output: PlanOpts['output']): string {
  switch (output) {
    case 'json':
      return `${JSON.stringify(plan.entries, null, 2)}\n`;
    case 'yaml':
      return formatYaml(plan.entries);
    case 'isc':
      return formatYaml(imageSetFragment(plan));
    default: {
      const destinations = new Map(plan.images.map((i) => [i.image, i.destination ?? '']));
      const headers = plan.mirror ? ['IMAGESTREAM', 'TAG', 'IMAGE', 'DESTINATION'] : ['IMAGESTREAM', 'TAG', 'IMAGE'];
      return renderTable(headers, plan.entries.map((e) => (plan.mirror ? [e.imagestream, e.tag, e.image, destinations.get(e.image) ?? ''] : [e.imagestream, e.tag, e.image])));
    }
  }
}
