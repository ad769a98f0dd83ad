// Operator selection: which packages, channels and bundles of a catalog to mirror (reference §3.1 semantics,
// §3.2 dependencies, §3.5 pitfalls fixed), as a filtered catalog that still validates plus the reason for each bundle.
import { byteOrder } from '../catalog/fbc/file-tree.js';
import type { DeclarativeConfig, Deprecation } from '../catalog/fbc/types.js';
import { validateCatalog } from '../catalog/model/validate.js';
import { compareVersions, parseVersionTolerant, type Version, type VersionRange } from '../catalog/semver/index.js';
import { buildCatalogModel, type ModelPackage } from '../catalog/model/catalog-model.js';
import { sortChannelNames } from '../catalog/model/channel-order.js';
import { upgradesFrom } from './channel-graph.js';
import type { BundleExplanation, OperatorFilter, PackageFilter, SelectionIssue, SelectionReason, SelectionResult } from './operator-filter.js';
import { resolveDependencies } from './resolve-dependencies.js';
import { createSelectionState, keepBundles, type SelectionState } from './selection-state.js';

/** validateCatalog rules about structure and upgrade graphs: the ones a filter can break (content rules it cannot). */
const GRAPH_RULES = new Set([
  'channel-unknown-package',
  'bundle-unknown-package',
  'bundle-not-in-channel',
  'entry-without-bundle',
  'deprecated-bundle-unknown',
  'deprecated-channel-unknown',
  'no-default-channel',
  'no-channels',
  'default-channel-missing',
  'empty-channel',
  'no-head',
  'multiple-heads',
  'replaces-cycle',
  'stranded',
]);

const q = JSON.stringify;

export function selectOperators(catalog: DeclarativeConfig, filter: OperatorFilter): SelectionResult {
  const model = buildCatalogModel(catalog);
  const state = createSelectionState(model);
  const requests = filter.packages ?? [];
  const defaults = new Map<string, string>();

  if (requests.length === 0) {
    // Reference §3.1: catalog only → heads of every channel of every package; with full, the whole catalog.
    for (const name of [...model.packages.keys()].sort(byteOrder)) selectPackage(state, model.packages.get(name)!, { name }, filter.full === true);
  } else {
    const seen = new Set<string>();
    for (const req of requests) {
      if (seen.has(req.name)) {
        state.issues.push({ code: 'duplicate-package', severity: 'error', message: `package ${q(req.name)} is listed more than once`, package: req.name });
        continue;
      }
      seen.add(req.name);
      const p = model.packages.get(req.name);
      if (!p) {
        state.issues.push({ code: 'package-not-found', severity: 'error', message: `package ${q(req.name)} is not in the catalog`, package: req.name });
        continue;
      }
      selectPackage(state, p, req, filter.full === true);
    }
  }
  const selectedPackages = new Set(state.kept.keys());
  for (const req of requests) if (req.defaultChannel !== undefined && state.kept.has(req.name)) defaults.set(req.name, req.defaultChannel);

  if (filter.skipDependencies !== true) resolveDependencies(state);
  const defaultChannels = chooseDefaultChannels(state, selectedPackages, defaults);
  const result = buildCatalog(catalog, state, defaultChannels);

  // A default channel error was already reported in the filter's terms; opm's words for it would only repeat it.
  const reported = new Set(state.issues.filter((i) => i.code.startsWith('default-channel-')).map((i) => i.package));
  for (const issue of validateCatalog(result)) {
    if (!GRAPH_RULES.has(issue.rule) || issue.severity === 'warning') continue;
    if (issue.rule === 'default-channel-missing' && reported.has(issue.package)) continue;
    state.issues.push({
      code: 'filtered-catalog-invalid',
      severity: 'error',
      message: issue.message,
      rule: issue.rule,
      ...(issue.package !== undefined ? { package: issue.package } : {}),
      ...(issue.channel !== undefined ? { channel: issue.channel } : {}),
      ...(issue.bundle !== undefined ? { bundle: issue.bundle } : {}),
    });
  }
  return { catalog: result, explanations: explain(state), issues: sortIssues(state.issues) };
}

