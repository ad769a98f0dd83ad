// Mirror benchmark: `gantry mirror` (mirror to mirror) of a synthesised 12-package catalog slice vs skopeo copying the
// same mapping.txt 4 at a time, in one run; peak RSS of planning from the 7,014-bundle catalog; archive overhead.
// Usage: node dist/bench/mirror-bench.js [--repeat N] [--only m2m,rss,archive]   (prints Markdown tables and JSON)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, makeBlob, pushImagesRaw, type BuiltBlob, type RawPushItem, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { timed, type Measure } from './timed.js';
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { MediaType } from '../src/oci/media-types.js';
import { parseManifest } from '../src/oci/manifest.js';
import { composeImage, PLAIN, testSession } from '../test/helpers.js';
import { largeCatalog } from '../test/corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const GANTRY = join(ROOT, 'bin', 'gantry.js');
const KiB = 1024;
const MiB = 1024 * KiB;
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 3) || 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['m2m', 'rss', 'archive'];
/** What a user would realistically run: a handful of skopeo copies at once (xargs -P). */
const SKOPEO_PARALLEL = 4;
/** A realistic selection from the large catalog: a handful of well-known packages, heads of their default channels. */
const CORPUS_PACKAGES = ['argocd-operator', 'cert-manager', 'grafana-operator', 'keycloak-operator', 'prometheus', 'strimzi-kafka-operator'];

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/** A small deterministic PRNG (mulberry32), so the synthesised catalog is the same on every run. */
function prng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- The synthesised catalog slice ----------------------------------------------------------------------------

interface SourceImage {
  repository: string;
  tag: string;
  image: TestImage;
}

interface Slice {
  images: SourceImage[];
  /** Catalog files (FBC, JSON streams as opm writes them), one directory per package. */
  files: Record<string, string>;
  packages: string[];
  bundles: number;
  /** The distinct blobs (manifests, configs, layers) of every image above, by digest. */
  blobs: Map<string, number>;
}

/** An image on shared base layers: its own layers on top, a config listing them all. */
function layeredImage(seed: string, base: BuiltBlob[], ownSizes: number[]): TestImage {
  const own = buildImage({ seed, layerSizes: ownSizes }).layers;
  const layers = [...base, ...own];
  const config = {
    architecture: 'amd64',
    os: 'linux',
    author: `gantry-bench seed=${seed}`,
    config: {},
    // Layers are raw random bytes, not tarballs (see buildImage); their digests stand in for diff IDs.
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  };
  return composeImage(makeBlob(Buffer.from(JSON.stringify(config)), MediaType.ociConfig), layers);
}

/**
 * 12 packages with 2–4 bundles each (36 bundles). Every bundle has a small bundle image (FROM scratch, one layer of
 * 20–200 KiB) and 1–3 related images: the operator (a base plus 3–7 MiB and 0.1–0.5 MiB of its own) and 0–2
 * operands (a base plus 4–12 MiB). The first operand changes with every release; the second (a database or proxy)
 * is the same image in every bundle of its package, as pinned operands are. Four base images (one or two layers
 * each, 2–38 MiB) are shared by everything, as UBI layers are.
 */
