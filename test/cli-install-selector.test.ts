// install plan -f with spec.source.catalog.selector through the shipped CLI: catalogs picked by their name label and
// by --catalog-label, a selector matching none gives operator-controller's error, and bad labels are usage errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let dir: { path: string; remove(): Promise<void> };
// The catalogs' bundle images are on quay.io, which tests never reach: --offline keeps every run on this machine.
const run = (args: string[]) => runGantry(['install', 'plan', ...args, '--offline'], { cwd: dir.path, env: { GANTRY_CACHE_DIR: join(dir.path, '.cache') } });

async function writeCatalog(name: string, version: string): Promise<string> {
  const path = join(dir.path, name);
  await mkdir(join(path, 'p'), { recursive: true });
  const blobs = [
    { schema: 'olm.package', name: 'p', defaultChannel: 'stable' },
    { schema: 'olm.channel', name: 'stable', package: 'p', entries: [{ name: `p.v${version}` }] },
    { schema: 'olm.bundle', name: `p.v${version}`, package: 'p', image: `quay.io/${name}/p:${version}`, properties: [{ type: 'olm.package', value: { packageName: 'p', version } }] },
  ];
  await writeFile(join(path, 'p', 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  return path;
}

async function extension(file: string, selector: string): Promise<string> {
  const path = join(dir.path, file);
  await writeFile(path, `apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nmetadata:\n  name: p\nspec:\n  namespace: p\n  serviceAccount:\n    name: p-installer\n  source:\n    sourceType: Catalog\n    catalog:\n      packageName: p\n      channels: [stable]\n      selector:\n${selector}`);
  return path;
}

before(async () => {
  dir = await tempDir('cli-install-selector');
  await writeCatalog('redhat', '1.0.0');
  await writeCatalog('community', '2.0.0');
});

after(async () => {
  await dir.remove();
});

test('cli-install-selector: -f with a selector picks catalogs by name label and by --catalog-label', async () => {
  // Without a selector the two catalogs tie (same priority): the selector is what settles it.
  const none = await extension('none.yaml', '        {}\n');
  const tie = await run(['redhat', 'community', '-f', none, '-o', 'json']);
  assert.equal(tie.code, 1);
  assert.match(JSON.parse(tie.stdout).error, /in multiple catalogs with the same priority \[community redhat\]$/);

  const byName = await extension('by-name.yaml', '        matchLabels:\n          olm.operatorframework.io/metadata.name: redhat\n');
  const a = await run(['redhat', 'community', '-f', byName, '-o', 'json']);
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual([JSON.parse(a.stdout).bundle.name, JSON.parse(a.stdout).bundle.catalog], ['p.v1.0.0', 'redhat']);

  const byLabel = await extension('by-label.yaml', '        matchExpressions:\n          - key: example.com/tier\n            operator: NotIn\n            values: [certified]\n');
  const b = await run(['redhat', 'community', '--catalog-label', 'redhat:example.com/tier=certified', '-f', byLabel, '-o', 'json']);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(JSON.parse(b.stdout).bundle.catalog, 'community');
});

test('cli-install-selector: a selector that matches no catalog gives operator-controller\'s error and names the labels', async () => {
  const nothing = await extension('nothing.yaml', '        matchLabels:\n          olm.operatorframework.io/metadata.name: certified-operators\n');
  const r = await run(['redhat', 'community', '-f', nothing]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[NOT_FOUND\]: no bundles found for package "p" in channels \[stable\]$/m);
  assert.match(r.stderr, /hint: spec\.source\.catalog\.selector matches none of the catalogs given \(redhat \{"olm\.operatorframework\.io\/metadata\.name":"redhat"\}, community /);
});

test('cli-install-selector: bad selectors (file:line) and bad --catalog-label values', async () => {
  const bad = await extension('bad.yaml', '        matchExpressions:\n          - key: tier\n            operator: Exists\n            values: [x]\n');
  const r = await run(['redhat', '-f', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.yaml:\d+:\d+: values must be empty when operator is Exists/);
  const form = await run(['redhat', '--package', 'p', '--catalog-label', 'redhat=tier']);
  assert.equal(form.code, 2);
  assert.match(form.stderr, /error\[USAGE\]: --catalog-label "redhat=tier" must be NAME:KEY=VALUE/);
  const unknown = await run(['redhat', '--package', 'p', '--catalog-label', 'other:tier=x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--catalog-label names catalog "other", which is not given/);
  const nameLabel = await run(['redhat', '--package', 'p', '--catalog-label', 'redhat:olm.operatorframework.io/metadata.name=x']);
  assert.equal(nameLabel.code, 2);
});
