// Resolves a ClusterExtension offline as OLM v1's operator-controller does (resolve/catalog.go, filter/*.go):
// channels, Masterminds version range, legacy successors of the installed bundle, deprecation, version, priority.
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import type { ModelPackage } from '../catalog/model/catalog-model.js';
import { formatVersion, hasHyphenRange, isSemverError, parseConstraint, parseRange, quoteGoString, tryParseVersion, type Version, type VersionConstraint } from '../semver/index.js';
import { selectCatalogs } from './catalog-selection.js';
import { buildDeprecationConditions } from './deprecation-conditions.js';
import type { NamedCatalog, RejectedBundle, Resolution, ResolveOptions } from './types.js';
import { compareForChoice } from './version-order.js';

/** The CRD's limit on spec.source.catalog.version. */
const MAX_RANGE_CHARS = 64;

interface Candidate {
  catalog: NamedCatalog;
  pkg: ModelPackage;
  name: string;
  version: Version;
  deprecated: boolean;
}

interface Installed {
  name: string;
  version: Version;
}

/** Compiles the version field as the CRD validates it and operator-controller parses it; throws a USAGE error. */
export function compileVersionRange(range: string): VersionConstraint | undefined {
  if (range === '') return undefined;
  if (range.length > MAX_RANGE_CHARS) throw new GantryError('USAGE', `invalid version range ${quoteGoString(range)}: spec.source.catalog.version may be at most ${MAX_RANGE_CHARS} characters`);
  // Masterminds accepts `1.2 - 1.4`, but the ClusterExtension CRD's CEL rule refuses it before any controller sees it.
  if (hasHyphenRange(range)) throw new GantryError('USAGE', `invalid version range ${quoteGoString(range)}: invalid version expression (hyphen ranges are not accepted by the ClusterExtension CRD)`, { hint: 'write ">=A, <=B" instead of "A - B"' });
  try {
    return parseConstraint(range);
  } catch (err) {
    if (isSemverError(err)) throw new GantryError('USAGE', `desired version range ${quoteGoString(range)} is invalid: ${err.message}`);
    throw err;
  }
}

export function resolveClusterExtension(opts: ResolveOptions): Resolution {
  const range = compileVersionRange(opts.versionRange ?? '');
  const rejected: RejectedBundle[] = [];
  const installed = opts.installed ? findInstalled(opts) : undefined;
  const bests: Candidate[] = [];
  let firstPackage: ModelPackage | undefined;
  for (const catalog of selectCatalogs(opts.catalogs, opts.selector)) {
    const pkg = catalog.model.packages.get(opts.package);
    if (!pkg) continue;
    firstPackage ??= pkg;
    const candidates = filterBundles(catalog, pkg, opts, range, installed, rejected);
    candidates.sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || compareForChoice(a.version, b.version) || byteOrder(a.name, b.name));
    const [best, ...rest] = candidates;
    if (!best) continue;
    bests.push(best);
    for (const c of rest) {
      const deprecated = c.deprecated && !best.deprecated;
      rejected.push(reject(c, deprecated ? 'deprecated' : 'lower-version', deprecated ? `deprecated, and ${best.name} is not` : `${best.name} ranks higher (${formatVersion(best.version)})`));
    }
  }
  const choice = chooseAcrossCatalogs(bests, opts, installed, rejected);
  if (typeof choice === 'string') {
    return { bundle: null, error: choice, conditions: buildDeprecationConditions(firstPackage, opts.channels, undefined), rejected: sortRejected(rejected) };
  }
  const bundle = choice.pkg.bundles.get(choice.name)!;
  return {
    bundle: { name: choice.name, version: formatVersion(choice.version), image: bundle.image, catalog: choice.catalog.name },
    conditions: buildDeprecationConditions(choice.pkg, opts.channels, choice.name),
    rejected: sortRejected(rejected),
  };
}

function filterBundles(catalog: NamedCatalog, pkg: ModelPackage, opts: ResolveOptions, range: VersionConstraint | undefined, installed: Installed | undefined, rejected: RejectedBundle[]): Candidate[] {
  const channels = opts.channels.length > 0 ? opts.channels.map((n) => pkg.channels.get(n)).filter((c) => c !== undefined) : [...pkg.channels.values()];
  const inChannels = new Set<string>();
  for (const ch of channels) for (const name of ch.entries.keys()) inChannels.add(name);
  const successors = installed && opts.upgradeConstraintPolicy !== 'SelfCertified' ? findSuccessors(channels, installed) : undefined;
  const out: Candidate[] = [];
  for (const [name] of pkg.bundles) {
    const version = pkg.versions.get(name);
    const base = { catalog: catalog.name, bundle: name, version: version ? formatVersion(version) : '' };
    if (!version) {
      rejected.push({ ...base, reason: 'outside-range', detail: 'the bundle has no valid semver version' });
      continue;
    }
    if (opts.channels.length > 0 && !inChannels.has(name)) {
      rejected.push({ ...base, reason: 'channel', detail: `not an entry of channel(s) ${opts.channels.join(', ')}` });
      continue;
    }
    if (range && !range(version)) {
      rejected.push({ ...base, reason: 'outside-range', detail: `version ${formatVersion(version)} does not satisfy ${quoteGoString(opts.versionRange ?? '')}` });
      continue;
    }
    if (successors && !successors(name, version)) {
      rejected.push({ ...base, reason: 'not-successor', detail: `neither replaces, skips nor skipRange names the installed ${installed!.name} (${formatVersion(installed!.version)})` });
      continue;
    }
    out.push({ catalog, pkg, name, version, deprecated: pkg.deprecatedBundles.has(name) });
  }
  return out;
}

