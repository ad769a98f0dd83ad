// install plan for OLM v0: a Subscription from -f or flags → every package of every catalog (a required GVK may
// come from any) → the first bundle, the upgrade path, the dependencies → a tree, -o json, or (-o yaml) the
// Namespace, OperatorGroup and Subscription to apply.
import { describeBundle } from '../catalog/query/catalog-index.js';
import { installModesOf } from '../install/csv-install.js';
import { resolveSubscription } from '../install/index.js';
import type { CliContext } from './context.js';
import { loadCatalogs, type CatalogArg } from './install-catalogs.js';
import { formatSubscriptionTree, subscriptionDocument } from './install-output-v0.js';
import type { PlanOpts } from './install-plan-v1.js';
import { subscriptionFromFile, subscriptionFromFlags } from './subscription-request.js';

const DEFAULT_SOURCE_NAMESPACE = 'openshift-marketplace';

export async function runPlanV0(ctx: CliContext, args: CatalogArg[], opts: PlanOpts, text: string | undefined): Promise<number> {
  const names = args.map((a) => a.name);
  const request = text !== undefined ? subscriptionFromFile(text, opts.file!, opts, names, ctx) : subscriptionFromFlags(opts, names);
  // Every package is kept: an olm.gvk.required dependency may be provided by any package of any catalog.
  const catalogs = await loadCatalogs(ctx, args, 'all', opts);
  const result = resolveSubscription({ ...request.options, catalogs });
  if (request.approval === 'Manual') result.notes.push('installPlanApproval Manual: OLM waits for an approved InstallPlan before each install and each upgrade step');
  const chosen = result.bundle;
  if (chosen && opts.output === 'yaml' && chosen.catalog === '') {
    ctx.stderr.write(`error[NOT_FOUND]: ${chosen.name} stays installed and is in none of the catalogs' channels: there is no Subscription to write\n`);
    return 1;
  }
  if (chosen && opts.output === 'yaml') {
    const { chosenBundleContent, formatV0Set } = await import('./install-set-output.js');
    const bundle = catalogs.find((c) => c.name === chosen.catalog)?.model.packages.get(request.options.package)?.bundles.get(chosen.name);
    // Install modes decide the OperatorGroup: what the catalog says (olm.csv.metadata, a CSV object), else the image's CSV.
    const installModes = (bundle ? describeBundle(bundle).installModes : null) ?? installModesOf((await chosenBundleContent(ctx, opts, bundle, chosen.image, opts.offline === true)).csv);
    const spec = request.spec;
    const pkg = request.options.package;
    ctx.stdout.write(
      formatV0Set({
        installModes: [...installModes],
        name: opts.name ?? (spec?.name || pkg),
        namespace: opts.namespace ?? spec?.namespace ?? pkg,
        package: pkg,
        channel: chosen.channel,
        source: chosen.catalog,
        sourceNamespace: opts.sourceNamespace ?? spec?.sourceNamespace ?? DEFAULT_SOURCE_NAMESPACE,
        ...(request.options.startingCSV ? { startingCSV: request.options.startingCSV } : {}),
        installPlanApproval: request.approval ?? 'Automatic',
        ...(opts.watchNamespace ? { watchNamespace: opts.watchNamespace } : {}),
        header: [
          `gantry install plan (OLM v0): ${pkg} installs ${chosen.name} (${chosen.version}) from catalog ${chosen.catalog}, channel ${chosen.channel}.`,
          ...result.dependencies.map((d) => `Dependency: ${d.package} → ${d.bundle} from ${d.catalog} (OLM v0 subscribes to it in the same namespace when it resolves this Subscription).`),
        ],
      }),
    );
    return 0;
  }
  const doc = subscriptionDocument(result);
  if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else if (opts.output === 'yaml') ctx.stdout.write((await import('./yaml-output.js')).formatYaml(doc));
  else ctx.stdout.write(formatSubscriptionTree(request.options.package, result));
  if (chosen) return 0;
  ctx.stderr.write(`error[NOT_FOUND]: ${result.error ?? 'nothing resolves'}\n`);
  return 1;
}
