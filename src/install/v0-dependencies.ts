// Dependencies as OLM v0's resolver finds them (resolver.go getBundleVariables, sortBundles; cache FindPreferred):
// olm.package.required and olm.gvk.required, the requiring bundle's catalog first, then by CatalogSource priority.
import { byteOrder } from '../order.js';
import type { ChannelEntry } from '../catalog/fbc/types.js';
import { gvkKey, type ModelPackage } from '../catalog/model/catalog-model.js';
import { decodeGvk, decodePackageRequired } from '../catalog/model/properties.js';
import { formatVersion, parseRange } from '../semver/index.js';
import { orderChannel } from './channel-order-v0.js';
import type { V0Dependency } from './subscription-types.js';
import type { NamedCatalog } from './types.js';

/** A bundle as one channel of one catalog lists it: OLM v0's cache holds one entry per (catalog, channel, bundle). */
export interface Placed {
  catalog: NamedCatalog;
  pkg: ModelPackage;
  channel: string;
  entry: ChannelEntry;
}

export type DependencyOutcome =
  | { ok: true; dependencies: V0Dependency[]; notes: string[] }
  /** `unsatisfied` in OLM's words ("bundle x requires an operator with package: …"); `fatal`: OLM fails the whole resolution. */
  | { ok: false; unsatisfied: string[]; fatal?: string; notes: string[] };

interface Requirement {
  /** OLM's predicate text, as in its "requires an operator …" constraint. */
  describe: string;
  reason: string;
  /** The packages of a catalog with bundles that could satisfy it, and the test for one bundle. */
  within(catalog: NamedCatalog): { packages: string[]; test: (pkg: ModelPackage, bundle: string) => boolean };
}

/** Depth-first with backtracking, as the SAT solver's preference order would settle it; bounded so nothing hangs. */
const MAX_TRIES = 20_000;

export function versionOf(p: Placed): string {
  const v = p.pkg.versions.get(p.entry.name);
  return v ? formatVersion(v) : '';
}

export function resolveV0Dependencies(root: Placed, catalogs: readonly NamedCatalog[]): DependencyOutcome {
  const s: Search = { catalogs, selected: new Map([[root.pkg.pkg.name, root]]), dependencies: [], unsatisfied: [], notes: [], tries: 0 };
  const ok = !prohibited(s, root) && solve(s, goalsOf(s, root));
  const notes = [...new Set(s.notes)];
  if (ok && s.fatal === undefined) return { ok: true, dependencies: s.dependencies, notes };
  return { ok: false, unsatisfied: [...new Set(s.unsatisfied)], ...(s.fatal !== undefined ? { fatal: s.fatal } : {}), notes };
}

interface Search {
  catalogs: readonly NamedCatalog[];
  /** One operator per package in a namespace (OLM's package invariant): package → the bundle chosen for it. */
  selected: Map<string, Placed>;
  dependencies: V0Dependency[];
  unsatisfied: string[];
  notes: string[];
  tries: number;
  fatal?: string;
}

/** A requirement still to meet, and the bundle that has it. */
interface Goal {
  req: Requirement;
  by: Placed;
}

const goalsOf = (s: Search, b: Placed): Goal[] => requirementsOf(s, b).map((req) => ({ req, by: b }));

/** The sqlite-era olm.deprecated property prohibits a bundle outright (OLM's "bundle … is deprecated" constraint). */
function prohibited(s: Search, b: Placed): boolean {
  if (!(b.pkg.bundles.get(b.entry.name)!.properties ?? []).some((p) => p.type === 'olm.deprecated')) return false;
  s.unsatisfied.push(`bundle ${b.catalog.name}/${b.channel}/${b.entry.name} is deprecated`);
  return true;
}

/**
 * Meets every pending goal, depth first, in OLM's candidate order. A choice is taken back whenever a later goal
 * (its own dependencies or a sibling's) cannot be met with it, as the solver would: p needing a and b, where the
 * newest a needs a c that b refuses, ends on an older a. MAX_TRIES bounds the search.
 */
function solve(s: Search, pending: Goal[]): boolean {
  if (s.fatal !== undefined) return false;
  const [goal, ...rest] = pending;
  if (goal === undefined) return true;
  const { req, by } = goal;
  const have = [...s.selected.values()].find((p) => p !== by && req.within(p.catalog).test(p.pkg, p.entry.name));
  if (have) {
    s.dependencies.push(dependencyRow(have, by, req));
    if (solve(s, rest)) return true;
    s.dependencies.pop();
    return false;
  }
  for (const c of candidatesFor(s, req, by.catalog)) {
    if (++s.tries > MAX_TRIES) s.fatal = `gave up after ${MAX_TRIES} candidate bundles while resolving the dependencies of ${by.entry.name}`;
    if (s.fatal !== undefined) return false;
    // The package invariant: a package already chosen at a version that does not satisfy this cannot be added again.
    if (s.selected.has(c.pkg.pkg.name) || prohibited(s, c)) continue;
    const rows = s.dependencies.length;
    s.selected.set(c.pkg.pkg.name, c);
    s.dependencies.push(dependencyRow(c, by, req));
    if (solve(s, [...goalsOf(s, c), ...rest])) return true;
    s.selected.delete(c.pkg.pkg.name);
    s.dependencies.length = rows;
  }
  s.unsatisfied.push(`bundle ${by.entry.name} requires an operator ${req.describe}`);
  return false;
}

