// gantry samples config | check | install-manifest: the generated side of the disconnected samples procedure —
// resources from what is really at the mirror (by digest), and the check of a Config against the mirror.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { GantryError, quoteValue } from '../../errors.js';
import type { DigestExpectation, MirrorLookup, TagPresence } from '../../samples/mirror-presence.js';
import { samplesCheckInputs, type SamplesCheckInputs } from '../../samples/samples-inputs.js';
import { checkPresence } from '../../samples/mirror-presence.js';
import { checkSamples, parseSamplesConfig } from '../../samples/samples-check.js';
import { parseSamplesMirror } from '../../samples/samples-registry.js';
import { buildSamplesConfig, checkArchitectures, DEFAULT_ARCHITECTURES, installTimeManifest, mustGatherImageStream, registryConfigMap, renderDocuments } from '../../samples/samples-resources.js';
import type { CliContext } from '../context.js';
import { outputOption } from '../output-flag.js';
import { addAccessFlags, addCommonRegistryFlags } from '../registry-flags.js';
import { readSamplesInputs, reportSamplesIssues } from '../samples-inputs.js';
import { combineExpectations, sourceExpectation, withMirrorLookup, workspaceExpectation } from '../samples-lookup.js';
import { createImageOpener, MUST_GATHER_COMPONENT, releaseComponent } from '../samples-image.js';
import { parseReference } from '../../oci/reference.js';

/** --from through the samples readers (issues printed, errors stop), then what config and check look up. */
async function loadCheckInputs(files: string[], ctx: CliContext, opts: Record<string, unknown>): Promise<SamplesCheckInputs> {
  const verbose = opts.verbose === true;
  const set = await readSamplesInputs(ctx, files, { registryFlags: opts });
  reportSamplesIssues(ctx, set.issues, { verbose });
  const inputs = samplesCheckInputs(set);
  if (inputs.payloadImagestreams.length) {
    ctx.stderr.write(`note: ${inputs.payloadImagestreams.join(', ')}: release payload imagestreams, not managed by the samples operator (mirrored with the release): not checked\n`);
  }
  return inputs;
}

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GantryError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${what} ${quoteValue(path)}: ${code ?? (err as Error).message}`);
  }
}

/** A summary line names a few; the YAML lists them all. */
const SUMMARY_NAMES = 10;
const listSome = (names: readonly string[]) => names.slice(0, SUMMARY_NAMES).join(', ') + (names.length > SUMMARY_NAMES ? `, … ${names.length - SUMMARY_NAMES} more` : '');

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function registryFlags(cmd: Command): Command {
  cmd.option('--verbose', 'list every note about the input (each alias resolved, each file left unread) instead of a summary line');
  cmd.option('--workspace <dir>', "compare each tag's digest at the mirror with the digest gantry samples mirror / gantry mirror recorded in this workspace: a tag naming another image (stale) counts as missing");
  cmd.option('--compare-source', "compare each tag's digest at the mirror with the source registry's (after the workspace records, where given)");
  addAccessFlags(cmd, '', 'mirror');
  return addCommonRegistryFlags(cmd);
}

export function registerSamplesConfig(samples: Command, ctx: CliContext): void {
  const cmd = samples
    .command('config')
    .description('the resources that configure the samples operator for the mirror: registry-config CA, image.config patch, samples Config (skipping imagestreams whose images are not at the mirror, checked by digest), must-gather')
    .requiredOption('--from <file...>', 'the imagestreamtag-to-image ConfigMap, `oc get is -n openshift -o json` output, the operator\'s assets directory ("-" for stdin), or the samples operator image or a release payload (docker://REF)')
    .requiredOption('--mirror <host[:port][/prefix]>', 'the mirror registry: samplesRegistry; the images must be at the same paths under it')
    .option('--ca <file>', "the mirror's CA certificate (PEM): the registry-config ConfigMap and additionalTrustedCA; also trusted when gantry checks the mirror")
    .option('--ca-configmap <name>', 'the openshift-config ConfigMap for the CA, which additionalTrustedCA names (default registry-config)')
    .option('--architecture <arch>', `spec.architectures (x86_64, aarch64, ppc64le, s390x; default: the input's, else ${DEFAULT_ARCHITECTURES.join(',')})`, collect)
    .option('--must-gather <image@digest>', "the release payload's must-gather image by digest (oc adm release info --image-for must-gather): adds the must-gather ImageStream")
    .option('--release <image>', "the release image (docker://REF, oci:PATH[:REF]): its must-gather component, by digest, for the must-gather ImageStream (with --must-gather: they must name the same digest)")
    .option('--no-skipped-templates', 'leave skippedTemplates out (templates whose imagestreams are skipped)');
  registryFlags(cmd);
  cmd.action(async (opts: Record<string, unknown>) => {
    const mirror = parseSamplesMirror(opts.mirror as string);
    const architectures = checkArchitectures((opts.architecture as string[] | undefined) ?? []);
    const caFile = opts.ca as string | undefined;
    const caPem = caFile !== undefined ? await readTextFile(caFile, '--ca file') : undefined;
    // Refused before minutes of registry lookups: a CA that is no certificate, a must-gather image without a digest.
    const caConfigMap = opts.caConfigmap as string | undefined;
    if (caConfigMap !== undefined && caPem === undefined) throw new GantryError('USAGE', '--ca-configmap names the ConfigMap of --ca: give --ca too');
    if (caPem !== undefined) registryConfigMap(mirror, caPem, caConfigMap);
    if (typeof opts.mustGather === 'string') mustGatherImageStream(opts.mustGather);
    const mustGather = await mustGatherImage(opts, ctx);
    const input = await loadCheckInputs(opts.from as string[], ctx, opts);
    const archs = architectures.length ? architectures : input.architectures.length ? checkArchitectures(input.architectures) : DEFAULT_ARCHITECTURES;
    if (input.tags.length === 0) throw new GantryError('CONFIG_INVALID', 'the input has no imagestream tag with a DockerImage to check at the mirror', { hint: 'pass the imagestreamtag-to-image ConfigMap, an ImageStreamList, or an assets directory' });
    const records = await recordsExpectation(opts);
    let compared: string | undefined;
    const presence: TagPresence[] = await withMirrorLookup(opts, caFile, (lookup) => {
      const expectation = expectationFrom(opts, records, lookup);
      compared = expectation?.describe;
      return checkPresence(input.tags, { samplesRegistry: mirror.samplesRegistry, architectures: archs, lookup, signal: ctx.signal, ...(expectation ? { expectation } : {}) });
    });
    const result = buildSamplesConfig({
      mirror,
      presence,
      ...(input.templates && opts.skippedTemplates !== false ? { templates: input.templates } : {}),
      architectures: archs,
      ...(caPem !== undefined ? { caPem } : {}),
      ...(caConfigMap !== undefined ? { caConfigMap } : {}),
      ...(mustGather !== undefined ? { mustGatherImage: mustGather } : {}),
      ...(compared !== undefined ? { comparedWith: compared } : {}),
    });
    const header = [
      `gantry samples config --mirror ${mirror.samplesRegistry}: apply with oc apply -f FILE (in this order), or step by step as each comment says.`,
      ...(caPem === undefined ? ['No --ca: the mirror is trusted already (no registry-config ConfigMap, no image.config patch).'] : []),
      ...(mustGather === undefined ? ["No --release or --must-gather: for support, give the release image (--release) or its must-gather image by digest (--must-gather)."] : []),
    ];
    ctx.stdout.write(renderDocuments(result.documents, header));
    ctx.stderr.write(
      `samples: ${result.mirroredImagestreams.length} imagestream(s) at ${mirror.samplesRegistry}, ${result.skippedImagestreams.length} skipped` +
        (result.skippedImagestreams.length ? ` (${listSome(result.skippedImagestreams)})` : '') +
        (input.templates && opts.skippedTemplates !== false ? `, ${result.skippedTemplates.length} template(s) skipped` : '') +
        '\n',
    );
    ctx.stderr.write(`${comparisonNote(compared, presence)}\n`);
  });
}