function selectPackage(state: SelectionState, p: ModelPackage, req: PackageFilter, full: boolean): void {
  const pkg = p.pkg.name;
  const issue = (code: string, severity: SelectionIssue['severity'], message: string, extra: Partial<SelectionIssue> = {}) =>
    state.issues.push({ code, severity, message, package: pkg, ...extra });

  const pkgRange = versionRange(req.minVersion, req.maxVersion, (m) => issue('version-invalid', 'error', m));
  if (pkgRange === null) return;
  const listed = new Map((req.channels ?? []).map((c) => [c.name, c]));
  for (const name of listed.keys()) {
    if (!p.channels.has(name)) issue('channel-not-found', 'error', `package ${q(pkg)} has no channel ${q(name)}`, { channel: name, hint: `its channels: ${sortChannelNames(p.channels.keys()).join(', ')}` });
  }
  if ((req.channels ?? []).length !== listed.size) issue('duplicate-channel', 'error', `package ${q(pkg)} lists a channel more than once`);
  const bundles = new Set(req.bundles ?? []);
  for (const b of bundles) if (!p.bundles.has(b)) issue('bundle-not-found', 'error', `package ${q(pkg)} has no bundle ${q(b)}`, { bundle: b });
  if (req.minBundle !== undefined && !p.bundles.has(req.minBundle)) {
    issue('bundle-not-found', 'error', `package ${q(pkg)} has no bundle ${q(req.minBundle)} (its minBundle)`, { bundle: req.minBundle });
    return;
  }

  const channels = listed.size > 0 ? [...listed.keys()].filter((c) => p.channels.has(c)) : [...p.channels.keys()];
  for (const ch of channels.sort(byteOrder)) {
    const chReq = listed.get(ch);
    const chRange = versionRange(chReq?.minVersion, chReq?.maxVersion, (m) => issue('version-invalid', 'error', m, { channel: ch }));
    if (chRange === null) continue;
    // A channel's own version filter (range or minBundle) replaces the package's as a whole.
    const chFilters = chRange !== undefined || chReq?.minBundle !== undefined;
    if (chFilters && (pkgRange !== undefined || req.minBundle !== undefined)) {
      issue('range-conflict', 'warning', `package ${q(pkg)} and its channel ${q(ch)} both set a version range; the channel's is used`, { channel: ch });
    }
    const range = chFilters ? chRange : pkgRange;
    const minBundle = chFilters ? chReq?.minBundle : req.minBundle;
    if ((range || minBundle !== undefined) && full) issue('full-with-range', 'warning', `package ${q(pkg)}, channel ${q(ch)}: full is ignored where a version range is given`, { channel: ch });

    const graph = p.channels.get(ch)!;
    const selected = new Map<string, SelectionReason>();
    for (const name of graph.entries.keys()) if (bundles.has(name)) selected.set(name, 'listed');
    if (minBundle !== undefined) {
      if (!graph.entries.has(minBundle)) {
        // A package-wide minBundle applies to the channels that hold it; a channel's own must be in that channel.
        if (chReq?.minBundle !== undefined) {
          issue('bundle-not-found', 'error', `package ${q(pkg)}, channel ${q(ch)} has no bundle ${q(minBundle)} (its minBundle)`, { channel: ch, bundle: minBundle });
          continue;
        }
      } else {
        // oc-mirror v1: from that bundle up to the channel head, i.e. it and every bundle that upgrades from it.
        for (const name of [minBundle, ...upgradesFrom(graph, minBundle)]) {
          const v = p.versions.get(name);
          if ((!range || (v && range(v))) && !selected.has(name)) selected.set(name, 'from-min-bundle');
        }
      }
    } else if (range) {
      for (const name of graph.entries.keys()) {
        const v = p.versions.get(name);
        if (v && range(v) && !selected.has(name)) selected.set(name, 'in-range');
      }
    } else if (bundles.size === 0) {
      if (full) {
        for (const name of graph.entries.keys()) selected.set(name, 'full');
      } else {
        const { head, heads } = graph;
        if (heads.length > 1) {
          issue('channel-multiple-heads', 'warning', `package ${q(pkg)}, channel ${q(ch)} has several heads (${heads.join(', ')}); the highest version, ${q(head)}, is taken`, { channel: ch });
        }
        if (head) selected.set(head, 'head');
      }
    }
    if (selected.size === 0) {
      // Reference §3.1: channels a range empties are dropped (the default channel is checked later); only a
      // channel the filter names is worth a warning.
      if (chReq) {
        issue('channel-empty', 'warning', `package ${q(pkg)}, channel ${q(ch)}: no bundle matches the filter, so the channel is left out`, { channel: ch });
      }
      continue;
    }
    keepBundles(state, p, ch, selected);
  }
  if (!state.kept.has(pkg)) issue('package-empty', 'error', `package ${q(pkg)}: no bundle of any channel matches the filter`);
}

