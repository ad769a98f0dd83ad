// install plan for OLM v1: a ClusterExtension from -f or flags → the catalogs its selector picks → resolution →
// the install check of the chosen bundle → a tree, the plan document (-o json), or the set to apply (-o yaml).
import { GantryError, isGantryError } from '../errors.js';
import { CHECK_FEATURE_GATES } from '../install/check-olm-v1.js';
import { catalogLabels, compileVersionRange, resolveClusterExtension, selectCatalogs, type ResolveOptions, type UpgradeConstraintPolicy } from '../install/index.js';
import { DEFAULT_OLM_VERSION, parseOlmVersion } from '../install/olm-versions.js';
import type { EscalationMode } from '../install/installer-access.js';
import type { CliContext } from './context.js';
import { loadCatalogs, type CatalogArg } from './install-catalogs.js';
import { checkChosenBundle } from './install-check.js';
import { formatPlanTree, planDocument } from './install-output.js';

export interface PlanOpts extends Record<string, unknown> {
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
  catalogLabel: string[];
  output: string;
  olmVersion?: string;
  watchNamespace?: string;
  featureGate: string[];
  offline?: boolean;
  cache?: boolean;
  name?: string;
  namespace?: string;
  serviceAccount?: string;
  escalation?: EscalationMode;
  certProvider?: 'cert-manager' | 'openshift-service-ca';
  pinVersion?: boolean;
  sourceNamespace?: string;
}

const usage = (message: string, hint?: string) => new GantryError('USAGE', message, hint ? { hint } : {});

/** The resolution request, and what -f says of the extension itself (for the check and -o yaml). */
type Request = Omit<ResolveOptions, 'catalogs'> & { name?: string; installNamespace?: string; serviceAccount?: string };

export async function runPlanV1(ctx: CliContext, args: CatalogArg[], opts: PlanOpts, text: string | undefined): Promise<number> {
  const olmVersion = parseOlmVersion(opts.olmVersion ?? DEFAULT_OLM_VERSION);
  for (const g of opts.featureGate) {
    // A misspelt gate would silently change nothing: refuse it.
    if (!CHECK_FEATURE_GATES.includes(g)) throw usage(`--feature-gate "${g}" is not a gate the install check knows`, `gates that change the check: ${CHECK_FEATURE_GATES.join(', ')}`);
  }
  const request = await requestOf(opts, ctx, text);
  // Catalogs the selector leaves out are not read at all: as on a cluster, their state cannot fail the resolution.
  const selected = selectCatalogs(args, request.selector);
  const catalogs = await loadCatalogs(ctx, selected, [request.package], opts);
  const result = resolveClusterExtension({ ...request, catalogs });
  // One install namespace for the check, the rendering and the ClusterExtension: the flag, the file's, the package.
  const installNamespace = opts.namespace ?? request.installNamespace ?? request.package;
  const flags = { olmVersion, featureGates: opts.featureGate, offline: opts.offline === true, ...(opts.watchNamespace !== undefined ? { watchNamespace: opts.watchNamespace } : {}), installNamespace };
  const check = result.bundle ? await checkChosenBundle(ctx, opts, catalogs, request.package, result.bundle, flags) : undefined;
  const planCheck = check && { olmVersion: olmVersion.name, ...check };
  if (result.bundle && opts.output === 'yaml') {
    if (check?.installable === false) {
      // Nothing on stdout: a pipe expecting manifests gets none rather than a tree.
      ctx.stderr.write(`error[NOT_INSTALLABLE]: OLM v1 ${olmVersion.name} would not install ${result.bundle.name}: ${check.reasons.map((r) => r.message).join('; ')}\n`);
      ctx.stderr.write('hint: no manifests are written for a bundle OLM v1 would refuse\n');
      return 1;
    }
    const [{ chosenBundleContent }, { formatV1Set, v1SetInput }] = await Promise.all([import('./install-set-output.js'), import('../install/v1-install-set.js')]);
    const chosen = result.bundle;
    const bundle = catalogs.find((c) => c.name === chosen.catalog)?.model.packages.get(request.package)?.bundles.get(chosen.name);
    const content = await chosenBundleContent(ctx, opts, bundle, chosen.image, opts.offline === true);
    const serviceAccount = opts.serviceAccount ?? request.serviceAccount;
    const setRequest = {
      package: request.package,
      channels: request.channels,
      versionRange: request.versionRange ?? '',
      upgradeConstraintPolicy: request.upgradeConstraintPolicy,
      olmVersion,
      namespace: installNamespace,
      name: opts.name ?? request.name ?? request.package,
      ...(serviceAccount !== undefined ? { serviceAccount } : {}),
      ...(opts.watchNamespace ? { watchNamespace: opts.watchNamespace } : {}),
      ...(opts.pinVersion ? { pinVersion: true } : {}),
      ...(opts.escalation ? { escalation: opts.escalation } : {}),
      ...(opts.certProvider ? { certProvider: opts.certProvider } : {}),
    };
    ctx.stdout.write(formatV1Set(v1SetInput(chosen, content, setRequest)));
    if (check?.installable === null) ctx.stderr.write(`warning: whether OLM v1 ${olmVersion.name} would install ${chosen.name} is unknown: ${check.notes.join('; ')}\n`);
    return 0;
  }
  const doc = () => planDocument(result, planCheck);
  if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(doc(), null, 2)}\n`);
  else if (opts.output === 'yaml') ctx.stdout.write((await import('./yaml-output.js')).formatYaml(doc()));
  else ctx.stdout.write(formatPlanTree(request.package, result, planCheck));
  if (!result.bundle) {
    ctx.stderr.write(`error[NOT_FOUND]: ${result.error ?? 'nothing resolves'}\n`);
    if (selected.length === 0) ctx.stderr.write(`hint: spec.source.catalog.selector matches none of the catalogs given (${args.map((n) => `${n.name} ${JSON.stringify(catalogLabels(n.name, n.labels))}`).join(', ')}); label them with --catalog-label NAME:KEY=VALUE\n`);
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
  const [{ parseClusterExtension }, { describeIssue }] = await Promise.all([import('../config/cluster-extension.js'), import('./delete-report.js')]);
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
  if (spec.name) request.name = spec.name;
  if (spec.namespace !== undefined) request.installNamespace = spec.namespace;
  if (spec.serviceAccount !== undefined) request.serviceAccount = spec.serviceAccount;
  if (opts.installed !== undefined) request.installed = opts.installed;
  return request;
}
