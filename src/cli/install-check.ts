// install plan's check of the chosen bundle: gathers what the catalog says about it (properties, olm.csv.metadata,
// an olm.bundle.object CSV), reads its bundle image (cached) only when that leaves something open, and checks.
import { compactModel } from '../catalog/query/catalog-index.js';
import { checkOlmV1Install, type OlmV1Check, type OlmV1CheckInput } from '../install/check-olm-v1.js';
import { bundleContentFromCatalog, validateBundle, type ChosenBundle, type NamedCatalog } from '../install/index.js';
import type { OlmTarget } from '../install/olm-versions.js';
import type { CliContext } from './context.js';

export interface CheckFlags {
  olmVersion: OlmTarget;
  watchNamespace?: string;
  installNamespace?: string;
  featureGates: string[];
  offline: boolean;
}

export async function checkChosenBundle(ctx: CliContext, registryFlags: Record<string, unknown>, catalogs: readonly NamedCatalog[], pkg: string, chosen: ChosenBundle, flags: CheckFlags): Promise<OlmV1Check> {
  const model = catalogs.find((c) => c.name === chosen.catalog)?.model;
  const bundle = model?.packages.get(pkg)?.bundles.get(chosen.name);
  // The model holds only this package (install plan loads no other), so its compact form is cheap.
  const indexed = model ? compactModel(model).packages.find((p) => p.name === pkg)?.bundles.find((b) => b.name === chosen.name) : undefined;
  // OLM v1's bundle validators need every manifest: run them when the catalog carries them (olm.bundle.object).
  const content = bundle ? bundleContentFromCatalog(bundle) : null;
  const input: OlmV1CheckInput = {
    ...(content ? { validatorIssues: validateBundle(content) } : {}),
    bundle: chosen.name,
    properties: bundle?.properties ?? [],
    installModes: indexed?.installModes ?? null,
    webhookTypes: indexed?.webhookTypes ?? null,
    olmVersion: flags.olmVersion,
    featureGates: flags.featureGates,
    ...(flags.watchNamespace !== undefined ? { watchNamespace: flags.watchNamespace } : {}),
    ...(flags.installNamespace !== undefined ? { installNamespace: flags.installNamespace } : {}),
  };
  const first = checkOlmV1Install(input);
  // Read the image only when it could tell something: a verdict still open, or reasons it could add to.
  if (first.unknown.length === 0 || chosen.image === '') return first;
  if (flags.offline) return { ...first, notes: [...first.notes, 'answered from the catalog alone (--offline): the bundle image was not read'] };
  const { readBundleImages } = await import('./bundle-facts.js');
  const load = await readBundleImages(ctx, registryFlags, [chosen.image]);
  const facts = load.facts.get(chosen.image);
  if (!facts) return first;
  return checkOlmV1Install({ ...input, installModes: input.installModes ?? facts.installModes, webhookTypes: input.webhookTypes ?? facts.webhooks });
}
