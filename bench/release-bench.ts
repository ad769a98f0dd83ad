// Release benchmark: a synthetic OpenShift release of ~190 components (sizes shaped like a real payload, scaled
// down) mirrored by `gantry mirror` to a registry and to disk, and skopeo copying the same images in the same run.
// Usage: node dist/bench/release-bench.js [--repeat N] [--components N]   (prints a Markdown table and JSON)
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseGraph, seedReleases } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startUpdateService } from '../src/testing/update-service.js';
import { timed } from './timed.js';
import { makeSigningKey, signRelease, startSignatureStore } from '../src/testing/signature-store.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const GANTRY = join(ROOT, 'bin', 'gantry.js');
const KiB = 1024;
const MiB = 1024 * KiB;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const repeat = flag('--repeat', 3);
const COMPONENTS = flag('--components', 190);
/** What a user would realistically script: a handful of skopeo copies at once (xargs -P). */
const SKOPEO_PARALLEL = 4;
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const ENV = { ...process.env, HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '' };

/**
 * A real 4.16 x86_64 payload: ~190 components, most on one of two shared RHEL base layers (~80 and ~40 MB), and a
 * component layer from a few MB (operators) to a few hundred MB (installer, tests, hyperkube), skewed small. Scaled
 * by 1/100: bases 0.8 and 0.4 MiB, component layers 40 KiB to 4 MiB on a deterministic log scale, every 12th large.
 */
function componentSizes(i: number): number[] {
  const t = ((i * 37) % 97) / 97;
  const main = Math.round(40 * KiB * Math.pow(25, t));
  return i % 12 === 5 ? [main, 4 * MiB] : [main, 16 * KiB];
}

const run = (cmd: string[], env: NodeJS.ProcessEnv = ENV) => timed(cmd, { env });

async function duBytes(path: string, pick: (name: string) => boolean = () => true): Promise<number> {
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    for (const e of await readdir(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) await walk(f);
      else if (e.isFile() && pick(f)) total += (await stat(f)).size;
    }
  };
  await walk(path);
  return total;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
const gantry = (...a: string[]) => [process.execPath, GANTRY, ...a];
const sh = (script: string) => ['bash', '-c', `set -o pipefail; ${script}`];

