#!/usr/bin/env node
// Records what `opm serve` answers on every api.Registry RPC for the corpus catalogs into
// test/fixtures/opm-grpc/*.json, which test/cli-serve-grpc-opm.test.ts replays against `gantry serve`.
//
// Usage (after `npm run build`; CI cannot build opm, so the recordings are committed):
//   OPM=/path/to/opm OPM_LABEL="opm v1.26.5" GANTRY_CORPUS=/path/to/shared/corpus node scripts/record-opm-grpc.mjs [--server gantry]
// `--server gantry` records from bin/gantry.js instead (to see the comparison's input side by side).
// opm v1.26.5 builds from its vendored source with Go 1.19 (`CGO_ENABLED=1 go build -mod=vendor -tags
// "json1 libsqlite3" ./cmd/opm` in a `git archive v1.26.5` of operator-framework/operator-registry).
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { connectRegistry, waitServing } from '../dist/src/testing/registry-client.js';
import { comparable, BUNDLE_METHODS } from '../dist/src/testing/opm-grpc-compare.js';

const REPO = new URL('..', import.meta.url).pathname;
const CORPUS = process.env.GANTRY_CORPUS ?? join(REPO, '..', 'shared', 'corpus');
const REAL = join(CORPUS, 'fbc-real', 'community-operators-prod-v4.20');
const OUT = join(REPO, 'test', 'fixtures', 'opm-grpc');
const server = process.argv.includes('--server') ? process.argv[process.argv.indexOf('--server') + 1] : 'opm';
const OPM = process.env.OPM;
if (server === 'opm' && !OPM) {
  console.error('set OPM=/path/to/opm (v1.26.5 builds from source with Go 1.19), or pass --server gantry');
  process.exit(2);
}