function synthesiseSlice(host: string): Slice {
  const rand = prng('gantry-mirror-bench');
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  const bases = [
    buildImage({ seed: 'base-ubi-minimal', layerSizes: [38 * MiB] }).layers,
    buildImage({ seed: 'base-ubi-micro', layerSizes: [9 * MiB] }).layers,
    buildImage({ seed: 'base-distroless', layerSizes: [2 * MiB, 14 * MiB] }).layers,
    buildImage({ seed: 'base-ubi-minimal-java', layerSizes: [38 * MiB] }).layers.concat(buildImage({ seed: 'base-java', layerSizes: [24 * MiB] }).layers),
  ];
  // The java base reuses ubi-minimal's layer, as a real java base image builds on ubi-minimal.
  bases[3]![0] = bases[0]![0]!;
  const pickBase = () => bases[Math.floor(rand() * bases.length)]!;
  const names = ['aqua', 'birch', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'iris', 'juniper', 'kestrel', 'lumen'];
  const images: SourceImage[] = [];
  const files: Record<string, string> = {};
  const ref = (repository: string, img: TestImage) => `${host}/${repository}@${img.manifest.digest}`;
  let bundles = 0;
  names.forEach((n, p) => {
    const pkg = `${n}-operator`;
    const versions = Array.from({ length: 2 + (p % 3) }, (_, v) => `1.${v}.0`);
    const operands = p % 3;
    const operatorBase = pickBase();
    const operandBases = Array.from({ length: operands }, pickBase);
    const pinned =
      operands === 2 ? { repository: `bench/${pkg}/${n}-db`, tag: '15.4', image: layeredImage(`${pkg}/db`, operandBases[1]!, [between(4 * MiB, 12 * MiB)]) } : undefined;
    if (pinned) images.push(pinned);
    const blobs: unknown[] = [{ schema: 'olm.package', name: pkg, defaultChannel: 'stable' }];
    const entries: { name: string; replaces?: string }[] = [];
    for (const [v, version] of versions.entries()) {
      const name = `${pkg}.v${version}`;
      entries.push({ name, ...(v > 0 ? { replaces: `${pkg}.v${versions[v - 1]}` } : {}) });
      const bundle = { repository: `bench/${pkg}/bundle`, tag: `v${version}`, image: buildImage({ seed: `${name}/bundle`, layerSizes: [between(20 * KiB, 200 * KiB)] }) };
      const operator = {
        repository: `bench/${pkg}/${n}-controller`,
        tag: `v${version}`,
        image: layeredImage(`${name}/operator`, operatorBase, [between(3 * MiB, 7 * MiB), between(100 * KiB, 500 * KiB)]),
      };
      const operand =
        operands > 0 ? { repository: `bench/${pkg}/${n}-server`, tag: `v${version}`, image: layeredImage(`${name}/server`, operandBases[0]!, [between(4 * MiB, 12 * MiB)]) } : undefined;
      images.push(bundle, operator, ...(operand ? [operand] : []));
      const related = [
        { name: 'manager', image: ref(operator.repository, operator.image) },
        ...(operand ? [{ name: 'server', image: ref(operand.repository, operand.image) }] : []),
        ...(pinned ? [{ name: 'database', image: ref(pinned.repository, pinned.image) }] : []),
        // opm lists the bundle image among relatedImages, unnamed.
        { name: '', image: ref(bundle.repository, bundle.image) },
      ];
      blobs.push({
        schema: 'olm.bundle',
        package: pkg,
        name,
        image: ref(bundle.repository, bundle.image),
        properties: [
          { type: 'olm.gvk', value: { group: `${n}.example.com`, kind: `${n[0]!.toUpperCase()}${n.slice(1)}`, version: 'v1' } },
          { type: 'olm.package', value: { packageName: pkg, version } },
        ],
        relatedImages: related,
      });
      bundles++;
    }
    blobs.splice(1, 0, { schema: 'olm.channel', package: pkg, name: 'stable', entries });
    files[`${pkg}/catalog.json`] = `${blobs.map((b) => JSON.stringify(b, null, 4)).join('\n')}\n`;
  });
  const blobs = new Map<string, number>();
  for (const { image } of images) for (const b of [image.manifest, image.config, ...image.layers]) blobs.set(b.digest, b.size);
  return { images, files, packages: names.map((n) => `${n}-operator`), bundles, blobs };
}

function catalogIsc(catalog: string, packages: string[], opts: { full?: boolean } = {}): string {
  return [
    'apiVersion: mirror.openshift.io/v2alpha1',
    'kind: ImageSetConfiguration',
    'mirror:',
    '  operators:',
    `  - catalog: ${catalog}`,
    ...(opts.full ? ['    full: true'] : []),
    '    packages:',
    ...packages.map((p) => `    - name: ${p}`),
    '',
  ].join('\n');
}

