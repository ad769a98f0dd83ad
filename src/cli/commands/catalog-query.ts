// gantry catalog list|versions|show: the jq recipes people run over a catalog, as commands over the cached
// catalog index. Output as a table, JSON or YAML.
import type { Command } from 'commander';
import { GantryError } from '../../errors.js';
import { loadCatalogIndex } from '../../files/catalog-index-cache.js';
import { channelVersions, listBundles, listChannels, listPackages, showPackage, type BundleFilter } from '../../catalog/query/queries.js';
import type { CliContext } from '../context.js';
import { renderTable } from '../table.js';

interface QueryOpts {
  catalog: string;
  output: string;
  package?: string;
  channel?: string;
  installMode?: string;
  webhooks?: boolean;
  deprecated?: boolean;
  cache?: boolean;
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-c, --catalog <path>', 'catalog directory or file', '.')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option('--no-cache', 'do not use or write the catalog index cache');
}

async function emit(ctx: CliContext, format: string, data: unknown, table: () => string): Promise<void> {
  if (format === 'json') ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') ctx.stdout.write((await import('../yaml-output.js')).formatYaml(data));
  else if (format === 'table') ctx.stdout.write(table());
  else throw new GantryError('USAGE', `unknown output format "${format}"`, { hint: 'use table, json or yaml' });
}

async function index(ctx: CliContext, opts: QueryOpts) {
  const r = await loadCatalogIndex(opts.catalog, { useCache: opts.cache !== false, signal: ctx.signal });
  if (r.issues.length > 0) {
    ctx.stderr.write(`warning: the catalog has ${r.issues.length} problem${r.issues.length === 1 ? '' : 's'} that prevented parts of it from loading; run gantry catalog validate\n`);
  }
  return r.index;
}

function filterOf(opts: QueryOpts): BundleFilter {
  return {
    ...(opts.package ? { package: opts.package } : {}),
    ...(opts.channel ? { channel: opts.channel } : {}),
    ...(opts.installMode ? { installMode: opts.installMode } : {}),
    ...(opts.webhooks === false ? { noWebhooks: true } : {}),
    ...(opts.deprecated ? { deprecated: true } : {}),
  };
}

function noteUnknown(ctx: CliContext, unknown: number, opts: QueryOpts): void {
  if (unknown === 0) return;
  const what = opts.webhooks === false ? 'webhook' : 'install mode';
  ctx.stderr.write(
    `note: ${unknown} left out because the catalog carries no ${what} information for them (olm.csv.metadata omits webhooks; only bundles with their CSV in olm.bundle.object say)\n`,
  );
}

const mark = (deprecated: string | null) => (deprecated ? ' (deprecated)' : '');

export function registerCatalogQueries(catalog: Command, ctx: CliContext): void {
  const list = catalog.command('list').description('list packages, channels or bundles');

  withCommon(list.command('packages').description('packages with their default channel and its head'))
    .option('--install-mode <mode>', 'only packages whose default-channel head supports this install mode')
    .option('--no-webhooks', 'only packages whose default-channel head defines no webhooks')
    .option('--deprecated', 'only deprecated packages')
    .action(async (opts: QueryOpts) => {
      const r = listPackages(await index(ctx, opts), filterOf(opts));
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'DEFAULT CHANNEL', 'HEAD', 'VERSION', 'CHANNELS', 'BUNDLES'], r.rows.map((p) => [p.package + mark(p.deprecated), p.defaultChannel, p.head ?? '-', p.headVersion ?? '-', String(p.channels), String(p.bundles)])),
      );
      noteUnknown(ctx, r.unknown, opts);
    });

  withCommon(list.command('channels').description('channels with their heads'))
    .option('-p, --package <name>', 'only this package')
    .option('--deprecated', 'only deprecated channels')
    .action(async (opts: QueryOpts) => {
      const r = listChannels(await index(ctx, opts), { ...(opts.package ? { package: opts.package } : {}), ...(opts.deprecated ? { deprecated: true } : {}) });
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'CHANNEL', 'HEAD', 'BUNDLES'], r.rows.map((c) => [c.package, c.channel + (c.isDefault ? ' (default)' : '') + mark(c.deprecated), c.head ?? '-', String(c.bundles)])),
      );
    });

  withCommon(list.command('bundles').description('bundles with version, channels and image'))
    .option('-p, --package <name>', 'only this package')
    .option('--channel <name>', 'only bundles in this channel')
    .option('--install-mode <mode>', 'only bundles that support this install mode')
    .option('--no-webhooks', 'only bundles that define no webhooks')
    .option('--deprecated', 'only deprecated bundles')
    .action(async (opts: QueryOpts) => {
      const r = listBundles(await index(ctx, opts), filterOf(opts));
      await emit(ctx, opts.output, r.rows, () =>
        renderTable(['PACKAGE', 'BUNDLE', 'VERSION', 'CHANNELS', 'IMAGE'], r.rows.map((b) => [b.package, b.bundle + mark(b.deprecated), b.version, b.channels.join(','), b.image])),
      );
      noteUnknown(ctx, r.unknown, opts);
    });

  withCommon(catalog.command('versions').description('the versions in a channel of a package, oldest first'))
    .argument('<package>')
    .option('--channel <name>', 'the channel (default: the package default channel)')
    .action(async (pkg: string, opts: QueryOpts) => {
      const rows = channelVersions(await index(ctx, opts), pkg, opts.channel);
      await emit(ctx, opts.output, rows.map((b) => ({ version: b.version, bundle: b.bundle, deprecated: b.deprecated })), () => rows.map((b) => `${b.version}${mark(b.deprecated)}\n`).join(''));
    });

  withCommon(catalog.command('show').description('a package (channels, heads, bundles) or one bundle'))
    .argument('<package>')
    .argument('[bundle]')
    .action(async (pkg: string, bundle: string | undefined, opts: QueryOpts) => {
      const p = showPackage(await index(ctx, opts), pkg);
      if (bundle) {
        const b = p.bundles.find((x) => x.name === bundle || x.version === bundle);
        if (!b) throw new GantryError('NOT_FOUND', `package "${pkg}" has no bundle "${bundle}"`, { hint: `bundles: ${p.bundles.map((x) => x.name).slice(-5).join(', ')}` });
        await emit(ctx, opts.output, { package: p.name, ...b }, () =>
          renderTable(['FIELD', 'VALUE'], [
            ['bundle', b.name + mark(b.deprecated)],
            ['version', b.version],
            ['image', b.image],
            ['channels', b.channels.join(', ')],
            ['install modes', b.installModes?.join(', ') ?? 'unknown'],
            ['webhooks', b.webhooks === null ? 'unknown' : b.webhooks ? 'yes' : 'no'],
            ['related images', String(b.relatedImages)],
          ]),
        );
        return;
      }
      await emit(ctx, opts.output, p, () => {
        const head = `package ${p.name}${mark(p.deprecated)}\ndefault channel: ${p.defaultChannel}\n${p.description ? `${p.description.split('\n')[0]}\n` : ''}\n`;
        return head + renderTable(['CHANNEL', 'HEAD', 'BUNDLES'], p.channels.map((c) => [c.name + (c.name === p.defaultChannel ? ' (default)' : '') + mark(c.deprecated), c.head ?? '-', String(c.entries.length)]));
      });
    });
}
