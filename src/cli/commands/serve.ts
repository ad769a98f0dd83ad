// gantry serve CATALOG…: catalogd's HTTP API (/catalogs/NAME/api/v1/all, /api/v1/metas, the legacy all.json)
// and opm's gRPC registry API (one catalog) over catalogs read from any catalog source, plus the web UI at / (unless
// --no-ui), until SIGTERM/SIGINT: a clean stop (exit 0).
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { GantryError } from '../../errors.js';
import { catalogModelOf, loadCatalogQuery, type CatalogQuery } from '../../server/catalog-query.js';
import { startHttpServer } from '../../server/http-server.js';
import { startRegistryServer } from '../../server/grpc/index.js';
import type { CliContext } from '../context.js';
import { addCatalogSourceFlags } from '../catalog-source-flags.js';
import { nameCatalogs } from '../catalog-name.js';
import { openCatalogSource } from '../catalog-source.js';

interface ServeOpts extends Record<string, unknown> {
  listen: string;
  grpcListen: string;
  grpcCatalog?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** --ui (the default) or --no-ui (false). */
  ui?: boolean;
}

/** HOST:PORT, [IPv6]:PORT; port 0 picks a free one. */
export function parseListen(value: string, flag = '--listen', example = '127.0.0.1:8080'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new GantryError('USAGE', `${flag} must be HOST:PORT, got "${value}"`, { hint: `e.g. ${flag} ${example}, or 127.0.0.1:0 for a free port` });
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

async function serve(ctx: CliContext, args: string[], opts: ServeOpts): Promise<void> {
  const listen = parseListen(opts.listen);
  const grpcListen = parseListen(opts.grpcListen, '--grpc-listen', '127.0.0.1:50051');
  const named = nameCatalogs(args);
  // opm serves one catalog per process: the first, or the one --grpc-catalog names.
  const grpcName = opts.grpcCatalog ?? named[0]?.name;
  if (opts.grpcCatalog !== undefined && !named.some((c) => c.name === opts.grpcCatalog)) {
    throw new GantryError('USAGE', `--grpc-catalog ${opts.grpcCatalog}: no catalog of that name`, { hint: `catalogs: ${named.map((c) => c.name).join(', ')}` });
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new GantryError('USAGE', '--tls-cert and --tls-key go together');
  const tls = opts.tlsCert && opts.tlsKey ? { cert: await readFile(opts.tlsCert), key: await readFile(opts.tlsKey) } : undefined;
  const catalogs = new Map<string, CatalogQuery>();
  for (const { name, source } of named) {
    const tree = await openCatalogSource(source, { stdin: process.stdin, signal: ctx.signal, registryFlags: opts });
    catalogs.set(name, await loadCatalogQuery(name, tree, { signal: ctx.signal }));
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const routes = opts.ui !== false ? await uiRoutes(ctx, catalogs) : undefined;
  const server = await startHttpServer(catalogs, { ...listen, ...(tls ? { tls } : {}), ...(routes ? { routes } : {}) });
  // The gRPC catalog's model is the one the web UI built (catalogModelOf shares it).
  const grpc = await startRegistryServer(catalogModelOf(catalogs.get(grpcName!)!), grpcListen).catch(async (err: unknown) => {
    await server.close();
    throw err;
  });
  ctx.signalStops = true;
  const ui = routes ? `; web UI: ${server.url}/` : '';
  ctx.stderr.write(`serving ${server.url} and gRPC ${grpc.address} (catalogs: ${[...catalogs.keys()].join(', ')}; gRPC: ${grpcName}${ui})\n`);
  await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  await Promise.all([server.close(), grpc.close()]);
}

/** The web UI's routes; without its built files (dist/ui) the catalogd API is still served, with a warning. */
async function uiRoutes(ctx: CliContext, catalogs: Map<string, CatalogQuery>) {
  const { createUiRoutes, findUiDir } = await import('../../server/ui/index.js');
  const dir = findUiDir();
  if (dir) return createUiRoutes(catalogs, dir);
  ctx.stderr.write('warning: the web UI is not built (no dist/ui/index.html): serving the catalogd API only\nhint: run npm run build, or pass --no-ui\n');
  return undefined;
}

export function registerServe(program: Command, ctx: CliContext): void {
  addCatalogSourceFlags(
    program
      .command('serve')
      .description("serve catalogs over catalogd's HTTP API (/catalogs/NAME/api/v1/all and /api/v1/metas), one over opm's gRPC registry API, and a web UI at /, until SIGTERM")
      .argument('<catalog...>', 'NAME=SOURCE, or a source named after its directory or image repository (directory, file, URL, docker://, oci:, archive:DIR[#WHICH])'),
  )
    .option('--listen <host:port>', 'address to listen on (port 0: a free port)', '127.0.0.1:8080')
    .option('--grpc-listen <host:port>', "address of opm's gRPC registry API (api.Registry, health, reflection; port 0: a free port)", '127.0.0.1:50051')
    .option('--grpc-catalog <name>', 'the catalog the gRPC API serves (opm serves one per process; default: the first)')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--ui', 'serve the web UI at / (the default)')
    .option('--no-ui', 'do not serve the web UI (the page at / and its JSON under /ui/api/)')
    .action(async (args: string[], opts: ServeOpts) => serve(ctx, args, opts));
}
