// install plan over the catalog index cache, through the shipped CLI: a warm run reads only the files the sidecar
// names for the package, a changed file (even one whose mtime was put back) is never answered from the cache, and
// cold, warm and uncached runs give the same answer on the 7,014-bundle corpus catalog.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { largeCatalog } from './corpus.js';

let dir: { path: string; remove(): Promise<void> };
const cacheDir = () => join(dir.path, 'cache');
// The catalogs' bundle images are on quay.io, which tests never reach: --offline keeps every run on this machine.
const run = (args: string[], cache = cacheDir()) => runGantry(['install', 'plan', ...args, '--offline'], { cwd: dir.path, env: { GANTRY_CACHE_DIR: cache } });

const bundle = (pkg: string, version: string) => ({ schema: 'olm.bundle', name: `${pkg}.v${version}`, package: pkg, image: `quay.io/x/${pkg}:${version}`, properties: [{ type: 'olm.package', value: { packageName: pkg, version } }] });
const packageText = (pkg: string, versions: string[]) =>
  [{ schema: 'olm.package', name: pkg, defaultChannel: 'stable' }, { schema: 'olm.channel', name: 'stable', package: pkg, entries: versions.map((v) => ({ name: `${pkg}.v${v}` })) }, ...versions.map((v) => bundle(pkg, v))]
    .map((b) => JSON.stringify(b, null, 4))
    .join('\n') + '\n';

before(async () => {
  dir = await tempDir('cli-install-cache');
});

after(async () => {
  await dir.remove();
});

/** Files are older than the cache's racy margin, so the first run writes an entry. */
async function settle(): Promise<void> {
  await sleep(150);
}

test('cli-install-cache: warm runs read only the package\'s files; a changed file, even with its mtime put back, is read again', async () => {
  const cat = join(dir.path, 'cat');
  await mkdir(join(cat, 'p'), { recursive: true });
  await mkdir(join(cat, 'q'), { recursive: true });
  await writeFile(join(cat, 'p', 'catalog.json'), packageText('p', ['1.0.0']));
  await writeFile(join(cat, 'q', 'catalog.json'), packageText('q', ['3.0.0']));
  // A broken file of another package: both runs must still say the catalog has a problem.
  await writeFile(join(cat, 'q', 'broken.json'), '{"schema": "olm.bundle", ');
  await settle();

  const cold = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(cold.code, 0, cold.stderr);
  assert.equal(JSON.parse(cold.stdout).bundle.name, 'p.v1.0.0');
  assert.match(cold.stderr, /warning: catalog cat has 1 problem/);
  const sidecars = await readdir(join(cacheDir(), 'catalog-files'));
  assert.equal(sidecars.length, 1, 'the cold run wrote the sidecar');
  assert.equal((await readdir(join(cacheDir(), 'catalog-index'))).length, 1, 'and the query index, from the same pass');
  const sidecarPath = join(cacheDir(), 'catalog-files', sidecars[0]!);
  const sidecar = JSON.parse(await readFile(sidecarPath, 'utf8')) as { packages: Record<string, string[]>; problems: number };
  assert.deepEqual(sidecar.packages, { p: ['p/catalog.json'], q: ['q/catalog.json'] });
  assert.equal(sidecar.problems, 1);

  const warm = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(warm.stdout, cold.stdout, 'warm and cold answers are identical');
  assert.equal(warm.stderr, cold.stderr, 'the problem count comes from the sidecar');

  // Proof that the warm path trusts the sidecar and reads nothing else: point p at q's file.
  await writeFile(sidecarPath, JSON.stringify({ ...sidecar, packages: { p: ['q/catalog.json'] } }));
  const steered = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(steered.code, 1);
  assert.equal(JSON.parse(steered.stdout).error, 'no bundles found for package "p"');
  await writeFile(sidecarPath, JSON.stringify(sidecar));

  // A new version appended: size and mtime change, so the entry is not used.
  await writeFile(join(cat, 'p', 'catalog.json'), packageText('p', ['1.0.0', '1.5.0']));
  await settle();
  const grown = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(grown.code, 0, grown.stderr);
  assert.equal(JSON.parse(grown.stdout).bundle.name, 'p.v1.5.0');

  // The same size, the old mtime put back (as cp -p or touch -r would): the ctime still moves, the answer follows.
  // Whole seconds, so that utimes puts the mtime back exactly.
  const file = join(cat, 'p', 'catalog.json');
  const T = 1_700_000_000;
  await utimes(file, T, T);
  await settle();
  const warmAgain = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(JSON.parse(warmAgain.stdout).bundle.name, 'p.v1.5.0');
  assert.equal((await readdir(join(cacheDir(), 'catalog-files'))).length, 3, 'an entry for each state of the catalog');
  const before = await stat(file);
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replaceAll('1.5.0', '1.6.0'));
  await utimes(file, T, T);
  const after = await stat(file);
  assert.deepEqual([after.size, after.mtimeMs, after.ino], [before.size, before.mtimeMs, before.ino], 'only the content and ctime differ');
  const rewritten = await run([cat, '--package', 'p', '-o', 'json']);
  assert.equal(rewritten.code, 0, rewritten.stderr);
  assert.equal(JSON.parse(rewritten.stdout).bundle.name, 'p.v1.6.0');
});