/**
 * operator-controller SuccessorsOf: an entry of a considered channel that replaces or skips the installed bundle
 * or whose skipRange (blang) holds its version, or a bundle of exactly the installed version. No chain walk.
 */
function findSuccessors(channels: ModelPackage['channels'] extends Map<string, infer C> ? C[] : never, installed: Installed): (name: string, v: Version) => boolean {
  const names = new Set<string>();
  for (const ch of channels) {
    for (const e of ch.entries.values()) {
      const named = installed.name !== '' && (e.replaces === installed.name || (e.skips ?? []).includes(installed.name));
      if (named || inSkipRange(e.skipRange, installed.version)) names.add(e.name);
    }
  }
  return (name, v) => names.has(name) || compareForChoice(v, installed.version) === 0;
}

function inSkipRange(skipRange: string | undefined, v: Version): boolean {
  if (!skipRange) return false;
  try {
    return parseRange(skipRange)(v);
  } catch {
    // An invalid skipRange admits nothing (operator-controller skips the entry); catalog validate reports it.
    return false;
  }
}

function findInstalled(opts: ResolveOptions): Installed {
  // The installed bundle is what the cluster runs, wherever it came from: every catalog given may name it.
  const text = opts.installed!;
  for (const catalog of opts.catalogs) {
    const pkg = catalog.model.packages.get(opts.package);
    const v = pkg?.versions.get(text);
    if (v) return { name: text, version: v };
  }
  for (const catalog of opts.catalogs) {
    const pkg = catalog.model.packages.get(opts.package);
    for (const [name, v] of pkg?.versions ?? []) if (formatVersion(v) === text) return { name, version: v };
  }
  // A bundle no longer in any catalog can still be upgraded from by version (skipRange, the same version).
  const version = tryParseVersion(text);
  if (version) return { name: '', version };
  throw new GantryError('USAGE', `installed bundle ${quoteGoString(text)} is neither a bundle name nor a bundle version of package ${quoteGoString(opts.package)} in the catalogs`);
}

function chooseAcrossCatalogs(bests: Candidate[], opts: ResolveOptions, installed: Installed | undefined, rejected: RejectedBundle[]): Candidate | string {
  const versionPart = opts.versionRange ? ` matching version ${quoteGoString(opts.versionRange)}` : '';
  const channelPart = opts.channels.length > 0 ? ` in channels [${opts.channels.join(' ')}]` : '';
  if (bests.length === 0) {
    const upgrading = installed ? `error upgrading from currently installed version ${quoteGoString(formatVersion(installed.version))}: ` : '';
    return `${upgrading}no bundles found for package ${quoteGoString(opts.package)}${versionPart}${channelPart}`;
  }
  // Deprecation first, then priority; the version does not decide between catalogs.
  const sorted = [...bests].sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || b.catalog.priority - a.catalog.priority);
  const top = sorted[0]!;
  const tied = sorted.filter((c) => c.deprecated === top.deprecated && c.catalog.priority === top.catalog.priority);
  if (tied.length > 1) {
    const names = tied.map((c) => c.catalog.name).sort(byteOrder);
    for (const c of sorted) rejected.push(reject(c, 'other-catalog', `catalogs ${names.join(', ')} tie`));
    return `found bundles for package ${quoteGoString(opts.package)}${versionPart}${channelPart} in multiple catalogs with the same priority [${names.join(' ')}]`;
  }
  for (const c of sorted.slice(1)) {
    const why = c.deprecated && !top.deprecated ? 'deprecated, and the other catalog\'s is not' : `catalog ${top.catalog.name} has a higher priority (${top.catalog.priority} > ${c.catalog.priority})`;
    rejected.push(reject(c, 'other-catalog', why));
  }
  return top;
}

function reject(c: Candidate, reason: RejectedBundle['reason'], detail: string): RejectedBundle {
  return { catalog: c.catalog.name, bundle: c.name, version: formatVersion(c.version), reason, detail };
}

function sortRejected(list: RejectedBundle[]): RejectedBundle[] {
  return list.sort((a, b) => byteOrder(a.catalog, b.catalog) || byteOrder(a.bundle, b.bundle));
}
