// gantry install plan: resolve a ClusterExtension offline against mirrored catalogs, as OLM v1 would, and say
// what it chooses and why every other candidate lost. Flags or -f clusterextension.yaml → resolveClusterExtension.
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GantryError, isGantryError } from '../../errors.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import type { DeclarativeConfig } from '../../catalog/fbc/types.js';
import { countProblems } from '../../catalog/query/package-files.js';
import { loadCatalogPackages } from '../../files/catalog-index-cache.js';
import { CATALOG_NAME_LABEL, catalogLabels, compileVersionRange, resolveClusterExtension, selectCatalogs, type NamedCatalog, type ResolveOptions, type UpgradeConstraintPolicy } from '../../install/index.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { oneOf, outputOption } from '../output-flag.js';
import { formatPlanTree, planDocument } from '../install-output.js';
import { nameCatalog } from '../catalog-name.js';

interface PlanOpts extends Record<string, unknown> {
  file?: string;
  package?: string;
  channel: string[];
  version?: string;
  installed?: string;
  upgradeConstraintPolicy?: UpgradeConstraintPolicy;
  priority: string[];
  catalogLabel: string[];
  output: string;
  cache?: boolean;
}

const POLICIES = ['CatalogProvided', 'SelfCertified'];
const collect = (value: string, previous: string[]) => [...previous, value];
const usage = (message: string, hint?: string) => new GantryError('USAGE', message, hint ? { hint } : {});

export function registerInstall(program: Command, ctx: CliContext): void {
  const install = program.command('install').description('plan operator installs offline from mirrored catalogs');
  addCatalogSourceFlags(
    install
      .command('plan')
      .description('resolve a ClusterExtension as OLM v1 would: the bundle it installs, and why each other candidate is not chosen')
      .argument('<catalog...>', 'catalogs as NAME=SOURCE or SOURCE (named after its directory or image repository): a directory, a file, -, an http(s) URL, docker://… or oci:…'),
  )
    .option('--priority <name=n>', 'a catalog\'s priority (ClusterCatalog spec.priority; default 0), repeatable', collect, [])
    .option('--catalog-label <name:key=value>', 'a label of a catalog (ClusterCatalog metadata.labels) for spec.source.catalog.selector, repeatable; olm.operatorframework.io/metadata.name=NAME is implied', collect, [])
    .option('-f, --file <clusterextension.yaml>', 'a ClusterExtension (olm.operatorframework.io/v1 or v1alpha1)')
    .option('--package <name>', 'the package to install')
    .option('--channel <name>', 'a channel to install from, repeatable (none: every channel)', collect, [])
    .option('--version <range>', 'a version range (Masterminds syntax, as in spec.source.catalog.version)')
    .option('--installed <name|version>', 'the bundle installed now: only its successors are candidates')
    .option('--upgrade-constraint-policy <policy>', POLICIES.join(' or '), oneOf('--upgrade-constraint-policy', POLICIES))
    .addOption(outputOption(['tree', 'json', 'yaml'], 'tree'))
    .option('--no-cache', 'do not use or write the catalog index cache (directories only)')
    .action(async (catalogs: string[], opts: PlanOpts) => {
      ctx.exitCode = await runPlan(ctx, catalogs, opts);
    });
}

async function runPlan(ctx: CliContext, sources: string[], opts: PlanOpts): Promise<number> {
  const request = await requestOf(opts, ctx);
  const named = sources.map(nameCatalog);
  const priorities = parsePriorities(opts.priority, named.map((n) => n.name));
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n.name)) throw usage(`two catalogs are named "${n.name}"`, 'name them: NAME=SOURCE');
    seen.add(n.name);
  }
  const labels = parseCatalogLabels(opts.catalogLabel, named.map((n) => n.name));
  // Catalogs the selector leaves out are not read at all: as on a cluster, their state cannot fail the resolution.
  const selected = selectCatalogs(named.map((n) => ({ ...n, labels: labels.get(n.name) ?? {} })), request.selector);
  const catalogs: NamedCatalog[] = [];
  for (const n of selected) {
    const loaded = await loadPackages(ctx, n.source, [request.package], opts);
    const errors = loaded.problems;
    if (errors > 0) ctx.stderr.write(`warning: catalog ${n.name} has ${errors} problem${errors === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
    catalogs.push({ name: n.name, priority: priorities.get(n.name) ?? 0, labels: n.labels, model: buildCatalogModel(loaded.config) });
  }
  const result = resolveClusterExtension({ ...request, catalogs });
  if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(planDocument(result), null, 2)}\n`);
  else if (opts.output === 'yaml') ctx.stdout.write((await import('../yaml-output.js')).formatYaml(planDocument(result)));
  else ctx.stdout.write(formatPlanTree(request.package, result));
  if (result.bundle) return 0;
  ctx.stderr.write(`error[NOT_FOUND]: ${result.error ?? 'nothing resolves'}\n`);
  if (selected.length === 0) ctx.stderr.write(`hint: spec.source.catalog.selector matches none of the catalogs given (${named.map((n) => `${n.name} ${JSON.stringify(catalogLabels(n.name, labels.get(n.name)))}`).join(', ')}); label them with --catalog-label NAME:KEY=VALUE\n`);
  return 1;
}