function dependencyRow(p: Placed, by: Placed, req: Requirement): V0Dependency {
  const bundle = p.pkg.bundles.get(p.entry.name)!;
  return { package: p.pkg.pkg.name, bundle: p.entry.name, version: versionOf(p), image: bundle.image, catalog: p.catalog.name, channel: p.channel, requiredBy: by.entry.name, reason: req.reason };
}

function requirementsOf(s: Search, b: Placed): Requirement[] {
  const out: Requirement[] = [];
  const bundle = b.pkg.bundles.get(b.entry.name)!;
  for (const prop of bundle.properties ?? []) {
    try {
      if (prop.type === 'olm.package.required') out.push(packageRequirement(decodePackageRequired(prop.value)));
      else if (prop.type === 'olm.gvk.required') out.push(gvkRequirement(decodeGvk(prop.value, 'property.GVKRequired')));
      else if (prop.type === 'olm.constraint' || prop.type === 'olm.label.required') {
        s.notes.push(`${b.entry.name} has an ${prop.type} property, which is not evaluated offline`);
      }
    } catch (err) {
      // OLM turns a property it cannot convert into an error for the whole resolution.
      s.fatal = `bundle ${b.entry.name}: ${prop.type}: ${(err as Error).message}`;
    }
  }
  return out;
}

function packageRequirement(r: { packageName: string; versionRange: string }): Requirement {
  const range = parseRange(r.versionRange);
  return {
    describe: `with package: ${r.packageName} and with version in range: ${r.versionRange}`,
    reason: `olm.package.required ${r.packageName} ${r.versionRange}`,
    within: (catalog) => ({
      packages: catalog.model.packages.has(r.packageName) ? [r.packageName] : [],
      test: (p, name) => {
        const v = p.versions.get(name);
        return p.pkg.name === r.packageName && v !== undefined && range(v);
      },
    }),
  };
}

function gvkRequirement(g: { group: string; version: string; kind: string }): Requirement {
  const key = gvkKey(g);
  return {
    describe: `providing an API with group: ${g.group}, version: ${g.version}, kind: ${g.kind}`,
    reason: `olm.gvk.required ${key}`,
    within: (catalog) => {
      const providers = catalog.model.gvkProviders.get(key) ?? [];
      const provides = new Set(providers.map(([p, b]) => `${p}\0${b}`));
      return { packages: [...new Set(providers.map(([p]) => p))], test: (p, name) => provides.has(`${p.pkg.name}\0${name}`) };
    },
  };
}

/**
 * FindPreferred then sortBundles: the requiring bundle's catalog first, then the others by priority (higher first)
 * and name; within a catalog every (package, channel) with a satisfying bundle, default channels first, then by
 * package and channel name, each in channel order; then only the satisfying bundles.
 */
function candidatesFor(s: Search, req: Requirement, preferred: NamedCatalog): Placed[] {
  const order = [preferred, ...s.catalogs.filter((c) => c !== preferred).sort((a, b) => b.priority - a.priority || byteOrder(a.name, b.name))];
  const out: Placed[] = [];
  for (const catalog of order) {
    const { packages, test } = req.within(catalog);
    const parts: { pkg: ModelPackage; channel: string; isDefault: boolean }[] = [];
    for (const name of packages) {
      const pkg = catalog.model.packages.get(name);
      if (!pkg) continue;
      for (const [ch, channel] of pkg.channels) {
        if ([...channel.entries.keys()].some((n) => pkg.bundles.has(n) && test(pkg, n))) parts.push({ pkg, channel: ch, isDefault: ch === pkg.pkg.defaultChannel });
      }
    }
    parts.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || byteOrder(a.pkg.pkg.name, b.pkg.pkg.name) || byteOrder(a.channel, b.channel));
    for (const part of parts) {
      const ordered = orderChannel(part.pkg, part.channel);
      if (ordered.error !== undefined) {
        s.fatal = ordered.error;
        return out;
      }
      for (const entry of ordered.entries) if (test(part.pkg, entry.name)) out.push({ catalog, pkg: part.pkg, channel: part.channel, entry });
    }
  }
  return out;
}