/** --workspace's records, read (and refused when there are none) before any registry is asked. */
async function recordsExpectation(opts: Record<string, unknown>): Promise<DigestExpectation | undefined> {
  return typeof opts.workspace === 'string' ? workspaceExpectation(opts.workspace) : undefined;
}

function expectationFrom(opts: Record<string, unknown>, records: DigestExpectation | undefined, lookup: MirrorLookup): DigestExpectation | undefined {
  return combineExpectations([...(records ? [records] : []), ...(opts.compareSource ? [sourceExpectation(lookup)] : [])]);
}

/** One line saying what presence was decided by: the digests compared with what, and which tags were not compared. */
function comparisonNote(compared: string | undefined, presence: readonly TagPresence[]): string {
  if (compared === undefined) {
    return 'checked: each tag at the mirror has its manifest (and an index each architecture\'s); digests not compared, so a stale tag counts as mirrored (compare with --workspace DIR or --compare-source)';
  }
  const stale = presence.filter((p) => p.reason?.startsWith('stale:')).length;
  const uncompared = presence.filter((p) => p.uncompared !== undefined);
  const first = uncompared[0];
  return (
    `checked by digest: each tag at the mirror compared with ${compared}; ${stale} stale` +
    (first ? `; ${uncompared.length} not compared (counted as mirrored; first: ${first.imagestream}:${first.tag}: ${first.uncompared})` : '')
  );
}

/**
 * The must-gather image: --must-gather as given, or the --release payload's must-gather component. With both, they
 * must name one digest (the --must-gather spelling is kept: it may name the mirror's copy); otherwise a usage error.
 */
