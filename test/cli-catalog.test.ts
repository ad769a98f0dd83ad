// gantry catalog … end to end, as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REAL_CATALOG } from './corpus.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const gantry = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 60_000, maxBuffer: 512 * 1024 * 1024 });

test('cli/catalog validate: a valid catalog, text and json, from a directory and from stdin', async () => {
  const ok = gantry(['catalog', 'validate', REAL_CATALOG]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, 'catalog is valid: 37 packages, 85 channels, 803 bundles in 37 files (0 errors, 0 warnings)\n');
  const json = JSON.parse(gantry(['catalog', 'validate', '-o', 'json', REAL_CATALOG]).stdout) as { passed: boolean; counts: { bundles: number } };
  assert.equal(json.passed, true);
  assert.equal(json.counts.bundles, 803);
  const stdin = gantry(['catalog', 'validate', '-'], '{"schema":"olm.package","name":"x","defaultChannel":"s"}\n');
  assert.equal(stdin.status, 1);
  assert.match(stdin.stdout, /default channel "s" not found in channels list \(<stdin>:1\)/);
});

test('cli/catalog validate: every problem with file and line, exit 1, no stack trace', async () => {
  const dir = await tempDir('cli-cat');
  try {
    await mkdir(join(dir.path, 'a'));
    await writeFile(join(dir.path, 'a', 'catalog.yaml'), 'schema: olm.package\nname: a\ndefaultChannel: stable\n---\nschema: olm.channel\npackage: a\nname: stable\nentries:\n  - name: a.v1\n  - name: a.v2\n');
    await writeFile(join(dir.path, 'a', 'bundles.json'), '{"schema":"olm.bundle","package":"a","name":"a.v1","image":"quay.io/a:1","properties":[{"type":"olm.package","value":{"packageName":"a","version":"1.0.0"}}]}\n{"schema":"olm.bundle","package":"a","name":"a.v2",\n"image":"quay.io/a:2","properties":[{"type":"olm.package","value":{"packageName":"a","version":"2.0"}}]}\n');
    await writeFile(join(dir.path, 'broken.json'), '{\n  "schema": "olm.package",\n  "name": "b",,\n}\n');
    const r = gantry(['catalog', 'validate', dir.path]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^invalid catalog:$/m);
    assert.match(r.stdout, /invalid JSON: .* \(broken\.json:3\)/);
    assert.match(r.stdout, /error parsing bundle "a\.v2" version "2\.0": No Major\.Minor\.Patch elements found \(a\/bundles\.json:2\)/);
    assert.match(r.stdout, /multiple channel heads found in graph: a\.v1, a\.v2 \(a\/catalog\.yaml:5\)/);
    assert.match(r.stdout, /catalog is invalid: 3 errors, 0 warnings/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
    const missing = gantry(['catalog', 'validate', join(dir.path, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error\[NOT_FOUND\]: catalog .*nope does not exist/);
  } finally {
    await dir.remove();
  }
});

test('cli/catalog queries: list, versions, show; the index cache is used and invalidated by a change', async () => {
  const dir = await tempDir('cli-q');
  const cache = await tempDir('cli-q-cache');
  try {
    await mkdir(join(dir.path, 'cat'));
    const { cp } = await import('node:fs/promises');
    await cp(join(REAL_CATALOG, 'cat-facts-operator'), join(dir.path, 'cat', 'cat-facts-operator'), { recursive: true });
    const env = { ...process.env, GANTRY_CACHE_DIR: cache.path };
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 60_000 });
    const pk = run(['catalog', 'list', 'packages', join(dir.path, 'cat'), '-o', 'json']);
    assert.equal(pk.status, 0, pk.stderr);
    const rows = JSON.parse(pk.stdout) as { package: string; head: string }[];
    assert.deepEqual(rows.map((r) => r.package), ['cat-facts-operator']);
    const { readdir, appendFile } = await import('node:fs/promises');
    assert.equal((await readdir(join(cache.path, 'catalog-index'))).length, 1, 'the index was cached');
    const versions = run(['catalog', 'versions', join(dir.path, 'cat'), 'cat-facts-operator']);
    assert.equal(versions.status, 0, versions.stderr);
    assert.ok(versions.stdout.trim().split('\n').length >= 2);
    assert.equal((await readdir(join(cache.path, 'catalog-index'))).length, 1, 'the second query reused it');
    // A new package appears: the cache key changes and the answer follows the files.
    await appendFile(join(dir.path, 'cat', 'cat-facts-operator', 'catalog.yaml'), '\n---\nschema: olm.package\nname: extra\ndefaultChannel: s\n');
    const again = JSON.parse(run(['catalog', 'list', 'packages', join(dir.path, 'cat'), '-o', 'json']).stdout) as { package: string }[];
    assert.deepEqual(again.map((r) => r.package), ['cat-facts-operator', 'extra']);
    const show = run(['catalog', 'show', join(dir.path, 'cat'), 'cat-facts-operator']);
    assert.match(show.stdout, /^package cat-facts-operator\ndefault channel: /);
    const missing = run(['catalog', 'show', join(dir.path, 'cat'), 'nope']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error\[NOT_FOUND\]: package "nope" is not in the catalog/);
  } finally {
    await dir.remove();
    await cache.remove();
  }
});

test('cli/catalog render: a stream like opm render, --output-dir per package, nothing written on errors', async () => {
  const dir = await tempDir('cli-render');
  try {
    const stream = gantry(['catalog', 'render', join(REAL_CATALOG, 'cat-facts-operator')]);
    assert.equal(stream.status, 0, stream.stderr);
    assert.match(stream.stdout, /^\{\n {4}"schema": "olm\.package",\n {4}"name": "cat-facts-operator",/);
    const out = join(dir.path, 'out');
    const r = gantry(['catalog', 'render', '--output-dir', out, REAL_CATALOG]);
    assert.equal(r.status, 0, r.stderr);
    const { readdir, readFile } = await import('node:fs/promises');
    assert.equal((await readdir(out)).length, 37);
    const again = gantry(['catalog', 'render', '--output-dir', out, REAL_CATALOG]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists.*\n {2}hint: .*--force/);
    // Rendering the rendered catalog again gives the same bytes (stable output).
    const twice = gantry(['catalog', 'render', out]);
    const once = gantry(['catalog', 'render', REAL_CATALOG]);
    assert.equal(twice.stdout, once.stdout);
    await writeFile(join(dir.path, 'bad.json'), '{"schema": "olm.package", "name": 1}\n');
    const bad = gantry(['catalog', 'render', '--output-file', join(dir.path, 'x.json'), join(dir.path, 'bad.json')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /error\[CATALOG_INVALID\]: 1 problem while loading; nothing was written/);
    assert.ok(!(await readdir(dir.path)).includes('x.json'));
    void readFile;
  } finally {
    await dir.remove();
  }
});

test('cli/catalog build: an image skopeo reads, validated back out of it; an invalid catalog builds nothing', async () => {
  const dir = await tempDir('cli-build');
  try {
    const out = join(dir.path, 'layout');
    const r = gantry(['catalog', 'build', join(REAL_CATALOG, 'cat-facts-operator'), '-t', `oci:${out}:v1`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^oci:.*:v1@sha256:[0-9a-f]{64}\n$/);
    const { runTool } = await import('../src/testing/tools.js');
    const inspect = await runTool('skopeo', ['inspect', '--config', `oci:${out}:v1`], { timeoutMs: 30_000 });
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal(JSON.parse(inspect.stdout).config.Labels['operators.operatorframework.io.index.configs.v1'], '/configs');
    const back = gantry(['catalog', 'validate', `oci:${out}:v1`]);
    assert.equal(back.status, 0, back.stdout + back.stderr);
    assert.match(back.stdout, /catalog is valid: 1 package, /);
    await mkdir(join(dir.path, 'bad', 'a'), { recursive: true });
    await writeFile(join(dir.path, 'bad', 'a', 'c.json'), '{"schema":"olm.package","name":"a","defaultChannel":"x"}');
    const bad = gantry(['catalog', 'build', join(dir.path, 'bad'), '-t', `oci:${out}:bad`]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /error\[CATALOG_INVALID\]: the catalog does not validate/);
    // The issues are diagnostics of a build: stderr, leaving stdout to the built reference.
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /default channel "x" not found/);
    const tags = gantry(['tags', `oci:${out}`]);
    assert.deepEqual(tags.stdout.trim().split('\n'), ['v1']);
  } finally {
    await dir.remove();
  }
});

test('cli/catalog graph: Mermaid for one package; an unknown minimum edge is a clear error', async () => {
  const r = gantry(['catalog', 'graph', REAL_CATALOG, '-p', 'cat-facts-operator']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^graph LR\n/);
  assert.match(r.stdout, /%% package "cat-facts-operator"\n/);
  assert.doesNotMatch(r.stdout, /%% package "(?!cat-facts-operator")/);
  assert.match(r.stdout, /-- replace -->/);
  const bad = gantry(['catalog', 'graph', REAL_CATALOG, '-p', 'cat-facts-operator', '--minimum-edge', 'nope.v9']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /^error\[GRAPH_MINIMUM_EDGE_UNKNOWN\]: unknown minimum edge name: "nope\.v9"/);
  assert.doesNotMatch(bad.stderr, /this is a bug/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
