// gantry install plan: resolve a ClusterExtension (OLM v1) or a Subscription (OLM v0) offline against mirrored
// catalogs and say what it chooses and why. Flags or -f FILE (dispatched on kind) → resolveClusterExtension/resolveSubscription.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { GantryError, isGantryError } from '../../errors.js';
import { loadCatalog } from '../../catalog/fbc/load.js';
import { buildCatalogModel } from '../../catalog/model/catalog-model.js';
import { parseClusterExtension, peekKind, SUBSCRIPTION_KIND } from '../../config/index.js';
import { compileVersionRange, resolveClusterExtension, resolveSubscription, type NamedCatalog, type ResolveOptions, type UpgradeConstraintPolicy } from '../../install/index.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { openCatalogSource } from '../catalog-source.js';
import { describeIssue } from '../delete-report.js';
import { oneOf, outputOption } from '../output-flag.js';
import { formatPlanTree, planDocument } from '../install-output.js';
import { nameCatalog } from '../catalog-name.js';
import { formatSubscriptionTree, subscriptionDocument } from '../install-output-v0.js';
import { subscriptionFromFile, subscriptionFromFlags, type V0Request } from '../subscription-request.js';
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
  olm?: 'v0' | 'v1';
  startingCsv?: string;
  source?: string;
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
      .description('resolve a ClusterExtension as OLM v1 would (the bundle it installs, and why each other candidate is not chosen), or a Subscription as OLM v0 would (the bundle, the upgrade path, the dependencies)')
      .argument('<catalog...>', 'catalogs as NAME=SOURCE or SOURCE (named after its directory or image repository): a directory, a file, -, an http(s) URL, docker://… or oci:…'),
  )
    .option('--priority <name=n>', 'a catalog\'s priority (ClusterCatalog spec.priority; default 0), repeatable', collect, [])
    .option('-f, --file <file.yaml>', 'a ClusterExtension (olm.operatorframework.io/v1 or v1alpha1) or a Subscription (operators.coreos.com/v1alpha1)')
    .option('--olm <v0|v1>', 'resolve as OLM v1 (a ClusterExtension, the default) or OLM v0 (a Subscription)', oneOf('--olm', ['v0', 'v1']))
    .option('--package <name>', 'the package to install')
    .option('--channel <name>', 'a channel to install from, repeatable for v1 (none: every channel; v0: the default channel first)', collect, [])
    .option('--starting-csv <name>', 'v0: the bundle to install first (spec.startingCSV)')
    .option('--source <name>', 'v0: the catalog the Subscription names (spec.source); default: every catalog, highest priority first')
    .option('--version <range>', 'a version range (Masterminds syntax, as in spec.source.catalog.version)')
    .option('--installed <name|version>', 'the bundle installed now: v1 takes one of its successors; v0 walks the upgrade path from it')
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
  const named = sources.map(nameCatalog);
  const text = opts.file === undefined ? undefined : await readFile(opts.file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${opts.file}`, { cause: err });
  });
  const isSubscription = text !== undefined && peekKind(text) === SUBSCRIPTION_KIND;
  if (isSubscription && opts.olm === 'v1') throw usage(`--olm v1 does not fit ${opts.file}: a Subscription is OLM v0`, 'drop --olm: -f decides by the document\'s kind');
  if (isSubscription || opts.olm === 'v0') {
    const names = named.map((n) => n.name);
    const request = text !== undefined ? subscriptionFromFile(text, opts.file!, opts, names, ctx) : subscriptionFromFlags(opts, names);
    return runPlanV0(ctx, named, opts, request);
  }
  if (opts.startingCsv !== undefined || opts.source !== undefined) throw usage('--starting-csv and --source are Subscription fields', 'add --olm v0');
  const request = await requestOf(opts, ctx, text);
  const priorities = parsePriorities(opts.priority, named.map((n) => n.name));
  checkUniqueNames(named);
  // Only the package's blobs are kept: a 7,000-bundle catalog is not turned into a model for one package.
  const catalogs = await loadCatalogs(ctx, named, opts, priorities, (p) => p === request.package);
  const result = resolveClusterExtension({ ...request, catalogs });
  const { installNamespace } = request;
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



async function runPlanV0(ctx: CliContext, named: { name: string; source: string }[], opts: PlanOpts, request: V0Request): Promise<number> {
  checkUniqueNames(named);
  const priorities = parsePriorities(opts.priority, named.map((n) => n.name));
  // Every package is kept: an olm.gvk.required dependency may be provided by any package of any catalog.
  const catalogs = await loadCatalogs(ctx, named, opts, priorities, () => true);
  const result = resolveSubscription({ ...request.options, catalogs });
  if (request.approval === 'Manual') result.notes.push('installPlanApproval Manual: OLM waits for an approved InstallPlan before each install and each upgrade step');
  // -o yaml prints the same document as -o json for now; the Namespace/OperatorGroup/Subscription manifest set comes later.
  return printPlan(ctx, opts.output, subscriptionDocument(result), () => formatSubscriptionTree(request.options.package, result), result);
}

/** Prints the tree or the document; exit 1 with the resolver's error when nothing resolves. */
async function printPlan(ctx: CliContext, output: string, doc: Record<string, unknown>, tree: () => string, result: { bundle: unknown; error?: string }): Promise<number> {
  if (output === 'json') ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else if (output === 'yaml') ctx.stdout.write((await import('../yaml-output.js')).formatYaml(doc));
  else ctx.stdout.write(tree());
  if (result.bundle) return 0;
  ctx.stderr.write(`error[NOT_FOUND]: ${result.error ?? 'nothing resolves'}\n`);
  return 1;
}

function checkUniqueNames(named: { name: string }[]): void {
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n.name)) throw usage(`two catalogs are named "${n.name}"`, 'name them: NAME=SOURCE');
    seen.add(n.name);
  }
}

async function loadCatalogs(ctx: CliContext, named: { name: string; source: string }[], opts: PlanOpts, priorities: Map<string, number>, keepPackage: (p: string) => boolean): Promise<NamedCatalog[]> {
  const catalogs: NamedCatalog[] = [];
  for (const n of named) {
    const tree = await openCatalogSource(n.source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
    const loaded = await loadCatalog(tree, { signal: ctx.signal, keepPackage });
    const errors = loaded.issues.filter((i) => i.severity !== 'warning').length;
    if (errors > 0) ctx.stderr.write(`warning: catalog ${n.name} has ${errors} problem${errors === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
    catalogs.push({ name: n.name, priority: priorities.get(n.name) ?? 0, model: buildCatalogModel(loaded.config) });
  }
  return catalogs;
}

/** The resolution request, and the ClusterExtension's spec.namespace when -f gives one (for OwnNamespace). */
type Request = Omit<ResolveOptions, 'catalogs'> & { installNamespace?: string };

async function requestOf(opts: PlanOpts, ctx: CliContext, text: string | undefined): Promise<Request> {
  if (opts.file === undefined || text === undefined) {
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