/** `>=min <=max` like catalog-filter (reference §3.1); undefined = no range, null = invalid (reported). */
function versionRange(min: string | undefined, max: string | undefined, report: (m: string) => void): VersionRange | undefined | null {
  if (min === undefined && max === undefined) return undefined;
  const parse = (s: string | undefined, what: string): Version | undefined | null => {
    if (s === undefined) return undefined;
    try {
      return parseVersionTolerant(s);
    } catch (err) {
      report(`${what} ${q(s)} is not a semantic version: ${(err as Error).message}`);
      return null;
    }
  };
  const lo = parse(min, 'minVersion');
  const hi = parse(max, 'maxVersion');
  if (lo === null || hi === null) return null;
  if (lo && hi && compareVersions(lo, hi) > 0) {
    report(`minVersion ${q(min)} is above maxVersion ${q(max)}`);
    return null;
  }
  return (v) => (!lo || compareVersions(v, lo) >= 0) && (!hi || compareVersions(v, hi) <= 0);
}

/**
 * Reference §3.1 and §3.5 pitfall 2: the default channel must survive filtering. An override must name a kept
 * channel; without one, a filtered-out default is an error. Packages present only as dependencies get their
 * first kept channel instead, with a warning.
 */
function chooseDefaultChannels(state: SelectionState, selected: Set<string>, overrides: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [pkg, channels] of state.kept) {
    const p = state.model.packages.get(pkg)!;
    const kept = [...channels.keys()].sort(byteOrder);
    const list = sortChannelNames(kept).map((c) => q(c)).join(', ');
    const override = overrides.get(pkg);
    if (override !== undefined) {
      if (channels.has(override)) out.set(pkg, override);
      else {
        state.issues.push({
          code: 'default-channel-not-kept',
          severity: 'error',
          message: `package ${q(pkg)}: defaultChannel ${q(override)} is not among the kept channels (${list})`,
          hint: 'set defaultChannel to one of the kept channels, or add it to channels',
          package: pkg,
          channel: override,
        });
      }
      continue;
    }
    if (channels.has(p.pkg.defaultChannel)) continue;
    if (!selected.has(pkg)) {
      out.set(pkg, kept[0]!);
      state.issues.push({
        code: 'default-channel-changed',
        severity: 'warning',
        message: `package ${q(pkg)} is included only as a dependency and its default channel ${q(p.pkg.defaultChannel)} is not kept; its default channel becomes ${q(kept[0])}`,
        package: pkg,
        channel: kept[0]!,
      });
      continue;
    }
    state.issues.push({
      code: 'default-channel-filtered-out',
      severity: 'error',
      message: `package ${q(pkg)}: the default channel ${q(p.pkg.defaultChannel)} was filtered out (kept channels: ${list}); a new default channel must be configured`,
      hint: `set defaultChannel for package ${q(pkg)} to one of ${list}, or keep channel ${q(p.pkg.defaultChannel)}`,
      package: pkg,
      channel: p.pkg.defaultChannel,
    });
  }
  return out;
}

