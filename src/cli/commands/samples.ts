// gantry samples: the Cluster Samples Operator in disconnected clusters (issue 12). One registerSamples adds the
// subcommands; each subcommand's action is a small function of its own (plan here; config and check alongside).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { imageSetFragment, parseArchitecture, parseLanguage, parseSamplesMirror, planSamples, S2I_LANGUAGES, SAMPLE_ARCHITECTURES, selectSamples, type SampleArchitecture, type SamplesPlan, type SamplesSelection } from '../../samples/index.js';
import type { CliContext } from '../context.js';
import { runMirrorToMirror } from '../../mirror/index.js';
import { parseRegistryTarget } from '../locations.js';
import { addMirrorRunFlags, printDryRun, printFailures, runFlags } from '../mirror-flags.js';
import { exitOnInterrupt, storesFrom, workspaceDir } from '../mirror-output.js';
import { createProgressDisplay, summarize } from '../progress.js';
import { addAccessFlags, addCommonRegistryFlags, openSession } from '../registry-flags.js';
import { outputOption } from '../output-flag.js';
import { readSamplesInputs, reportSamplesIssues } from '../samples-inputs.js';
import { renderTable } from '../table.js';
import { formatYaml } from '../yaml-output.js';
import { registerSamplesOut } from './samples-out.js';

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

interface MirrorOpts extends SelectionOpts, Record<string, unknown> {
  from?: string[];
  workspace?: string;
  dryRun?: boolean;
  quiet?: boolean;
  plain?: boolean;
  verbose?: boolean;
}

export function registerSamples(program: Command, ctx: CliContext): void {
  const samples = program.command('samples').description('the Cluster Samples Operator in disconnected clusters: what to mirror, how to configure it');
  registerSamplesMirror(samples, ctx);
  const planCmd = addSelectionFlags(samples.command('plan'));
  planCmd
    .description('the images the sample imagestreams import: a table, JSON ({imagestream, tag, image} list), YAML, or an ImageSetConfiguration for gantry mirror')
    .option('--from <file...>', 'the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output, ImageStream/Template files, the operator\'s assets directory ("-" for stdin), or an image: the samples operator image or a release payload (docker://REF, oci:PATH[:REF])')
    .option('--mirror <host[:port][/prefix]>', 'the mirror registry: shows where the operator pulls each image once samplesRegistry is set, and names targetRepo in -o isc where needed')
    .addOption(outputOption(['text', 'json', 'yaml', 'isc'], 'text'))
    .option('--verbose', 'list every note (each alias resolved, each file left unread) instead of a summary line');
  addCommonRegistryFlags(addAccessFlags(planCmd, '', '--from image'));
  planCmd.action(async (opts: PlanOpts) => {
      ctx.exitCode = await runSamplesPlan(ctx, opts);
    });
  // config, check and install-manifest (samples-out): the generated side, in samples-out.ts.
  registerSamplesOut(samples, ctx);
}

async function runSamplesPlan(ctx: CliContext, opts: PlanOpts): Promise<number> {
  const selection = selectionFrom(opts);
  const mirror = opts.mirror === undefined ? undefined : parseSamplesMirror(opts.mirror);
  const set = selectSamples(await readSamplesInputs(ctx, opts.from ?? [], { registryFlags: opts }), selection);
  const plan = planSamples(set, mirror ? { mirror } : {});
  reportSamplesIssues(ctx, plan.issues, { verbose: opts.verbose === true });
  ctx.stdout.write(renderPlan(plan, opts.output));
  const images = plan.images.filter((i) => i.sameDestinationAs === undefined).length;
  ctx.stderr.write(`${plan.entries.length} tag${plan.entries.length === 1 ? '' : 's'}, ${images} image${images === 1 ? '' : 's'} to mirror${mirror ? ` (samplesRegistry: ${mirror.samplesRegistry})` : ''}\n`);
  return 0;
}