/** The catalogs recorded: a hand-made one with every edge case, a slice of real packages, and the whole real catalog. */
export const CATALOGS = [
  { name: 'edge', dir: () => join(REPO, 'test', 'fixtures', 'opm-grpc', 'edge-catalog'), digests: false },
  { name: 'real-slice', packages: ['cat-facts-operator', 'ecr-secret-operator', 'jumpstarter-operator', 'kubevirt-wol'], digests: false },
  // opm v1.26.5 cannot load these four (it mis-decodes escapes such as `\u003c` and `\>` inside strings, a bug
  // fixed since); they are left out of its recording, and gantry serves them (checked by cli-serve-grpc tests).
  { name: 'real-v4.20', packages: 'all', exclude: ['alloydb-omni-operator', 'infinispan', 'kairos-operator', 'layer7-operator'], digests: true },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function catalogDir(c, work) {
  if (c.dir) return c.dir();
  const dir = join(work, c.name);
  const packages = c.packages === 'all' ? readdirSync(REAL).filter((p) => !c.exclude?.includes(p)) : c.packages;
  for (const p of packages) cpSync(join(REAL, p), join(dir, p), { recursive: true });
  return dir;
}

async function startServer(dir, work) {
  const port = await freePort();
  const child =
    server === 'opm'
      ? spawn(OPM, ['serve', dir, '-p', String(port), '-t', join(work, 'termination-log')], { stdio: ['ignore', 'ignore', 'inherit'] })
      : spawn(process.execPath, [join(REPO, 'bin', 'gantry.js'), 'serve', dir, '--listen', '127.0.0.1:0', '--grpc-listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${server} serve ${dir} exited ${code} before serving`))));
  await Promise.race([waitServing(`127.0.0.1:${port}`, 120_000), exited]);
  return { address: `127.0.0.1:${port}`, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

/** The calls to make, chosen from the catalog's own content so every RPC, edge case and error text is asked. */
function plan(bundles, packages) {
  const calls = [];
  const add = (method, request) => calls.push({ method, request });
  add('ListPackages', {});
  add('ListBundles', {});
  for (const p of packages) add('GetPackage', { name: p.name });
  add('GetPackage', { name: 'no-such-package' });
  const channels = new Map(); // "pkg/ch" → bundles in it
  for (const b of bundles) {
    const key = `${b.packageName}\u0000${b.channelName}`;
    if (!channels.has(key)) channels.set(key, []);
    channels.get(key).push(b);
  }
  for (const key of channels.keys()) {
    const [pkgName, channelName] = key.split('\u0000');
    add('GetBundleForChannel', { pkgName, channelName });
  }
  const first = bundles[0];
  add('GetBundleForChannel', { pkgName: 'no-such-package', channelName: 'stable' });
  add('GetBundleForChannel', { pkgName: first.packageName, channelName: 'no-such-channel' });
  for (const b of bundles) add('GetBundle', { pkgName: b.packageName, channelName: b.channelName, csvName: b.csvName });
  add('GetBundle', { pkgName: 'no-such-package', channelName: first.channelName, csvName: first.csvName });
  add('GetBundle', { pkgName: first.packageName, channelName: 'no-such-channel', csvName: first.csvName });
  add('GetBundle', { pkgName: first.packageName, channelName: first.channelName, csvName: 'no-such-bundle' });

  const targets = new Set();
  for (const b of bundles) for (const t of [b.replaces, ...(b.skips ?? [])]) if (t) targets.add(t);
  for (const t of [...targets].sort()) add('GetChannelEntriesThatReplace', { csvName: t });
  add('GetChannelEntriesThatReplace', { csvName: 'no-such-bundle' });
  const asked = new Set();
  for (const b of bundles) {
    for (const t of [b.replaces, ...(b.skips ?? [])]) {
      const key = `${t}\u0000${b.packageName}\u0000${b.channelName}`;
      if (!t || asked.has(key)) continue;
      asked.add(key);
      add('GetBundleThatReplaces', { csvName: t, pkgName: b.packageName, channelName: b.channelName });
    }
  }
  add('GetBundleThatReplaces', { csvName: first.csvName, pkgName: 'no-such-package', channelName: first.channelName });
  add('GetBundleThatReplaces', { csvName: first.csvName, pkgName: first.packageName, channelName: 'no-such-channel' });
  add('GetBundleThatReplaces', { csvName: 'no-such-bundle', pkgName: first.packageName, channelName: first.channelName });

  const gvks = new Map();
  for (const b of bundles) for (const g of [...(b.providedApis ?? []), ...(b.requiredApis ?? [])]) gvks.set(`${g.group}/${g.version}/${g.kind}`, g);
  gvks.set('no.such/v1/Nothing', { group: 'no.such', version: 'v1', kind: 'Nothing' });
  let plural = true;
  for (const key of [...gvks.keys()].sort()) {
    const g = gvks.get(key);
    // plural is ignored by opm: ask with one once.
    const request = { group: g.group, version: g.version, kind: g.kind, ...(plural ? { plural: 'ignored' } : {}) };
    plural = false;
    add('GetChannelEntriesThatProvide', request);
    add('GetLatestChannelEntriesThatProvide', request);
    add('GetDefaultBundleThatProvides', request);
  }
  return calls;
}

function settle(outcome, method, digests) {
  if ('error' in outcome) return { error: outcome.error };
  return { answer: digests ? comparable(method, outcome.answer, 'recorded', true) : outcome.answer };
}

async function record(c, work) {
  const dir = catalogDir(c, work);
  const s = await startServer(dir, work);
  const client = connectRegistry(s.address);
  try {
    const all = await client.call('ListBundles', {});
    const pkgs = await client.call('ListPackages', {});
    if ('error' in all || 'error' in pkgs) throw new Error(`ListBundles/ListPackages failed: ${JSON.stringify(all.error ?? pkgs.error)}`);
    const calls = [];
    for (const { method, request } of plan(all.answer, pkgs.answer)) {
      const outcome = settle(await client.call(method, request), method, c.digests);
      if (method === 'GetBundleThatReplaces' && 'answer' in outcome) {
        // replaces-tie: opm picks any bundle of the channel that replaces or skips the name (Go map order), and
        // repeated calls need not show them all. Every candidate's answer is its GetBundle answer (both clear
        // replaces and skips), so the recording lists those, and checks opm's own pick is one of them.
        const candidates = all.answer.filter(
          (b) => b.packageName === request.pkgName && b.channelName === request.channelName && (b.replaces === request.csvName || (b.skips ?? []).includes(request.csvName)),
        );
        const answers = [];
        for (const b of candidates) {
          const one = settle(await client.call('GetBundle', { pkgName: b.packageName, channelName: b.channelName, csvName: b.csvName }), method, c.digests);
          if ('answer' in one) answers.push(one.answer);
        }
        if (!answers.some((a) => JSON.stringify(a) === JSON.stringify(outcome.answer))) throw new Error(`opm's GetBundleThatReplaces ${JSON.stringify(request)} is none of its candidates`);
        calls.push(answers.length > 1 ? { method, request, answers } : { method, request, ...outcome });
      } else calls.push({ method, request, ...outcome });
    }
    const health = await client.health('');
    calls.push({ method: 'Check', request: { service: '' }, ...health });
    return calls;
  } finally {
    client.close();
    await s.stop();
  }
}

// A source build has no version stamped in (`OpmVersion:"unknown"`): OPM_LABEL names it, e.g. "opm v1.26.5".
const version = server === 'opm' ? (process.env.OPM_LABEL ?? execFileSync(OPM, ['version'], { encoding: 'utf8' }).trim()) : 'gantry';
const work = mkdtempSync(join(tmpdir(), 'record-opm-grpc-'));
try {
  for (const c of CATALOGS) {
    const calls = await record(c, work);
    const file = join(OUT, `${c.name}${server === 'opm' ? '' : `.${server}`}.json`);
    const recording = { recordedWith: version, catalog: c.dir ? 'test/fixtures/opm-grpc/edge-catalog' : `fbc-real/community-operators-prod-v4.20: ${c.packages === 'all' ? `all packages but ${c.exclude.join(', ')}` : c.packages.join(', ')}`, bundleDigests: c.digests, calls };
    // One call a line: small files that still diff call by call.
    const { calls: list, ...head } = recording;
    writeFileSync(file, `${JSON.stringify(head).slice(0, -1)},"calls":[\n${list.map((x) => JSON.stringify(x)).join(',\n')}\n]}\n`);
    console.error(`${file}: ${calls.length} calls (${calls.filter((x) => BUNDLE_METHODS.has(x.method)).length} with bundles)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
