// Resolves an OLM v0 Subscription offline as OLM's resolver does (resolver.go getSubscriptionVariables): the bundle
// installed first, the successor OLM takes from an installed CSV step by step to the end, and the dependencies.
import { GantryError } from '../errors.js';
import { byteOrder } from '../order.js';
import type { ChannelEntry } from '../catalog/fbc/types.js';
import { formatVersion, parseRange, quoteGoString, tryParseVersion, type Version } from '../semver/index.js';
import { channelPreference, orderChannel } from './channel-order-v0.js';
import type { SubscriptionOptions, SubscriptionResolution, UpgradeStep, UpgradeVia, V0Bundle, V0Dependency } from './subscription-types.js';
import type { NamedCatalog } from './types.js';
import { resolveV0Dependencies, versionOf, type Placed } from './v0-dependencies.js';

interface Current {
  name: string;
  version?: Version;
  /** Where the catalogs list it, when they do. */
  placed?: Placed;
}

/** `failures`: why the candidates before the chosen one (or all of them) cannot install, in OLM's words. */
type Chosen = { placed: Placed; dependencies: V0Dependency[]; notes: string[]; passedOver: string[]; why: string[]; failures?: undefined } | { failures: string[]; fatal?: string };

export function resolveSubscription(opts: SubscriptionOptions): SubscriptionResolution {
  const sub = opts.name || opts.package;
  const notes: string[] = [];
  const fail = (error: string): SubscriptionResolution => ({ olm: 'v0', bundle: null, error, upgradePath: [], dependencies: [], notes });
  const referenced = 'in the catalog referenced by subscription ' + sub;

  let sources: NamedCatalog[];
  if (opts.source !== undefined) {
    const named = opts.catalogs.find((c) => c.name === opts.source);
    if (!named) {
      notes.push(`spec.source ${quoteGoString(opts.source)} names none of the catalogs given (${opts.catalogs.map((c) => c.name).join(', ')})`);
      return fail(`no operators found from catalog ${opts.source} referenced by subscription ${sub}`);
    }
    sources = [named];
  } else {
    // Without spec.source every catalog is searched, highest priority first (the order OLM sorts catalogs in).
    sources = opts.catalogs.filter((c) => c.model.packages.has(opts.package)).sort((a, b) => b.priority - a.priority || byteOrder(a.name, b.name));
    if (sources.length > 1) notes.push(`no source named: catalogs ${sources.map((c) => c.name).join(', ')} all carry package ${opts.package}; they are tried in that order`);
  }
  const withPackage = sources.filter((c) => c.model.packages.has(opts.package));
  if (withPackage.length === 0) return fail(`no operators found in package ${opts.package} ${referenced}`);
  const channel = opts.channel ?? '';
  if (channel !== '' && !withPackage.some((c) => c.model.packages.get(opts.package)!.channels.has(channel))) {
    return fail(`no operators found in channel ${channel} of package ${opts.package} ${referenced}`);
  }
  if (channel === '') notes.push(`no channel named: the default channel ${[...new Set(withPackage.map((c) => c.model.packages.get(opts.package)!.pkg.defaultChannel))].join(', ')} is preferred, then the others by name`);

  const ordered: Placed[] = [];
  for (const catalog of withPackage) {
    const pkg = catalog.model.packages.get(opts.package)!;
    for (const ch of channel !== '' ? [channel] : channelPreference(pkg)) {
      if (!pkg.channels.has(ch)) continue;
      const order = orderChannel(pkg, ch);
      if (order.error !== undefined) return fail(order.error);
      for (const entry of order.entries) ordered.push({ catalog, pkg, channel: ch, entry });
    }
  }

  if (opts.installed === undefined) return resolveFirstInstall(opts, sub, ordered, withPackage, notes, fail);
  if (opts.startingCSV) notes.push(`startingCSV ${opts.startingCSV} is not used: OLM reads it only while nothing is installed`);
  return resolveUpgrades(opts, sub, findCurrent(opts, withPackage, ordered), ordered, notes);
}

