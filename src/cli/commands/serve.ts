// gantry serve CATALOG…: catalogd's HTTP API (/catalogs/NAME/api/v1/all, /api/v1/metas, the legacy all.json)
// over catalogs read from any catalog source, until SIGTERM/SIGINT, which stops it cleanly (exit 0).
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { GantryError } from '../../errors.js';
import { loadCatalogQuery, type CatalogQuery } from '../../server/catalog-query.js';
import { startHttpServer } from '../../server/http-server.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { nameCatalogs } from '../catalog-name.js';
import { openCatalogSource } from '../catalog-source.js';

interface ServeOpts extends Record<string, unknown> {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** HOST:PORT, [IPv6]:PORT; port 0 picks a free one. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new GantryError('USAGE', `--listen must be HOST:PORT, got "${value}"`, { hint: 'e.g. --listen 127.0.0.1:8080, or 127.0.0.1:0 for a free port' });
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

async function serve(ctx: CliContext, args: string[], opts: ServeOpts): Promise<void> {
  const listen = parseListen(opts.listen);
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new GantryError('USAGE', '--tls-cert and --tls-key go together');
  const tls = opts.tlsCert && opts.tlsKey ? { cert: await readFile(opts.tlsCert), key: await readFile(opts.tlsKey) } : undefined;
  const catalogs = new Map<string, CatalogQuery>();
  for (const { name, source } of nameCatalogs(args)) {
    const tree = await openCatalogSource(source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
    catalogs.set(name, await loadCatalogQuery(name, tree, { signal: ctx.signal }));
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const server = await startHttpServer(catalogs, { ...listen, ...(tls ? { tls } : {}) });
  ctx.signalStops = true;
  ctx.stderr.write(`serving ${server.url} (catalogs: ${[...catalogs.keys()].join(', ')})\n`);
  await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
}

export function registerServe(program: Command, ctx: CliContext): void {
  addCatalogSourceFlags(
    program
      .command('serve')
      .description("serve catalogs over catalogd's HTTP API (/catalogs/NAME/api/v1/all and /api/v1/metas) until SIGTERM")
      .argument('<catalog...>', 'NAME=SOURCE, or a source named after its directory or image repository (directory, file, URL, docker://, oci:, archive:DIR[#WHICH])'),
  )
    .option('--listen <host:port>', 'address to listen on (port 0: a free port)', '127.0.0.1:8080')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .action(async (args: string[], opts: ServeOpts) => serve(ctx, args, opts));
}
