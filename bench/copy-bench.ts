// Copy benchmark: gantry vs skopeo sync, 4 parallel skopeo copy, and a raw GET→PUT loop (the limit), between
// two real docker-registry processes on loopback. Scenarios from issue 2: (a) 20 images × 5 layers × 10 MiB
// into an empty destination, (b) the same again with everything present, (c) 100 images × 2 layers × 1 MiB.
// Usage: node dist/bench/copy-bench.js [--repeat N] [--only a,c]   (prints a Markdown table and JSON)
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, pushImagesRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { Defaults } from '../src/defaults.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 1) || 1;
const WARM_RUNS = 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['a', 'c'];

interface Measure {
  wallMs: number;
  peakRssMiB: number;
}

/** Runs a command under GNU time for its peak RSS; several commands run at once count as one measure. */
function timed(cmds: string[][]): Promise<Measure> {
  const start = process.hrtime.bigint();
  return Promise.all(
    cmds.map(
      (cmd) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn('/usr/bin/time', ['-f', '%M', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => {
            if (code !== 0) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.slice(-2000)}`));
            resolve(Number(err.trim().split('\n').pop()) / 1024);
          });
        }),
    ),
  ).then((rss) => ({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, peakRssMiB: Math.max(...rss) }));
}

interface Scenario {
  name: string;
  images: TestImage[];
  bytes: number;
}

function scenario(name: string, count: number, layers: number, size: number): Scenario {
  const images = Array.from({ length: count }, (_, i) => buildImage({ seed: `bench-${name}-${i}`, layerSizes: Array(layers).fill(size) }));
  return { name, images, bytes: images.reduce((n, img) => n + img.layers.reduce((m, l) => m + l.size, img.config.size), 0) };
}

type Tool = 'gantry' | 'skopeo sync' | 'skopeo copy ×4' | 'raw GET→PUT loop';

async function runTool(tool: Tool, s: Scenario, src: RunningRegistry, dst: RunningRegistry, dir: string, ns: string): Promise<Measure> {
  const repo = (i: number) => `bench/${s.name}${i}`;
  switch (tool) {
    case 'gantry': {
      const mapping = join(dir, `mapping-${ns}.txt`);
      await writeFile(mapping, s.images.map((_, i) => `docker://${src.host}/${repo(i)}:v1=docker://${dst.host}/${ns}/${repo(i)}:v1`).join('\n'));
      return timed([[process.execPath, join(ROOT, 'bin/gantry.js'), 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--mapping', mapping]]);
    }
    case 'skopeo sync': {
      const yaml = join(dir, `sync-${ns}.yaml`);
      const lines = [`${src.host}:`, '  tls-verify: false', '  images:', ...s.images.map((_, i) => `    ${repo(i)}: [v1]`)];
      await writeFile(yaml, `${lines.join('\n')}\n`);
      return timed([['skopeo', 'sync', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', '--preserve-digests', yaml, `${dst.host}/${ns}`]]);
    }
    case 'skopeo copy ×4': {
      const groups: string[][] = [[], [], [], []];
      s.images.forEach((_, i) => {
        groups[i % 4]!.push(`skopeo copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://${src.host}/${repo(i)}:v1 docker://${dst.host}/${ns}/${repo(i)}:v1`);
      });
      return timed(groups.map((g) => ['bash', '-c', `set -e; ${g.join('; ')}`]));
    }
    case 'raw GET→PUT loop': {
      const plan = {
        source: src.url,
        dest: dst.url,
        images: s.images.map((img, i) => ({
          sourceRepo: repo(i),
          destRepo: `${ns}/${repo(i)}`,
          tag: 'v1',
          manifest: img.manifest.bytes.toString('base64'),
          mediaType: img.manifest.mediaType,
          blobs: [img.config, ...img.layers].map((b) => ({ digest: b.digest, size: b.size })),
        })),
      };
      const file = join(dir, `plan-${ns}.json`);
      await writeFile(file, JSON.stringify(plan));
      return timed([[process.execPath, join(ROOT, 'dist/bench/raw-loop.js'), file, String(Defaults.blobConcurrency)]]);
    }
  }
}

const TOOLS: Tool[] = ['gantry', 'skopeo sync', 'skopeo copy ×4', 'raw GET→PUT loop'];

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-'));
  const src = await startRegistry({ logLevel: 'error' });
  const rows: { scenario: string; tool: Tool; run: string; wallMs: number; mibps: number; peakRssMiB: number }[] = [];
  try {
    const scenarios = [...(only.includes('a') ? [scenario('a', 20, 5, 10 * MiB)] : []), ...(only.includes('c') ? [scenario('c', 100, 2, 1 * MiB)] : [])];
    for (const s of scenarios) {
      process.stderr.write(`seeding scenario ${s.name}: ${s.images.length} images, ${(s.bytes / MiB).toFixed(0)} MiB\n`);
      await pushImagesRaw(src.url, s.images.map((image, i) => ({ repository: `bench/${s.name}${i}`, tag: 'v1', image })), { concurrency: 8 });
      for (let r = 0; r < repeat; r++) {
        for (const tool of TOOLS) {
          // A fresh, empty destination registry for every tool and repetition.
          const dst = await startRegistry({ logLevel: 'error' });
          try {
            const ns = `r${r}`;
            const cold = await runTool(tool, s, src, dst, dir, ns);
            rows.push({ scenario: s.name, tool, run: 'empty destination', ...cold, mibps: s.bytes / MiB / (cold.wallMs / 1000) });
            process.stderr.write(`${s.name} ${tool}: ${cold.wallMs.toFixed(0)} ms, ${cold.peakRssMiB.toFixed(0)} MiB RSS\n`);
            if (s.name === 'a' && tool !== 'raw GET→PUT loop') {
              // (b) is short and noisy (it follows a 1 GB write the kernel is still flushing): several runs each.
              for (let w = 0; w < WARM_RUNS; w++) {
                const warm = await runTool(tool, s, src, dst, dir, ns);
                rows.push({ scenario: 'b', tool, run: 'everything present', ...warm, mibps: 0 });
                process.stderr.write(`b ${tool}: ${warm.wallMs.toFixed(0)} ms\n`);
              }
            }
          } finally {
            await dst.stop();
          }
        }
      }
    }
  } finally {
    await src.stop();
    await rm(dir, { recursive: true, force: true });
  }
  // Median per scenario/tool over the repetitions.
  const key = (x: { scenario: string; tool: string }) => `${x.scenario}|${x.tool}`;
  const groups = new Map<string, typeof rows>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  const summary = [...groups.values()].map((g) => ({
    scenario: g[0]!.scenario,
    tool: g[0]!.tool,
    wallMs: median(g.map((x) => x.wallMs)),
    mibps: median(g.map((x) => x.mibps)),
    peakRssMiB: median(g.map((x) => x.peakRssMiB)),
  }));
  const gantryOf = (sc: string) => summary.find((x) => x.scenario === sc && x.tool === 'gantry')!;
  console.log('| scenario | tool | wall time | MiB/s | peak RSS | gantry time ÷ this |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const x of summary) {
    const ratio = gantryOf(x.scenario).wallMs / x.wallMs;
    console.log(`| ${x.scenario} | ${x.tool} | ${(x.wallMs / 1000).toFixed(2)} s | ${x.mibps ? x.mibps.toFixed(0) : '–'} | ${x.peakRssMiB.toFixed(0)} MiB | ${ratio.toFixed(2)} |`);
  }
  console.log(`\n<!-- ${JSON.stringify({ repeat, summary })} -->`);
}

await main();
