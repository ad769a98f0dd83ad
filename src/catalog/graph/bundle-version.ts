// The version of a bundle as opm reads it for graphs and templates: exactly one olm.package property whose
// version blang parses strictly (OR:alpha/declcfg/write.go parseVersionProperty, alpha/template/semver/semver.go).
import { parseVersion, quoteGoString, SemverError, type Version } from '../../semver/index.js';
import { checkProperties, decodePackageProperty } from '../model/properties.js';
import type { Bundle } from '../fbc/types.js';

export interface BundlePackage {
  packageName: string;
  version: Version;
}

/** Thrown with opm's message when a bundle has no usable version. */
export class BundleVersionError extends Error {
  readonly bundle: string;

  constructor(message: string, bundle: string) {
    super(message);
    this.name = 'BundleVersionError';
    this.bundle = bundle;
  }
}

/** opm's checks in opm's order: properties parse, one olm.package, a strict semver version. */
export function readBundlePackage(bundle: Bundle): BundlePackage {
  const props = bundle.properties ?? [];
  const bad = checkProperties(props);
  if (bad !== undefined) throw new BundleVersionError(`parse properties for bundle ${quoteGoString(bundle.name)}: ${bad}`, bundle.name);
  const pkgProps = props.filter((p) => p.type === 'olm.package');
  if (pkgProps.length !== 1) {
    // opm says "multiple" for zero properties too.
    throw new BundleVersionError(`bundle ${quoteGoString(bundle.name)} has multiple "olm.package" properties, expected exactly 1`, bundle.name);
  }
  const pp = decodePackageProperty(pkgProps[0]!.value);
  try {
    return { packageName: pp.packageName, version: parseVersion(pp.version) };
  } catch (err) {
    if (!(err instanceof SemverError)) throw err;
    throw new BundleVersionError(`bundle ${quoteGoString(bundle.name)} has invalid version ${quoteGoString(pp.version)}: ${err.message}`, bundle.name);
  }
}
