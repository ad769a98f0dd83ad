// gantry catalog list|versions|show: the jq recipes people run over a catalog, as commands over the catalog index
// (cached for directories and files). The catalog is the first positional argument, any source the README lists.
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { loadCatalogIndex } from '../../files/catalog-index-cache.js';
import type { IndexedBundle, QueryIndex } from '../../catalog/query/catalog-index.js';
import { channelVersions, listBundles, listChannels, listPackages, showPackage, type BundleFilter, type OlmV1Judge, type QueryOptions, type QueryResult } from '../../catalog/query/queries.js';
// Straight from the modules, not install/index.ts: plain queries stay light (no resolver, no catalog model).
import { olmV1Problems } from '../../install/check-olm-v1.js';
import { DEFAULT_OLM_VERSION, parseOlmVersion } from '../../install/olm-versions.js';
import type { DeclarativeConfig } from '../../catalog/fbc/types.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { oneOf, outputOption } from '../output-flag.js';
import { renderTable } from '../table.js';

interface QueryOpts extends Record<string, unknown> {
  catalog?: string;
  output: string;
  package?: string;
  channel?: string;
  installMode?: string;
  webhooks?: boolean;
  deprecated?: boolean;
  cache?: boolean;
  raw?: boolean;
  offline?: boolean;
  olmV1?: boolean;
  olmVersion?: string;
}

const INSTALL_MODES = ['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'] as const;

function withCommon(cmd: Command): Command {
  return addCatalogSourceFlags(cmd)
    .option('-c, --catalog <catalog>', 'deprecated: give the catalog as the first argument')
    .addOption(outputOption(['table', 'json', 'yaml'], 'table'))
    .option('--no-cache', 'do not use or write the catalog index cache')
    .option('--olm-version <version>', `the OLM v1 release the "OLM v1" verdicts are for: 1.10, v1.4.0, ocp-4.17 … (default ${DEFAULT_OLM_VERSION})`);
}

/** The one reading of OLM v1's rules (install/check-olm-v1.ts), for the --olm-version target. */
function judgeOf(opts: QueryOpts): OlmV1Judge {
  const target = parseOlmVersion(opts.olmVersion ?? DEFAULT_OLM_VERSION);
  return (b) => olmV1Problems(b, target);
}

async function emit(ctx: CliContext, format: string, data: unknown, table: () => string): Promise<void> {
  if (format === 'json') ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') ctx.stdout.write((await import('../yaml-output.js')).formatYaml(data));
  else ctx.stdout.write(table());
}

/**
 * Positional arguments under the current grammar (CATALOG first) or the deprecated one (-c CATALOG, the rest
 * positional): the old form keeps working for a transition, with a warning on stderr.
 */
function resolveArgs(ctx: CliContext, opts: QueryOpts, args: (string | undefined)[], names: string[], command: string): { catalog: string; rest: (string | undefined)[] } {
  if (opts.catalog !== undefined) {
    const usage = ['gantry catalog', command, 'CATALOG', ...names].join(' ');
    ctx.stderr.write(`warning: -c/--catalog is deprecated (-c is to mean --config only); write: ${usage}\n`);
    if (args.length === names.length + 1) {
      throw new GantryError('USAGE', 'the catalog is given twice: as -c and as the first argument', { hint: 'drop -c' });
    }
    return { catalog: opts.catalog, rest: args };
  }
  const [catalog, ...rest] = args;
  if (catalog === undefined) throw new GantryError('USAGE', 'missing the catalog argument', { hint: 'a directory, a file, -, an http(s) URL, docker://… or oci:…' });
  return { catalog, rest };
}

/** Directories and files get the index cache; stdin, URLs and images are read whole (catalog-source.ts). */
const isLocalPath = (ref: string) => ref !== '-' && !/^(https?:\/\/|docker:\/\/|oci:|archive:)/.test(ref);

