// Templates end to end: real bundle images (built here from corpus bundle directories) in a real registry,
// rendered through a semver template into a valid catalog.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushImageRaw } from '../src/testing/images.js';
import { bundleImageFromDir } from './bundle-image.js';
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
    const img = await bundleImageFromDir(join(BUNDLES, pkg, version), pkg);
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
    // Package metadata from the head bundle's CSV: opm v1.65.0 and later (OPM_REFERENCE_VERSION); v1.26.5 wrote none.
    assert.match(r.stdout, /"defaultChannel": "stable-v1",\n {4}"icon": \{\n {8}"base64data": "[A-Za-z0-9+/=]{20,}",\n {8}"mediatype": "image\/[a-z+]+"\n {4}\},\n {4}"description": "./);
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

test('cli/catalog template basic: the older plain-catalog form (opm v1.26.5) renders the same as olm.template.basic', async () => {
  const dir = await tempDir('tmpl-basic');
  try {
    const pkg = 'cat-facts-operator';
    const blobs = [
      `schema: olm.package\nname: ${pkg}\ndefaultChannel: stable\n`,
      `schema: olm.channel\npackage: ${pkg}\nname: stable\nentries:\n- name: PLACEHOLDER\n`,
      `schema: olm.bundle\nimage: ${images[0]}\n`,
    ];
    const rendered = (args: string[]) => spawnSync(process.execPath, [BIN, 'catalog', 'template', ...args, '--tls-verify=false'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    // The current form, to compare with.
    const current = join(dir.path, 'current.yaml');
    const indent = (b: string) => b.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
    await writeFile(current, `schema: olm.template.basic\nentries:\n${blobs.map(indent).join('\n')}\n`);
    const want = rendered(['basic', current]);
    assert.equal(want.status, 0, want.stderr);
    assert.match(want.stdout, /"schema": "olm\.bundle",\n {4}"name": "cat-facts-operator\.v/);
    const legacy = join(dir.path, 'legacy.yaml');
    await writeFile(legacy, `---\n${blobs.join('---\n')}`);
    for (const args of [['basic', legacy], [legacy]]) {
      const r = rendered(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, want.stdout, args.join(' '));
    }
    // As a JSON stream too, and a bundle entry with more than an image is refused at its line, as opm does.
    await writeFile(join(dir.path, 'legacy.json'), `{"schema":"olm.package","name":"${pkg}","defaultChannel":"stable"}\n{"schema":"olm.bundle","image":"${images[0]}"}\n`);
    const json = rendered(['basic', join(dir.path, 'legacy.json')]);
    assert.equal(json.status, 0, json.stderr);
    await writeFile(join(dir.path, 'bad.yaml'), `---\n${blobs[0]}---\nschema: olm.bundle\nimage: ${images[0]}\npackage: ${pkg}\n`);
    const bad = rendered(['basic', join(dir.path, 'bad.yaml')]);
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /unexpected fields present in basic template bundle \(.*bad\.yaml:6\)/);
    assert.match(bad.stderr, /^error\[CATALOG_INVALID\]: .*bad\.yaml is not a valid template/m);
  } finally {
    await dir.remove();
  }
});
