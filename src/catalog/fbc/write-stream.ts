// Writing a catalog as it is read, in the bytes writeCatalogJson gives for the whole of it: one pass finds
// every problem and which files hold which package, a second loads the files of one package at a time and emits.
import { throwIfAborted } from '../../errors.js';
import type { FileTree } from './file-tree.js';
import { byteOrder } from './file-tree.js';
import { catalogFiles, loadCatalog } from './load.js';
import { emptyConfig, type CatalogIssue, type DeclarativeConfig, type Other } from './types.js';
import { encodeOthers, encodePackageGroup, groupBlobs, type PackageGroup, type WriteOptions } from './write.js';

/** One input of a merged catalog: files read twice (a directory, an image's files), or content already in memory. */
export type CatalogInput = { tree: FileTree } | { config: DeclarativeConfig };

/** Where the blobs go, in opm's order. `group` starts a package ('' for blobs that name none, which come last). */
export interface BlobSink {
  group(pkg: string): Promise<void> | void;
  blob(text: string): Promise<void> | void;
}

/** What the first pass learned: the problems of each input, and which package lives where. */
export interface CatalogStreamPlan {
  inputs: readonly CatalogInput[];
  /** Problems of each input (by index), as loadCatalog reports them. Nothing should be written if any. */
  issues: CatalogIssue[][];
  /** Every package name, in the order they are written. */
  packages: string[];
  /** Per package, the part that holds its blobs; packages sharing a part are loaded together. */
  parts: Map<string, Part>;
  /** Custom blobs that name no package, kept from the first pass (they are written last). */
  rootOthers: Other[];
}

/** Packages that must be loaded together, because some file holds blobs of more than one of them. */
interface Part {
  /** Per input index: the files to read (trees), or true (an in-memory config). */
  sources: Map<number, Set<string> | true>;
}

/** A tree whose listing is taken once: the second pass lists it again for every package it loads. */
function listOnce(tree: FileTree): FileTree {
  let listing: Promise<string[]> | undefined;
  return { list: (opts) => (listing ??= tree.list(opts)), read: (path, opts) => tree.read(path, opts) };
}

/** The packages a config's blobs are written under (groupBlobs' rule), and its custom blobs that name none. */
function keysOf(config: DeclarativeConfig): { keys: Set<string>; rootOthers: Other[] } {
  const keys = new Set<string>();
  for (const p of config.packages) keys.add(p.name);
  for (const x of [...config.channels, ...config.bundles, ...config.deprecations]) keys.add(x.package);
  const rootOthers: Other[] = [];
  for (const o of config.others) {
    if (o.package) keys.add(o.package);
    else rootOthers.push(o);
  }
  return { keys, rootOthers };
}

/**
 * First pass: every file is loaded alone and dropped, keeping only its problems, the package names it holds
 * and custom blobs without a package. Packages whose files overlap are joined (union-find) into one part.
 */
export async function planCatalogStream(inputs: readonly CatalogInput[], opts: { signal?: AbortSignal } = {}): Promise<CatalogStreamPlan> {
  const trees = inputs.map((i) => ('tree' in i ? { tree: listOnce(i.tree) } : i));
  const issues: CatalogIssue[][] = [];
  const rootOthers: Other[] = [];
  // Union-find over sources ("input\0file"); each package is linked to the first source that held it.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let y = x; y !== root; ) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  const firstSource = new Map<string, string>();
  const record = (source: string, keys: Iterable<string>) => {
    if (!parent.has(source)) parent.set(source, source);
    for (const k of keys) {
      const first = firstSource.get(k);
      if (first === undefined) firstSource.set(k, source);
      else parent.set(find(source), find(first));
    }
  };
  for (const [i, input] of trees.entries()) {
    const inputIssues: CatalogIssue[] = [];
    issues.push(inputIssues);
    if ('config' in input) {
      const { keys, rootOthers: own } = keysOf(input.config);
      record(`${i}\0`, keys);
      rootOthers.push(...own);
      continue;
    }
    for (const file of await catalogFiles(input.tree, opts)) {
      throwIfAborted(opts.signal);
      const names = new Set<string>();
      // Typed blobs are dropped as they are decoded; only custom blobs without a package are kept ('' is a
      // package name here, kept so that keysOf sees which kind of blob carried it).
      const r = await loadCatalog(input.tree, { ...opts, keepFile: (f) => f === file, keepPackage: (n) => (names.add(n), n === '') });
      inputIssues.push(...r.issues);
      const { keys, rootOthers: own } = keysOf(r.config);
      for (const n of names) if (n !== '') keys.add(n);
      record(`${i}\0${file}`, keys);
      rootOthers.push(...own);
    }
  }
  const parts = new Map<string, Part>();
  const partOf = new Map<string, Part>();
  for (const source of parent.keys()) {
    const root = find(source);
    let part = partOf.get(root);
    if (!part) partOf.set(root, (part = { sources: new Map() }));
    const sep = source.indexOf('\0');
    const input = Number(source.slice(0, sep));
    const file = source.slice(sep + 1);
    if ('config' in trees[input]!) part.sources.set(input, true);
    else {
      const files = part.sources.get(input);
      if (files instanceof Set) files.add(file);
      else part.sources.set(input, new Set([file]));
    }
  }
  for (const [k, source] of firstSource) parts.set(k, partOf.get(find(source))!);
  return { inputs: trees, issues, packages: [...firstSource.keys()].sort(byteOrder), parts, rootOthers };
}