/** Warnings (a repeated YAML key) lose nothing; only errors leave parts of the catalog out. */
function reportIssues(ctx: CliContext, all: readonly { severity?: string }[]): void {
  const issues = all.filter((i) => i.severity !== 'warning').length;
  if (issues > 0) ctx.stderr.write(`warning: the catalog has ${issues} problem${issues === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
}

async function index(ctx: CliContext, catalog: string, opts: QueryOpts): Promise<QueryIndex> {
  if (isLocalPath(catalog)) {
    const r = await loadCatalogIndex(catalog, { useCache: opts.cache !== false, signal: ctx.signal });
    reportIssues(ctx, r.issues);
    return r.index;
  }
  const { buildQueryIndex } = await import('../../catalog/query/catalog-index.js');
  return buildQueryIndex(await config(ctx, catalog, opts));
}

/** The whole catalog content, for what the index does not keep (related images, dependencies, raw blobs). */
async function config(ctx: CliContext, catalog: string, opts: QueryOpts): Promise<DeclarativeConfig> {
  const [{ loadCatalog }, { openCatalogSource }] = await Promise.all([import('../../catalog/fbc/load.js'), import('../catalog-source.js')]);
  const loaded = await loadCatalog(await openCatalogSource(catalog, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts }), { signal: ctx.signal });
  reportIssues(ctx, loaded.issues);
  return loaded.config;
}

function filterOf(opts: QueryOpts): BundleFilter {
  return {
    ...(opts.package ? { package: opts.package } : {}),
    ...(opts.channel ? { channel: opts.channel } : {}),
    ...(opts.installMode ? { installMode: opts.installMode } : {}),
    ...(opts.webhooks === false ? { noWebhooks: true } : {}),
    ...(opts.deprecated ? { deprecated: true } : {}),
    ...(opts.olmV1 ? { olmV1: true } : {}),
  };
}

/**
 * Rows the catalog cannot answer for (webhooks, install modes) are answered from their bundle images unless
 * --offline; the reader (and the registry client) loads only then, keeping plain queries light.
 */
async function withBundleFacts<T>(ctx: CliContext, opts: QueryOpts, first: QueryResult<T>, rerun: (o: QueryOptions) => QueryResult<T>): Promise<QueryResult<T>> {
  if (first.unknownImages.length === 0 || opts.offline) return first;
  const { answerWithBundleFacts } = await import('../bundle-facts.js');
  return answerWithBundleFacts(ctx, { ...opts }, first, rerun);
}

function noteUnknown(ctx: CliContext, unknown: number, opts: QueryOpts): void {
  if (unknown === 0) return;
  const what = opts.olmV1 || (opts.installMode && opts.webhooks === false) ? 'install mode or webhook' : opts.webhooks === false ? 'webhook' : 'install mode';
  ctx.stderr.write(
    opts.offline
      ? `note: ${unknown} left out because the catalog carries no ${what} information for them (olm.csv.metadata omits webhooks); without --offline gantry reads it from their bundle images\n`
      : `note: ${unknown} left out because neither the catalog nor their bundle images gave ${what} information for them\n`,
  );
}

function olmV1Text(b: IndexedBundle, judge: OlmV1Judge): string {
  const problems = judge(b);
  if (problems === null) return 'unknown (the catalog lacks install modes or webhooks)';
  return problems.length === 0 ? 'yes' : `no: ${problems.join('; ')}`;
}

const mark = (deprecated: string | null) => (deprecated ? ' (deprecated)' : '');

export function registerCatalogQueries(catalog: Command, ctx: CliContext): void {
  const list = catalog.command('list').description('list packages, channels or bundles');
  const catalogArg = 'a directory, a file, -, an http(s) URL (catalogd /api/v1/all), docker://… or oci:…';

  withCommon(list.command('packages').description('packages with their default channel and its head'))
    .argument('[catalog]', catalogArg)
    .option('--install-mode <mode>', `only packages whose default-channel head supports this install mode (${INSTALL_MODES.join(', ')})`, oneOf('--install-mode', INSTALL_MODES))
    .option('--no-webhooks', 'only packages whose default-channel head defines no webhooks')
    .option('--olm-v1', 'only packages whose default-channel head OLM v1 (ClusterExtension) can install')
    .option('--offline', 'never read bundle images: answer from the catalog alone')
    .option('--deprecated', 'only deprecated packages')
    .action(async (arg: string | undefined, opts: QueryOpts) => {
      const { catalog: ref } = resolveArgs(ctx, opts, arg === undefined ? [] : [arg], [], 'list packages');
      const idx = await index(ctx, ref, opts);
      const judge = judgeOf(opts);
      const r = await withBundleFacts(ctx, opts, listPackages(idx, filterOf(opts), { olmV1: judge }), (o) => listPackages(idx, filterOf(opts), { ...o, olmV1: judge }));
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'DEFAULT CHANNEL', 'HEAD', 'VERSION', 'CHANNELS', 'BUNDLES'], r.rows.map((p) => [p.package + mark(p.deprecated), p.defaultChannel, p.head ?? '-', p.headVersion ?? '-', String(p.channels), String(p.bundles)])),
      );
      noteUnknown(ctx, r.unknown, opts);
    });

  withCommon(list.command('channels').description('channels with their heads'))
    .argument('[catalog]', catalogArg)
    .option('-p, --package <name>', 'only this package')
    .option('--deprecated', 'only deprecated channels')
    .action(async (arg: string | undefined, opts: QueryOpts) => {
      const { catalog: ref } = resolveArgs(ctx, opts, arg === undefined ? [] : [arg], [], 'list channels');
      const r = listChannels(await index(ctx, ref, opts), { ...(opts.package ? { package: opts.package } : {}), ...(opts.deprecated ? { deprecated: true } : {}) });
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'CHANNEL', 'HEAD', 'BUNDLES'], r.rows.map((c) => [c.package, c.channel + (c.isDefault ? ' (default)' : '') + mark(c.deprecated), c.head ?? '-', String(c.bundles)])),
      );
    });

  withCommon(list.command('bundles').description('bundles with version, channels and image'))
    .argument('[catalog]', catalogArg)
    .option('-p, --package <name>', 'only this package')
    .option('--channel <name>', 'only bundles in this channel')
    .option('--install-mode <mode>', `only bundles that support this install mode (${INSTALL_MODES.join(', ')})`, oneOf('--install-mode', INSTALL_MODES))
    .option('--no-webhooks', 'only bundles that define no webhooks')
    .option('--olm-v1', 'only bundles that OLM v1 (ClusterExtension) can install')
    .option('--offline', 'never read bundle images: answer from the catalog alone')
    .option('--deprecated', 'only deprecated bundles')
    .action(async (arg: string | undefined, opts: QueryOpts) => {
      const { catalog: ref } = resolveArgs(ctx, opts, arg === undefined ? [] : [arg], [], 'list bundles');
      const idx = await index(ctx, ref, opts);
      const judge = judgeOf(opts);
      const r = await withBundleFacts(ctx, opts, listBundles(idx, filterOf(opts), { olmV1: judge }), (o) => listBundles(idx, filterOf(opts), { ...o, olmV1: judge }));
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'BUNDLE', 'VERSION', 'CHANNELS', 'IMAGE'], r.rows.map((b) => [b.package, b.bundle + mark(b.deprecated), b.version, b.channels.join(','), b.image])),
      );
      noteUnknown(ctx, r.unknown, opts);
    });

  withCommon(catalog.command('versions').description('the versions in a channel of a package, oldest first'))
    .argument('[catalog]', catalogArg)
    .argument('[package]')
    .option('--channel <name>', 'the channel (default: the package default channel)')
    .action(async (a: string | undefined, b: string | undefined, opts: QueryOpts) => {
      const { catalog: ref, rest } = resolveArgs(ctx, opts, [a, b].filter((x) => x !== undefined), ['PACKAGE'], 'versions');
      const pkg = rest[0];
      if (pkg === undefined) throw new GantryError('USAGE', 'missing the package argument', { hint: 'gantry catalog versions CATALOG PACKAGE' });
      const rows = channelVersions(await index(ctx, ref, opts), pkg, opts.channel, { olmV1: judgeOf(opts) });
      await emit(ctx, opts.output, rows.map((r) => ({ version: r.version, bundle: r.bundle, deprecated: r.deprecated })), () => rows.map((r) => `${r.version}${mark(r.deprecated)}\n`).join(''));
    });

  withCommon(catalog.command('show').description('a package (channels, heads, bundles) or one bundle (with related images and dependencies)'))
    .argument('[catalog]', catalogArg)
    .argument('[package]')
    .argument('[bundle]', 'a bundle name or version')
    .option('--raw', 'print the catalog objects of the package (or bundle) as opm writes them: JSON, or YAML with -o yaml')
    .action(async (a: string | undefined, b: string | undefined, c: string | undefined, opts: QueryOpts) => {
      const { catalog: ref, rest } = resolveArgs(ctx, opts, [a, b, c].filter((x) => x !== undefined), ['PACKAGE', '[BUNDLE]'], 'show');
      const [pkg, bundle] = rest;
      if (pkg === undefined) throw new GantryError('USAGE', 'missing the package argument', { hint: 'gantry catalog show CATALOG PACKAGE [BUNDLE]' });
      if (opts.raw) return showRaw(ctx, await config(ctx, ref, opts), pkg, bundle, opts.output);
      if (bundle) return showBundle(ctx, ref, opts, pkg, bundle);
      const p = showPackage(await index(ctx, ref, opts), pkg);
      await emit(ctx, opts.output, p, () => {
        const head = `package ${p.name}${mark(p.deprecated)}\ndefault channel: ${p.defaultChannel}\n${p.description ? `${p.description.split('\n')[0]}\n` : ''}\n`;
        return head + renderTable(['CHANNEL', 'HEAD', 'BUNDLES'], p.channels.map((ch) => [ch.name + (ch.name === p.defaultChannel ? ' (default)' : '') + mark(ch.deprecated), ch.head ?? '-', String(ch.entries.length)]));
      });
    });
}

/** One bundle: the index row plus what only the full catalog has (related images, required packages and APIs). */
async function showBundle(ctx: CliContext, ref: string, opts: QueryOpts, pkg: string, bundle: string): Promise<void> {
  const cfg = await config(ctx, ref, opts);
  const { buildQueryIndex } = await import('../../catalog/query/catalog-index.js');
  const p = showPackage(buildQueryIndex(cfg), pkg);
  const b = p.bundles.find((x) => x.name === bundle || x.version === bundle);
  if (!b) throw new GantryError('NOT_FOUND', `package "${pkg}" has no bundle "${bundle}"`, { hint: `bundles: ${p.bundles.map((x) => x.name).slice(-5).join(', ')}` });
  const blob = cfg.bundles.find((x) => x.package === pkg && x.name === b.name);
  const relatedImages = (blob?.relatedImages ?? []).map((r) => ({ name: r.name ?? '', image: r.image }));
  const dependencies = dependenciesOf(blob?.properties ?? []);
  await emit(ctx, opts.output, { package: p.name, ...b, relatedImages, dependencies }, () =>
    renderTable(['FIELD', 'VALUE'], [
      ['bundle', b.name + mark(b.deprecated)],
      ['version', b.version],
      ['image', b.image],
      ['channels', b.channels.join(', ')],
      ['install modes', b.installModes?.join(', ') ?? 'unknown'],
      ['webhooks', b.webhooks === null ? 'unknown' : b.webhookTypes?.length ? b.webhookTypes.join(', ') : 'no'],
      ['OLM v1', olmV1Text(b, judgeOf(opts))],
      ...relatedImages.map((r, i): [string, string] => [i === 0 ? 'related images' : '', `${r.image}${r.name ? ` (${r.name})` : ''}`]),
      ...(relatedImages.length === 0 ? [['related images', 'none'] as [string, string]] : []),
      ...dependencies.map((d, i): [string, string] => [i === 0 ? 'dependencies' : '', d.text]),
      ...(dependencies.length === 0 ? [['dependencies', 'none'] as [string, string]] : []),
    ]),
  );
}

interface Dependency {
  type: string;
  value: unknown;
  text: string;
}

/** olm.package.required, olm.gvk.required and olm.constraint properties: what OLM resolves before installing. */
function dependenciesOf(properties: { type: string; value: unknown }[]): Dependency[] {
  const out: Dependency[] = [];
  for (const p of properties) {
    const v = (p.value ?? {}) as Record<string, unknown>;
    if (p.type === 'olm.package.required') out.push({ type: p.type, value: p.value, text: `package ${String(v.packageName)} ${String(v.versionRange ?? '')}`.trim() });
    else if (p.type === 'olm.gvk.required') out.push({ type: p.type, value: p.value, text: `API ${String(v.group)}/${String(v.version)} ${String(v.kind)}` });
    else if (p.type === 'olm.constraint') out.push({ type: p.type, value: p.value, text: `constraint ${JSON.stringify(p.value)}` });
  }
  return out;
}

/** What `jq 'select(.package == PKG)'` gives: the package's own blobs (or one bundle's), in opm's JSON or YAML. */
async function showRaw(ctx: CliContext, cfg: DeclarativeConfig, pkg: string, bundle: string | undefined, format: string): Promise<void> {
  const { emptyConfig } = await import('../../catalog/fbc/types.js');
  const { writeCatalogJson, writeCatalogYaml } = await import('../../catalog/fbc/write.js');
  const out = emptyConfig();
  if (!cfg.packages.some((p) => p.name === pkg)) throw new GantryError('NOT_FOUND', `the catalog has no package "${pkg}"`);
  if (bundle) {
    const b = cfg.bundles.find((x) => x.package === pkg && (x.name === bundle || versionOf(x.properties ?? []) === bundle));
    if (!b) throw new GantryError('NOT_FOUND', `package "${pkg}" has no bundle "${bundle}"`);
    out.bundles.push(b);
  } else {
    out.packages.push(...cfg.packages.filter((p) => p.name === pkg));
    out.channels.push(...cfg.channels.filter((c) => c.package === pkg));
    out.bundles.push(...cfg.bundles.filter((b) => b.package === pkg));
    out.deprecations.push(...cfg.deprecations.filter((d) => d.package === pkg));
    out.others.push(...cfg.others.filter((o) => o.package === pkg));
  }
  ctx.stdout.write(format === 'yaml' ? writeCatalogYaml(out) : writeCatalogJson(out));
}

function versionOf(properties: { type: string; value: unknown }[]): string | undefined {
  const v = properties.find((p) => p.type === 'olm.package')?.value as { version?: string } | undefined;
  return v?.version;
}
