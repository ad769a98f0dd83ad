// The semantic rules of reference §2.4 (oc-mirror v2 internal/pkg/config/validate.go and catalog-filter),
// plus the v1alpha2 checks of §2.1, applied to the typed config; positions come from the reader.
import { compareVersions, parseVersionTolerant, type Version } from '../semver/index.js';
import { isTag } from '../oci/reference.js';
import { parseImageName } from './catalog-source.js';
import type { ImageSet, OperatorCatalog, OperatorPackage, ReleasePlatform, VersionFilter } from './config-types.js';
import { compileGoRegex } from './go-regex.js';
import { joinPath, report, type ReadContext } from './yaml-reader.js';

// v2alpha1 IsValidPathComponent: [namespace '/'] name, each a docker path component (§2.4 last rule).
const TARGET_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// §2.1 mirror.platform.architectures.
const ARCHITECTURES = ['amd64', 'arm64', 'ppc64le', 's390x', 'multi'];

export function validateImageSet(ctx: ReadContext, set: ImageSet, stanza: string): void {
  validateOperators(ctx, set.operators, joinPath(stanza, 'operators'));
  set.additionalImages.forEach((img, i) => {
    const p = `${stanza}.additionalImages[${i}]`;
    const parsed = parseImageName(img.name);
    if (typeof parsed === 'string') {
      report(ctx, { code: 'IMAGE_REF_INVALID', path: `${p}.name`, message: parsed, hint: 'write registry/namespace/name[:tag][@sha256:…]' });
    }
    if (img.targetRepo !== undefined) checkTargetPath(ctx, img.targetRepo, `${p}.targetRepo`);
    if (img.targetTag !== undefined) checkTargetTag(ctx, img.targetTag, `${p}.targetTag`);
  });
  // §2.4 "invalid blocked-image regexes" (validateBlockedImages compiles each name).
  set.blockedImages.forEach((img, i) => {
    const re = compileGoRegex(img.name);
    if (!(re instanceof RegExp)) {
      report(ctx, { code: 'REGEX_INVALID', path: `${stanza}.blockedImages[${i}].name`, message: `blocked image "${img.name}" is not a valid regular expression: ${re.error}`, hint: 'blockedImages names are regular expressions: escape "." "*" "+" "?" "(" "[" with a backslash to match them literally' });
    }
  });
  if (set.platform) validatePlatform(ctx, set.platform, joinPath(stanza, 'platform'));
  if (set.helm && (set.helm.local.length > 0 || set.helm.repositories.length > 0)) {
    report(ctx, { code: 'HELM_NOT_SUPPORTED', severity: 'warning', path: joinPath(stanza, 'helm'), message: 'helm charts are accepted but not mirrored yet', hint: 'list the chart images under additionalImages meanwhile' });
  } else if (set.helm) {
    report(ctx, { code: 'HELM_NOT_SUPPORTED', severity: 'warning', path: joinPath(stanza, 'helm'), message: 'helm lists no charts and is not used (gantry does not mirror helm charts yet)', hint: 'remove it, or list the chart images under additionalImages' });
  }
  if (set.samples.length > 0) {
    report(ctx, { code: 'SAMPLES_NOT_SUPPORTED', severity: 'warning', path: joinPath(stanza, 'samples'), message: 'samples are accepted but not mirrored (oc-mirror does not implement them either)' });
  }
}

function validateOperators(ctx: ReadContext, operators: OperatorCatalog[], path: string): void {
  const seen = new Map<string, number>();
  operators.forEach((op, i) => {
    const p = `${path}[${i}]`;
    if (op.targetCatalog !== undefined) checkTargetPath(ctx, op.targetCatalog, `${p}.targetCatalog`);
    if (op.targetTag !== undefined) checkTargetTag(ctx, op.targetTag, `${p}.targetTag`);
    // §2.4 "duplicate catalogs (by unique name: catalog + targetCatalog/targetTag)", as GetUniqueName builds it.
    const name = uniqueCatalogName(op);
    const first = seen.get(name);
    if (first !== undefined) {
      report(ctx, { code: 'DUPLICATE_CATALOG', path: `${p}.catalog`, message: `catalog "${name}" is listed twice (first at ${path}[${first}])`, hint: 'merge the two entries, or give one a different targetCatalog or targetTag' });
    } else seen.set(name, i);
    validatePackages(ctx, op, p);
  });
}

