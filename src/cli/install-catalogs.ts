// The catalogs install plan and check-rbac read: NAME=SOURCE arguments with priorities and labels, loaded for the
// packages asked (a local directory through the index cache, which names each package's files; others whole).
import { statSync } from 'node:fs';
import { GantryError } from '../errors.js';
import { buildCatalogModel } from '../catalog/model/catalog-model.js';
import type { DeclarativeConfig } from '../catalog/fbc/types.js';
import { countProblems } from '../catalog/query/package-files.js';
import { loadCatalogPackages } from '../files/catalog-index-cache.js';
import { CATALOG_NAME_LABEL, type NamedCatalog } from '../install/index.js';
import type { CliContext } from './context.js';
import { nameCatalogs } from './catalog-name.js';

const usage = (message: string, hint?: string) => new GantryError('USAGE', message, hint ? { hint } : {});

export interface CatalogArgs {
  priority: string[];
  catalogLabel: string[];
  cache?: boolean;
}

/** A catalog argument with its name, priority and labels, not loaded yet. */
export interface CatalogArg {
  name: string;
  source: string;
  priority: number;
  labels: Record<string, string>;
}

export function parseCatalogArgs(sources: string[], opts: CatalogArgs): CatalogArg[] {
  const named = nameCatalogs(sources);
  const names = named.map((n) => n.name);
  const priorities = parsePriorities(opts.priority, names);
  const labels = parseCatalogLabels(opts.catalogLabel, names);
  return named.map((n) => ({ ...n, priority: priorities.get(n.name) ?? 0, labels: labels.get(n.name) ?? {} }));
}

/** Loads each catalog, keeping the packages named ('all': every package, for OLM v0's GVK dependencies). */
export async function loadCatalogs(ctx: CliContext, args: readonly CatalogArg[], packages: string[] | 'all', opts: CatalogArgs & Record<string, unknown>): Promise<NamedCatalog[]> {
  const out: NamedCatalog[] = [];
  for (const a of args) {
    const loaded = await loadPackages(ctx, a.source, packages, opts);
    if (loaded.problems > 0) ctx.stderr.write(`warning: catalog ${a.name} has ${loaded.problems} problem${loaded.problems === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
    out.push({ name: a.name, priority: a.priority, labels: a.labels, model: buildCatalogModel(loaded.config) });
  }
  return out;
}

/**
 * Only the packages' blobs are kept: a 7,000-bundle catalog is not turned into a model for one package. A local
 * directory goes through the index cache, which names the files holding each package, so a warm run parses only
 * those; other sources (a file, stdin, a URL, an image) are read whole, as one file would be anyway.
 */
async function loadPackages(ctx: CliContext, source: string, packages: string[] | 'all', opts: CatalogArgs & Record<string, unknown>): Promise<{ config: DeclarativeConfig; problems: number }> {
  if (packages !== 'all' && isLocalDirectory(source)) return loadCatalogPackages(source, packages, { useCache: opts.cache !== false, signal: ctx.signal });
  // Loaded on demand: the registry client and the YAML parsers cost start-up time a warm directory run never needs.
  const [{ openCatalogSource }, { loadCatalog }] = await Promise.all([import('./catalog-source.js'), import('../catalog/fbc/load.js')]);
  const tree = await openCatalogSource(source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
  const keepPackage = packages === 'all' ? () => true : (p: string) => packages.includes(p);
  const loaded = await loadCatalog(tree, { signal: ctx.signal, keepPackage });
  return { config: loaded.config, problems: countProblems(loaded.issues) };
}

const isLocalDirectory = (source: string) => source !== '-' && !/^(https?:\/\/|docker:\/\/|oci:)/.test(source) && statSync(source, { throwIfNoEntry: false })?.isDirectory() === true;

function parsePriorities(values: string[], names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const m = /^(.+)=(-?\d+)$/.exec(v);
    if (!m) throw usage(`--priority "${v}" must be NAME=N (a whole number)`);
    if (!names.includes(m[1]!)) throw usage(`--priority names catalog "${m[1]}", which is not given`, `catalogs: ${names.join(', ')}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function parseCatalogLabels(values: string[], names: string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const v of values) {
    const m = /^([^:]+):([^=]+)=(.*)$/.exec(v);
    if (!m) throw usage(`--catalog-label "${v}" must be NAME:KEY=VALUE`, 'e.g. --catalog-label redhat:tier=certified');
    const [, name, key, value] = m as unknown as [string, string, string, string];
    if (!names.includes(name)) throw usage(`--catalog-label names catalog "${name}", which is not given`, `catalogs: ${names.join(', ')}`);
    if (key === CATALOG_NAME_LABEL) throw usage(`--catalog-label cannot set ${CATALOG_NAME_LABEL}: it is always the catalog's name`, 'name the catalog NAME=SOURCE instead');
    out.set(name, { ...out.get(name), [key]: value });
  }
  return out;
}
