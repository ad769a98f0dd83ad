// Web UI benchmark (issue 10 §3): what a person waits for in `gantry serve`'s page on the 7,014-bundle corpus
// catalog, in Debian's chromium (playwright-core), beside what they run today: curl + jq over catalogd's /all.
// Usage: node dist/bench/ui-bench.js [--repeat N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { largeCatalog } from '../test/corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const args = process.argv.slice(2);
const REPEAT = args.includes('--repeat') ? Number(args[args.indexOf('--repeat') + 1]) : 5;
const READY_TIMEOUT_MS = 120_000;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The package with the most entries in one channel in the corpus catalog. */
const LARGE_PACKAGE = 'gitlab-operator-kubernetes';
const QUERY = 'kafka';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

/** Starts gantry serve over the big catalog; its HTTP base once the ready line is out (bounded). */
async function startGantry(dir: string): Promise<{ base: string; pid: number; readyMs: number; stop(): Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/gantry.js'), 'serve', `big=${dir}`, '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), READY_TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /^serving (http:\/\/\S+) /m.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`gantry serve exited ${code}: ${stderr}`)));
  });
  const readyMs = performance.now() - started;
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { base, pid: child.pid!, readyMs, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

/** Navigation start → the package list rendered, as the page marks it. */
async function firstPage(page: Page, base: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(`${base}/#/c/big`);
  await page.locator('.package-row').first().waitFor();
  return (await page.evaluate(`performance.getEntriesByName('gantry:list')[0]?.startTime ?? -1`)) as number;
}

/** The last keystroke of QUERY → the list filtered to it, measured in the page. */
async function searchAsYouType(page: Page, base: string): Promise<number> {
  await page.goto(`${base}/#/c/big`);
  await page.locator('.package-row').first().waitFor();
  const input = page.locator('input[name=q]');
  await input.fill('');
  await input.pressSequentially(QUERY.slice(0, -1), { delay: 20 });
  await page.evaluate(`window.__t = 0; document.querySelector('input[name=q]').addEventListener('input', () => (window.__t = performance.now()), { once: true })`);
  await input.press(QUERY.slice(-1));
  await page.waitForFunction(`[...document.querySelectorAll('.package-row')].every((r) => r.textContent.toLowerCase().includes('${QUERY}'))`);
  return (await page.evaluate(`performance.now() - window.__t`)) as number;
}

/** Opening the large package's channel graph from a fresh page: navigation start → every row drawn. */
async function largeGraph(page: Page, base: string): Promise<{ ms: number; rows: number }> {
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(`${base}/#/c/big/p/${LARGE_PACKAGE}?ch=stable`);
  await page.locator('.graph-row').first().waitFor();
  return { ms: Date.now() - started, rows: await page.locator('.graph-row').count() };
}

/** Today's way: curl catalogd's /all into jq, listing the packages whose name has QUERY. */
function curlJq(base: string): number {
  const started = performance.now();
  const r = spawnSync('bash', ['-c', `curl -sS -f ${base}/catalogs/big/api/v1/all | jq -r 'select(.schema=="olm.package") | .name' | grep ${QUERY}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`curl | jq failed: ${r.stderr}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = await largeCatalog();
  const server = await startGantry(dir);
  const profile = await mkdtemp(join(tmpdir(), 'gantry-ui-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    const first: number[] = [];
    const search: number[] = [];
    const graph: number[] = [];
    const jq: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPEAT; i++) {
      first.push(await firstPage(page, server.base));
      search.push(await searchAsYouType(page, server.base));
      const g = await largeGraph(page, server.base);
      graph.push(g.ms);
      rows = g.rows;
      jq.push(curlJq(server.base));
    }
    const rss = spawnSync('grep', ['VmHWM', `/proc/${server.pid}/status`], { encoding: 'utf8' }).stdout.trim();
    const lines = [
      `gantry serve ready (HTTP + gRPC + UI): ${Math.round(server.readyMs)} ms; server ${rss}`,
      `median of ${REPEAT} (min–max):`,
      `  first page (package list rendered)           ${fmt(first)}`,
      `  search as you type (last key → list filtered) ${fmt(search)}`,
      `  ${LARGE_PACKAGE} stable graph (${rows} rows)  ${fmt(graph)}`,
      `  curl /all | jq | grep ${QUERY} (today's way)     ${fmt(jq)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await context.close();
    await server.stop();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ui-bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
