// The OLM v1 install check of a chosen bundle from what the catalog says of it (properties, olm.csv.metadata, an
// olm.bundle.object CSV, and OLM v1's bundle validators when every manifest is there): no image is read here.
import type { Bundle } from '../catalog/fbc/types.js';
import { describeBundle } from '../catalog/query/catalog-index.js';
import { bundleContentFromCatalog } from './bundle-content.js';
import type { OlmV1CheckInput } from './check-olm-v1.js';
import type { OlmTarget } from './olm-versions.js';
import { validateBundle } from './validate-bundle.js';

export interface CheckTarget {
  olmVersion: OlmTarget;
  featureGates: readonly string[];
  watchNamespace?: string;
  installNamespace?: string;
}

/** The check's input for `bundle` (absent: a name the catalog no longer has, checked from nothing). */
export function catalogCheckInput(bundleName: string, bundle: Bundle | undefined, target: CheckTarget): OlmV1CheckInput {
  const indexed = bundle ? describeBundle(bundle) : undefined;
  const content = bundle ? bundleContentFromCatalog(bundle) : null;
  return {
    ...(content ? { validatorIssues: validateBundle(content) } : {}),
    bundle: bundleName,
    properties: bundle?.properties ?? [],
    installModes: indexed?.installModes ?? null,
    webhookTypes: indexed?.webhookTypes ?? null,
    olmVersion: target.olmVersion,
    featureGates: target.featureGates,
    ...(target.watchNamespace !== undefined ? { watchNamespace: target.watchNamespace } : {}),
    ...(target.installNamespace !== undefined ? { installNamespace: target.installNamespace } : {}),
  };
}
