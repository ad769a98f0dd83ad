// gantry catalog mirror INDEX DEST: `oc adm catalog mirror` on the gantry mirror operations (the whole index, every
// bundle), to a registry, to file://DIR and from it; then oc's manifests-<index>-<id>/ directory.
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseImageSetConfig } from '../../config/index.js';
import { compileGoRegex } from '../../config/go-regex.js';
import { GantryError } from '../../errors.js';
import { writeFileAtomic } from '../../files/write-tree.js';
import type { MirrorTarget } from '../../generate/destination.js';
import { indexName, ocCatalogManifestFiles, type OcCatalogManifests } from '../../generate/oc-catalog-manifests.js';
import { catalogKey, imageKey, planMirror, runDiskToMirror, runMirrorToDisk, runMirrorToMirror, selectIndexPlatform, type MirrorInputs, type MirrorPlan } from '../../mirror/index.js';
import { formatReference, parseReference, type Reference } from '../../oci/reference.js';
import type { Platform } from '../../oci/platform.js';
import { GANTRY_VERSION } from '../../version.js';
import type { CliContext } from '../context.js';
import { parseRegistryTarget } from '../locations.js';
import { createMirrorRenderer, exitOnInterrupt, fileTarget, storesFrom, workspaceDir } from '../mirror-output.js';
import { formatError, redact } from '../output.js';
import { createProgressDisplay, summarize, type ProgressDisplay } from '../progress.js';
import { openSession } from '../registry-flags.js';
import { addMirrorRunFlags } from '../mirror-flags.js';
import type { RegistrySession } from '../../registry/registry-session.js';

type Flags = Record<string, unknown> & { manifestsOnly?: boolean; indexFilterByOs: string; maxComponents: number; toManifests?: string; workspace?: string };

/** oc's default: the index image is expected to exist for linux/amd64 (the catalog inside is the same on every platform). */
const DEFAULT_INDEX_OS = 'linux/amd64';

function parseMaxComponents(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n === 1) throw new GantryError('USAGE', `--max-components must be 0 (no limit) or a whole number > 1, got "${value}"`, { hint: 'oc refuses 1 too: a destination needs a namespace and a name' });
  return n;
}