/** Loads the blobs of one part, inputs and files in their original order, so every kind keeps its load order. */
async function loadPart(plan: CatalogStreamPlan, part: Part, opts: StreamOptions): Promise<Map<string, PackageGroup>> {
  return groupBlobs(await loadPartConfig(plan, part, opts)).groups;
}

/** Applied to each input's blobs as they are loaded for writing (render's opm normalisation, in place). */
export interface StreamOptions {
  normalize?: (config: DeclarativeConfig) => void;
  signal?: AbortSignal;
}

async function loadPartConfig(plan: CatalogStreamPlan, part: Part, opts: StreamOptions): Promise<DeclarativeConfig> {
  const config = emptyConfig();
  for (const [i, input] of plan.inputs.entries()) {
    const files = part.sources.get(i);
    if (files === undefined) continue;
    const loaded = 'config' in input ? input.config : (await loadCatalog(input.tree, { ...(opts.signal ? { signal: opts.signal } : {}), keepFile: (f) => (files as Set<string>).has(f) })).config;
    opts.normalize?.(loaded);
    config.packages.push(...loaded.packages);
    config.channels.push(...loaded.channels);
    config.bundles.push(...loaded.bundles);
    config.deprecations.push(...loaded.deprecations);
    config.others.push(...loaded.others);
  }
  // Custom blobs without a package are left out here: the first pass kept them, in their order among all inputs.
  return config;
}

/** The blobs of the named packages (and the custom blobs of none), loaded whole: for checks that need their sources. */
export async function loadStreamPackages(plan: CatalogStreamPlan, names: readonly string[], opts: StreamOptions = {}): Promise<DeclarativeConfig> {
  const config = emptyConfig();
  for (const part of new Set(names.flatMap((n) => plan.parts.get(n) ?? []))) {
    const loaded = await loadPartConfig(plan, part, opts);
    for (const k of ['packages', 'channels', 'bundles', 'deprecations', 'others'] as const) (config[k] as unknown[]).push(...loaded[k]);
  }
  config.others.push(...plan.rootOthers);
  return config;
}

/**
 * Second pass: packages in opm's order, each part loaded when its first package comes and dropped once its
 * last one is written; blobs go to the sink one at a time. The bytes equal writeCatalogJson of the merged inputs.
 */
export async function writeCatalogStream(plan: CatalogStreamPlan, sink: BlobSink, opts: WriteOptions & StreamOptions = {}): Promise<void> {
  const loaded = new Map<Part, Map<string, PackageGroup>>();
  for (const pkg of plan.packages) {
    throwIfAborted(opts.signal);
    const part = plan.parts.get(pkg)!;
    let groups = loaded.get(part);
    if (!groups) loaded.set(part, (groups = await loadPart(plan, part, opts)));
    const group = groups.get(pkg);
    // A file changed between the passes can lose a package: there is nothing left to write for it.
    if (group) {
      await sink.group(pkg);
      for (const text of encodePackageGroup(group, opts)) await sink.blob(text);
    }
    groups.delete(pkg);
    if (groups.size === 0) loaded.delete(part);
  }
  if (plan.rootOthers.length > 0) {
    await sink.group('');
    for (const text of encodeOthers(plan.rootOthers, opts)) await sink.blob(text);
  }
}
