// Which packages a selection can touch: the listed ones plus every package that could satisfy a dependency of
// theirs (olm.package.required, olm.gvk.required → olm.gvk), transitively. Loading only those from a big catalog
// gives the same selection as loading all of it, in a fraction of the memory.
import { keyOf } from '../catalog/fbc/decode-blob.js';
import { catalogFiles, decodeUtf8, forEachCatalogValue } from '../catalog/fbc/load.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import { decodeGvk, decodePackageRequired } from '../catalog/model/properties.js';
import { throwIfAborted } from '../errors.js';
import { gvkKey } from '../catalog/model/catalog-model.js';

export interface PackageDependencies {
  provides: Set<string>;
  requiresGvk: Set<string>;
  requiresPackage: Set<string>;
  /** The catalog files holding blobs of this package. */
  files: Set<string>;
}

/** One pass over the catalog keeping only what dependency resolution reads; each file's objects are dropped after it. */
export async function scanDependencies(tree: FileTree, opts: { signal?: AbortSignal } = {}): Promise<Map<string, PackageDependencies>> {
  const out = new Map<string, PackageDependencies>();
  const of = (pkg: string) => {
    let d = out.get(pkg);
    if (!d) out.set(pkg, (d = { provides: new Set(), requiresGvk: new Set(), requiresPackage: new Set(), files: new Set() }));
    return d;
  };
  for (const file of await catalogFiles(tree, opts)) {
    throwIfAborted(opts.signal);
    await forEachValueOfFile(tree, file, (value) => {
      // Straight off the parsed object (no typed decode): this pass runs over every bundle of the catalog.
      if (typeof value !== 'object' || value === null) return;
      const v = value as Record<string, unknown>;
      const schema = field(v, 'schema');
      const pkg = schema === 'olm.package' ? field(v, 'name') : field(v, 'package');
      if (typeof pkg !== 'string') return;
      const deps = of(pkg);
      deps.files.add(file);
      if (schema !== 'olm.bundle') return;
      const props = field(v, 'properties');
      if (!Array.isArray(props)) return;
      for (const prop of props as unknown[]) {
        if (typeof prop !== 'object' || prop === null) continue;
        const type = field(prop as Record<string, unknown>, 'type');
        const val = field(prop as Record<string, unknown>, 'value');
        try {
          if (type === 'olm.gvk') deps.provides.add(gvkKey(decodeGvk(val)));
          else if (type === 'olm.gvk.required') deps.requiresGvk.add(gvkKey(decodeGvk(val, 'property.GVKRequired')));
          else if (type === 'olm.package.required') deps.requiresPackage.add(decodePackageRequired(val).packageName);
        } catch {
          // Undecodable properties provide and require nothing (the full load reports them).
        }
      }
    });
  }
  return out;
}

const CLOSE = Buffer.from('\n}');
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Objects of a file one at a time. An indented JSON stream (opm's output) is split on its closing braces as the
 * bytes stream in, so a 60 MB file is never in memory whole; anything else is read whole and parsed as text.
 */
async function forEachValueOfFile(tree: FileTree, file: string, onValue: (value: unknown) => void): Promise<void> {
  if (tree.stream) {
    let carry: Buffer = Buffer.alloc(0);
    let ok = true;
    for await (const chunk of tree.stream(file)) {
      carry = carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([carry, chunk]);
      let start = 0;
      while (isSpace(carry[start])) start++;
      if (start < carry.length && carry[start] !== 0x7b) ok = false;
      for (let close = carry.indexOf(CLOSE, start); ok && close !== -1; close = carry.indexOf(CLOSE, start)) {
        try {
          onValue(JSON.parse(decodeUtf8(carry.subarray(start, close + 2))));
        } catch {
          ok = false;
          break;
        }
        start = close + 2;
        while (isSpace(carry[start])) start++;
        if (start < carry.length && carry[start] !== 0x7b) ok = false;
      }
      if (!ok) break;
      carry = carry.subarray(start);
    }
    if (ok && carry.length === 0) return;
    // Not an indented stream after all: the careful path below. Objects seen already are seen again, which
    // is harmless for a scan that only collects sets.
  }
  const bytes = await tree.read(file);
  if (bytes.indexOf(0) === -1) forEachCatalogValue(decodeUtf8(bytes), file, onValue);
}

/** A field by name, matched as Go's encoding/json does (exact, then case-insensitive), as the full load does. */
function field(obj: Record<string, unknown>, name: string): unknown {
  const k = keyOf(obj, name);
  return k === undefined ? undefined : obj[k];
}

/** The files to load for these packages (a file with no package blobs at all is kept: it may hold anything). */
export function filesOf(needed: ReadonlySet<string>, deps: ReadonlyMap<string, PackageDependencies>): (file: string) => boolean {
  const wanted = new Set<string>();
  const packaged = new Set<string>();
  for (const [pkg, d] of deps) {
    for (const f of d.files) {
      packaged.add(f);
      if (needed.has(pkg)) wanted.add(f);
    }
  }
  return (file) => wanted.has(file) || !packaged.has(file);
}

/** The listed packages and, transitively, every package that provides something one of them requires. */
export function neededPackages(listed: readonly string[], deps: ReadonlyMap<string, PackageDependencies>): Set<string> {
  const providers = new Map<string, string[]>();
  for (const [pkg, d] of deps) for (const g of d.provides) providers.set(g, [...(providers.get(g) ?? []), pkg]);
  const needed = new Set<string>();
  const queue = [...listed];
  while (queue.length > 0) {
    const pkg = queue.pop()!;
    if (needed.has(pkg)) continue;
    needed.add(pkg);
    const d = deps.get(pkg);
    if (!d) continue;
    for (const p of d.requiresPackage) queue.push(p);
    for (const g of d.requiresGvk) queue.push(...(providers.get(g) ?? []));
  }
  return needed;
}
