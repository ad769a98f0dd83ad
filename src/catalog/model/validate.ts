// Validating a catalog the way `opm validate` does (reference §2): the conversion checks of declcfg → model and
// the model checks, but every problem in one run (opm stops at the first conversion error), each with its file
// and line, in a deterministic order. It reads the one catalog model (catalog-model.ts): a blob that is not the
// model's own under its name is a duplicate.
import { byteOrder } from '../fbc/file-tree.js';
import type { CatalogIssue, Channel, ChannelEntry, DeclarativeConfig, Deprecation, Source } from '../fbc/types.js';
import { parseRange, parseVersion, quoteGoString as q } from '../semver/index.js';
import { buildCatalogModel, type CatalogModel, type ModelPackage } from './catalog-model.js';
import { findHeads } from './channel-head.js';
import { dns1123LabelErrors, pullSpecError } from './names.js';
import { checkProperties, decodePackageProperty } from './properties.js';

/** A package of the model, plus its bundle names by version text (for duplicate versions). */
interface PackageState {
  model: ModelPackage;
  versions: Map<string, string[]>;
}

function at(source: Source | undefined): { file?: string; line?: number } {
  return source ? { file: source.file, line: source.line } : {};
}

export function hasErrors(issues: CatalogIssue[]): boolean {
  return issues.some((i) => i.severity !== 'warning');
}

