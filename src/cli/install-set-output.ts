// install plan -o yaml: the ready-to-apply set for the chosen bundle, with its manifests from the catalog or the
// bundle image. OLM v1: install/v1-install-set.ts; OLM v0: Namespace, OperatorGroup fitted to install modes, Subscription.
import { GantryError } from '../errors.js';
import type { Bundle } from '../catalog/fbc/types.js';
import { bundleContentFromCatalog } from '../install/bundle-content.js';
import { olmV0InstallSet, type SubscriptionRequest } from '../install/install-set.js';
import type { BundleContent } from '../install/manifests.js';
import { yamlComment as comment, yamlOf } from '../install/v1-install-set.js';
import type { CliContext } from './context.js';

// The OLM v1 set is library code (the web UI prints it too).
export { formatV1Set } from '../install/v1-install-set.js';

/**
 * The bundle's manifests: from the catalog's olm.bundle.object properties when it has them, else from the bundle
 * image (cached by digest). --offline forbids the image: then the set cannot be computed, and the error says why.
 */
export async function chosenBundleContent(ctx: CliContext, registryFlags: Record<string, unknown>, bundle: Bundle | undefined, image: string, offline: boolean): Promise<BundleContent> {
  const fromCatalog = bundle ? bundleContentFromCatalog(bundle) : null;
  if (fromCatalog) return fromCatalog;
  if (offline || image === '') {
    throw new GantryError('BUNDLE_UNREADABLE', `the catalog does not carry ${bundle?.name ?? 'the bundle'}'s manifests (no olm.bundle.object properties)${offline ? ' and --offline forbids reading its image' : ''}`, {
      hint: offline ? `drop --offline so that ${image} is read (cached afterwards)` : 'render the catalog with its bundle objects, or give the bundle image',
    });
  }
  const { openBundleContent } = await import('./bundle-source.js');
  return (await openBundleContent(ctx, `docker://${image}`, registryFlags)).content;
}

export interface V0SetInput extends SubscriptionRequest {
  /** The bundle's supported install modes: they decide the OperatorGroup's target namespaces. */
  installModes: readonly string[];
  watchNamespace?: string;
  header: string[];
}

/** Namespace, OperatorGroup, Subscription. */
export function formatV0Set(input: V0SetInput): string {
  const { header, watchNamespace, ...sub } = input;
  const objects = olmV0InstallSet({ ...sub, ...(watchNamespace !== undefined ? { watchNamespace } : {}) });
  return comment(header) + objects.map(yamlOf).join('---\n');
}