function buildCatalog(catalog: DeclarativeConfig, state: SelectionState, defaults: Map<string, string>): DeclarativeConfig {
  const keptBundle = (pkg: string, name: string) => [...(state.kept.get(pkg)?.values() ?? [])].some((s) => s.has(name));
  const byPkgName = <T extends { package: string; name: string }>(a: T, b: T) => byteOrder(a.package, b.package) || byteOrder(a.name, b.name);
  const packages = [...state.kept.keys()]
    .sort(byteOrder)
    .map((name) => {
      const pkg = state.model.packages.get(name)!.pkg;
      const def = defaults.get(name);
      return def !== undefined && def !== pkg.defaultChannel ? { ...pkg, defaultChannel: def } : pkg;
    });
  const channels = [...state.kept]
    .flatMap(([pkg, chans]) =>
      [...chans].map(([name, kept]) => {
        const ch = state.model.packages.get(pkg)!.channels.get(name)!.channel;
        return { ...ch, entries: (ch.entries ?? []).filter((e) => kept.has(e.name)) };
      }),
    )
    .sort(byPkgName);
  const bundles = [...state.kept.keys()]
    .flatMap((pkg) => [...state.model.packages.get(pkg)!.bundles.values()].filter((b) => keptBundle(pkg, b.name)))
    .sort(byPkgName);
  const deprecations: Deprecation[] = [];
  for (const d of catalog.deprecations) {
    const chans = state.kept.get(d.package);
    if (!chans) continue;
    const entries = d.entries.filter((e) => {
      switch (e.reference.schema) {
        case 'olm.channel':
          return chans.has(e.reference.name ?? '');
        case 'olm.bundle':
          return keptBundle(d.package, e.reference.name ?? '');
        default:
          return true;
      }
    });
    if (entries.length > 0) deprecations.push({ ...d, entries });
  }
  deprecations.sort((a, b) => byteOrder(a.package, b.package));
  const others = catalog.others.filter((o) => o.package === undefined || o.package === '' || state.kept.has(o.package));
  return { packages, channels, bundles, deprecations, others };
}

const REASON_ORDER = ['listed', 'head', 'from-min-bundle', 'in-range', 'full', 'needed-for-upgrade-graph'];

function explain(state: SelectionState): BundleExplanation[] {
  const out: BundleExplanation[] = [];
  for (const [pkg, chans] of state.kept) {
    for (const [channel, names] of chans) {
      for (const bundle of names) {
        const reasons = [...(state.reasons.get(`${pkg}\0${channel}\0${bundle}`) ?? [])].sort((a, b) => {
          const ra = REASON_ORDER.indexOf(a);
          const rb = REASON_ORDER.indexOf(b);
          return (ra === -1 ? REASON_ORDER.length : ra) - (rb === -1 ? REASON_ORDER.length : rb) || byteOrder(a, b);
        });
        out.push({ package: pkg, channel, bundle, reasons });
      }
    }
  }
  return out.sort((a, b) => byteOrder(a.package, b.package) || byteOrder(a.channel ?? '', b.channel ?? '') || byteOrder(a.bundle, b.bundle));
}

/** Errors first, then by package, channel, bundle; the order of discovery within those. */
function sortIssues(issues: SelectionIssue[]): SelectionIssue[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        rank[a.issue.severity] - rank[b.issue.severity] ||
        byteOrder(a.issue.package ?? '', b.issue.package ?? '') ||
        byteOrder(a.issue.channel ?? '', b.issue.channel ?? '') ||
        byteOrder(a.issue.bundle ?? '', b.issue.bundle ?? '') ||
        a.i - b.i,
    )
    .map((e) => e.issue);
}
