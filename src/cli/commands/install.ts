// gantry install: plan an operator install offline from mirrored catalogs. `plan` resolves a ClusterExtension
// (OLM v1) or a Subscription (OLM v0) and prints the choice, the check, or (-o yaml) the set to apply;
// `check-rbac` checks a hand-written installer RBAC against a bundle in the pre-flight's words.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { GantryError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { oneOf, outputOption } from '../output-flag.js';
import { DEFAULT_OLM_VERSION } from '../../install/olm-versions.js';
import { parseCatalogArgs } from '../install-catalogs.js';
import { runPlanV1, type PlanOpts } from '../install-plan-v1.js';
import { runPlanV0 } from '../install-plan-v0.js';
import { checkNamespaceFlag } from '../namespace-flag.js';
import { addAccessFlags, addCommonRegistryFlags } from '../registry-flags.js';

const POLICIES = ['CatalogProvided', 'SelfCertified'];
const ESCALATION = ['grant-rules', 'bind-escalate'];
const collect = (value: string, previous: string[]) => [...previous, value];
const usage = (message: string, hint?: string) => new GantryError('USAGE', message, hint ? { hint } : {});

export function registerInstall(program: Command, ctx: CliContext): void {
  const install = program.command('install').description('plan operator installs offline from mirrored catalogs');
  addCatalogSourceFlags(
    install
      .command('plan')
      .description('resolve a ClusterExtension (OLM v1) or a Subscription (OLM v0): the bundle, why not the others, whether OLM v1 installs it; -o yaml: the manifests to apply')
      .argument('<catalog...>', 'catalogs as NAME=SOURCE or SOURCE (named after its directory or image repository): a directory, a file, -, an http(s) URL, docker://… or oci:…'),
  )
    .option('--priority <name=n>', 'a catalog\'s priority (ClusterCatalog spec.priority; default 0), repeatable', collect, [])
    .option('--catalog-label <name:key=value>', 'a label of a catalog (ClusterCatalog metadata.labels) for spec.source.catalog.selector, repeatable; olm.operatorframework.io/metadata.name=NAME is implied', collect, [])
    .option('-f, --file <file.yaml>', 'a ClusterExtension (olm.operatorframework.io/v1 or v1alpha1) or a Subscription (operators.coreos.com/v1alpha1)')
    .option('--olm <v0|v1>', 'resolve as OLM v1 (a ClusterExtension, the default) or OLM v0 (a Subscription)', oneOf('--olm', ['v0', 'v1']))
    .option('--package <name>', 'the package to install')
    .option('--channel <name>', 'a channel to install from, repeatable for v1 (none: every channel; v0: the default channel first)', collect, [])
    .option('--starting-csv <name>', 'v0: the bundle to install first (spec.startingCSV)')
    .option('--source <name>', 'v0: the catalog the Subscription names (spec.source); default: every catalog, highest priority first')
    .option('--version <range>', 'a version range (Masterminds syntax, as in spec.source.catalog.version)')
    .option('--installed <name|version>', 'the bundle installed now: v1 takes one of its successors; v0 walks the upgrade path from it')
    .option('--upgrade-constraint-policy <policy>', POLICIES.join(' or '), oneOf('--upgrade-constraint-policy', POLICIES))
    .option('--olm-version <version>', `the OLM v1 release the check and -o yaml are for: 1.10, v1.4.0, ocp-4.17 … (default ${DEFAULT_OLM_VERSION})`)
    .option('--watch-namespace <ns>', 'install for one namespace (v1: config.inline.watchNamespace where the release supports it; v0: the OperatorGroup target)')
    .option('--feature-gate <name>', 'an alpha operator-controller feature gate the cluster has on (e.g. SingleOwnNamespaceInstallSupport), repeatable', collect, [])
    .option('--offline', 'never read the bundle image: check from the catalog alone')
    .option('--name <name>', '-o yaml: the ClusterExtension or Subscription name (default: the file\'s, else the package)')
    .option('--namespace <ns>', '-o yaml: the install namespace (default: the file\'s, else the package name)')
    .option('--service-account <name>', '-o yaml, v1: the installer ServiceAccount (default: the file\'s, else NAME-installer)')
    .option('--escalation <mode>', `-o yaml, v1: how the installer may create the bundle's RBAC: ${ESCALATION.join(' (default, least privilege) or ')}`, oneOf('--escalation', ESCALATION))
    .option('--cert-provider <provider>', 'who issues webhook certificates: cert-manager (Issuer and Certificate rendered; the default) or openshift-service-ca (the default for ocp-* targets)', oneOf('--cert-provider', ['cert-manager', 'openshift-service-ca']))
    .option('--pin-version', '-o yaml, v1: pin spec.source.catalog.version to the resolved version instead of the range asked')
    .option('--source-namespace <ns>', '-o yaml, v0: the CatalogSource namespace (default: the file\'s, else openshift-marketplace)')
    .addOption(outputOption(['tree', 'json', 'yaml'], 'tree'))
    .option('--no-cache', 'do not use or write the catalog index cache (directories only)')
    .action(async (catalogs: string[], opts: PlanOpts) => {
      ctx.exitCode = await runPlan(ctx, catalogs, opts);
    });

  addCommonRegistryFlags(addAccessFlags(install.command('check-rbac'), '', 'bundle image'))
    .description('check a hand-written installer ServiceAccount RBAC against a bundle; print the missing rules as operator-controller\'s pre-flight check does')
    .argument('<bundle>', 'a registry+v1 bundle directory, docker://IMAGE or oci:PATH[:TAG]')
    .requiredOption('-f, --file <rbac.yaml>', 'Roles, ClusterRoles, RoleBindings and ClusterRoleBindings (multi-document YAML or a List)')
    .option('--namespace <ns>', 'the ClusterExtension spec.namespace (install namespace)')
    .option('--name <name>', 'the ClusterExtension name (default: the package name)')
    .option('--service-account <name>', 'the installer ServiceAccount (default: NAME-installer)')
    .option('--watch-namespace <ns>', 'config.inline.watchNamespace (SingleNamespace/OwnNamespace installs)')
    .option('--cert-provider <provider>', 'who issues webhook certificates: cert-manager (default; Issuer and Certificate rendered) or openshift-service-ca', oneOf('--cert-provider', ['cert-manager', 'openshift-service-ca']))
    .action(async (bundle: string, opts: Record<string, unknown>) => {
      const { runCheckRbac } = await import('../install-check-rbac.js');
      ctx.exitCode = await runCheckRbac(ctx, bundle, opts);
    });
}