/** Bytes of the blobs a docker-registry stores (manifests are stored as blobs too): what arrived, once each. */
async function storedBytes(storageDir: string): Promise<number> {
  const root = join(storageDir, 'docker', 'registry', 'v2', 'blobs');
  let total = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && entry.name === 'data') total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function filesEndingWith(dir: string, suffix: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && entry.name.endsWith(suffix)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const gantry = (...a: string[]) => [process.execPath, GANTRY, ...a];

// ---- 1. Mirror to mirror: gantry vs skopeo over the same mapping ----------------------------------------------

type M2mTool = 'gantry mirror' | `skopeo copy ×${number} (mapping.txt)` | 'gantry mirror --dry-run (plan only)';

interface Seeded {
  src: RunningRegistry;
  slice: Slice;
  /** The ImageSetConfiguration selecting every bundle of every package of the slice. */
  isc: string;
  /** Distinct blobs of the mapped images and of the catalog image: what an archive of the selection must hold. */
  expectedBlobs: Map<string, number>;
  mappedBytes: number;
  catalogBytes: number;
}

/** A source registry holding the slice's images and its catalog image (built on an opm-like base), and the ISC. */
async function seedSlice(work: string): Promise<Seeded> {
  const src = await startRegistry({ logLevel: 'error' });
  const slice = synthesiseSlice(src.host);
  const mappedBytes = [...slice.blobs.values()].reduce((a, b) => a + b, 0);
  process.stderr.write(`seeding: ${slice.packages.length} packages, ${slice.bundles} bundles, ${slice.images.length} images, ${mib(mappedBytes)} MiB of distinct blobs\n`);
  const items: RawPushItem[] = slice.images.map((i) => ({ repository: i.repository, tag: i.tag, image: i.image }));
  // Real catalog images are built FROM quay.io/operator-framework/opm: a base of two layers stands in for it. Its
  // layers must be real gzip'd tars, because the planner reads the catalog through every layer of the image.
  const opmBase = buildImage({ seed: 'base-opm', layerSizes: [8 * MiB, 20 * MiB], tarLayer: true });
  // One image at a time (its blobs in parallel): distribution 2.8 can lose a blob link when two uploads of the same
  // digest race, and shared base layers make such races likely (seeding failed once in its first five runs).
  for (const item of [...items, { repository: 'bench/opm-base', tag: 'v1', image: opmBase }]) await pushImagesRaw(src.url, [item], { concurrency: 8 });
  const catalogBlobs = new Map<string, number>();
  const session = testSession();
  try {
    const store = session.store(src.host, 'bench/catalogs/operator-index', PLAIN);
    await buildCatalogImage({ catalog: createMemoryTree(slice.files), base: { store: session.store(src.host, 'bench/opm-base', PLAIN), reference: 'v1' }, dest: store, tag: 'v1' });
    const fetched = await store.fetchManifest('v1');
    const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
    if (m.kind !== 'manifest') throw new Error('expected a single-platform catalog image');
    catalogBlobs.set(fetched.descriptor.digest, fetched.bytes.length);
    for (const d of [m.config, ...m.layers]) catalogBlobs.set(d.digest, d.size);
  } finally {
    await session.close();
  }
  const isc = join(work, 'isc.yaml');
  // full: true with the packages listed: every bundle of every package, not only the channel heads.
  await writeFile(isc, catalogIsc(`${src.host}/bench/catalogs/operator-index:v1`, slice.packages, { full: true }));
  return {
    src,
    slice,
    isc,
    expectedBlobs: new Map([...slice.blobs, ...catalogBlobs]),
    mappedBytes,
    catalogBytes: [...catalogBlobs.values()].reduce((a, b) => a + b, 0),
  };
}

interface M2mRow {
  tool: M2mTool;
  wallMs: number;
  peakRssMiB: number;
  storedMiB: number;
  /** gantry's own summary line (bytes moved, blobs copied/present/mounted). */
  summary?: string;
}

interface M2mFailure {
  tool: M2mTool;
  run: number;
  code: number;
  why: string;
}

async function mirrorToMirror(work: string, seeded: Seeded): Promise<{ rows: M2mRow[]; failures: M2mFailure[] }> {
  const { slice, isc } = seeded;
  const rows: M2mRow[] = [];
  const failures: M2mFailure[] = [];
  const skopeoTool: M2mTool = `skopeo copy ×${SKOPEO_PARALLEL} (mapping.txt)`;
  for (let r = 0; r < repeat; r++) {
    // Alternate the order, so neither tool always runs second (on a page cache the other warmed, or after its flush).
    const tools: M2mTool[] = r % 2 === 0 ? ['gantry mirror', skopeoTool] : [skopeoTool, 'gantry mirror'];
    for (const tool of tools) {
      const dst = await startRegistry({ logLevel: 'error' });
      const ws = join(work, `ws-${r}-${tool.split(' ')[0]}`);
      try {
        const dest = `docker://${dst.host}/mirror`;
        // Both tools get the mapping.txt of a dry run against their own fresh destination; each dry run is timed.
        const plan = await timed(gantry('mirror', '-c', isc, dest, '--dry-run', '--quiet', ...NO_TLS, '--workspace', ws));
        rows.push({ tool: 'gantry mirror --dry-run (plan only)', wallMs: plan.wallMs, peakRssMiB: plan.peakRssMiB, storedMiB: 0 });
        const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
        if (mapping.length !== slice.images.length) throw new Error(`mapping.txt has ${mapping.length} lines, expected ${slice.images.length}`);
        const m =
          tool === 'gantry mirror'
            ? await timed(gantry('mirror', '-c', isc, dest, '--quiet', ...NO_TLS, '--workspace', ws), { allowFailure: true })
            : await timed(
                [
                  'bash',
                  '-c',
                  // mapping.txt lines are docker://SRC=docker://DST; no reference contains "=". --retry-times 3 because
                  // gantry retries too (5 times by default); the registry answers 500 now and then under this load.
                  `set -o pipefail; sed 's/=/ /' '${join(ws, 'mapping.txt')}' | xargs -P ${SKOPEO_PARALLEL} -n 2 skopeo copy --all --preserve-digests --retry-times 3 --quiet --src-tls-verify=false --dest-tls-verify=false`,
                ],
                { allowFailure: true },
              );
        if (m.code !== 0) {
          // A failed run is reported, not timed: its wall time says nothing about a complete mirror.
          const why = m.stderr.trim().split('\n').filter((l) => !l.startsWith('Command exited')).slice(-1)[0] ?? '';
          failures.push({ tool, run: r, code: m.code, why });
          process.stderr.write(`m2m ${r} ${tool}: FAILED (exit ${m.code}): ${why}\n`);
          continue;
        }
        const stored = await storedBytes(dst.storageDir);
        const summary = m.stderr.split('\n').find((l) => / moved in /.test(l));
        rows.push({ tool, wallMs: m.wallMs, peakRssMiB: m.peakRssMiB, storedMiB: stored / MiB, ...(summary ? { summary } : {}) });
        process.stderr.write(`m2m ${r} ${tool}: ${m.wallMs.toFixed(0)} ms, ${m.peakRssMiB.toFixed(0)} MiB RSS, ${mib(stored)} MiB stored (plan ${plan.wallMs.toFixed(0)} ms)${summary ? `; ${summary}` : ''}\n`);
      } finally {
        await dst.stop();
        await rm(ws, { recursive: true, force: true });
      }
    }
  }
  return { rows, failures };
}

// ---- 2. Peak RSS of planning from the 7,014-bundle catalog ----------------------------------------------------

interface RssResult {
  wallMs: number;
  peakRssMiB: number;
  images: number;
  diskKiB: number;
  apparentBytes: number;
  layerBytes: number;
}

async function du(dir: string, flag: '-sk' | '-sb'): Promise<number> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('du', [flag, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    child.stdout.on('data', (d: Buffer) => (s += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(s) : reject(new Error(`du exited ${code}`))));
  });
  return Number(out.split(/\s/)[0]);
}