export function validateCatalog(config: DeclarativeConfig, model: CatalogModel = buildCatalogModel(config)): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const add = (rule: string, message: string, where: Partial<CatalogIssue> & { source?: Source | undefined }) => {
    const { source, ...rest } = where;
    issues.push({ rule, message, ...rest, ...at(source) });
  };

  // Packages (rules 1–3).
  const packages = new Map<string, PackageState>();
  for (const pkg of config.packages) {
    if (pkg.name === '') {
      add('package-no-name', 'config contains package with no name', { source: pkg.source });
      continue;
    }
    const mp = model.packages.get(pkg.name)!;
    if (mp.pkg !== pkg) {
      add('duplicate-package', `duplicate package ${q(pkg.name)}`, { package: pkg.name, source: pkg.source });
      continue;
    }
    const dns = dns1123LabelErrors(pkg.name);
    if (dns.length > 0) add('package-name-invalid', `invalid package name ${q(pkg.name)}: [${dns.join(' ')}]`, { package: pkg.name, source: pkg.source });
    packages.set(pkg.name, { model: mp, versions: new Map() });
  }

  // Channels (rules 4–7).
  for (const ch of config.channels) {
    const st = packages.get(ch.package);
    if (!st) {
      add('channel-unknown-package', `unknown package ${q(ch.package)} for channel ${q(ch.name)}`, { package: ch.package, channel: ch.name, source: ch.source });
      continue;
    }
    if (ch.name === '') {
      add('channel-no-name', `package ${q(ch.package)} contains channel with no name`, { package: ch.package, source: ch.source });
      continue;
    }
    if (st.model.channels.get(ch.name)!.channel !== ch) {
      add('duplicate-channel', `package ${q(ch.package)} has duplicate channel ${q(ch.name)}`, { package: ch.package, channel: ch.name, source: ch.source });
      continue;
    }
    const seen = new Set<string>();
    for (const e of ch.entries ?? []) {
      if (seen.has(e.name)) {
        add('duplicate-entry', `invalid package ${q(ch.package)}, channel ${q(ch.name)}: duplicate entry ${q(e.name)}`, { package: ch.package, channel: ch.name, source: ch.source });
      }
      seen.add(e.name);
    }
  }

  // Bundles (rules 8–16).
  for (const b of config.bundles) {
    const where = { package: b.package, bundle: b.name, source: b.source };
    if (b.package === '') {
      add('bundle-no-package', `package name must be set for bundle ${q(b.name)}`, where);
      continue;
    }
    const st = packages.get(b.package);
    if (!st) {
      add('bundle-unknown-package', `unknown package ${q(b.package)} for bundle ${q(b.name)}`, where);
      continue;
    }
    if (st.model.bundles.get(b.name) !== b) {
      add('duplicate-bundle', `package ${q(b.package)} has duplicate bundle ${q(b.name)}`, where);
      continue;
    }
    const props = b.properties ?? [];
    const bad = checkProperties(props);
    if (bad) {
      add('property-invalid', `parse properties for bundle ${q(b.name)}: ${bad}`, where);
      continue;
    }
    const pkgProps = props.filter((p) => p.type === 'olm.package');
    if (pkgProps.length !== 1) {
      add('package-property-count', `package ${q(b.package)} bundle ${q(b.name)} must have exactly 1 "olm.package" property, found ${pkgProps.length}`, where);
      continue;
    }
    const pp = decodePackageProperty(pkgProps[0]!.value);
    if (pp.packageName !== b.package) {
      add('package-property-mismatch', `package ${q(b.package)} does not match "olm.package" property ${q(pp.packageName)}`, where);
    }
    const imageErr = pullSpecError(b.image);
    if (imageErr) add('image-invalid', `package ${q(b.package)} bundle ${q(b.name)} image: invalid image pull spec ${q(b.image)}: ${imageErr}`, where);
    for (const [i, ri] of (b.relatedImages ?? []).entries()) {
      const err = pullSpecError(ri.image);
      if (err) add('image-invalid', `package ${q(b.package)} bundle ${q(b.name)} relatedImages[${i}].image: invalid image pull spec ${q(ri.image)}: ${err}`, where);
    }
    try {
      // The model parsed it already where it could; parseVersion runs again only to say what is wrong.
      const v = st.model.versions.get(b.name) ?? parseVersion(pp.version);
      const key = pp.release ? `${pp.version}-${pp.release}` : pp.version;
      st.versions.set(key, [...(st.versions.get(key) ?? []), b.name]);
      if (pp.release !== undefined) {
        if (!/^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/.test(pp.release) || pp.release.length > 20) {
          add('release-invalid', `error parsing bundle ${q(b.name)} release version ${q(pp.release)}: invalid release`, where);
        } else {
          const want = `${b.package}-v${pp.version}-${pp.release}`;
          if (b.name !== want) add('bundle-name', `name ${q(b.name)} does not match normalized name ${q(want)}`, where);
          if (v.build.length > 0) add('release-build-metadata', 'cannot use build metadata in version with a release version', where);
        }
      }
    } catch (err) {
      add('version-invalid', `error parsing bundle ${q(b.name)} version ${q(pp.version)}: ${(err as Error).message}`, where);
    }
    if (b.name === '') add('bundle-no-name', 'name must be set', where);
    if (b.image === '' && !props.some((p) => p.type === 'olm.bundle.object')) add('bundle-no-image', 'bundle image must be set', where);
  }

  // Entries ↔ bundles (rules 17–18).
  for (const [name, st] of packages) {
    const inChannels = new Set<string>();
    for (const ch of st.model.channels.values()) for (const e of ch.channel.entries ?? []) inChannels.add(e.name);
    for (const b of st.model.bundles.values()) {
      if (!inChannels.has(b.name)) add('bundle-not-in-channel', `package ${q(name)}, bundle ${q(b.name)} not found in any channel entries`, { package: name, bundle: b.name, source: b.source });
    }
    for (const { channel: ch } of st.model.channels.values()) {
      const missing = (ch.entries ?? []).map((e) => e.name).filter((n) => !st.model.bundles.has(n));
      if (missing.length > 0) {
        add('entry-without-bundle', `no olm.bundle blobs found in package ${q(name)} for olm.channel entries [${[...new Set(missing)].sort(byteOrder).join(' ')}]`, { package: name, channel: ch.name, source: ch.source });
      }
    }
  }

  validateDeprecations(config.deprecations, packages, add);
  for (const st of packages.values()) validatePackageModel(st, add);

  return sortIssues(issues);
}

