// gRPC registry benchmark (issue 10 §2): `gantry serve` vs `opm serve` on the 7,014-bundle corpus catalog, in one
// run: start-up (spawn → health SERVING), ListBundles (streamed to a grpc-js client), the server's peak RSS.
// Usage: node dist/bench/grpc-bench.js [--repeat N]      with OPM=/path/to/opm to include opm (else gantry only).
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalog } from '../test/corpus.js';
import { connectRegistry, waitServing } from '../src/testing/registry-client.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 3) || 3;
const OPM = process.env.OPM;

/**
 * Packages opm v1.26.5 refuses to load (it mis-decodes escapes like `\<` and `\u003c` inside strings, fixed in
 * later releases): found with `opm validate` per package. Both servers are measured on the catalog without
 * them, and gantry also on the whole catalog.
 */
const OPM_V1_26_REFUSES = [
  '3scale-community-operator', 'alloydb-omni-operator', 'annotationlab', 'apicurio-registry', 'azure-service-operator',
  'cluster-relocation-operator', 'datadog-operator', 'datatrucker-operator', 'dbaas-operator', 'forklift-operator',
  'ibm-spectrum-scale-csi-operator', 'infinispan', 'kairos-operator', 'kubecost', 'layer7-operator', 'loki-operator',
];

interface Row {
  server: string;
  catalog: string;
  startMs: number;
  listMs: number;
  bundles: number;
  rssMiB: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The kernel's peak RSS of a process (VmHWM), read before it stops. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(server: string, catalog: string, command: (port: number) => string[]): Promise<Row> {
  const starts: number[] = [];
  const lists: number[] = [];
  const rss: number[] = [];
  let bundles = 0;
  for (let i = 0; i < repeat; i++) {
    const port = await freePort();
    const [bin, ...rest] = command(port);
    const started = performance.now();
    const child: ChildProcess = spawn(bin!, rest, { stdio: ['ignore', 'ignore', 'ignore'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitServing(`127.0.0.1:${port}`, 600_000);
      starts.push(performance.now() - started);
      const client = connectRegistry(`127.0.0.1:${port}`);
      // The first call pays for anything built lazily; OLM's resolver calls ListBundles again on every sync.
      for (const round of ['first', 'again']) {
        const t = performance.now();
        const r = await client.call('ListBundles', {}, { deadlineMs: 600_000 });
        if ('error' in r) throw new Error(`${server}: ListBundles failed: ${r.error.details}`);
        bundles = (r.answer as unknown[]).length;
        if (round === 'again') lists.push(performance.now() - t);
      }
      client.close();
      rss.push(await peakRssMiB(child.pid!));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    process.stderr.write(`${server} (${catalog}) #${i + 1}: start ${starts.at(-1)?.toFixed(0)} ms, ListBundles ${lists.at(-1)?.toFixed(0)} ms\n`);
  }
  return { server, catalog, startMs: median(starts), listMs: median(lists), bundles, rssMiB: median(rss) };
}

async function main(): Promise<void> {
  const full = await largeCatalog();
  const work = await mkdtemp(join(tmpdir(), 'gantry-grpcbench-'));
  const gantry = (dir: string) => (port: number) => [process.execPath, join(ROOT, 'bin', 'gantry.js'), 'serve', dir, '--listen', '127.0.0.1:0', '--grpc-listen', `127.0.0.1:${port}`];
  const rows: Row[] = [];
  try {
    rows.push(await measure('gantry serve', 'all 332 packages', gantry(full)));
    if (OPM) {
      // opm walks real directories only (no symlinks): a copy without the packages it refuses.
      const subset = join(work, 'catalog');
      for (const p of await readdir(full)) if (!OPM_V1_26_REFUSES.includes(p)) await cp(join(full, p), join(subset, p), { recursive: true });
      const label = `${332 - OPM_V1_26_REFUSES.length} packages opm loads`;
      rows.push(await measure('gantry serve', label, gantry(subset)));
      rows.push(await measure('opm serve', label, (port) => [OPM, 'serve', subset, '-p', String(port), '-t', join(work, 'termination-log')]));
      // How catalog images ship it: the cache built at image build time (--cache-only), then served from it.
      const cacheDir = join(work, 'cache');
      await new Promise<void>((resolve, reject) => {
        const c = spawn(OPM, ['serve', subset, '--cache-dir', cacheDir, '--cache-only', '-t', join(work, 'termination-log')], { stdio: 'ignore' });
        c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`opm --cache-only exited ${code}`))));
      });
      rows.push(await measure('opm serve --cache-dir (pre-built)', label, (port) => [OPM, 'serve', subset, '--cache-dir', cacheDir, '-p', String(port), '-t', join(work, 'termination-log')]));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const mine = rows.find((r) => r.server === 'gantry serve' && r.catalog !== 'all 332 packages') ?? rows[0]!;
  console.log('| server | catalog | start-up (to SERVING) | ListBundles | bundles streamed | peak RSS | ListBundles: this ÷ gantry |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const ratio = r.catalog === mine.catalog ? `${(r.listMs / mine.listMs).toFixed(2)}×` : '–';
    console.log(`| ${r.server} | ${r.catalog} | ${(r.startMs / 1000).toFixed(2)} s | ${(r.listMs / 1000).toFixed(2)} s | ${r.bundles} | ${r.rssMiB.toFixed(0)} MiB | ${ratio} |`);
  }
}

await main();