/**
 * Only the packages' blobs are kept: a 7,000-bundle catalog is not turned into a model for one package. A local
 * directory goes through the index cache, which names the files holding each package, so a warm run parses only
 * those; other sources (a file, stdin, a URL, an image) are read whole, as one file would be anyway.
 */
async function loadPackages(ctx: CliContext, source: string, packages: string[], opts: PlanOpts): Promise<{ config: DeclarativeConfig; problems: number }> {
  if (isLocalDirectory(source)) return loadCatalogPackages(source, packages, { useCache: opts.cache !== false, signal: ctx.signal });
  // Loaded on demand: the registry client and the YAML parsers cost start-up time a warm directory run never needs.
  const [{ openCatalogSource }, { loadCatalog }] = await Promise.all([import('../catalog-source.js'), import('../../catalog/fbc/load.js')]);
  const tree = await openCatalogSource(source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
  const loaded = await loadCatalog(tree, { signal: ctx.signal, keepPackage: (p) => packages.includes(p) });
  return { config: loaded.config, problems: countProblems(loaded.issues) };
}

const isLocalDirectory = (source: string) => source !== '-' && !/^(https?:\/\/|docker:\/\/|oci:)/.test(source) && statSync(source, { throwIfNoEntry: false })?.isDirectory() === true;

type Request = Omit<ResolveOptions, 'catalogs'>;

async function requestOf(opts: PlanOpts, ctx: CliContext): Promise<Request> {
  if (opts.file === undefined) {
    if (opts.package === undefined) throw usage('give the package: --package P, or -f clusterextension.yaml');
    const request: Request = { package: opts.package, channels: opts.channel, versionRange: opts.version ?? '', upgradeConstraintPolicy: opts.upgradeConstraintPolicy ?? 'CatalogProvided' };
    if (opts.installed !== undefined) request.installed = opts.installed;
    compileVersionRange(request.versionRange ?? '');
    return request;
  }
  if (opts.package !== undefined || opts.channel.length > 0 || opts.version !== undefined || opts.upgradeConstraintPolicy !== undefined) {
    throw usage('-f takes package, channels, version and policy from the ClusterExtension', 'drop --package, --channel, --version and --upgrade-constraint-policy, or drop -f');
  }
  const file = opts.file;
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${file}`, { cause: err });
  });
  const [{ parseClusterExtension }, { describeIssue }] = await Promise.all([import('../../config/cluster-extension.js'), import('../delete-report.js')]);
  const parsed = parseClusterExtension(text, file);
  for (const i of parsed.issues) ctx.stderr.write(`${describeIssue(i)}\n`);
  if (!parsed.spec) throw new GantryError('CONFIG_INVALID', `${file} is not a valid ClusterExtension`);
  const spec = parsed.spec;
  const versionField = spec.apiVersion.endsWith('/v1') ? 'spec.source.catalog.version' : 'spec.version';
  try {
    compileVersionRange(spec.version);
  } catch (err) {
    if (isGantryError(err)) throw new GantryError('CONFIG_INVALID', `${file}:${spec.versionLine ?? 1}: ${versionField}: ${err.message}`, err.hint ? { hint: err.hint } : {});
    throw err;
  }
  const request: Request = { package: spec.packageName, channels: spec.channels, versionRange: spec.version, upgradeConstraintPolicy: spec.upgradeConstraintPolicy, ...(spec.selector ? { selector: spec.selector } : {}) };
  if (opts.installed !== undefined) request.installed = opts.installed;
  return request;
}

/**
 * --catalog-label NAME:KEY=VALUE. A catalog name (DNS-1123) and a label key (an optional DNS prefix, '/', a name)
 * hold no ':' and a key holds no '=', so the first ':' and the first '=' after it split it without quoting.
 */
function parseCatalogLabels(values: string[], names: string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const v of values) {
    const m = /^([^:]+):([^=]+)=(.*)$/.exec(v);
    if (!m) throw usage(`--catalog-label "${v}" must be NAME:KEY=VALUE`, 'e.g. --catalog-label redhat:tier=certified');
    const [, name, key, value] = m as unknown as [string, string, string, string];
    if (!names.includes(name)) throw usage(`--catalog-label names catalog "${name}", which is not given`, `catalogs: ${names.join(', ')}`);
    if (key === CATALOG_NAME_LABEL) throw usage(`--catalog-label cannot set ${CATALOG_NAME_LABEL}: it is always the catalog's name`, 'name the catalog NAME=SOURCE instead');
    out.set(name, { ...out.get(name), [key]: value });
  }
  return out;
}

function parsePriorities(values: string[], names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const m = /^(.+)=(-?\d+)$/.exec(v);
    if (!m) throw usage(`--priority "${v}" must be NAME=N (a whole number)`);
    if (!names.includes(m[1]!)) throw usage(`--priority names catalog "${m[1]}", which is not given`, `catalogs: ${names.join(', ')}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}
