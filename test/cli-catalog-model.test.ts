// The one catalog model through the shipped CLI: `catalog list/show` and `mirror --dry-run` name the same head
// for a channel opm would refuse (two heads, the older first in the file); channels list in version order; and
// ImageSetConfiguration minBundle (package and channel level) selects from that bundle to the head in plan.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { PLAIN, tempDir, testSession } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
let catalogDir: string;
const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir.path, env: { ...process.env, GANTRY_CACHE_DIR: join(dir.path, 'cache') }, timeout: 120_000 });

// "multi": stable-3.10 has two heads, v3.10.0 first in the file, v3.10.1 the higher version.
// "chain": one channel, 1.0.0 ← 1.1.0 ← 1.2.0.
const MULTI = ['3.6.0', '3.9.0', '3.10.0', '3.10.1'];
const CHAIN = ['1.0.0', '1.1.0', '1.2.0'];

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('cli-model');
  const bundleBlob = async (pkg: string, v: string) => {
    const img = buildImage({ seed: `cli-model-${pkg}-${v}`, layerSizes: [2_000] });
    await pushImageRaw(src.url, `${pkg}/bundle`, `v${v}`, img);
    const image = `${src.host}/${pkg}/bundle@${img.manifest.digest}`;
    return { schema: 'olm.bundle', package: pkg, name: `${pkg}.v${v}`, image, properties: [{ type: 'olm.package', value: { packageName: pkg, version: v } }], relatedImages: [{ name: '', image }] };
  };
  const blobs = [
    { schema: 'olm.package', name: 'multi', defaultChannel: 'stable-3.10' },
    { schema: 'olm.channel', package: 'multi', name: 'stable-3.10', entries: [{ name: 'multi.v3.10.0' }, { name: 'multi.v3.10.1' }] },
    { schema: 'olm.channel', package: 'multi', name: 'stable-3.6', entries: [{ name: 'multi.v3.6.0' }] },
    { schema: 'olm.channel', package: 'multi', name: 'stable-3.9', entries: [{ name: 'multi.v3.6.0' }, { name: 'multi.v3.9.0', replaces: 'multi.v3.6.0' }] },
    ...(await Promise.all(MULTI.map((v) => bundleBlob('multi', v)))),
    { schema: 'olm.package', name: 'chain', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'chain', name: 'stable', entries: CHAIN.map((v, i) => (i === 0 ? { name: `chain.v${v}` } : { name: `chain.v${v}`, replaces: `chain.v${CHAIN[i - 1]}` })) },
    ...(await Promise.all(CHAIN.map((v) => bundleBlob('chain', v)))),
  ];
  const text = blobs.map((b) => JSON.stringify(b, null, 2)).join('\n') + '\n';
  catalogDir = join(dir.path, 'catalog');
  await mkdir(catalogDir);
  await writeFile(join(catalogDir, 'catalog.json'), text);
  const session = testSession();
  try {
    await buildCatalogImage({ catalog: createMemoryTree({ 'catalog.json': text }), base: 'scratch', dest: session.store(src.host, 'catalogs/model', PLAIN), tag: 'v1' });
  } finally {
    await session.close();
  }
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

/** Writes an ImageSetConfiguration whose packages section is `packages` (YAML lines), dry-runs it, returns plan.json. */
async function dryRun(name: string, apiVersion: string, packages: string[]) {
  await writeFile(
    join(dir.path, `${name}.yaml`),
    [`apiVersion: mirror.openshift.io/${apiVersion}`, 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${src.host}/catalogs/model:v1`, '    packages:', ...packages.map((l) => `    ${l}`), ''].join('\n'),
  );
  const ws = join(dir.path, `ws-${name}`);
  const r = run(['mirror', '-c', join(dir.path, `${name}.yaml`), '--src-tls-verify=false', '--dest-tls-verify=false', '--plain', `docker://${dst.host}/m`, '--dry-run', '--workspace', ws]);
  const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8').catch(() => '{}')) as { images?: { source: string; reasons: { bundle?: string }[] }[]; issues?: { code: string; message: string }[] };
  const bundles = [...new Set((plan.images ?? []).flatMap((i) => i.reasons.map((x) => x.bundle)).filter((b): b is string => b !== undefined))].sort();
  return { r, plan, bundles };
}

test('cli-model/catalog list channels, show and mirror --dry-run name the same head, by the documented rule', async () => {
  const channels = run(['catalog', 'list', 'channels', catalogDir, '-p', 'multi', '-o', 'json']);
  assert.equal(channels.status, 0, channels.stderr);
  const rows = JSON.parse(channels.stdout) as { channel: string; head: string }[];
  assert.deepEqual(rows.map((c) => [c.channel, c.head]), [['stable-3.6', 'multi.v3.6.0'], ['stable-3.9', 'multi.v3.9.0'], ['stable-3.10', 'multi.v3.10.1']]);
  const packages = JSON.parse(run(['catalog', 'list', 'packages', catalogDir, '-o', 'json']).stdout) as { package: string; head: string }[];
  assert.equal(packages.find((p) => p.package === 'multi')?.head, 'multi.v3.10.1');
  const show = run(['catalog', 'show', catalogDir, 'multi']);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /stable-3\.6 +multi\.v3\.6\.0 .*\n.*stable-3\.9 +multi\.v3\.9\.0 .*\n.*stable-3\.10 \(default\) +multi\.v3\.10\.1 /);
  const bundles = JSON.parse(run(['catalog', 'list', 'bundles', catalogDir, '-p', 'multi', '-o', 'json']).stdout) as { bundle: string; channels: string[] }[];
  assert.deepEqual(bundles.find((b) => b.bundle === 'multi.v3.6.0')?.channels, ['stable-3.6', 'stable-3.9'], 'a bundle lists its channels in channel order');

  const { r, plan, bundles: planned } = await dryRun('heads', 'v2alpha1', ['- name: multi']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(planned, ['multi.v3.10.1', 'multi.v3.6.0', 'multi.v3.9.0'], JSON.stringify(plan.issues));
  assert.match(r.stderr, /stable-3\.10.*several heads \(multi\.v3\.10\.0, multi\.v3\.10\.1\); the highest version, "multi\.v3\.10\.1", is taken/);
});

test('cli-model/mirror --dry-run: package-level minBundle selects from that bundle up to the head', async () => {
  const { r, bundles } = await dryRun('min-pkg', 'v1alpha2', ['- name: chain', '  minBundle: chain.v1.1.0']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(bundles, ['chain.v1.1.0', 'chain.v1.2.0']);
});

test('cli-model/mirror --dry-run: channel-level minBundle, and an unknown one is an error, not the head', async () => {
  const ch = await dryRun('min-ch', 'v1alpha2', ['- name: chain', '  channels:', '  - name: stable', '    minBundle: chain.v1.0.0']);
  assert.equal(ch.r.status, 0, ch.r.stderr);
  assert.deepEqual(ch.bundles, ['chain.v1.0.0', 'chain.v1.1.0', 'chain.v1.2.0']);
  const bad = await dryRun('min-bad', 'v1alpha2', ['- name: chain', '  minBundle: chain.v9.9.9']);
  assert.equal(bad.r.status, 1, bad.r.stderr);
  assert.match(bad.r.stderr, /package "chain" has no bundle "chain\.v9\.9\.9" \(its minBundle\)/);
  assert.deepEqual(bad.bundles, [], 'nothing selected instead');
  assert.doesNotMatch(bad.r.stderr, /\n\s+at /);
});
