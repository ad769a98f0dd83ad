// install plan's check of the chosen bundle: gathers what the catalog says about it (properties, olm.csv.metadata,
// an olm.bundle.object CSV), reads the whole bundle image (cached by digest) only when that leaves something open,
// and checks, OLM v1's bundle validators included wherever every manifest is known.
import { supportedInstallModes, webhookTypesOf } from '../catalog/render/csv-spec.js';
import { isGantryError } from '../errors.js';
import { catalogCheckInput } from '../install/catalog-check.js';
import { checkOlmV1Install, type OlmV1Check } from '../install/check-olm-v1.js';
import { validateBundle, type ChosenBundle, type NamedCatalog } from '../install/index.js';
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
  const bundle = catalogs.find((c) => c.name === chosen.catalog)?.model.packages.get(pkg)?.bundles.get(chosen.name);
  const input = catalogCheckInput(chosen.name, bundle, flags);
  const first = checkOlmV1Install(input);
  // Read the image only when it could tell something: a verdict still open, or reasons it could add to.
  if (first.unknown.length === 0 || chosen.image === '') return first;
  if (flags.offline) return { ...first, notes: [...first.notes, 'answered from the catalog alone (--offline): the bundle image was not read'] };
  // The whole bundle, not only its facts: the install modes and webhooks of its CSV, and OLM v1's validators.
  const { openBundleContent } = await import('./bundle-source.js');
  let opened;
  try {
    opened = await openBundleContent(ctx, `docker://${chosen.image}`, registryFlags);
  } catch (err) {
    if (!isGantryError(err) || err.code === 'ABORTED') throw err;
    ctx.stderr.write(`warning: bundle image ${chosen.image}: ${err.message}\n`);
    ctx.stderr.write('hint: check the registry flags (--tls-verify, --cert-dir, --creds, --authfile), or answer from the catalog alone with --offline\n');
    return first;
  }
  ctx.stderr.write(`read 1 bundle image (${opened.image?.fromCache ? 1 : 0} from cache)\n`);
  const spec = (opened.content.csv.spec ?? {}) as { installModes?: unknown; webhookdefinitions?: unknown };
  return checkOlmV1Install({
    ...input,
    installModes: input.installModes ?? supportedInstallModes(spec.installModes),
    webhookTypes: input.webhookTypes ?? webhookTypesOf(spec.webhookdefinitions),
    validatorIssues: validateBundle(opened.content),
  });
}