async function mustGatherImage(opts: Record<string, unknown>, ctx: CliContext): Promise<string | undefined> {
  const given = typeof opts.mustGather === 'string' ? opts.mustGather : undefined;
  if (typeof opts.release !== 'string') return given;
  const opener = createImageOpener(opts);
  let fromRelease: { image: string; version: string };
  try {
    fromRelease = await releaseComponent(opts.release, MUST_GATHER_COMPONENT, opener, { signal: ctx.signal });
  } finally {
    await opener.close();
  }
  if (given === undefined) {
    ctx.stderr.write(`must-gather: ${fromRelease.image} (release ${fromRelease.version})\n`);
    return fromRelease.image;
  }
  const digest = parseReference(fromRelease.image).digest;
  if (parseReference(given).digest !== digest) {
    throw new GantryError('USAGE', `--must-gather ${quoteValue(given)} is not release ${fromRelease.version}'s must-gather image (${fromRelease.image})`, {
      hint: 'give one of --must-gather and --release, or a --must-gather with the digest the release names',
    });
  }
  return given;
}

export function registerSamplesCheck(samples: Command, ctx: CliContext): void {
  const cmd = samples
    .command('check')
    .description('list each imagestream tag whose image is not at samplesRegistry and whose imagestream is not skipped: what would fail to import (exit 1 when any)')
    .requiredOption('-c, --config <file>', 'the samples Config (oc get configs.samples.operator.openshift.io cluster -o yaml, or samples config output)')
    .requiredOption('--from <file...>', 'the imagestreams: `oc get is -n openshift -o json` output, the imagestreamtag-to-image ConfigMap, an assets directory ("-" for stdin), or the samples operator image or a release payload (docker://REF)')
    .addOption(outputOption(['text', 'json'], 'text'));
  registryFlags(cmd);
  cmd.action(async (opts: Record<string, unknown>) => {
    const config = parseSamplesConfig(await readTextFile(opts.config as string, 'samples Config'), opts.config as string);
    if (config.architectures.length) checkArchitectures(config.architectures);
    const input = await loadCheckInputs(opts.from as string[], ctx, opts);
    if (config.managementState !== undefined && config.managementState !== 'Managed') {
      ctx.stderr.write(`note: managementState is ${config.managementState}: the operator imports nothing until it is Managed; checked as if Managed\n`);
    }
    if (config.samplesRegistry === '') ctx.stderr.write('note: the Config sets no samplesRegistry: images are checked at their source registries\n');
    const records = await recordsExpectation(opts);
    let compared: string | undefined;
    const result = await withMirrorLookup(opts, undefined, (lookup) => {
      const expectation = expectationFrom(opts, records, lookup);
      compared = expectation?.describe;
      return checkSamples(config, input.tags, { lookup, signal: ctx.signal, ...(expectation ? { expectation } : {}) });
    });
    const rows = result.failing.map((f) => ({ imagestream: f.imagestream, tag: f.tag, image: f.image, pullSpec: f.pullSpec, reason: f.reason ?? 'missing', ...(f.digest ? { digest: f.digest } : {}), ...(f.expected ? { expected: f.expected } : {}) }));
    if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const r of rows) ctx.stdout.write(`${r.imagestream}:${r.tag}\t${r.pullSpec}\t${r.reason}\n`);
    ctx.stderr.write(`samples check: ${rows.length} of ${result.checked} tag(s) would fail to import from ${config.samplesRegistry || 'their source registries'}; ${result.skipped} tag(s) of skipped imagestreams\n`);
    ctx.stderr.write(`${comparisonNote(compared, result.presence)}\n`);
    if (result.unskippable.length) ctx.stderr.write(`note: skipped but every image at the mirror now (could leave skippedImagestreams): ${result.unskippable.join(', ')}\n`);
    if (rows.length) ctx.exitCode = 1;
  });
}

export function registerSamplesInstallManifest(samples: Command, ctx: CliContext): void {
  samples
    .command('install-manifest')
    .description('the samples Config with managementState Removed, for <install-dir>/openshift/ after `openshift-install create manifests`')
    .option('--architecture <arch>', `spec.architectures (default ${DEFAULT_ARCHITECTURES.join(',')})`, collect)
    .action((opts: { architecture?: string[] }) => {
      ctx.stdout.write(renderDocuments([installTimeManifest(opts.architecture?.length ? opts.architecture : DEFAULT_ARCHITECTURES)]));
    });
}

/** samples config, check and install-manifest, added to `gantry samples` by its registration. */
export function registerSamplesOut(samples: Command, ctx: CliContext): void {
  registerSamplesConfig(samples, ctx);
  registerSamplesCheck(samples, ctx);
  registerSamplesInstallManifest(samples, ctx);
}