function resolveFirstInstall(opts: SubscriptionOptions, sub: string, ordered: Placed[], withPackage: NamedCatalog[], notes: string[], fail: (e: string) => SubscriptionResolution): SubscriptionResolution {
  let candidates = ordered;
  const csv = opts.startingCSV;
  if (csv) {
    const listed = withPackage.some((c) => {
      const pkg = c.model.packages.get(opts.package)!;
      return pkg.bundles.has(csv) && [...pkg.channels.entries()].some(([n, ch]) => (!opts.channel || n === opts.channel) && ch.entries.has(csv));
    });
    if (!listed) return fail(`no operators found with name ${csv} in channel ${opts.channel ?? ''} of package ${opts.package} in the catalog referenced by subscription ${sub}`);
    candidates = ordered.filter((p) => p.entry.name === csv);
    if (candidates.length === 0) {
      notes.push(`${csv} is skipped by another entry of its channel, and OLM v0 leaves skipped entries out of a channel's order`);
      return fail(`constraints not satisfiable: subscription ${sub} exists, no operators found matching the criteria of subscription ${sub}`);
    }
    notes.push(`startingCSV ${csv} is installed first; with installPlanApproval Automatic OLM then upgrades it (see --installed ${csv})`);
  }
  const chosen = choose(candidates, opts.catalogs);
  if (chosen.failures) return fail(chosen.fatal ?? unsatisfiable(sub, candidates, chosen.failures));
  notes.push(...passedOverNote(chosen), ...new Set(chosen.notes));
  return { olm: 'v0', bundle: bundleOf(chosen.placed), upgradePath: [], dependencies: chosen.dependencies, notes };
}

function resolveUpgrades(opts: SubscriptionOptions, sub: string, installed: Current, ordered: Placed[], notes: string[]): SubscriptionResolution {
  const path: UpgradeStep[] = [];
  const seen = new Set([installed.name]);
  let current = installed;
  let last: Extract<Chosen, { placed: Placed }> | undefined;
  for (;;) {
    const successors = ordered.filter((p) => viaOf(p.entry, current) !== undefined);
    if (successors.length === 0) break;
    const chosen = choose(successors, opts.catalogs);
    if (chosen.failures) {
      // The installed CSV is one of the subscription's options, so an unsatisfiable successor leaves it in place.
      notes.push(`${current.name} stays: no successor can be installed: ${chosen.fatal ?? unsatisfiable(sub, successors, chosen.failures)}`);
      break;
    }
    const to = chosen.placed.entry.name;
    if (seen.has(to)) break;
    seen.add(to);
    path.push({ from: current.name, to, version: versionOf(chosen.placed), via: viaOf(chosen.placed.entry, current)! });
    notes.push(...passedOverNote(chosen));
    current = { name: to, ...(chosen.placed.pkg.versions.has(to) ? { version: chosen.placed.pkg.versions.get(to)! } : {}), placed: chosen.placed };
    last = chosen;
  }
  if (last) {
    notes.push(...new Set(last.notes));
    return { olm: 'v0', bundle: bundleOf(last.placed), upgradePath: path, dependencies: last.dependencies, notes };
  }
  if (!installed.placed && !installed.name) {
    // Given by a version no bundle has, and no successor: there is nothing to name, install or keep.
    return { olm: 'v0', bundle: null, error: `the installed bundle version ${installed.version ? formatVersion(installed.version) : '?'} is in none of the catalogs given${opts.channel ? ` (channel ${opts.channel})` : ''}, and no entry has a skipRange including it`, upgradePath: [], dependencies: [], notes };
  }
  notes.push(`no entry ${opts.channel ? `of channel ${opts.channel} ` : ''}replaces or skips ${installed.name}${installed.version ? ` or has a skipRange including ${formatVersion(installed.version)}` : ''}: OLM v0 leaves it installed`);
  if (!installed.placed) {
    return { olm: 'v0', bundle: { name: installed.name, version: installed.version ? formatVersion(installed.version) : '', image: '', catalog: '', channel: '' }, upgradePath: [], dependencies: [], notes };
  }
  const deps = resolveV0Dependencies(installed.placed, opts.catalogs);
  notes.push(...deps.notes);
  return { olm: 'v0', bundle: bundleOf(installed.placed), upgradePath: [], dependencies: deps.ok ? deps.dependencies : [], notes };
}