async function runPlan(ctx: CliContext, sources: string[], opts: PlanOpts): Promise<number> {
  checkNamespaceFlag('--namespace', opts.namespace);
  checkNamespaceFlag('--watch-namespace', opts.watchNamespace);
  checkNamespaceFlag('--source-namespace', opts.sourceNamespace);
  const args = parseCatalogArgs(sources, opts);
  const text = opts.file === undefined ? undefined : await readFile(opts.file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${opts.file}`, { cause: err });
  });
  // The YAML parser loads only for -f: a flags-only warm run stays light.
  const isSubscription = text !== undefined && (await import('../../config/subscription.js')).peekKind(text) === 'Subscription';
  if (isSubscription && opts.olm === 'v1') throw usage(`--olm v1 does not fit ${opts.file}: a Subscription is OLM v0`, 'drop --olm: -f decides by the document\'s kind');
  if (isSubscription || opts.olm === 'v0') {
    const v1Only = [['--olm-version', opts.olmVersion], ['--feature-gate', opts.featureGate.length > 0 || undefined], ['--catalog-label', opts.catalogLabel.length > 0 || undefined], ['--escalation', opts.escalation], ['--pin-version', opts.pinVersion], ['--service-account', opts.serviceAccount], ['--cert-provider', opts.certProvider]].filter(([, v]) => v !== undefined).map(([f]) => f);
    if (v1Only.length > 0) throw usage(`${v1Only.join(', ')} ${v1Only.length === 1 ? 'is' : 'are'} for OLM v1 (a ClusterExtension), not a Subscription`, 'drop them, or drop --olm v0');
    return runPlanV0(ctx, args, opts, text);
  }
  if (opts.startingCsv !== undefined || opts.source !== undefined) throw usage('--starting-csv and --source are Subscription fields', 'add --olm v0');
  if (opts.sourceNamespace !== undefined) throw usage('--source-namespace is a Subscription field', 'add --olm v0');
  return runPlanV1(ctx, args, opts, text);
}