test('cli-install-cache: a catalog that is one file, and --no-cache, take the whole-file path with the same answer', async () => {
  const file = join(dir.path, 'single.json');
  await writeFile(file, packageText('p', ['1.0.0', '2.0.0']) + packageText('q', ['1.0.0']));
  const single = await run([`one=${file}`, '--package', 'p', '-o', 'json']);
  assert.equal(single.code, 0, single.stderr);
  assert.equal(JSON.parse(single.stdout).bundle.name, 'p.v2.0.0');
  const uncachedDir = join(dir.path, 'uncached');
  await mkdir(join(uncachedDir, 'p'), { recursive: true });
  await writeFile(join(uncachedDir, 'p', 'catalog.json'), packageText('p', ['1.0.0']));
  const before = await readdir(join(cacheDir(), 'catalog-files')).catch(() => []);
  await settle();
  const r = await run([uncachedDir, '--package', 'p', '-o', 'json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await readdir(join(cacheDir(), 'catalog-files')).catch(() => []), before, '--no-cache writes nothing');
});

test('cli-install-cache: the corpus catalog gives the same answer uncached, cold and warm', async () => {
  const catalog = await largeCatalog();
  const cases = [['--package', 'argocd-operator', '--installed', 'argocd-operator.v0.5.0'], ['--package', 'stackgres-community', '--channel', 'stable'], ['--package', 'etcd']];
  for (const [i, args] of cases.entries()) {
    // A cache of its own per case, so each cold run builds the entry.
    const cache = join(dir.path, `corpus-cache-${i}`);
    const uncached = await run([catalog, ...args, '-o', 'json', '--no-cache'], cache);
    const cold = await run([catalog, ...args, '-o', 'json'], cache);
    assert.equal((await readdir(join(cache, 'catalog-files'))).length, 1, 'the cold run wrote the entry');
    const warm = await run([catalog, ...args, '-o', 'json'], cache);
    // etcd resolves but OLM v1 would refuse it (OwnNamespace/SingleNamespace only): the exit code says so, alike each time.
    assert.ok(JSON.parse(uncached.stdout).bundle, `${args.join(' ')}: ${uncached.stderr}`);
    assert.equal(cold.code, uncached.code);
    assert.equal(warm.code, uncached.code);
    assert.equal(cold.stdout, uncached.stdout, `cold: ${args.join(' ')}`);
    assert.equal(warm.stdout, uncached.stdout, `warm: ${args.join(' ')}`);
    assert.equal(warm.stderr, uncached.stderr, `warm stderr: ${args.join(' ')}`);
  }
});
