// Catalog benchmark (issues 3 and 8): gantry on the 7,014-bundle catalog vs jq recipes over its compact all.json,
// in one run, and the peak memory of validate and render. opm is not built here, so its figures are the issues'.
// Usage: node dist/bench/catalog-bench.js [--repeat N] [--only validate,queries,render] [--baseline CHECKOUT]
//   --baseline: another built checkout whose bin/gantry.js also runs validate and render (a "before" column).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalog } from '../test/corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 3) || 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['validate', 'queries', 'render'];
const baseline = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;

function timed(cmd: string[], opts: { env?: NodeJS.ProcessEnv; stdout?: string } = {}): Promise<{ ms: number; rssMiB: number; cpuMs: number }> {
  const start = process.hrtime.bigint();
  const shell = opts.stdout ? ['bash', '-c', `${cmd.map((c) => `'${c.replace(/'/g, "'\\''")}'`).join(' ')} > '${opts.stdout}'`] : cmd;
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', ...shell], { stdio: ['ignore', 'ignore', 'pipe'], env: opts.env ?? process.env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // CPU seconds (user + system) compare across runs on a shared machine, where wall time does not.
      const [kib, user, sys] = err.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
      const rss = kib / 1024;
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve({ ms, rssMiB: rss, cpuMs: (user + sys) * 1000 });
    });
  });
}

function print(rows: Row[]): void {
  console.log('| task | tool | wall time | CPU time | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.task} | ${r.tool} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB |`);
}

type Row = { task: string; tool: string; ms: number; rssMiB: number; cpuMs: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const catalog = await largeCatalog();
  const work = await mkdtemp(join(tmpdir(), 'gantry-catbench-'));
  const cacheDir = join(work, 'cache');
  const allJson = join(work, 'all.json');
  const gantry = (...a: string[]) => [process.execPath, join(ROOT, 'bin/gantry.js'), ...a];
  const before = (...a: string[]) => [process.execPath, join(baseline ?? ROOT, 'bin/gantry.js'), ...a];
  try {
    // The compact all.json the jq recipes run over (what `opm render … -o json | jq -c` produces).
    if (only.includes('queries')) await timed(['bash', '-c', `cat '${catalog}'/*/catalog.json | jq -c . > '${allJson}'`]);
    const rows: Row[] = [];
    const run = async (task: string, tool: string, cmd: string[], env?: NodeJS.ProcessEnv) => {
      const samples = [];
      for (let i = 0; i < repeat; i++) samples.push(await timed(cmd, { ...(env ? { env } : {}), stdout: '/dev/null' }));
      rows.push({ task, tool, ms: median(samples.map((s) => s.ms)), rssMiB: median(samples.map((s) => s.rssMiB)), cpuMs: median(samples.map((s) => s.cpuMs)) });
      process.stderr.write(`${task} / ${tool}: ${rows.at(-1)!.ms.toFixed(0)} ms\n`);
    };
    if (only.includes('validate')) {
      await run('validate', 'gantry catalog validate', gantry('catalog', 'validate', catalog));
      if (baseline) await run('validate', 'gantry catalog validate (baseline)', before('catalog', 'validate', catalog));
    }
    if (only.includes('render')) {
      // The whole catalog as one stream (stdout to /dev/null, as the issue measured it), and per package.
      await run('render the catalog', 'gantry catalog render', gantry('catalog', 'render', catalog));
      if (baseline) await run('render the catalog', 'gantry catalog render (baseline)', before('catalog', 'render', catalog));
      const outDir = join(work, 'rendered');
      await run('render the catalog', 'gantry catalog render --output-dir', gantry('catalog', 'render', '--force', '--output-dir', outDir, catalog));
      // The published v4.20 catalog: YAML, 37 packages, 803 bundles.
      const { REAL_CATALOG } = await import('../test/corpus.js');
      await run('render the v4.20 YAML catalog', 'gantry catalog render', gantry('catalog', 'render', REAL_CATALOG));
      if (baseline) await run('render the v4.20 YAML catalog', 'gantry catalog render (baseline)', before('catalog', 'render', REAL_CATALOG));
    }
    const recipes: [string, string[], string][] = [
      ['list packages', ['list', 'packages'], '[.[] | select(.schema == "olm.package") | .name]'],
      ['list channels of a package', ['list', 'channels', '--package', 'cert-manager'], '[.[] | select(.schema == "olm.channel" and .package == "cert-manager") | .name]'],
      ['versions in a channel', ['versions', 'cert-manager', '--channel', 'stable'], '[.[] | select(.schema == "olm.channel" and .package == "cert-manager" and .name == "stable") | .entries[].name]'],
      [
        'packages supporting AllNamespaces',
        ['list', 'packages', '--install-mode', 'AllNamespaces'],
        '[.[] | select(.schema == "olm.bundle") | select(any(.properties[]; .type == "olm.csv.metadata" and any(.value.installModes[]?; .type == "AllNamespaces" and .supported))) | .package] | unique',
      ],
    ];
    for (const [task, gantryArgs, jq] of only.includes('queries') ? recipes : []) {
      await run(task, 'jq -s', ['jq', '-s', jq, allJson]);
      await rm(cacheDir, { recursive: true, force: true });
      const env = { ...process.env, GANTRY_CACHE_DIR: cacheDir };
      const first = await timed(gantry('catalog', gantryArgs[0]!, ...(gantryArgs[0] === 'list' ? [gantryArgs[1]!, catalog, ...gantryArgs.slice(2)] : [catalog, ...gantryArgs.slice(1)])), { env, stdout: '/dev/null' });
      rows.push({ task, tool: 'gantry (first query, builds the index)', ...first });
      await run(task, 'gantry (warm index)', gantry('catalog', gantryArgs[0]!, ...(gantryArgs[0] === 'list' ? [gantryArgs[1]!, catalog, ...gantryArgs.slice(2)] : [catalog, ...gantryArgs.slice(1)])), env);
    }
    // Render every bundle directory of the corpus (one gantry process, all directories as arguments).
    if (!only.includes('render')) return print(rows);
    const { readdir } = await import('node:fs/promises');
    const { CORPUS } = await import('../test/corpus.js');
    const bundleRoot = join(CORPUS, 'bundles', 'latest-per-package');
    const dirs: string[] = [];
    for (const pkg of await readdir(bundleRoot)) {
      for (const v of await readdir(join(bundleRoot, pkg), { withFileTypes: true })) if (v.isDirectory()) dirs.push(join(bundleRoot, pkg, v.name));
    }
    const samples = [];
    for (let i = 0; i < repeat; i++) samples.push(await timed(gantry('catalog', 'render', ...dirs), { stdout: '/dev/null' }));
    const renderMs = median(samples.map((x) => x.ms));
    rows.push({ task: `render ${dirs.length} bundle directories`, tool: `gantry catalog render (${(dirs.length / (renderMs / 1000)).toFixed(0)} bundles/s)`, ms: renderMs, rssMiB: median(samples.map((x) => x.rssMiB)), cpuMs: median(samples.map((x) => x.cpuMs)) });
    print(rows);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