type Add = (rule: string, message: string, where: Partial<CatalogIssue> & { source?: Source | undefined }) => void;

/** Rules 19–27. */
function validateDeprecations(deprecations: Deprecation[], packages: Map<string, PackageState>, add: Add): void {
  const seen = new Set<string>();
  for (const d of deprecations) {
    const where = { package: d.package, source: d.source };
    if (d.package === '') {
      add('deprecation-no-package', `package name must be set for deprecation item {Schema:${d.schema} Package: Entries:[…]}`, where);
      continue;
    }
    const st = packages.get(d.package);
    if (!st) {
      add('deprecation-unknown-package', `cannot apply deprecations to an unknown package ${q(d.package)}`, where);
      continue;
    }
    if (seen.has(d.package)) {
      add('duplicate-deprecation', `expected a maximum of one deprecation per package: ${q(d.package)}`, where);
      continue;
    }
    seen.add(d.package);
    const refs = new Set<string>();
    for (const [i, e] of d.entries.entries()) {
      const ref = e.reference;
      if (ref.schema === '') {
        add('deprecation-no-schema', `schema must be set for deprecation entry [${i}] for package ${q(d.package)}`, where);
        continue;
      }
      const key = `${ref.schema}\n${ref.name ?? ''}`;
      if (refs.has(key)) {
        add('duplicate-deprecation-entry', `duplicate deprecation entry declcfg.PackageScopedReference{Schema:${q(ref.schema)}, Name:${q(ref.name ?? '')}} for package ${q(d.package)}`, where);
        continue;
      }
      refs.add(key);
      if (e.message === '') add('deprecation-no-message', 'invalid deprecation: message must be set', where);
      switch (ref.schema) {
        case 'olm.bundle':
          if (!st.model.bundles.has(ref.name ?? '')) add('deprecated-bundle-unknown', `cannot deprecate bundle ${q(ref.name ?? '')} for package ${q(d.package)}: bundle not found`, where);
          break;
        case 'olm.channel':
          if (!st.model.channels.has(ref.name ?? '')) add('deprecated-channel-unknown', `cannot deprecate channel ${q(ref.name ?? '')} for package ${q(d.package)}: channel not found`, where);
          break;
        case 'olm.package':
          if (ref.name) add('deprecated-package-name', `package name must be empty for deprecated package ${q(d.package)} (specified ${q(ref.name)})`, where);
          break;
        default:
          add('deprecation-unknown-schema', `cannot deprecate object declcfg.PackageScopedReference{Schema:${q(ref.schema)}, Name:${q(ref.name ?? '')}} referenced by entry ${i} for package ${q(d.package)}: object schema unknown`, where);
      }
    }
  }
}

/** Model checks M1–M13 for a package and its channels. */
function validatePackageModel(st: PackageState, add: Add): void {
  const { pkg } = st.model;
  const p = { package: pkg.name, source: pkg.source };
  if (pkg.defaultChannel === '') add('no-default-channel', 'default channel must be set', p);
  if (st.model.channels.size === 0 && pkg.defaultChannel === '') add('no-channels', 'package must contain at least one channel', p);
  if (pkg.defaultChannel !== '' && !st.model.channels.has(pkg.defaultChannel)) {
    // opm synthesises an empty channel for a missing default, which then fails M7; we say it directly.
    add('default-channel-missing', `default channel ${q(pkg.defaultChannel)} not found in channels list`, p);
  }
  const dups = [...st.versions.entries()].filter(([, names]) => names.length > 1).sort(([a], [b]) => byteOrder(a, b));
  if (dups.length > 0) {
    add('duplicate-versions', `duplicate versions found in bundles: [${dups.map(([v, names]) => `{${v}: [${names.sort(byteOrder).join(', ')}]}`).join(' ')}]`, p);
  }
  for (const ch of st.model.channels.values()) validateChannelModel(ch.channel, st, add);
}

