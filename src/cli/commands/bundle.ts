// gantry bundle render-manifests: the Kubernetes objects OLM v1 would apply for a registry+v1 bundle (a directory
// or an image), after OLM v1's bundle validators; every issue is listed with where it was read from.
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { checkNamespaceFlag as checkNamespace } from '../namespace-flag.js';
import { renderRegistryV1, validateBundle } from '../../install/index.js';
import type { CliContext } from '../context.js';
import { openBundleContent } from '../bundle-source.js';
import { oneOf, outputOption } from '../output-flag.js';
import { addAccessFlags, addCommonRegistryFlags } from '../registry-flags.js';
import { formatYaml } from '../yaml-output.js';

interface RenderOpts extends Record<string, unknown> {
  namespace?: string;
  watchNamespace?: string;
  certProvider?: 'cert-manager' | 'openshift-service-ca';
  output: 'yaml' | 'json';
}


export function registerBundle(program: Command, ctx: CliContext): void {
  const bundle = program.command('bundle').description('registry+v1 operator bundles');
  addCommonRegistryFlags(addAccessFlags(bundle.command('render-manifests'), '', 'bundle image'))
    .description('the objects OLM v1 applies for a bundle (CRDs, ServiceAccounts, RBAC, Deployments, webhooks, other manifests)')
    .argument('<bundle>', 'a bundle directory (manifests/, metadata/), docker://IMAGE or oci:PATH[:TAG]')
    .option('-n, --namespace <ns>', 'the install namespace (ClusterExtension spec.namespace); required')
    .option('--watch-namespace <ns>', 'the one namespace to watch (config.inline.watchNamespace); default: all namespaces')
    .option('--cert-provider <provider>', 'who issues webhook certificates: cert-manager (default; Issuer and Certificate rendered) or openshift-service-ca', oneOf('--cert-provider', ['cert-manager', 'openshift-service-ca']))
    .addOption(outputOption(['yaml', 'json'], 'yaml'))
    .action(async (source: string, opts: RenderOpts) => {
      ctx.exitCode = await runRenderManifests(ctx, source, opts);
    });
}

async function runRenderManifests(ctx: CliContext, source: string, opts: RenderOpts): Promise<number> {
  if (opts.namespace === undefined || opts.namespace === '') {
    throw new GantryError('USAGE', '--namespace is required', { hint: 'give the install namespace, as in the ClusterExtension: --namespace NS' });
  }
  checkNamespace('--namespace', opts.namespace);
  if (opts.watchNamespace) checkNamespace('--watch-namespace', opts.watchNamespace);
  const opened = await openBundleContent(ctx, source, opts);
  if (opened.image) ctx.stderr.write(`read bundle image ${source} (${opened.image.digest}${opened.image.fromCache ? ', from cache' : ''})\n`);
  const issues = validateBundle(opened.content);
  if (issues.length > 0) {
    for (const i of issues) ctx.stderr.write(`error[BUNDLE_INVALID]: ${i.origin}: ${i.message} (${i.code})\n`);
    ctx.stderr.write(`${issues.length} issue${issues.length === 1 ? '' : 's'}: OLM v1 would not install ${opened.where}\n`);
    return 1;
  }
  const objects = renderRegistryV1(opened.content, { installNamespace: opts.namespace, ...(opts.watchNamespace ? { watchNamespace: opts.watchNamespace } : {}), ...(opts.certProvider ? { certProvider: opts.certProvider } : {}) });
  if (opts.output === 'json') {
    ctx.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  } else {
    ctx.stdout.write(objects.map((o) => formatYaml(o)).join('---\n'));
  }
  return 0;
}