/** The first candidate, in OLM's order, whose dependencies can all be met: what the SAT solver's preference yields. */
function choose(candidates: Placed[], catalogs: readonly NamedCatalog[]): Chosen {
  const failures: string[] = [];
  for (const c of candidates) {
    const deps = resolveV0Dependencies(c, catalogs);
    if (deps.ok) return { placed: c, dependencies: deps.dependencies, notes: deps.notes, passedOver: candidates.slice(0, candidates.indexOf(c)).map((p) => p.entry.name), why: [...new Set(failures)] };
    if (deps.fatal !== undefined) return { failures, fatal: deps.fatal };
    failures.push(...deps.unsatisfied);
  }
  return { failures: [...new Set(failures)] };
}

/** The solver moves down its preference order when a bundle's dependencies cannot be met: say so, it surprises. */
function passedOverNote(c: { passedOver: string[]; why: string[]; placed: Placed }): string[] {
  if (c.passedOver.length === 0) return [];
  const before = c.passedOver.length === 1 ? `${c.passedOver[0]}, ranked before it,` : `the ${c.passedOver.length} bundles ranked before it (${c.passedOver[0]} first)`;
  const why = c.why.length > 3 ? [...c.why.slice(0, 3), `and ${c.why.length - 3} more`] : c.why;
  return [`${c.placed.entry.name} is chosen because ${before} cannot install: ${why.join(', ')}`];
}

/** OLM's NotSatisfiable text: the subscription's constraints, then the dependency constraints that failed. */
function unsatisfiable(sub: string, candidates: Placed[], failures: string[]): string {
  const ids = candidates.map((p) => `${p.catalog.name}/${p.channel}/${p.entry.name}`);
  const requires = ids.length === 1 ? ids[0]! : `at least one of ${ids.slice(0, -1).join(', ')} or ${ids[ids.length - 1]!}`;
  return ['constraints not satisfiable: subscription ' + sub + ' exists', `subscription ${sub} requires ${requires}`, ...failures].join(', ');
}

/** ReplacesPredicate (replaces or skips names it) or SkipRangeIncludesPredicate (its version is in the range). */
function viaOf(e: ChannelEntry, current: Current): UpgradeVia | undefined {
  if (current.name !== '' && e.replaces === current.name) return 'replaces';
  if (current.name !== '' && (e.skips ?? []).includes(current.name)) return 'skips';
  if (e.skipRange && current.version) {
    try {
      if (parseRange(e.skipRange)(current.version)) return 'skipRange';
    } catch {
      // An invalid skipRange matches nothing; catalog validate reports it.
    }
  }
  return undefined;
}

/** status.installedCSV: a bundle of the package by name, else by version, else a bare version (only skipRange can match). */
function findCurrent(opts: SubscriptionOptions, catalogs: NamedCatalog[], ordered: Placed[]): Current {
  const text = opts.installed!;
  const place = (name: string): Placed | undefined => {
    const listed = ordered.find((p) => p.entry.name === name);
    if (listed) return listed;
    for (const catalog of catalogs) {
      const pkg = catalog.model.packages.get(opts.package)!;
      for (const [ch, channel] of pkg.channels) {
        const entry = channel.entries.get(name);
        if (entry && pkg.bundles.has(name)) return { catalog, pkg, channel: ch, entry };
      }
    }
    return undefined;
  };
  for (const catalog of catalogs) {
    const pkg = catalog.model.packages.get(opts.package)!;
    if (pkg.bundles.has(text)) {
      const placed = place(text);
      const v = pkg.versions.get(text);
      return { name: text, ...(v ? { version: v } : {}), ...(placed ? { placed } : {}) };
    }
  }
  for (const catalog of catalogs) {
    const pkg = catalog.model.packages.get(opts.package)!;
    const names = [...pkg.versions].filter(([, v]) => formatVersion(v) === text).map(([n]) => n).sort(byteOrder);
    if (names.length > 0) {
      const placed = place(names[0]!);
      return { name: names[0]!, version: pkg.versions.get(names[0]!)!, ...(placed ? { placed } : {}) };
    }
  }
  const version = tryParseVersion(text);
  if (version) return { name: '', version };
  throw new GantryError('USAGE', `installed CSV ${quoteGoString(text)} is neither a bundle name nor a bundle version of package ${quoteGoString(opts.package)} in the catalogs`);
}

function bundleOf(p: Placed): V0Bundle {
  return { name: p.entry.name, version: versionOf(p), image: p.pkg.bundles.get(p.entry.name)!.image, catalog: p.catalog.name, channel: p.channel };
}
