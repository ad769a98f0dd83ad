// `gantry catalog render` writes as it reads (one package at a time): through the shipped CLI, its bytes equal
// what the whole-catalog writer gives for the same inputs loaded at once, and its peak memory stays below opm's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { emptyConfig, type DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { groupByPackage, writeCatalogFiles, writeCatalogJson, writeCatalogYaml, writeCatalogYamlFiles } from '../src/catalog/fbc/write.js';
import { renderBundleDir } from '../src/catalog/render/index.js';
import { CORPUS, REAL_CATALOG, largeCatalog } from './corpus.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const gantry = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });

/** opm v1.26.5's peak RSS rendering this catalog, as measured by issue 8: the target. */
const OPM_RENDER_PEAK_KIB = 0.48 * 1024 * 1024;

/** Runs the CLI with stdout going straight to a file (as `> file` does) and returns GNU time's peak RSS in KiB. */
async function renderToFile(args: string[], out: string): Promise<{ code: number | null; stderr: string; peakKiB: number }> {
  const fd = await open(out, 'w');
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', 'peak-kib=%M', process.execPath, BIN, ...args], { stdio: ['ignore', fd.fd, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, peakKiB: Number(/peak-kib=(\d+)/.exec(stderr)?.[1] ?? NaN) }));
    });
  } finally {
    await fd.close();
  }
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function readTree(dir: string, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await readTree(dir, rel)) out.set(k, v);
    else out.set(rel, await readFile(join(dir, rel), 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const sorted = (m: Map<string, string>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

test('render-stream/the 7,014-bundle catalog: the whole-catalog writer\'s bytes, below opm\'s 0.48 GiB peak', async () => {
  const dir = await largeCatalog();
  const work = await tempDir('render-stream');
  try {
    const out = join(work.path, 'out.json');
    const r = await renderToFile(['catalog', 'render', dir], out);
    assert.equal(r.code, 0, r.stderr);
    // The reference path, not streaming: the whole catalog loaded, then encoded at once (hashed blob by blob
    // only so that this test process does not hold a 207 MB string too). Before streaming, the CLI gave
    // sha256 c905edb0…17b6 here, the same as this path.
    const { config, issues } = await loadCatalog(await createDirectoryTree(dir));
    assert.deepEqual(issues, []);
    const h = createHash('sha256');
    let size = 0;
    for (const g of groupByPackage(config)) {
      for (const b of g.blobs) {
        h.update(b);
        size += Buffer.byteLength(b);
      }
    }
    assert.equal((await stat(out)).size, size);
    assert.equal(await sha256File(out), h.digest('hex'));
    assert.ok(r.peakKiB < OPM_RENDER_PEAK_KIB, `peak RSS ${(r.peakKiB / 1024).toFixed(0)} MiB; opm v1.26.5 needs ${(OPM_RENDER_PEAK_KIB / 1024).toFixed(0)} MiB`);
  } finally {
    await work.remove();
  }
});

test('render-stream/every output form and several kinds of input give the whole-catalog writer\'s bytes', async () => {
  const work = await tempDir('render-forms');
  try {
    const { config } = await loadCatalog(await createDirectoryTree(REAL_CATALOG));

    const yaml = gantry(['catalog', 'render', '-o', 'yaml', REAL_CATALOG]);
    assert.equal(yaml.status, 0, yaml.stderr);
    assert.equal(yaml.stdout, writeCatalogYaml(config));

    const sortedFile = join(work.path, 'sorted.json');
    const sortedRun = gantry(['catalog', 'render', '--sort-keys', '--output-file', sortedFile, REAL_CATALOG]);
    assert.equal(sortedRun.status, 0, sortedRun.stderr);
    assert.equal(await readFile(sortedFile, 'utf8'), writeCatalogJson(config, { keyOrder: 'sorted' }));

    for (const [format, expected] of [['json', writeCatalogFiles(config)], ['yaml', writeCatalogYamlFiles(config)]] as const) {
      const outDir = join(work.path, `dir-${format}`);
      const r = gantry(['catalog', 'render', '-o', format, '--output-dir', outDir, REAL_CATALOG]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(await readTree(outDir), sorted(expected), format);
    }
    // Nothing but the target is left beside it (staging directories and temporary files are gone).
    assert.deepEqual((await readdir(work.path)).sort(), ['dir-json', 'dir-yaml', 'sorted.json']);

    // Several inputs: two package directories, a registry+v1 bundle directory and stdin, merged as opm merges them.
    const bundleDir = join(CORPUS, 'bundles', 'latest-per-package', 'cat-facts-operator', '1.1.2');
    const stdin = '{"schema":"olm.package","name":"from-stdin","defaultChannel":"s"}\n{"schema":"olm.bundle","package":"cat-facts-operator","name":"zz","image":"i"}\n';
    const parts = [join(REAL_CATALOG, 'cat-facts-operator'), bundleDir, '-', join(REAL_CATALOG, 'apicurio-registry-3')];
    const merged: DeclarativeConfig = emptyConfig();
    const add = (c: DeclarativeConfig) => {
      for (const k of ['packages', 'channels', 'bundles', 'deprecations', 'others'] as const) (merged[k] as unknown[]).push(...c[k]);
    };
    add((await loadCatalog(await createDirectoryTree(parts[0]!))).config);
    const rendered = emptyConfig();
    rendered.bundles.push(await renderBundleDir(await createDirectoryTree(bundleDir)));
    add(rendered);
    add((await loadCatalog(createMemoryTree({ '<stdin>': stdin }))).config);
    add((await loadCatalog(await createDirectoryTree(parts[3]!))).config);
    const many = gantry(['catalog', 'render', ...parts], stdin);
    assert.equal(many.status, 0, many.stderr);
    assert.equal(many.stdout, writeCatalogJson(merged));
    assert.match(many.stdout, /"name": "from-stdin"/);
  } finally {
    await work.remove();
  }
});

test('render-stream/a package name that is no path element: CATALOG_INVALID before anything is written', async () => {
  const work = await tempDir('render-escape');
  try {
    const input = join(work.path, 'in.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(input, '{"schema":"olm.package","name":"a","defaultChannel":"s"}\n{"schema":"olm.package","name":"../../../escaped-pkg","defaultChannel":"s"}\n');
    const r = gantry(['catalog', 'render', '--output-dir', join(work.path, 'out'), input]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error\[CATALOG_INVALID\]: in\.json:2: package name "\.\.\/\.\.\/\.\.\/escaped-pkg" cannot be a directory name: it must be a single path element\n/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(await readdir(work.path), ['in.json']);
  } finally {
    await work.remove();
  }
});
