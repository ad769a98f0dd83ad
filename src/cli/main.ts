// gantry's entry point: the only code that owns the process — argv, exit codes, signals. Commands are thin
// and registered here; every failure is rendered as error[CODE] with a hint, never as a stack trace unless --debug.
import { GANTRY_VERSION } from '../version.js';
import { setMaxListeners } from 'node:events';
import { Command, CommanderError } from 'commander';
import { GantryError } from '../errors.js';
import type { CliContext } from './context.js';
import { formatError, useCommandFlags } from './output.js';
import { longFlagsOf } from './hint-flags.js';

/** The shell's code for a run ended by SIGINT (128 + 2). */
const INTERRUPTED = 130;

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Commands are loaded on demand (the bundle is split per command), so `gantry catalog list` does not pay for
 * the copy engine or the catalog image builder at start-up. Without a known command, all are registered (help).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  copy: async () => (await import('./commands/copy.js')).registerCopy,
  inspect: async () => (await import('./commands/inspect.js')).registerInspect,
  tags: async () => (await import('./commands/inspect.js')).registerInspect,
  catalog: async () => (await import('./commands/catalog.js')).registerCatalog,
  mirror: async () => (await import('./commands/mirror.js')).registerMirror,
  delete: async () => (await import('./commands/delete.js')).registerDelete,
  install: async () => (await import('./commands/install.js')).registerInstall,
  bundle: async () => (await import('./commands/bundle.js')).registerBundle,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  release: async () => (await import('./commands/release.js')).registerRelease,
  samples: async () => (await import('./commands/samples.js')).registerSamples,
};

/** Catalog queries are the commands people run over and over: they get a lighter registration. */
const CATALOG_QUERIES = new Set(['list', 'versions', 'show']);

async function registerFor(argv: string[], program: Command, ctx: CliContext): Promise<void> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const [first, second] = words;
  if (first === 'catalog' && second !== undefined && CATALOG_QUERIES.has(second)) {
    const { registerCatalogQueries } = await import('./commands/catalog-query.js');
    registerCatalogQueries(program.command('catalog').description('file-based catalogs'), ctx);
    return;
  }
  // `gantry --version` needs no command: loading them all would double its start-up.
  if (first === undefined && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V')) return;
  const load = first !== undefined ? COMMANDS[first] : undefined;
  const loaders = load ? [load] : [...new Set(Object.values(COMMANDS))];
  const seen = new Set<Register>();
  for (const l of loaders) {
    const register = await l();
    if (!seen.has(register)) register(program, ctx);
    seen.add(register);
  }
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  // A reader that stops early (gantry … | head) closes the pipe: that is not an error, stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  const onSignal = () => controller.abort(new GantryError('ABORTED', 'interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const debug = argv.includes('--debug');
  const ctx: CliContext = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, debug, exitCode: 0 };

  // `gantry install plan --version RANGE` is the ClusterExtension's version field (the issue fixes the flag):
  // there the program's own version flag is -V only, so commander does not take the range for it.
  const installing = argv.find((a) => !a.startsWith('-')) === 'install';
  const program = new Command('gantry')
    .description('mirror operator catalogs and images into disconnected clusters')
    .version(GANTRY_VERSION, installing ? '-V' : '-V, --version')
    .option('--debug', 'show causes and stack traces of errors (credentials are still masked)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'error[USAGE]: ')),
    });
  // Hints shown for this run name only flags the running command has.
  program.hook('preAction', (_root, action) => useCommandFlags(longFlagsOf(action)));
  await registerFor(argv.filter((a) => a !== '--debug'), program, ctx);
  try {
    await program.parseAsync(argv.filter((a) => a !== '--debug'), { from: 'user' });
    return controller.signal.aborted && !ctx.signalStops ? INTERRUPTED : ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`${formatError(err, debug)}\n`);
    // Ctrl-C (or SIGTERM) ends every command with 130, whatever error the cancelled work surfaced as.
    if (controller.signal.aborted) return INTERRUPTED;
    if (err instanceof GantryError && err.code === 'USAGE') return 2;
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
