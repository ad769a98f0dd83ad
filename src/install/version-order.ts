// The order OLM v1 ranks bundles in: version, then the release that build metadata carries (v1.8.0+:
// `1.0.0+2` is release 2; a bundle with a release ranks above one without, at the same version).
import { compareVersions, type Version } from '../semver/index.js';

/** The release read from build metadata, as numbers, or undefined when the metadata is not a release. */
function releaseOf(v: Version): number[] | undefined {
  if (v.build.length === 0 || !v.build.every((p) => /^(0|[1-9]\d*)$/.test(p))) return undefined;
  return v.build.map(Number);
}

/** Descending: the bundle OLM v1 prefers first. */
export function compareForChoice(a: Version, b: Version): number {
  const byVersion = compareVersions(b, a);
  if (byVersion !== 0) return byVersion;
  const ra = releaseOf(a);
  const rb = releaseOf(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : 0;
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const d = (rb[i] ?? -1) - (ra[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
