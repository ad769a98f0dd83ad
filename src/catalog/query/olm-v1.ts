// Whether OLM v1 (operator-controller) would install a bundle, from what the catalog and the bundle image say:
// the supported-content rules of opm-olm.md §6.3 step 6 and §6.4, as reasons a user can act on.
import type { IndexedBundle } from './catalog-index.js';

const ALL_NAMESPACES = 'AllNamespaces';

/**
 * Why OLM v1 would refuse the bundle: [] when it would install it, null when neither the catalog nor the
 * bundle's image facts tell. Webhooks are allowed (operator-controller provides their certificates through
 * cert-manager or the OpenShift service CA), except a conversion webhook on a bundle that supports install modes
 * besides AllNamespaces. Older operator-controller releases refused every webhook: add --no-webhooks for those.
 */
export function olmV1Problems(b: Pick<IndexedBundle, 'installModes' | 'webhookTypes' | 'dependencies'>): string[] | null {
  const problems = b.dependencies.map((d) => `declares a dependency (${d}), which OLM v1 does not support`);
  if (b.installModes !== null && !b.installModes.includes(ALL_NAMESPACES)) problems.push('does not support the AllNamespaces install mode');
  const onlyAll = b.installModes !== null && b.installModes.length === 1 && b.installModes[0] === ALL_NAMESPACES;
  if (b.webhookTypes?.includes('ConversionWebhook') && b.installModes !== null && !onlyAll) problems.push('has a conversion webhook but supports install modes besides AllNamespaces');
  if (problems.length > 0) return problems;
  // A bundle that supports AllNamespaces alone passes whatever its webhooks are.
  if (b.installModes === null || (b.webhookTypes === null && !onlyAll)) return null;
  return [];
}