async function planningRss(work: string, src: RunningRegistry): Promise<RssResult> {
  const catalog = await largeCatalog();
  const diskKiB = await du(catalog, '-sk');
  const apparentBytes = await du(catalog, '-sb');
  const tag = `docker://${src.host}/bench/catalogs/community-operators:all`;
  process.stderr.write('building the 7,014-bundle catalog image (not timed)\n');
  // As a user would: gantry catalog build (validation skipped; the catalog bench measures it).
  await timed(gantry('catalog', 'build', catalog, '-t', tag, '--dest-tls-verify=false', '--no-validate'));
  const session = testSession();
  let layerBytes = 0;
  try {
    const fetched = await session.store(src.host, 'bench/catalogs/community-operators', PLAIN).fetchManifest('all');
    const m = parseManifest(fetched.bytes, fetched.descriptor.mediaType);
    if (m.kind === 'manifest') layerBytes = m.layers.reduce((a, l) => a + l.size, 0);
  } finally {
    await session.close();
  }
  const isc = join(work, 'isc-corpus.yaml');
  await writeFile(isc, catalogIsc(tag.slice('docker://'.length), CORPUS_PACKAGES));
  const samples: Measure[] = [];
  let images = 0;
  for (let r = 0; r < repeat; r++) {
    const ws = join(work, `ws-rss-${r}`);
    // The destination is never contacted in a dry run; any valid host will do.
    samples.push(await timed(gantry('mirror', '-c', isc, 'docker://127.0.0.1:1/mirror', '--dry-run', '--quiet', '--src-tls-verify=false', '--workspace', ws)));
    images = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n').length;
    process.stderr.write(`rss ${r}: ${samples.at(-1)!.wallMs.toFixed(0)} ms, ${samples.at(-1)!.peakRssMiB.toFixed(0)} MiB, ${images} images planned\n`);
    await rm(ws, { recursive: true, force: true });
  }
  return { wallMs: median(samples.map((s) => s.wallMs)), peakRssMiB: median(samples.map((s) => s.peakRssMiB)), images, diskKiB, apparentBytes, layerBytes };
}