function uniqueCatalogName(op: OperatorCatalog): string {
  if (op.source.transport === 'oci') {
    return `oci://${op.targetCatalog ?? op.source.path}${op.targetTag ? `:${op.targetTag}` : ''}`;
  }
  const r = op.source.reference;
  const pin = op.targetTag !== undefined ? `:${op.targetTag}` : `${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
  return `${r.registry}/${op.targetCatalog ?? r.repository}${pin}`;
}

function hasRange(f: VersionFilter): boolean {
  return f.minVersion !== undefined || f.maxVersion !== undefined || f.minBundle !== undefined;
}

function validatePackages(ctx: ReadContext, op: OperatorCatalog, opPath: string): void {
  const seen = new Map<string, number>();
  op.packages.forEach((pkg, i) => {
    const p = `${opPath}.packages[${i}]`;
    // §2.4 "duplicate packages within a catalog".
    const first = seen.get(pkg.name);
    if (first !== undefined) {
      report(ctx, { code: 'DUPLICATE_PACKAGE', path: `${p}.name`, message: `package "${pkg.name}" is listed twice in catalog "${op.catalog}" (first at ${opPath}.packages[${first}])`, hint: 'merge the two entries' });
    } else seen.set(pkg.name, i);
    validateVersionFilter(ctx, pkg, p, `package "${pkg.name}"`);
    checkFullWithRange(ctx, op, pkg, p);
    const chSeen = new Map<string, number>();
    pkg.channels.forEach((ch, j) => {
      const cp = `${p}.channels[${j}]`;
      // §2.4 "duplicate channels within a package".
      const firstCh = chSeen.get(ch.name);
      if (firstCh !== undefined) {
        report(ctx, { code: 'DUPLICATE_CHANNEL', path: `${cp}.name`, message: `channel "${ch.name}" of package "${pkg.name}" is listed twice (first at ${p}.channels[${firstCh}])`, hint: 'merge the two entries' });
      } else chSeen.set(ch.name, j);
      validateVersionFilter(ctx, ch, cp, `channel "${ch.name}" of package "${pkg.name}"`);
      // §2.4 "package-level and channel-level ranges together" (validatePackageChannel: "mixing both … is not allowed").
      if (hasRange(ch) && hasRange(pkg)) {
        report(ctx, { code: 'RANGE_MIXED', path: rangePath(ch, cp), message: `package "${pkg.name}" has a version range and so does its channel "${ch.name}"; oc-mirror does not allow both`, hint: 'keep the range on the package (it applies to every channel) or on the channels, not both' });
      }
    });
    // §2.1 (v1 checks it) and §3.1 (v2: "X must survive filtering, otherwise it is an error"): with channels
    // listed, a defaultChannel that is not one of them is filtered out.
    if (pkg.defaultChannel !== undefined && pkg.channels.length > 0 && !pkg.channels.some((c) => c.name === pkg.defaultChannel)) {
      report(ctx, { code: 'DEFAULT_CHANNEL_NOT_LISTED', path: `${p}.defaultChannel`, message: `defaultChannel "${pkg.defaultChannel}" of package "${pkg.name}" is not one of its listed channels (${pkg.channels.map((c) => c.name).join(', ')})`, hint: `add {name: ${pkg.defaultChannel}} to channels, or pick one of the listed channels` });
    }
  });
}

/**
 * §2.4 "`full: true` combined with any range" is rejected by v2. v1alpha2's validate.go checks only duplicate
 * catalogs and release channels, so a v1 config keeps working: a warning there, an error in v2alpha1.
 */
function checkFullWithRange(ctx: ReadContext, op: OperatorCatalog, pkg: OperatorPackage, p: string): void {
  if (!op.full) return;
  const ranged = hasRange(pkg) ? { f: pkg as VersionFilter, path: p } : pkg.channels.map((c, j) => ({ f: c as VersionFilter, path: `${p}.channels[${j}]` })).find((c) => hasRange(c.f));
  if (!ranged) return;
  const v2 = ctx.version === 'v2';
  report(ctx, {
    code: 'FULL_WITH_RANGE',
    severity: v2 ? 'error' : 'warning',
    path: rangePath(ranged.f, ranged.path),
    message: `catalog "${op.catalog}" has full: true, and package "${pkg.name}" has a version range`,
    hint: v2 ? 'remove full: true to mirror only the range, or remove the range to mirror every bundle' : 'oc-mirror v2 rejects this combination; remove full: true or the range',
  });
}

function rangePath(f: VersionFilter, path: string): string {
  if (f.minVersion !== undefined) return `${path}.minVersion`;
  if (f.maxVersion !== undefined) return `${path}.maxVersion`;
  return `${path}.minBundle`;
}

/** Masterminds semver (what oc-mirror v2 uses) accepts a leading v and short versions, as blang's tolerant parse does. */
function parseSemver(ctx: ReadContext, text: string, path: string): Version | undefined {
  try {
    return parseVersionTolerant(text);
  } catch {
    // §2.4 "min/max versions that are not semver" ("must respect semantic versioning notation").
    report(ctx, { code: 'VERSION_INVALID', path, message: `${path.slice(path.lastIndexOf('.') + 1)} "${text}" is not a semantic version`, hint: 'write MAJOR.MINOR.PATCH, e.g. 4.14.2 or 1.10.0' });
    return undefined;
  }
}

/** `what` names the entry (package, channel, release channel), so the message says which range is empty. */
function validateVersionFilter(ctx: ReadContext, f: VersionFilter, path: string, what: string): void {
  const min = f.minVersion !== undefined ? parseSemver(ctx, f.minVersion, `${path}.minVersion`) : undefined;
  const max = f.maxVersion !== undefined ? parseSemver(ctx, f.maxVersion, `${path}.maxVersion`) : undefined;
  if (min && max && compareVersions(min, max) > 0) {
    report(ctx, { code: 'VERSION_RANGE_EMPTY', path: `${path}.minVersion`, message: `${what}: minVersion ${f.minVersion} is above maxVersion ${f.maxVersion}, so nothing is selected`, hint: 'swap them' });
  }
  // §2.1: "minBundle cannot be combined with minVersion".
  if (f.minBundle !== undefined && f.minVersion !== undefined) {
    report(ctx, { code: 'MIN_BUNDLE_WITH_MIN_VERSION', path: `${path}.minBundle`, message: 'minBundle cannot be combined with minVersion', hint: 'minBundle is for bundles without a semantic version; keep one of the two' });
  }
}

function validatePlatform(ctx: ReadContext, platform: ReleasePlatform, path: string): void {
  // The KubeVirt container comes from each selected release's payload: with no release selected there is none.
  if (platform.kubeVirtContainer && platform.channels.length === 0 && platform.release === undefined) {
    report(ctx, { code: 'KUBEVIRT_WITHOUT_RELEASES', severity: 'warning', path: `${path}.kubeVirtContainer`, message: 'kubeVirtContainer is set but no release is selected (no channels, no release), so no KubeVirt container is mirrored', hint: 'the image is read from each mirrored release payload: add channels or release' });
  }
  // §2.4 "duplicate release channels" (validateReleaseChannels).
  const seen = new Map<string, number>();
  platform.channels.forEach((ch, i) => {
    const p = `${path}.channels[${i}]`;
    const first = seen.get(ch.name);
    if (first !== undefined) {
      report(ctx, { code: 'DUPLICATE_RELEASE_CHANNEL', path: `${p}.name`, message: `release channel "${ch.name}" is listed twice (first at ${path}.channels[${first}])` });
    } else seen.set(ch.name, i);
    validateVersionFilter(ctx, ch, p, `release channel "${ch.name}"`);
  });
  // §2.4 "`platforms` together with `architectures`" (validateReleasePlatformFields).
  if (platform.platforms && platform.platforms.length > 0 && platform.architectures && platform.architectures.length > 0) {
    report(ctx, { code: 'PLATFORMS_WITH_ARCHITECTURES', path: `${path}.platforms`, message: 'platform.platforms and platform.architectures cannot be used together', hint: 'architectures is deprecated: write platforms: [{os: linux, architecture: amd64}, …]' });
  }
  platform.architectures?.forEach((arch, i) => {
    if (!ARCHITECTURES.includes(arch)) {
      report(ctx, { code: 'ARCHITECTURE_UNKNOWN', path: `${path}.architectures[${i}]`, message: `unknown release architecture "${arch}"`, hint: `one of ${ARCHITECTURES.join(', ')}` });
    }
  });
}

function checkTargetPath(ctx: ReadContext, value: string, path: string): void {
  if (!TARGET_PATH.test(value)) {
    report(ctx, { code: 'TARGET_PATH_INVALID', path, message: `"${value}" is not a repository path`, hint: 'one or more lowercase path components separated by "/", without registry, tag or digest (e.g. my-org/redhat-operators)' });
  }
}

function checkTargetTag(ctx: ReadContext, value: string, path: string): void {
  if (!isTag(value)) {
    report(ctx, { code: 'TARGET_TAG_INVALID', path, message: `"${value}" is not a valid tag`, hint: 'up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"' });
  }
}
