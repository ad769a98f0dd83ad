// gantry install plan through the shipped CLI: flags and -f (v1, v1alpha1), tree/json/yaml, named catalogs and
// priorities, the tie error, deprecation conditions, bad input (exit codes, file:line), and the 7,014-bundle corpus.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { largeCatalog } from './corpus.js';

let dir: { path: string; remove(): Promise<void> };
// A cache of its own: install plan writes the catalog index cache, which must not land in the user's.
// The catalogs' bundle images are on quay.io, which tests never reach: --offline keeps every run on this machine.
const run = (args: string[]) => runGantry(['install', 'plan', ...args, '--offline'], { cwd: dir.path, env: { GANTRY_CACHE_DIR: join(dir.path, '.cache') } });

interface Entry {
  name: string;
  replaces?: string;
  skipRange?: string;
}

async function writeCatalog(name: string, channels: Record<string, Entry[]>, versions: Record<string, string>, deprecations: { schema: string; name?: string; message: string }[] = []): Promise<string> {
  const path = join(dir.path, name);
  await mkdir(join(path, 'p'), { recursive: true });
  const blobs: unknown[] = [{ schema: 'olm.package', name: 'p', defaultChannel: Object.keys(channels)[0] }];
  for (const [ch, entries] of Object.entries(channels)) blobs.push({ schema: 'olm.channel', name: ch, package: 'p', entries });
  for (const [b, version] of Object.entries(versions)) {
    blobs.push({ schema: 'olm.bundle', name: b, package: 'p', image: `quay.io/${name}/p:${version}`, properties: [{ type: 'olm.package', value: { packageName: 'p', version } }] });
  }
  if (deprecations.length > 0) {
    blobs.push({ schema: 'olm.deprecations', package: 'p', entries: deprecations.map((d) => ({ reference: { schema: d.schema, ...(d.name ? { name: d.name } : {}) }, message: d.message })) });
  }
  await writeFile(join(path, 'p', 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  return path;
}

const CHAIN = { 'p.v1.0.0': '1.0.0', 'p.v1.1.0': '1.1.0', 'p.v1.2.0': '1.2.0', 'p.v2.0.0': '2.0.0' };
const STABLE: Entry[] = [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }, { name: 'p.v1.2.0', replaces: 'p.v1.1.0' }];
const FAST: Entry[] = [...STABLE, { name: 'p.v2.0.0', replaces: 'p.v1.2.0' }];

before(async () => {
  dir = await tempDir('cli-install');
  await writeCatalog('main', { stable: STABLE, fast: FAST }, CHAIN, [
    { schema: 'olm.channel', name: 'fast', message: 'fast is retired' },
    { schema: 'olm.bundle', name: 'p.v1.2.0', message: 'p.v1.2.0 has a CVE' },
  ]);
  await writeCatalog('other', { stable: [{ name: 'p.v9.0.0' }] }, { 'p.v9.0.0': '9.0.0' });
});

after(async () => {
  await dir.remove();
});

test('cli-install/tree: the choice, the conditions and each rejected candidate with its reason', async () => {
  const r = await run(['main', '--package', 'p', '--channel', 'stable']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^p: p\.v1\.1\.0 \(1\.1\.0\) from catalog main$/m);
  assert.match(r.stdout, /main\/p\.v1\.2\.0 1\.2\.0: deprecated/);
  assert.match(r.stdout, /main\/p\.v2\.0\.0 2\.0\.0: channel/);
  assert.match(r.stdout, /main\/p\.v1\.0\.0 1\.0\.0: lower-version/);
  assert.match(r.stdout, /BundleDeprecated=False \(NotDeprecated\): bundle not deprecated/);
});

test('cli-install/json: bundle, conditions, rejected; successors of --installed without a chain walk', async () => {
  const r = await run(['main', '--package', 'p', '--installed', 'p.v1.0.0', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['bundle', 'conditions', 'rejected', 'check']);
  assert.deepEqual(doc.bundle, { name: 'p.v1.1.0', version: '1.1.0', image: 'quay.io/main/p:1.1.0', catalog: 'main' });
  const reasons = Object.fromEntries(doc.rejected.map((x: { bundle: string; reason: string }) => [x.bundle, x.reason]));
  assert.deepEqual(reasons, { 'p.v1.0.0': 'lower-version', 'p.v1.2.0': 'not-successor', 'p.v2.0.0': 'not-successor' });
  // No channels named: every deprecated channel is reported.
  const channel = doc.conditions.find((c: { type: string }) => c.type === 'ChannelDeprecated');
  assert.deepEqual(channel, { type: 'ChannelDeprecated', status: 'True', reason: 'Deprecated', message: 'fast is retired' });
  const lifted = JSON.parse((await run(['main', '--package', 'p', '--installed', '1.0.0', '--upgrade-constraint-policy', 'SelfCertified', '-o', 'json'])).stdout);
  assert.equal(lifted.bundle.name, 'p.v2.0.0');
});

test('cli-install/a version range; -o yaml needs the bundle manifests, which --offline cannot read here', async () => {
  const r = await run(['main', '--package', 'p', '--version', '>=1.0.0, <2.0.0 || ^9', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.bundle.name, 'p.v1.1.0');
  assert.equal(doc.rejected.find((x: { bundle: string }) => x.bundle === 'p.v2.0.0').reason, 'outside-range');
  const y = await run(['main', '--package', 'p', '--version', '>=1.0.0, <2.0.0 || ^9', '-o', 'yaml']);
  assert.equal(y.code, 1);
  assert.match(y.stderr, /error\[BUNDLE_UNREADABLE\]: the catalog does not carry p\.v1\.1\.0's manifests/);
  assert.match(y.stderr, /hint: drop --offline/);
});

test('cli-install/catalogs: NAME=SOURCE and --priority; the tie error exits 1 with bundle null', async () => {
  const high = await run(['main', `o=${join(dir.path, 'other')}`, '--priority', 'main=5', '--package', 'p', '--channel', 'stable', '-o', 'json']);
  assert.equal(high.code, 0, high.stderr);
  assert.equal(JSON.parse(high.stdout).bundle.catalog, 'main');
  assert.equal(JSON.parse(high.stdout).rejected.find((x: { catalog: string }) => x.catalog === 'o').reason, 'other-catalog');

  const tie = await run(['main', `o=${join(dir.path, 'other')}`, '--package', 'p', '--channel', 'stable', '-o', 'json']);
  assert.equal(tie.code, 1);
  const doc = JSON.parse(tie.stdout);
  assert.equal(doc.bundle, null);
  assert.equal(doc.error, 'found bundles for package "p" in channels [stable] in multiple catalogs with the same priority [main o]');
  assert.match(tie.stderr, /error\[NOT_FOUND\]: found bundles for package "p"/);

  const unknown = await run(['main', '--priority', 'nope=1', '--package', 'p']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /error\[USAGE\]: --priority names catalog "nope"/);
});

test('cli-install/nothing resolves: operator-controller wording, exit 1', async () => {
  const r = await run(['main', '--package', 'p', '--installed', 'p.v1.0.0', '--version', '>=2.0.0', '--channel', 'stable']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error upgrading from currently installed version "1\.0\.0": no bundles found for package "p" matching version ">=2\.0\.0" in channels \[stable\]/);
  const missing = await run(['main', '--package', 'nope', '-o', 'json']);
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).error, 'no bundles found for package "nope"');
});

test('cli-install/bad ranges are usage errors: hyphen (refused by the CRD) and garbage', async () => {
  const hyphen = await run(['main', '--package', 'p', '--version', '1.0 - 2.0']);
  assert.equal(hyphen.code, 2);
  assert.match(hyphen.stderr, /error\[USAGE\]: invalid version range "1\.0 - 2\.0": invalid version expression/);
  const bad = await run(['main', '--package', 'p', '--version', 'latest']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /desired version range "latest" is invalid: improper constraint: latest/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test('cli-install/-f: v1 and v1alpha1 ClusterExtensions, and file:line errors', async () => {
  const v1 = join(dir.path, 'v1.yaml');
  await writeFile(v1, 'apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nmetadata:\n  name: p\nspec:\n  namespace: p\n  serviceAccount:\n    name: p-installer\n  source:\n    sourceType: Catalog\n    catalog:\n      packageName: p\n      channels: [stable]\n      version: "~1.0"\n');
  const a = await run(['main', '-f', v1, '-o', 'json']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(JSON.parse(a.stdout).bundle.name, 'p.v1.0.0');

  const alpha = join(dir.path, 'alpha.yaml');
  await writeFile(alpha, 'apiVersion: olm.operatorframework.io/v1alpha1\nkind: ClusterExtension\nmetadata:\n  name: p\nspec:\n  packageName: p\n  channel: fast\n  installNamespace: p\n  serviceAccount:\n    name: p-installer\n');
  const b = await run(['main', '-f', alpha, '-o', 'json']);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(JSON.parse(b.stdout).bundle.name, 'p.v2.0.0');

  const badApi = join(dir.path, 'bad-api.yaml');
  await writeFile(badApi, 'apiVersion: olm.operatorframework.io/v9\nkind: ClusterExtension\nspec: {}\n');
  const c = await run(['main', '-f', badApi]);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /bad-api\.yaml:1:\d+: unsupported apiVersion "olm\.operatorframework\.io\/v9"/);
  assert.match(c.stderr, /error\[CONFIG_INVALID\]/);

  const badRange = join(dir.path, 'bad-range.yaml');
  await writeFile(badRange, 'apiVersion: olm.operatorframework.io/v1alpha1\nkind: ClusterExtension\nspec:\n  packageName: p\n  version: "1 - 2"\n');
  const d = await run(['main', '-f', badRange]);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /bad-range\.yaml:5: spec\.version: invalid version range "1 - 2"/);

  const both = await run(['main', '-f', v1, '--package', 'p']);
  assert.equal(both.code, 2);
});

test('cli-install/corpus: argocd-operator in the 7,014-bundle catalog', async () => {
  const catalog = await largeCatalog();
  const r = await run([`community=${catalog}`, '--package', 'argocd-operator', '--installed', 'argocd-operator.v0.5.0', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  // v0.7.0 replaces v0.5.0 in alpha; nothing else names v0.5.0, so v0.8.0 and the head v0.18.0 are not successors.
  assert.equal(doc.bundle.name, 'argocd-operator.v0.7.0');
  assert.equal(doc.bundle.catalog, 'community');
  assert.equal(doc.rejected.find((x: { bundle: string }) => x.bundle === 'argocd-operator.v0.8.0').reason, 'not-successor');
  assert.equal(doc.rejected.find((x: { bundle: string }) => x.bundle === 'argocd-operator.v0.18.0').reason, 'not-successor');
  const latest = JSON.parse((await run([catalog, '--package', 'argocd-operator', '--channel', 'alpha', '-o', 'json'])).stdout);
  assert.equal(latest.bundle.catalog, 'community-operators-prod-all');
  assert.equal(latest.bundle.name, 'argocd-operator.v0.18.0');
});
