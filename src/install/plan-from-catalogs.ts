// An OLM v1 install plan from catalogs alone: resolution, the install check from what the catalogs say, and the
// set to apply when the catalog carries the bundle's manifests (olm.bundle.object). No image is read: the web UI.
import { GantryError, isGantryError } from '../errors.js';
import { bundleContentFromCatalog } from './bundle-content.js';
import { catalogCheckInput } from './catalog-check.js';
import { checkOlmV1Install, type OlmV1Check } from './check-olm-v1.js';
import { resolveClusterExtension } from './resolve-cluster-extension.js';
import type { NamedCatalog, Resolution } from './types.js';
import { formatV1Set, v1SetInput, type V1SetRequest } from './v1-install-set.js';

export interface CatalogPlanRequest extends V1SetRequest {
  /** The installed bundle, by bundle name or version. */
  installed?: string;
  featureGates?: readonly string[];
}

/** Why there is no set: the code and words `gantry install plan -o yaml --offline` would give. */
export interface SetRefusal {
  code: string;
  message: string;
  hint?: string;
}

export interface CatalogPlan {
  resolution: Resolution;
  check?: OlmV1Check & { olmVersion: string };
  /** The install set as YAML, or why there is none (null: nothing resolved). */
  set: { yaml: string } | { refused: SetRefusal } | null;
}

/** Plans `req` over `catalogs`; throws USAGE for a version range the ClusterExtension CRD would refuse. */
export function planFromCatalogs(catalogs: readonly NamedCatalog[], req: CatalogPlanRequest): CatalogPlan {
  const resolution = resolveClusterExtension({
    catalogs,
    package: req.package,
    channels: req.channels,
    versionRange: req.versionRange,
    upgradeConstraintPolicy: req.upgradeConstraintPolicy,
    ...(req.installed !== undefined ? { installed: req.installed } : {}),
  });
  const chosen = resolution.bundle;
  if (!chosen) return { resolution, set: null };
  const bundle = catalogs.find((c) => c.name === chosen.catalog)?.model.packages.get(req.package)?.bundles.get(chosen.name);
  const installNamespace = req.namespace ?? req.package;
  let first: OlmV1Check;
  try {
    first = checkOlmV1Install(catalogCheckInput(chosen.name, bundle, { olmVersion: req.olmVersion, featureGates: req.featureGates ?? [], installNamespace, ...(req.watchNamespace ? { watchNamespace: req.watchNamespace } : {}) }));
  } catch (err) {
    // Manifests in the catalog that do not read (olm.bundle.object): OLM v1 could not unpack the bundle either.
    if (!isGantryError(err)) throw err;
    const check = { olmVersion: req.olmVersion.name, installable: false, reasons: [{ code: err.code, message: err.message }], notes: [], unknown: [] };
    return { resolution, check, set: { refused: refusalOf(err) } };
  }
  const notes = first.unknown.length > 0 && chosen.image !== '' ? [...first.notes, 'answered from the catalog alone: the bundle image was not read'] : first.notes;
  const check = { olmVersion: req.olmVersion.name, ...first, notes };
  if (check.installable === false) {
    const message = `OLM v1 ${req.olmVersion.name} would not install ${chosen.name}: ${check.reasons.map((r) => r.message).join('; ')}`;
    return { resolution, check, set: { refused: { code: 'NOT_INSTALLABLE', message, hint: 'no manifests are written for a bundle OLM v1 would refuse' } } };
  }
  const content = bundle ? bundleContentFromCatalog(bundle) : null;
  if (!content) {
    const message = `the catalog does not carry ${chosen.name}'s manifests (no olm.bundle.object properties), and the bundle image is not read here`;
    return { resolution, check, set: { refused: { code: 'BUNDLE_UNREADABLE', message, hint: `gantry install plan -o yaml reads ${chosen.image || 'the bundle image'} (cached afterwards)` } } };
  }
  try {
    return { resolution, check, set: { yaml: formatV1Set(v1SetInput(chosen, content, { ...req, namespace: installNamespace })) } };
  } catch (err) {
    if (!isGantryError(err)) throw err;
    return { resolution, check, set: { refused: refusalOf(err) } };
  }
}

const refusalOf = (err: GantryError): SetRefusal => ({ code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