function validateChannelModel(ch: Channel, st: PackageState, add: Add): void {
  const where = { package: ch.package, channel: ch.name, source: ch.source };
  // A duplicated entry is reported once (rule 7); the graph checks see each name once.
  const seenNames = new Set<string>();
  const entries = (ch.entries ?? []).filter((e) => st.model.bundles.has(e.name) && !seenNames.has(e.name) && seenNames.add(e.name));
  if ((ch.entries ?? []).length === 0) {
    add('empty-channel', 'channel must contain at least one bundle', where);
    return;
  }
  for (const e of ch.entries ?? []) {
    const b = { ...where, bundle: e.name };
    e.skips?.forEach((s, i) => {
      if (s === '') add('empty-skip', `skip[${i}] is empty`, b);
    });
    if (e.skipRange !== undefined) {
      try {
        parseRange(e.skipRange);
      } catch (err) {
        // opm accepts it and OLM ignores it at run time: no upgrade edges come from it. Worth knowing, not fatal.
        add('skip-range-invalid', `invalid skipRange ${q(e.skipRange)}: ${(err as Error).message}`, {
          ...b,
          severity: 'warning',
          hint: 'OLM ignores a skipRange it cannot parse, so no upgrade edges come from it; versions in ranges take no "v" (e.g. <2.3.1)',
        });
      }
    }
  }
  if (entries.length === 0) return;
  const chainProblem = replacesChainProblem(entries);
  if (chainProblem) add(chainProblem.rule, chainProblem.message, where);
}

/** M8–M10: exactly one head, no cycle along replaces from it, nothing stranded (opm's replaces-chain walk). */
export function replacesChainProblem(entries: ChannelEntry[]): { rule: string; message: string } | undefined {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const skipped = new Set<string>();
  for (const e of entries) for (const s of e.skips ?? []) skipped.add(s);
  // The same candidates as every other reader of heads (channel-head.ts); opm refuses all but exactly one.
  const heads = findHeads(entries);
  if (heads.length === 0) return { rule: 'no-head', message: 'no channel head found in graph' };
  if (heads.length > 1) return { rule: 'multiple-heads', message: `multiple channel heads found in graph: ${heads.join(', ')}` };
  const chain: string[] = [heads[0]!];
  const onChain = new Set(chain);
  for (let cur = byName.get(heads[0]!); cur; ) {
    const next = cur.replaces ?? '';
    if (onChain.has(next)) {
      const from = chain.indexOf(next);
      return { rule: 'replaces-cycle', message: `detected cycle in replaces chain of upgrade graph: ${[...chain.slice(from), next].join(' -> ')}` };
    }
    chain.push(next);
    onChain.add(next);
    cur = byName.get(next);
  }
  const stranded = entries.map((e) => e.name).filter((n) => !onChain.has(n) && !skipped.has(n));
  if (stranded.length > 0) return { rule: 'stranded', message: `channel contains one or more stranded bundles: ${stranded.sort(byteOrder).join(', ')}` };
  return undefined;
}

/** Global problems first, then per package (by name), package-level before channels before bundles. */
function sortIssues(issues: CatalogIssue[]): CatalogIssue[] {
  const rank = (i: CatalogIssue) => (i.bundle !== undefined ? 2 : i.channel !== undefined ? 1 : 0);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      const x = a.issue;
      const y = b.issue;
      const px = x.package === undefined ? 0 : 1;
      const py = y.package === undefined ? 0 : 1;
      return (
        px - py ||
        byteOrder(x.package ?? '', y.package ?? '') ||
        rank(x) - rank(y) ||
        byteOrder(x.channel ?? '', y.channel ?? '') ||
        byteOrder(x.bundle ?? '', y.bundle ?? '') ||
        a.index - b.index
      );
    })
    .map((e) => e.issue);
}
