// Dependencies of the selected bundles (olm.package.required, olm.gvk.required) resolved inside the catalog and
// added, recursively — what oc-mirror v1 did and v2 silently dropped (reference §3.2, §3.5 pitfall 3).
import { byteOrder } from '../catalog/fbc/file-tree.js';
import { decodeGvk, decodePackageRequired } from '../catalog/model/properties.js';
import { parseRange, type VersionRange } from '../catalog/semver/index.js';
import { gvkKey, type ModelPackage } from '../catalog/model/catalog-model.js';
import { orderFromHeads } from './channel-graph.js';
import { addReason, isKept, keepBundles, type SelectionState } from './selection-state.js';

interface Requirement {
  describe: string;
  /** Candidate packages, in the order they are tried. */
  packages: string[];
  accepts: (p: ModelPackage, bundle: string) => boolean;
}

/** Adds, for every kept bundle, the head-most bundle satisfying each requirement; unresolvable ones are warnings. */
export function resolveDependencies(state: SelectionState): void {
  const queue: [string, string][] = [];
  const queued = new Set<string>();
  const enqueue = (pkg: string, bundle: string) => {
    const key = `${pkg}\0${bundle}`;
    if (queued.has(key)) return;
    queued.add(key);
    queue.push([pkg, bundle]);
  };
  for (const pkg of [...state.kept.keys()].sort(byteOrder)) {
    const names = new Set<string>();
    for (const set of state.kept.get(pkg)!.values()) for (const n of set) names.add(n);
    for (const n of [...names].sort(byteOrder)) enqueue(pkg, n);
  }
  while (queue.length > 0) {
    const [pkg, name] = queue.shift()!;
    const bundle = state.model.packages.get(pkg)?.bundles.get(name);
    if (!bundle) continue;
    for (const req of requirementsOf(state, pkg, name)) {
      const found = findProvider(state, req);
      if (!found) {
        state.issues.push({
          code: 'dependency-unresolved',
          severity: 'warning',
          message: `bundle ${JSON.stringify(name)} of package ${JSON.stringify(pkg)} requires ${req.describe}, which no bundle in this catalog provides`,
          hint: 'the operator will not install unless the dependency comes from another catalog source on the cluster',
          package: pkg,
          bundle: name,
        });
        continue;
      }
      const [p, channel, dep] = found;
      if (isKept(state, p.pkg.name, dep)) {
        for (const [ch, names] of state.kept.get(p.pkg.name)!) if (names.has(dep)) addReason(state, p.pkg.name, ch, dep, `dependency-of:${name}`);
        continue;
      }
      for (const added of keepBundles(state, p, channel, new Map([[dep, `dependency-of:${name}` as const]]))) enqueue(p.pkg.name, added);
    }
  }
}

function requirementsOf(state: SelectionState, pkg: string, name: string): Requirement[] {
  const bundle = state.model.packages.get(pkg)!.bundles.get(name)!;
  const out: Requirement[] = [];
  const warn = (message: string) =>
    state.issues.push({ code: 'dependency-invalid', severity: 'warning', message: `bundle ${JSON.stringify(name)}: ${message}`, package: pkg, bundle: name });
  for (const prop of bundle.properties ?? []) {
    try {
      if (prop.type === 'olm.package.required') {
        const r = decodePackageRequired(prop.value);
        let range: VersionRange;
        try {
          range = parseRange(r.versionRange);
        } catch (err) {
          warn(`olm.package.required ${JSON.stringify(r.packageName)} has an invalid versionRange ${JSON.stringify(r.versionRange)}: ${(err as Error).message}`);
          continue;
        }
        out.push({
          describe: `package ${JSON.stringify(r.packageName)} ${r.versionRange}`,
          packages: [r.packageName],
          accepts: (p, b) => {
            const v = p.versions.get(b);
            return v !== undefined && range(v);
          },
        });
      } else if (prop.type === 'olm.gvk.required') {
        const key = gvkKey(decodeGvk(prop.value, 'property.GVKRequired'));
        const providers = state.model.gvkProviders.get(key) ?? [];
        const provides = new Set(providers.map(([p, b]) => `${p}\0${b}`));
        // A package the selection already holds first, then byte order: no second provider unless needed.
        const pkgs = [...new Set(providers.map(([p]) => p))].sort((a, b) => Number(!state.kept.has(a)) - Number(!state.kept.has(b)) || byteOrder(a, b));
        out.push({ describe: `the API ${key}`, packages: pkgs, accepts: (p, b) => provides.has(`${p.pkg.name}\0${b}`) });
      }
    } catch (err) {
      warn(`property ${prop.type} does not decode: ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * A kept bundle that satisfies the requirement if there is one; otherwise the head-most satisfying bundle of
 * the default channel, then of the other channels in byte order.
 */
function findProvider(state: SelectionState, req: Requirement): [ModelPackage, string, string] | undefined {
  let fallback: [ModelPackage, string, string] | undefined;
  for (const name of req.packages) {
    const p = state.model.packages.get(name);
    if (!p) continue;
    const channels = [...p.channels.keys()].sort((a, b) => Number(a !== p.pkg.defaultChannel) - Number(b !== p.pkg.defaultChannel) || byteOrder(a, b));
    for (const ch of channels) {
      const channel = p.channels.get(ch)!;
      const { head, heads } = channel;
      if (!head) continue;
      for (const b of orderFromHeads(channel, [head, ...heads.filter((h) => h !== head)])) {
        if (!req.accepts(p, b) || !p.bundles.has(b)) continue;
        if (isKept(state, name, b)) return [p, ch, b];
        fallback ??= [p, ch, b];
      }
    }
  }
  return fallback;
}
