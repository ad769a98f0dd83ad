// Which files of a catalog hold each package's blobs: the sidecar of the query index, so a caller that needs a few
// packages (install plan) reads and parses only their files; and the package slice of a loaded catalog.
import { byteOrder } from '../../order.js';
import type { CatalogIssue, DeclarativeConfig, Source } from '../fbc/types.js';

export interface PackageFiles {
  format: number;
  /** Package name → the files holding any of its blobs, in walk order. */
  packages: Record<string, string[]>;
  /** Files holding blobs that name no package: loadCatalog's keepPackage keeps those, so a slice reads them too. */
  shared: string[];
  /** Errors met loading the whole catalog (warnings not counted): a slice still reports that the catalog has them. */
  problems: number;
}

type Blob = { source?: Source };

/** The package a blob belongs to, as loadCatalog's keepPackage sees it (undefined: a blob of no package). */
function eachBlob(config: DeclarativeConfig, visit: (pkg: string | undefined, blob: Blob) => void): void {
  for (const p of config.packages) visit(p.name, p);
  for (const c of config.channels) visit(c.package, c);
  for (const b of config.bundles) visit(b.package, b);
  for (const d of config.deprecations) visit(d.package, d);
  for (const o of config.others) visit(o.package, o);
}

export function countProblems(issues: readonly CatalogIssue[]): number {
  return issues.filter((i) => i.severity !== 'warning').length;
}

/** The sidecar for a whole loaded catalog; `files` is loadCatalog's list, which gives the walk order. */
export function buildPackageFiles(config: DeclarativeConfig, issues: readonly CatalogIssue[], files: readonly string[], format: number): PackageFiles {
  const order = new Map(files.map((f, i) => [f, i]));
  const byPackage = new Map<string, Set<string>>();
  const shared = new Set<string>();
  eachBlob(config, (pkg, blob) => {
    const file = blob.source?.file;
    if (file === undefined) return;
    if (pkg === undefined) return void shared.add(file);
    let set = byPackage.get(pkg);
    if (!set) byPackage.set(pkg, (set = new Set()));
    set.add(file);
  });
  const sorted = (s: Set<string>) => [...s].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || byteOrder(a, b));
  const packages: Record<string, string[]> = {};
  for (const name of [...byPackage.keys()].sort(byteOrder)) packages[name] = sorted(byPackage.get(name)!);
  return { format, packages, shared: sorted(shared), problems: countProblems(issues) };
}

/** The files a load of `names` must read: theirs and the shared ones (a package the catalog lacks adds none). */
export function filesForPackages(pf: PackageFiles, names: Iterable<string>): Set<string> {
  const out = new Set(pf.shared);
  for (const n of names) for (const f of Object.hasOwn(pf.packages, n) ? pf.packages[n]! : []) out.add(f);
  return out;
}

/** The blobs of `names` and those of no package, in their order: what loadCatalog with keepPackage would give. */
export function slicePackages(config: DeclarativeConfig, names: ReadonlySet<string>): DeclarativeConfig {
  const keep = (pkg: string | undefined) => pkg === undefined || names.has(pkg);
  return {
    packages: config.packages.filter((p) => keep(p.name)),
    channels: config.channels.filter((c) => keep(c.package)),
    bundles: config.bundles.filter((b) => keep(b.package)),
    deprecations: config.deprecations.filter((d) => keep(d.package)),
    others: config.others.filter((o) => keep(o.package)),
  };
}