// ---- 3. Archive overhead: only once `gantry mirror` writes archives -----------------------------------------

type ArchiveResult =
  | { measured: false; why: string }
  | { measured: true; wallMs: number; pushMs: number; tarBytes: number; tarFiles: number; blobBytes: number; expectedBytes: number; overhead: number };

/** Sizes of the blobs/ members of an archive, from each part's member list (its first member), read with GNU tar. */
async function archivedBlobBytes(tars: string[]): Promise<number> {
  let total = 0;
  for (const t of tars) {
    const list = await run('tar', ['-tf', t]);
    const first = list.split('\n')[0]!;
    const index = JSON.parse(await run('tar', ['-xOf', t, first])) as { members: { name: string; size: number }[] };
    for (const m of index.members) if (m.name.startsWith('blobs/')) total += m.size;
  }
  return total;
}

function run(cmd: string, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}`))));
  });
}

/** Mirror to disk of the slice (timed), the archive's bytes against the blobs it holds, then disk to a fresh registry (timed). */
async function archiveOverhead(work: string, isc: string, expectedBlobs: Map<string, number>): Promise<ArchiveResult> {
  const expectedBytes = [...expectedBlobs.values()].reduce((a, b) => a + b, 0);
  const samples: { wallMs: number; pushMs: number; tarBytes: number; tarFiles: number; blobBytes: number }[] = [];
  for (let r = 0; r < repeat; r++) {
    const dir = join(work, `archive-${r}`);
    await mkdir(dir, { recursive: true });
    const m = await timed(gantry('mirror', '-c', isc, `file://${dir}`, '--quiet', '--src-tls-verify=false'), { allowFailure: true });
    if (m.code !== 0) return { measured: false, why: `gantry mirror to file:// failed (exit ${m.code}): ${m.stderr.trim().split('\n').slice(-3).join(' / ')}` };
    const tars = await filesEndingWith(dir, '.tar');
    if (tars.length === 0) return { measured: false, why: `gantry mirror to file:// wrote no .tar under ${dir}` };
    let tarBytes = 0;
    for (const t of tars) tarBytes += (await stat(t)).size;
    const blobBytes = await archivedBlobBytes(tars);
    const dst = await startRegistry({ logLevel: 'error' });
    let pushMs: number;
    try {
      const p = await timed(gantry('mirror', '--from', `file://${dir}`, `docker://${dst.host}/disconnected`, '--quiet', '--dest-tls-verify=false'));
      pushMs = p.wallMs;
    } finally {
      await dst.stop();
    }
    samples.push({ wallMs: m.wallMs, pushMs, tarBytes, tarFiles: tars.length, blobBytes });
    process.stderr.write(`archive ${r}: to disk ${m.wallMs.toFixed(0)} ms, ${tars.length} tar file(s), ${tarBytes} bytes for ${blobBytes} bytes of blobs; from disk ${pushMs.toFixed(0)} ms\n`);
    await rm(dir, { recursive: true, force: true });
  }
  const tarBytes = median(samples.map((s) => s.tarBytes));
  const blobBytes = median(samples.map((s) => s.blobBytes));
  return {
    measured: true,
    wallMs: median(samples.map((s) => s.wallMs)),
    pushMs: median(samples.map((s) => s.pushMs)),
    tarBytes,
    tarFiles: samples[0]!.tarFiles,
    blobBytes,
    expectedBytes,
    overhead: (tarBytes - blobBytes) / blobBytes,
  };
}