type Tool = 'gantry mirror (to mirror)' | `skopeo copy ×${number} (to mirror)` | 'gantry mirror (to disk)' | `skopeo copy ×${number} (to oci: dirs)`;
interface Row {
  tool: Tool;
  wallMs: number;
  peakRssMiB: number;
  storedMiB: number;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'gantry-release-bench-'));
  const src = await startRegistry();
  const load0 = loadavg()[0]!;
  try {
    process.stderr.write(`seeding a ${COMPONENTS}-component release…\n`);
    const [release] = await seedReleases(src.url, [{ version: '4.16.1', arch: 'amd64', components: COMPONENTS, layerSizes: componentSizes, sharedBases: [800 * KiB, 400 * KiB], baseSize: 2 * MiB }]);
    const svc = await startUpdateService({ amd64: { 'stable-4.16': releaseGraph([release!]) } });
    // gantry verifies the release's signature before copying it, as it does for real releases (a few ms of the run).
    const key = await makeSigningKey();
    const sigStore = await startSignatureStore();
    sigStore.put(release!.digest, [await signRelease(key, release!.digest, release!.tagged)]);
    const keyFile = join(work, 'release-key.asc');
    await writeFile(keyFile, key.publicKey);
    Object.assign(ENV, { OCP_SIGNATURE_URL: sigStore.url, OCP_SIGNATURE_VERIFICATION_PK: keyFile });
    const isc = join(work, 'isc.yaml');
    await writeFile(isc, 'apiVersion: mirror.openshift.io/v2alpha1\nkind: ImageSetConfiguration\nmirror:\n  platform:\n    channels:\n    - name: stable-4.16\n');
    const distinct = await duBytes(join(src.storageDir, 'docker', 'registry', 'v2', 'blobs'));
    const rows: Row[] = [];
    const skM: Tool = `skopeo copy ×${SKOPEO_PARALLEL} (to mirror)`;
    const skD: Tool = `skopeo copy ×${SKOPEO_PARALLEL} (to oci: dirs)`;
    for (let r = 0; r < repeat; r++) {
      const order: Tool[] = r % 2 === 0 ? ['gantry mirror (to mirror)', skM, 'gantry mirror (to disk)', skD] : [skM, 'gantry mirror (to mirror)', skD, 'gantry mirror (to disk)'];
      for (const tool of order) {
        const ws = join(work, `r${r}-${rows.length}`);
        await mkdir(ws, { recursive: true });
        if (tool.includes('to mirror')) {
          const dst: RunningRegistry = await startRegistry();
          try {
            const dest = `docker://${dst.host}/ocp`;
            // Both tools copy what gantry's plan names: the dry run writes mapping.txt (not timed here).
            await run(gantry('mirror', '-c', isc, dest, '--dry-run', '--quiet', ...NO_TLS, '--update-url', svc.url, '--workspace', ws));
            const m =
              tool === 'gantry mirror (to mirror)'
                ? await run(gantry('mirror', '-c', isc, dest, '--quiet', ...NO_TLS, '--update-url', svc.url, '--workspace', ws))
                : await run(sh(`sed 's/=/ /' '${join(ws, 'mapping.txt')}' | xargs -P ${SKOPEO_PARALLEL} -n 2 skopeo copy --all --preserve-digests --retry-times 3 --quiet --src-tls-verify=false --dest-tls-verify=false`));
            rows.push({ tool, wallMs: m.wallMs, peakRssMiB: m.peakRssMiB, storedMiB: (await duBytes(join(dst.storageDir, 'docker', 'registry', 'v2', 'blobs'))) / MiB });
          } finally {
            await dst.stop();
          }
        } else if (tool === 'gantry mirror (to disk)') {
          const out = join(ws, 'archive');
          const m = await run(gantry('mirror', '-c', isc, `file://${out}`, '--quiet', ...NO_TLS, '--update-url', svc.url));
          rows.push({ tool, wallMs: m.wallMs, peakRssMiB: m.peakRssMiB, storedMiB: (await duBytes(out, (f) => /mirror_seq\d+_\d+\.tar$/.test(f))) / MiB });
        } else {
          // skopeo has no multi-image archive: one OCI layout per image (shared layers stored once per image).
          const plan = join(ws, 'plan');
          await run(gantry('mirror', '-c', isc, `file://${plan}`, '--dry-run', '--quiet', ...NO_TLS, '--update-url', svc.url));
          const sources = JSON.parse(await readFile(join(plan, 'plan.json'), 'utf8')).images.map((i: { source: string }) => i.source) as string[];
          const list = join(ws, 'sources.txt');
          await writeFile(list, sources.map((s, n) => `docker://${s} oci:${join(ws, 'oci', String(n))}:latest\n`).join(''));
          for (let n = 0; n < sources.length; n++) await mkdir(join(ws, 'oci', String(n)), { recursive: true });
          const m = await run(sh(`xargs -P ${SKOPEO_PARALLEL} -n 2 skopeo copy --all --preserve-digests --retry-times 3 --quiet --src-tls-verify=false < '${list}'`));
          rows.push({ tool, wallMs: m.wallMs, peakRssMiB: m.peakRssMiB, storedMiB: (await duBytes(join(ws, 'oci'))) / MiB });
        }
        process.stderr.write(`${r}: ${tool}: ${(rows.at(-1)!.wallMs / 1000).toFixed(2)} s\n`);
        await rm(ws, { recursive: true, force: true });
      }
    }
    await Promise.all([svc.close(), sigStore.close()]);
    const load1 = loadavg()[0]!;
    const tools = [...new Set(rows.map((x) => x.tool))];
    const summary = tools.map((tool) => {
      const xs = rows.filter((x) => x.tool === tool);
      const wall = xs.map((x) => x.wallMs);
      return { tool, wallMs: median(wall), minMs: Math.min(...wall), maxMs: Math.max(...wall), peakRssMiB: median(xs.map((x) => x.peakRssMiB)), storedMiB: median(xs.map((x) => x.storedMiB)) };
    });
    const images = COMPONENTS + 1;
    console.log(`release: ${COMPONENTS} components (${images} images), ${(distinct / MiB).toFixed(1)} MiB of distinct blobs; ${cpus().length} cores, load ${load0.toFixed(1)} → ${load1.toFixed(1)}; medians of ${repeat}\n`);
    console.log('| tool | wall time | range | MiB/s | peak RSS | stored |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const s of summary) {
      console.log(`| ${s.tool} | ${(s.wallMs / 1000).toFixed(2)} s | ${(s.minMs / 1000).toFixed(2)}–${(s.maxMs / 1000).toFixed(2)} s | ${(distinct / MiB / (s.wallMs / 1000)).toFixed(0)} | ${s.peakRssMiB.toFixed(0)} MiB | ${s.storedMiB.toFixed(1)} MiB |`);
    }
    console.log(`\n${JSON.stringify({ components: COMPONENTS, distinctMiB: distinct / MiB, repeat, load: [load0, load1], summary }, null, 2)}`);
  } finally {
    await src.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