function registerSamplesMirror(samples: Command, ctx: CliContext): void {
  addMirrorRunFlags(
    addSelectionFlags(samples.command('mirror'))
      .description('mirror the planned images to a registry, each where the operator pulls it once samplesRegistry is the destination')
      // Optional for the parser only: `--from A B docker://…` gives the variadic --from the destination too.
      .argument('[destination]', 'docker://HOST[:PORT][/PREFIX]: samplesRegistry becomes HOST[:PORT][/PREFIX]')
      .option('--from <file...>', 'as for samples plan: the ConfigMap, `oc get is` output, ImageStream/Template files, the assets directory, or the operator/release image (read with the --src-* flags)')
      .option('--workspace <dir>', 'where the generated ImageSetConfiguration (samples-imageset.yaml), mapping.txt and plan.json go', 'gantry-workspace')
      .option('--dry-run', 'plan only: write the ImageSetConfiguration, mapping.txt and plan.json, copy nothing')
      .option('--verbose', 'list every note instead of a summary line'),
  ).action(async (destination: string | undefined, opts: MirrorOpts) => {
    const from = opts.from ?? [];
    const last = from[from.length - 1];
    if (destination === undefined && last?.startsWith('docker://')) ctx.exitCode = await runSamplesMirror(ctx, last, { ...opts, from: from.slice(0, -1) });
    else if (destination === undefined) throw new GantryError('USAGE', 'the destination is required', { hint: 'gantry samples mirror --from FILE… docker://HOST[:PORT][/PREFIX]' });
    else ctx.exitCode = await runSamplesMirror(ctx, destination, opts);
  });
}

/**
 * The plan's ImageSetConfiguration goes through the mirror library as `gantry mirror -c` would take it (it is kept in
 * the workspace, so the run can be repeated or carried to disk with `gantry mirror -c … file://DIR`).
 */
async function runSamplesMirror(ctx: CliContext, destination: string, opts: MirrorOpts): Promise<number> {
  const selection = selectionFrom(opts);
  if (!destination.startsWith('docker://')) throw new GantryError('USAGE', `destination "${destination}" must start with docker://`, { hint: 'docker://HOST[:PORT][/PREFIX]; to carry the images across an air gap: gantry samples plan -o isc > isc.yaml, then gantry mirror -c isc.yaml file://DIR' });
  const mirror = parseSamplesMirror(destination);
  const set = selectSamples(await readSamplesInputs(ctx, opts.from ?? [], { registryFlags: opts, prefix: 'src' }), selection);
  const plan = planSamples(set, { mirror });
  reportSamplesIssues(ctx, plan.issues, { verbose: opts.verbose === true });
  const images = plan.images.filter((i) => i.sameDestinationAs === undefined).length;
  if (images === 0) throw new GantryError('CONFIG_INVALID', 'the selection has no image to mirror', { hint: 'check the --from inputs and the selection flags with gantry samples plan' });
  const workspace = workspaceDir(opts.workspace);
  await mkdir(workspace, { recursive: true });
  const configFile = join(workspace, 'samples-imageset.yaml');
  await writeFile(configFile, formatYaml(imageSetFragment(plan)));
  ctx.stderr.write(`${images} image${images === 1 ? '' : 's'} for ${plan.entries.length} tag${plan.entries.length === 1 ? '' : 's'}: ${configFile}\n`);
  return exitOnInterrupt(ctx, async () => {
    const { from: _inputs, ...runOpts } = opts;
    const quiet = Boolean(opts.quiet);
    const progress = await createProgressDisplay({ stream: ctx.stderr, quiet, plain: Boolean(opts.plain) });
    const session = await openSession(opts, (info) => progress.onEvent({ type: 'retry', ...info }));
    try {
      const result = await runMirrorToMirror({ configFile, target: parseRegistryTarget(destination), workspace, ...storesFrom(session, opts), icsp: false, ...(await runFlags(runOpts, ctx, progress, quiet)) });
      const stats = progress.stop();
      if (result.dryRun) {
        printDryRun(result, ctx);
        return 0;
      }
      printFailures(result.failed, ctx);
      ctx.stderr.write(`${summarize(stats)}\n`);
      ctx.stderr.write(`samplesRegistry: ${mirror.samplesRegistry} (the Config's spec.samplesRegistry; every mirrored image is where the operator will pull it)\n`);
      return result.failed.length > 0 ? 1 : 0;
    } finally {
      progress.stop();
      await session.close();
    }
  });
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
