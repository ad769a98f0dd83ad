// Install plan benchmark (issue 9): `gantry install plan` on the 7,014-bundle catalog, cold (index cache empty: one
// pass loads the catalog and writes the index) and warm (only the package's files), against `catalog validate`
// (the bar for cold) and jq selecting the package's bundles from its own file (the peer for warm), in one run.
// Usage: node dist/bench/install-plan-bench.js [--repeat N] [--packages a,b]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalog } from '../test/corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 5) || 5;
// The largest package file (61 MB, 45 bundles), a large one (7.4 MB), the example and a small one.
const packages = args.includes('--packages') ? args[args.indexOf('--packages') + 1]!.split(',') : ['stackgres-community', 'ember-csi-community-operator', 'argocd-operator', 'etcd'];

interface Sample {
  ms: number;
  rssMiB: number;
  cpuMs: number;
}

function timed(cmd: string[], env: NodeJS.ProcessEnv = process.env): Promise<Sample> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const [kib, user, sys] = err.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
      // validate exits 1 on this catalog (it has 15 errors); install plan exits 1 when nothing resolves.
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve({ ms, rssMiB: kib / 1024, cpuMs: (user + sys) * 1000 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row {
  task: string;
  tool: string;
  ms: number;
  cpuMs: number;
  rssMiB: number;
  vs?: string;
}

async function main(): Promise<void> {
  const catalog = await largeCatalog();
  const work = await mkdtemp(join(tmpdir(), 'gantry-installbench-'));
  const cacheDir = join(work, 'cache');
  const env = { ...process.env, GANTRY_CACHE_DIR: cacheDir };
  const gantry = (...a: string[]) => [process.execPath, join(ROOT, 'bin/gantry.js'), ...a];
  const rows: Row[] = [];
  // Samples interleave the tools (A B A B …), so a drift of the machine's speed falls on all of them alike.
  const measure = async (task: string, tools: { tool: string; cmd: string[]; before?: () => Promise<void> }[]) => {
    const samples = tools.map(() => [] as Sample[]);
    for (let i = 0; i < repeat; i++) {
      for (const [j, t] of tools.entries()) {
        await t.before?.();
        samples[j]!.push(await timed(t.cmd, env));
      }
    }
    const out: Row[] = tools.map((t, j) => ({ task, tool: t.tool, ms: median(samples[j]!.map((s) => s.ms)), cpuMs: median(samples[j]!.map((s) => s.cpuMs)), rssMiB: median(samples[j]!.map((s) => s.rssMiB)) }));
    for (const r of out) process.stderr.write(`${r.task} / ${r.tool}: ${r.ms.toFixed(0)} ms\n`);
    rows.push(...out);
    return out;
  };
  const emptyCache = () => rm(cacheDir, { recursive: true, force: true });
  try {
    const [validate, cold] = await measure('whole catalog', [
      { tool: 'gantry catalog validate', cmd: gantry('catalog', 'validate', catalog) },
      { tool: 'gantry install plan, cold (builds the index)', cmd: gantry('install', 'plan', catalog, '--package', 'argocd-operator', '-o', 'json', '--offline'), before: emptyCache },
      { tool: 'gantry install plan --no-cache', cmd: gantry('install', 'plan', catalog, '--package', 'argocd-operator', '-o', 'json', '--offline', '--no-cache') },
    ]);
    cold!.vs = `${(cold!.ms / validate!.ms).toFixed(2)}× validate`;
    // Warm the cache once; every warm sample then reads the same entry.
    await timed(gantry('install', 'plan', catalog, '--package', 'etcd', '-o', 'json', '--offline'), env);
    for (const pkg of packages) {
      const file = join(catalog, pkg, 'catalog.json');
      const size = (await stat(file)).size / 1e6;
      const [warm, jq] = await measure(`${pkg} (${size.toFixed(1)} MB)`, [
        { tool: 'gantry install plan, warm', cmd: gantry('install', 'plan', catalog, '--package', pkg, '-o', 'json', '--offline') },
        { tool: 'jq: the package\'s bundles from its file', cmd: ['jq', '-c', 'select(.schema == "olm.bundle") | [.name, .image]', file] },
      ]);
      warm!.vs = `${(warm!.ms / jq!.ms).toFixed(2)}× jq`;
    }
    console.log('| task | tool | wall time | CPU time | peak RSS | ratio |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.task} | ${r.tool} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB | ${r.vs ?? ''} |`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
