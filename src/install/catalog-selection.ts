// Which catalogs a ClusterExtension resolves from: its spec.source.catalog.selector over each catalog's labels, the
// ClusterCatalog name label that catalogd sets included, as operator-controller lists ClusterCatalogs.
import type { LabelSelector } from '../config/rbac-objects.js';
import { selectorMatches } from '../config/label-selector.js';

/** catalogd labels every ClusterCatalog with its own name, so a selector can pick catalogs by name. */
export const CATALOG_NAME_LABEL = 'olm.operatorframework.io/metadata.name';

/** A catalog's labels as the cluster would show them: the given ones and the name label, which is always the name. */
export function catalogLabels(name: string, labels: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...labels, [CATALOG_NAME_LABEL]: name };
}

/**
 * The catalogs the selector matches, in their order. No selector, or an empty one, matches every catalog
 * (operator-controller turns the nil selector's labels.Nothing() into labels.Everything()).
 */
export function selectCatalogs<T extends { name: string; labels?: Readonly<Record<string, string>> }>(catalogs: readonly T[], selector: LabelSelector | undefined): T[] {
  if (!selector) return [...catalogs];
  return catalogs.filter((c) => selectorMatches(selector, catalogLabels(c.name, c.labels)));
}
