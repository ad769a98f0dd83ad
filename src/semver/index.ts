// Public surface of catalog/semver: a faithful port of blang/semver v4 (what opm uses) for bundle
// versions and skipRange / versionRange expressions. Everything else in this folder is internal.

export {
  compareVersions,
  comparePrereleaseIdentifiers,
  formatVersion,
  parseVersion,
  parseVersionTolerant,
  tryParseVersion,
  type PrereleaseIdentifier,
  type Version,
  type VersionNumber,
} from './version.js';
export { parseRange, type VersionRange } from './range.js';
export { hasHyphenRange, parseConstraint, type VersionConstraint } from './masterminds.js';
export { isSemverError, SemverError, type SemverErrorCode } from './semver-error.js';
export { quoteGoString } from './go-text.js';
