// gantry install check-rbac BUNDLE -f rbac.yaml: renders the bundle as OLM v1 would, and checks the hand-written
// RBAC of the installer ServiceAccount against what operator-controller's pre-flight check (v1.3–v1.10) demands.
import { readFile } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { parseRbacObjects } from '../config/rbac-objects.js';
import { checkInstallerRbac } from '../install/check-installer-rbac.js';
import { renderRegistryV1 } from '../install/render-registry-v1.js';
import { validateBundle } from '../install/validate-bundle.js';
import { openBundleContent } from './bundle-source.js';
import type { CliContext } from './context.js';
import { describeIssue } from './delete-report.js';
import { checkNamespaceFlag } from './namespace-flag.js';

export async function runCheckRbac(ctx: CliContext, source: string, opts: Record<string, unknown>): Promise<number> {
  const namespace = opts.namespace as string | undefined;
  if (!namespace) throw new GantryError('USAGE', '--namespace is required', { hint: 'give the install namespace, as in the ClusterExtension: --namespace NS' });
  checkNamespaceFlag('--namespace', namespace);
  checkNamespaceFlag('--watch-namespace', opts.watchNamespace as string | undefined);
  const file = opts.file as string;
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${file}`, { cause: err });
  });
  const parsed = parseRbacObjects(text, file, { namespace });
  for (const i of parsed.issues) ctx.stderr.write(`${describeIssue(i)}\n`);
  if (!parsed.objects) throw new GantryError('CONFIG_INVALID', `${file} has RBAC objects that do not parse`);
  const opened = await openBundleContent(ctx, source, opts);
  const issues = validateBundle(opened.content);
  if (issues.length > 0) {
    for (const i of issues) ctx.stderr.write(`error[BUNDLE_INVALID]: ${i.origin}: ${i.message} (${i.code})\n`);
    return 1;
  }
  const watch = opts.watchNamespace as string | undefined;
  const certProvider = opts.certProvider as 'cert-manager' | 'openshift-service-ca' | undefined;
  const rendered = renderRegistryV1(opened.content, { installNamespace: namespace, ...(watch ? { watchNamespace: watch } : {}), ...(certProvider ? { certProvider } : {}) });
  const name = (opts.name as string | undefined) ?? (opened.content.package || String(opened.content.csv.metadata.name));
  const serviceAccount = (opts.serviceAccount as string | undefined) ?? `${name}-installer`;
  const result = checkInstallerRbac(rendered, { name, namespace, serviceAccount }, parsed.objects);
  if (result.report === undefined) {
    ctx.stdout.write(`ServiceAccount ${namespace}/${serviceAccount} may install ${opened.content.csv.metadata.name} (${rendered.length} objects) as ClusterExtension ${name}\n`);
    return 0;
  }
  ctx.stdout.write(`${result.report}\n`);
  ctx.stderr.write(`error[RBAC_INSUFFICIENT]: ServiceAccount ${namespace}/${serviceAccount} lacks ${result.missing.length} permission${result.missing.length === 1 ? '' : 's'} OLM v1 needs to install ${opened.content.csv.metadata.name}\n`);
  ctx.stderr.write(`hint: gantry install plan CATALOG --package ${opened.content.package || 'P'} -o yaml writes least-privilege RBAC for it\n`);
  return 1;
}
