// Templates end to end: real bundle images (built here from corpus bundle directories) in a real registry,
// rendered through a semver template into a valid catalog.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushImageRaw } from '../src/testing/images.js';
import { buildBundleImage } from '../src/testing/bundle-image.js';
import { CORPUS } from './corpus.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const BUNDLES = join(CORPUS, 'bundles', 'latest-per-package');

let reg: RunningRegistry;
const images: string[] = [];

before(async () => {
  reg = await startRegistry();
  // Two real bundles of one package are not in the corpus (it keeps the newest), so take two packages' bundles
  // and use one package: the semver template needs bundles of the package it names.
  const pkg = 'cat-facts-operator';
  for (const version of await readdir(join(BUNDLES, pkg))) {
    if (version === 'ci.yaml') continue;
    const img = await buildBundleImage(join(BUNDLES, pkg, version), pkg);
    await pushImageRaw(reg.url, `bundles/${pkg}`, `v${version}`, img);
    images.push(`${reg.host}/bundles/${pkg}:v${version}`);
  }
});
after(() => reg?.stop());

test('cli/catalog template semver: bundle images from a real registry → a catalog that validates', async () => {
  const dir = await tempDir('tmpl');
  try {
    const tmpl = join(dir.path, 'semver.yaml');
    await writeFile(tmpl, ['schema: olm.semver', 'generateMajorChannels: true', 'generateMinorChannels: false', 'stable:', '  bundles:', ...images.map((i) => `  - image: ${i}`), ''].join('\n'));
    const r = spawnSync(process.execPath, [BIN, 'catalog', 'template', 'semver', tmpl, '--tls-verify=false'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /"schema": "olm.package",\n {4}"name": "cat-facts-operator",\n {4}"defaultChannel": "stable-v1"/);
    assert.match(r.stdout, /"schema": "olm.channel",\n {4}"name": "stable-v1"/);
    assert.match(r.stdout, new RegExp(`"image": "${images[0]!.replace(/[.]/g, '\\.')}"`));
    const out = join(dir.path, 'catalog.json');
    await writeFile(out, r.stdout);
    const v = spawnSync(process.execPath, [BIN, 'catalog', 'validate', out], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const bad = join(dir.path, 'bad.yaml');
    await writeFile(bad, 'schema: olm.semver\nstable:\n  bundles:\n  - image: 127.0.0.1:1/nothing:here\n');
    const b = spawnSync(process.execPath, [BIN, 'catalog', 'template', bad, '--tls-verify=false', '--retry-times', '0'], { encoding: 'utf8' });
    assert.equal(b.status, 1);
    assert.match(b.stderr, /^error\[CATALOG_INVALID\]: .*bad\.yaml:4: bundle image 127\.0\.0\.1:1\/nothing:here: cannot reach registry/m);
  } finally {
    await dir.remove();
  }
});