// ---- Report ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'gantry-mirrorbench-'));
  let src: RunningRegistry | undefined;
  // The machine may be shared: the load average at start and end says how noisy the figures are.
  const report: Record<string, unknown> = { repeat, date: new Date().toISOString().slice(0, 10), loadAtStart: loadavg().map((x) => Number(x.toFixed(2))) };
  try {
    const seeded = only.includes('m2m') || only.includes('archive') ? await seedSlice(work) : undefined;
    src = seeded?.src;
    if (seeded && only.includes('m2m')) {
      const { rows, failures } = await mirrorToMirror(work, seeded);
      const byTool = new Map<string, M2mRow[]>();
      for (const row of rows) byTool.set(row.tool, [...(byTool.get(row.tool) ?? []), row]);
      const summary = [...byTool.entries()].map(([tool, rs]) => ({
        tool,
        runs: rs.length,
        wallMs: median(rs.map((x) => x.wallMs)),
        minMs: Math.min(...rs.map((x) => x.wallMs)),
        maxMs: Math.max(...rs.map((x) => x.wallMs)),
        peakRssMiB: median(rs.map((x) => x.peakRssMiB)),
        storedMiB: median(rs.map((x) => x.storedMiB)),
        summaries: rs.flatMap((x) => (x.summary ? [x.summary] : [])),
      }));
      const g = summary.find((x) => x.tool === 'gantry mirror');
      const { slice } = seeded;
      console.log(
        `### Mirror to mirror: ${slice.packages.length} packages, ${slice.bundles} bundles, ${slice.images.length} images, ${mib(seeded.mappedBytes)} MiB of distinct blobs (+ catalog image ${mib(seeded.catalogBytes)} MiB)\n`,
      );
      console.log('| tool | runs | wall time (median) | range | MiB/s (mapped images) | peak RSS | stored at destination | gantry time ÷ this |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const x of summary) {
        const planOnly = x.tool.includes('dry-run');
        const rate = planOnly ? '–' : (seeded.mappedBytes / MiB / (x.wallMs / 1000)).toFixed(0);
        console.log(
          `| ${x.tool} | ${x.runs} | ${(x.wallMs / 1000).toFixed(2)} s | ${(x.minMs / 1000).toFixed(2)}–${(x.maxMs / 1000).toFixed(2)} s | ${rate} | ${x.peakRssMiB.toFixed(0)} MiB | ${x.storedMiB ? `${x.storedMiB.toFixed(1)} MiB` : '–'} | ${planOnly || !g ? '–' : (g.wallMs / x.wallMs).toFixed(2)} |`,
        );
      }
      console.log(`\ngantry's own summary (first run): ${g?.summaries[0] ?? '–'}`);
      for (const f of failures) console.log(`\nfailed, not timed: ${f.tool}, run ${f.run} (exit ${f.code}): ${f.why}`);
      report.m2m = { packages: slice.packages.length, bundles: slice.bundles, images: slice.images.length, mappedBytes: seeded.mappedBytes, catalogBytes: seeded.catalogBytes, summary, failures };
    }
    if (only.includes('rss')) {
      src ??= await startRegistry({ logLevel: 'error' });
      const r = await planningRss(work, src);
      console.log(`\n### Peak RSS while planning from the 7,014-bundle catalog (${CORPUS_PACKAGES.length} packages: ${CORPUS_PACKAGES.join(', ')})\n`);
      console.log('| what | figure |');
      console.log('| --- | ---: |');
      console.log(`| gantry mirror --dry-run, peak RSS (median of ${repeat}) | ${r.peakRssMiB.toFixed(0)} MiB |`);
      console.log(`| gantry mirror --dry-run, wall time (median of ${repeat}) | ${(r.wallMs / 1000).toFixed(2)} s |`);
      console.log(`| images planned | ${r.images} |`);
      console.log(`| catalog on disk, du -sk | ${(r.diskKiB / 1024).toFixed(0)} MiB |`);
      console.log(`| catalog on disk, du -sb (apparent) | ${mib(r.apparentBytes)} MiB |`);
      console.log(`| catalog image layer (gzip), pulled by the planner | ${mib(r.layerBytes)} MiB |`);
      console.log(`| peak RSS ÷ size on disk (du -sk) | ${(r.peakRssMiB / (r.diskKiB / 1024)).toFixed(2)} |`);
      report.rss = r;
    }
    if (seeded && only.includes('archive')) {
      const a = await archiveOverhead(work, seeded.isc, seeded.expectedBlobs);
      console.log('\n### Archive overhead (mirror to disk of the same slice)\n');
      if (a.measured) {
        console.log('| what | figure |');
        console.log('| --- | ---: |');
        console.log(`| archive (.tar files: ${a.tarFiles}) | ${a.tarBytes} bytes |`);
        console.log(`| distinct blobs in it (manifests, configs, layers; from its member lists) | ${a.blobBytes} bytes |`);
        console.log(`| distinct blobs of the source images and source catalog image (cross-check) | ${a.expectedBytes} bytes |`);
        console.log(`| overhead (tar headers, padding, member lists, metadata) | ${(a.overhead * 100).toFixed(3)} % (target ≤ 1 %: ${a.overhead <= 0.01 ? 'met' : 'not met'}) |`);
        console.log(`| mirror to disk, wall time (median of ${repeat}) | ${(a.wallMs / 1000).toFixed(2)} s |`);
        console.log(`| disk to mirror into a fresh registry, wall time (median of ${repeat}) | ${(a.pushMs / 1000).toFixed(2)} s |`);
      } else {
        console.log(`not measured: ${a.why}`);
      }
      report.archive = a;
    }
    report.loadAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
    console.log(`\nload average (1, 5, 15 min): ${(report.loadAtStart as number[]).join(', ')} at start, ${(report.loadAtEnd as number[]).join(', ')} at end (${cpus().length} cores)`);
    console.log(`\n<!-- ${JSON.stringify(report)} -->`);
  } finally {
    await src?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