export function registerCatalogMirror(catalog: Command, ctx: CliContext): void {
  const cmd = catalog
    .command('mirror')
    .description('oc adm catalog mirror: every image of an index to a registry, to file://DIR or from it, and oc\'s manifests directory')
    .argument('<index>', 'the index image (HOST/REPO:TAG, docker:// optional), or file://DIR written by catalog mirror INDEX file://DIR')
    .argument('<destination>', 'HOST[:PORT][/NAMESPACE] (docker:// optional), or file://DIR')
    .option('--manifests-only', 'write the manifests directory; mirror nothing')
    .option('--index-filter-by-os <regex>', 'which platform of a multi-platform index to read the catalog from, matched against os/arch[/variant]; the images are mirrored whole', DEFAULT_INDEX_OS)
    .option('--max-components <n>', 'fold destination paths to at most N components after the host (0 = no limit; ignored for file://)', parseMaxComponents, 2)
    .option('--to-manifests <dir>', 'where the manifests go (default: manifests-<index>-<unix time>)')
    .option('--workspace <dir>', 'to a registry: where gantry mirror keeps its plan.json, records and cluster-resources/', 'gantry-workspace');
  addMirrorRunFlags(cmd);
  cmd.action(async (index: string, destination: string, opts: Flags) => {
    const pattern = compileGoRegex(opts.indexFilterByOs);
    if (!(pattern instanceof RegExp)) throw new GantryError('USAGE', `--index-filter-by-os "${opts.indexFilterByOs}" is not a regular expression: ${pattern.error}`);
    workspaceDir(opts.workspace);
    const toFile = destination.startsWith('file://');
    if (index.startsWith('file://') && toFile) throw new GantryError('USAGE', 'from file:// to file:// copies nothing', { hint: 'mirror file://DIR to a registry: gantry catalog mirror file://DIR HOST[/NAMESPACE]' });
    const run = { pattern, opts, ctx };
    ctx.exitCode = await exitOnInterrupt(ctx, () => {
      if (index.startsWith('file://')) return fromArchive(fileTarget(index, 'the index'), registryTarget(destination), run);
      const ref = parseReference(index.replace(/^docker:\/\//, ''));
      return toFile ? toArchive(ref, fileTarget(destination, 'destination'), run) : toRegistry(ref, registryTarget(destination), run);
    });
  });
}

interface Run {
  pattern: RegExp;
  opts: Flags;
  ctx: CliContext;
}

function registryTarget(text: string): MirrorTarget {
  return parseRegistryTarget(text.startsWith('docker://') ? text : `docker://${text}`);
}

/** The whole index as an ImageSetConfiguration: oc adm catalog mirror takes every bundle of every package. */
function wholeIndex(ref: Reference): MirrorInputs {
  const text = ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${formatReference(ref)}`, '    full: true', ''].join('\n');
  const parsed = parseImageSetConfig(text, 'catalog mirror');
  if (!parsed.config) throw new GantryError('REF_INVALID', `${formatReference(ref)} cannot be mirrored as a catalog: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return { config: parsed.config, text, templates: new Map() };
}

async function withSession<T>(run: Run, body: (session: RegistrySession, progress: ProgressDisplay) => Promise<T>): Promise<T> {
  const progress = await createProgressDisplay({ stream: run.ctx.stderr, quiet: Boolean(run.opts.quiet), plain: Boolean(run.opts.plain) });
  const session = await openSession(run.opts, (info) => progress.onEvent({ type: 'retry', ...info }));
  try {
    return await body(session, progress);
  } finally {
    progress.stop();
    await session.close();
  }
}

async function indexPlatform(ref: Reference, session: RegistrySession, run: Run): Promise<Platform | undefined> {
  const source = storesFrom(session, run.opts).source(ref);
  return selectIndexPlatform(source, ref.digest ?? ref.tag ?? 'latest', run.pattern, { signal: run.ctx.signal, where: formatReference(ref) });
}

function common(run: Run, progress: ProgressDisplay) {
  return {
    failFast: Boolean(run.opts.failFast),
    ...(run.opts.removeSignatures ? { removeSignatures: true } : {}),
    onEvent: createMirrorRenderer(run.ctx, progress, Boolean(run.opts.quiet)),
    redact,
    version: GANTRY_VERSION,
    signal: run.ctx.signal,
  };
}

/** Writes the manifests directory (oc's default name in the current directory) and says where it is, on stdout. */
async function writeManifests(m: OcCatalogManifests, run: Run): Promise<string> {
  const dir = run.opts.toManifests ?? `manifests-${m.name}-${Math.floor(Date.now() / 1000)}`;
  await mkdir(dir, { recursive: true });
  for (const [file, content] of ocCatalogManifestFiles(m)) await writeFileAtomic(join(dir, file), content);
  run.ctx.stdout.write(`wrote mirroring manifests to ${dir}\n`);
  return dir;
}

function reportFailures(failed: { what: string; error: unknown }[], run: Run): number {
  for (const f of failed) run.ctx.stderr.write(`${formatError(f.error, run.ctx.debug, f.what)}\n`);
  if (failed.length > 0) run.ctx.stderr.write(`${failed.length} failed: the full contents of the catalog may not have been mirrored\n`);
  return failed.length > 0 ? 1 : 0;
}

function placed(plan: MirrorPlan): { source: Reference; dest: Reference }[] {
  return plan.images.flatMap((i) => (i.dest ? [{ source: i.source, dest: i.dest }] : []));
}

function registryManifests(ref: Reference, plan: MirrorPlan, catalogImage: string): OcCatalogManifests {
  const images = placed(plan);
  const catalogDest = plan.catalogs[0]?.dest;
  return {
    name: indexName(ref),
    mapping: [...images.map((i) => ({ source: i.source, dest: formatReference(i.dest) })), ...(catalogDest ? [{ source: ref, dest: formatReference(catalogDest) }] : [])],
    mirrored: { images, catalogImage },
  };
}

async function toRegistry(ref: Reference, target: MirrorTarget, run: Run): Promise<number> {
  const maxNestedPaths = run.opts.maxComponents;
  return withSession(run, async (session, progress) => {
    const catalogPlatform = await indexPlatform(ref, session, run);
    const stores = storesFrom(session, run.opts);
    const platform = catalogPlatform ? { catalogPlatform } : {};
    if (run.opts.manifestsOnly) {
      const plan = await planMirror({ config: wholeIndex(ref).config, target, source: stores.source, maxNestedPaths, ...platform, signal: run.ctx.signal });
      const errors = plan.issues.filter((i) => i.severity === 'error');
      for (const i of plan.issues) if (i.severity !== 'info') run.ctx.stderr.write(`${i.severity}: ${i.message}\n`);
      if (errors.length > 0) throw new GantryError('CATALOG_INVALID', `${errors.length} problem${errors.length === 1 ? '' : 's'} in the index; no manifests were written`);
      // Nothing is built, so the CatalogSource names the catalog by the tag it will get.
      await writeManifests(registryManifests(ref, plan, formatReference(plan.catalogs[0]!.dest!)), run);
      return 0;
    }
    const result = await runMirrorToMirror({ inputs: wholeIndex(ref), target, workspace: workspaceDir(run.opts.workspace), ...stores, maxNestedPaths, ...platform, ...common(run, progress) });
    if (result.dryRun) throw new GantryError('INTERNAL', 'a dry run was not asked for');
    run.ctx.stderr.write(`${summarize(progress.stop())}\n`);
    const built = result.mirrored.find((m) => m.kind === 'catalog');
    const catalogDest = result.plan.catalogs[0]!.dest!;
    const catalogImage = built ? `${catalogDest.registry}/${catalogDest.repository}@${built.digest}` : formatReference(catalogDest);
    await writeManifests(registryManifests(ref, result.plan, catalogImage), run);
    return reportFailures(result.failed, run);
  });
}

async function toArchive(ref: Reference, dir: string, run: Run): Promise<number> {
  return withSession(run, async (session, progress) => {
    const catalogPlatform = await indexPlatform(ref, session, run);
    const source = storesFrom(session, run.opts).source;
    const platform = catalogPlatform ? { catalogPlatform } : {};
    const manifests = (plan: MirrorPlan): OcCatalogManifests => ({
      name: indexName(ref),
      mapping: [...plan.images.map((i) => ({ source: i.source, dest: `file://${dir}/${imageKey(i)}` })), ...plan.catalogs.map((c) => ({ source: ref, dest: `file://${dir}/${catalogKey(c)}` }))],
    });
    if (run.opts.manifestsOnly) {
      const plan = await planMirror({ config: wholeIndex(ref).config, source, ...platform, signal: run.ctx.signal });
      await writeManifests(manifests(plan), run);
      return 0;
    }
    const result = await runMirrorToDisk({ inputs: wholeIndex(ref), dir, source, ...platform, ...common(run, progress) });
    if (result.dryRun) throw new GantryError('INTERNAL', 'a dry run was not asked for');
    run.ctx.stderr.write(`${summarize(progress.stop())}\n`);
    await writeManifests(manifests(result.plan), run);
    run.ctx.stderr.write(`to push the archive to a registry, run:\n  gantry catalog mirror file://${dir} HOST[/NAMESPACE]\n`);
    return reportFailures(result.failed, run);
  });
}

async function fromArchive(dir: string, target: MirrorTarget, run: Run): Promise<number> {
  return withSession(run, async (session, progress) => {
    const result = await runDiskToMirror({
      dir,
      target,
      destination: storesFrom(session, run.opts).destination,
      maxNestedPaths: run.opts.maxComponents,
      dryRun: Boolean(run.opts.manifestsOnly),
      ...common(run, progress),
    });
    if (!result.dryRun) run.ctx.stderr.write(`${summarize(progress.stop())}\n`);
    const archived = result.archive.images;
    const catalogs = archived.filter((i) => i.kind === 'catalog');
    const kind = new Map(archived.map((i) => [i.key, i.kind]));
    const sourceOf = new Map(archived.map((i) => [i.key, parseReference(i.source)]));
    const places = result.planned.map((p) => ({ key: p.key, source: sourceOf.get(p.key)!, dest: p.dest }));
    const images = places.filter((p) => kind.get(p.key) !== 'catalog');
    const catalog = catalogs.length === 1 ? catalogs[0]! : undefined;
    // oc's directory describes one index; an archive of gantry mirror may carry several catalogs, or none.
    if (!catalog) run.ctx.stderr.write(`warning: ${dir} holds ${catalogs.length} catalogs, not one: no catalogSource.yaml (cluster-resources/ in ${dir} has one CatalogSource per catalog)\n`);
    const catalogDest = catalog ? places.find((p) => p.key === catalog.key)?.dest : undefined;
    const built = result.mirrored.find((m) => m.kind === 'catalog');
    const catalogImage = built && catalog ? `${built.dest.registry}/${built.dest.repository}@${built.digest}` : catalogDest ? formatReference(catalogDest) : undefined;
    await writeManifests(
      {
        name: catalog ? indexName(parseReference(catalog.source)) : basename(resolve(dir)),
        mapping: places.map((p) => ({ source: p.source, dest: formatReference(p.dest) })),
        mirrored: { images, ...(catalogImage ? { catalogImage } : {}) },
      },
      run,
    );
    return reportFailures(result.failed, run);
  });
}
