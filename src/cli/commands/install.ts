// gantry install plan: resolve a ClusterExtension offline against mirrored catalogs, as OLM v1 would, and say
// what it chooses and why every other candidate lost. Flags or -f clusterextension.yaml → resolveClusterExtension.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { GantryError, isGantryError } from '../../errors.js';
import { loadCatalog } from '../../catalog/fbc/load.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import { parseClusterExtension } from '../../config/index.js';
import { compileVersionRange, resolveClusterExtension, type NamedCatalog, type ResolveOptions, type UpgradeConstraintPolicy } from '../../install/index.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { openCatalogSource } from '../catalog-source.js';
import { describeIssue } from '../delete-report.js';
import { oneOf, outputOption } from '../output-flag.js';
import { formatPlanTree, planDocument } from '../install-output.js';
import { nameCatalog } from '../catalog-name.js';
import { DEFAULT_OLM_VERSION, parseOlmVersion } from '../../install/olm-versions.js';
import { checkChosenBundle } from '../install-check.js';
import { CHECK_FEATURE_GATES } from '../../install/check-olm-v1.js';

interface PlanOpts extends Record<string, unknown> {
  file?: string;
  package?: string;
  channel: string[];
  version?: string;
  installed?: string;
  upgradeConstraintPolicy?: UpgradeConstraintPolicy;
  priority: string[];
  output: string;
  olmVersion?: string;
  watchNamespace?: string;
  featureGate: string[];
  offline?: boolean;
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
    .option('-f, --file <clusterextension.yaml>', 'a ClusterExtension (olm.operatorframework.io/v1 or v1alpha1)')
    .option('--package <name>', 'the package to install')
    .option('--channel <name>', 'a channel to install from, repeatable (none: every channel)', collect, [])
    .option('--version <range>', 'a version range (Masterminds syntax, as in spec.source.catalog.version)')
    .option('--installed <name|version>', 'the bundle installed now: only its successors are candidates')
    .option('--upgrade-constraint-policy <policy>', POLICIES.join(' or '), oneOf('--upgrade-constraint-policy', POLICIES))
    .option('--olm-version <version>', `the OLM v1 release the check is for: 1.10, v1.4.0, ocp-4.17 … (default ${DEFAULT_OLM_VERSION})`)
    .option('--watch-namespace <ns>', 'config.inline.watchNamespace: install for one namespace (SingleNamespace/OwnNamespace) where the release supports it')
    .option('--feature-gate <name>', 'an alpha operator-controller feature gate the cluster has on (e.g. SingleOwnNamespaceInstallSupport), repeatable', collect, [])
    .option('--offline', 'never read the bundle image: check from the catalog alone')
    .addOption(outputOption(['tree', 'json', 'yaml'], 'tree'))
    .action(async (catalogs: string[], opts: PlanOpts) => {
      ctx.exitCode = await runPlan(ctx, catalogs, opts);
    });
}

async function runPlan(ctx: CliContext, sources: string[], opts: PlanOpts): Promise<number> {
  const olmVersion = parseOlmVersion(opts.olmVersion ?? DEFAULT_OLM_VERSION);
  for (const g of opts.featureGate) {
    // A misspelt gate would silently change nothing: refuse it.
    if (!CHECK_FEATURE_GATES.includes(g)) throw usage(`--feature-gate "${g}" is not a gate the install check knows`, `gates that change the check: ${CHECK_FEATURE_GATES.join(', ')}`);
  }
  const { installNamespace, ...request } = await requestOf(opts, ctx);
  const named = sources.map(nameCatalog);
  const priorities = parsePriorities(opts.priority, named.map((n) => n.name));
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n.name)) throw usage(`two catalogs are named "${n.name}"`, 'name them: NAME=SOURCE');
    seen.add(n.name);
  }
  const catalogs: NamedCatalog[] = [];
  for (const n of named) {
    const tree = await openCatalogSource(n.source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
    // Only the package's blobs are kept: a 7,000-bundle catalog is not turned into a model for one package.
    const loaded = await loadCatalog(tree, { signal: ctx.signal, keepPackage: (p) => p === request.package });
    const errors = loaded.issues.filter((i) => i.severity !== 'warning').length;
    if (errors > 0) ctx.stderr.write(`warning: catalog ${n.name} has ${errors} problem${errors === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
    catalogs.push({ name: n.name, priority: priorities.get(n.name) ?? 0, model: buildCatalogModel(loaded.config) });
  }
  const result = resolveClusterExtension({ ...request, catalogs });
  const flags = { olmVersion, featureGates: opts.featureGate, offline: opts.offline === true, ...(opts.watchNamespace !== undefined ? { watchNamespace: opts.watchNamespace } : {}), ...(installNamespace !== undefined ? { installNamespace } : {}) };
  const check = result.bundle ? await checkChosenBundle(ctx, opts, catalogs, request.package, result.bundle, flags) : undefined;
  const doc = () => planDocument(result, check && { olmVersion: olmVersion.name, ...check });
  if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(doc(), null, 2)}\n`);
  else if (opts.output === 'yaml') ctx.stdout.write((await import('../yaml-output.js')).formatYaml(doc()));
  else ctx.stdout.write(formatPlanTree(request.package, result, check && { olmVersion: olmVersion.name, ...check }));
  if (!result.bundle) {
    ctx.stderr.write(`error[NOT_FOUND]: ${result.error ?? 'nothing resolves'}\n`);
    return 1;
  }
  // Resolution succeeded, but OLM v1 would fail the install: the plan is printed, and the exit code says so.
  if (check?.installable === false) {
    ctx.stderr.write(`error[NOT_INSTALLABLE]: OLM v1 ${olmVersion.name} would not install ${result.bundle.name}: ${check.reasons.map((r) => r.message).join('; ')}\n`);
    return 1;
  }
  if (check?.installable === null) ctx.stderr.write(`warning: whether OLM v1 ${olmVersion.name} would install ${result.bundle.name} is unknown: ${check.notes.join('; ')}\n`);
  return 0;
}

/** The resolution request, and the ClusterExtension's spec.namespace when -f gives one (for OwnNamespace). */
type Request = Omit<ResolveOptions, 'catalogs'> & { installNamespace?: string };

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
  const request: Request = { package: spec.packageName, channels: spec.channels, versionRange: spec.version, upgradeConstraintPolicy: spec.upgradeConstraintPolicy };
  if (spec.namespace !== undefined) request.installNamespace = spec.namespace;
  if (opts.installed !== undefined) request.installed = opts.installed;
  return request;
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
