// gantry install plan's OLM v1 check through the shipped CLI: hand-made catalogs (install modes in olm.csv.metadata,
// a dependency property) and a webhook bundle whose CSV only its image in a real registry has (read once, then cached).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushImageRaw } from '../src/testing/images.js';
import { bundleImageFromDir } from './bundle-image.js';
import { CORPUS } from './corpus.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

// tempo-operator 0.22.0 supports AllNamespaces and defines admission webhooks (its CSV says so; olm.csv.metadata does not).
const TEMPO = { pkg: 'tempo-operator', version: '0.22.0' };

let reg: RunningRegistry;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
const catalogs: Record<string, string> = {};

const modes = (supported: string[]) => ['AllNamespaces', 'MultiNamespace', 'OwnNamespace', 'SingleNamespace'].map((type) => ({ type, supported: supported.includes(type) }));

async function writeCatalog(name: string, pkg: string, version: string, image: string, properties: unknown[]): Promise<void> {
  const dir = join(work.path, name);
  await mkdir(join(dir, pkg), { recursive: true });
  const bundle = `${pkg}.v${version}`;
  const blobs = [
    { schema: 'olm.package', name: pkg, defaultChannel: 'stable' },
    { schema: 'olm.channel', package: pkg, name: 'stable', entries: [{ name: bundle }] },
    { schema: 'olm.bundle', package: pkg, name: bundle, image, properties: [{ type: 'olm.package', value: { packageName: pkg, version } }, ...properties] },
  ];
  await writeFile(join(dir, pkg, 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  catalogs[name] = dir;
}

const plan = (catalog: string, pkg: string, ...flags: string[]) => runGantry(['install', 'plan', catalogs[catalog]!, '--package', pkg, ...flags], { env });
const json = (stdout: string) => JSON.parse(stdout) as { bundle: { name: string } | null; check: { olmVersion: string; installable: boolean | null; reasons: { code: string; message: string }[]; notes: string[] } };

before(async () => {
  reg = await startRegistry();
  work = await tempDir('install-check');
  env = { GANTRY_CACHE_DIR: join(work.path, 'cache') };
  const img = await bundleImageFromDir(join(CORPUS, 'bundles', 'latest-per-package', TEMPO.pkg, TEMPO.version), TEMPO.pkg);
  await pushImageRaw(reg.url, `bundles/${TEMPO.pkg}`, `v${TEMPO.version}`, img);
  // No install modes in the catalog: the check needs the image for them and for the webhooks.
  await writeCatalog('hooks', TEMPO.pkg, TEMPO.version, `${reg.host}/bundles/${TEMPO.pkg}:v${TEMPO.version}`, [{ type: 'olm.csv.metadata', value: { displayName: 'Tempo' } }]);
  const nowhere = 'registry.invalid/p:1';
  await writeCatalog('deps', 'p', '1.0.0', nowhere, [
    { type: 'olm.csv.metadata', value: { installModes: modes(['AllNamespaces']) } },
    { type: 'olm.gvk.required', value: { group: 'g.io', version: 'v1', kind: 'K' } },
  ]);
  // The whole CSV in the catalog (olm.bundle.object): install modes and webhooks without the image.
  const csv = { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'p.v1.0.0' }, spec: { installModes: modes(['OwnNamespace', 'SingleNamespace']) } };
  await writeCatalog('own', 'p', '1.0.0', nowhere, [{ type: 'olm.bundle.object', value: { data: Buffer.from(JSON.stringify(csv)).toString('base64') } }]);
  // Every manifest in the catalog: OLM v1's bundle validators run, here on two deployments of one name.
  const twice = { ...csv, spec: { installModes: modes(['AllNamespaces']), install: { strategy: 'deployment', spec: { deployments: [{ name: 'op', spec: {} }, { name: 'op', spec: {} }] } } } };
  await writeCatalog('twice', 'p', '1.0.0', nowhere, [{ type: 'olm.bundle.object', value: { data: Buffer.from(JSON.stringify(twice)).toString('base64') } }]);
});
after(async () => {
  await reg?.stop();
  await work?.remove();
});

test('cli-install-check/a webhook bundle: its image is read once, then the cache answers; the OLM version decides', async () => {
  const first = await plan('hooks', TEMPO.pkg, '-o', 'json', '--tls-verify=false');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^read 1 bundle image \(0 from cache\)$/m);
  const doc = json(first.stdout);
  assert.deepEqual(Object.keys(doc), ['bundle', 'conditions', 'rejected', 'check']);
  assert.deepEqual([doc.check.olmVersion, doc.check.installable, doc.check.reasons], ['1.10', true, []]);
  assert.ok(doc.check.notes.some((n) => /cert-manager/.test(n)), doc.check.notes.join('\n'));

  const second = await plan('hooks', TEMPO.pkg, '-o', 'json', '--tls-verify=false');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /^read 1 bundle image \(1 from cache\)$/m);
  assert.deepEqual(json(second.stdout).check, doc.check);

  // OpenShift 4.17's tech-preview OLM v1 refused every webhook: the plan is printed, and the exit code says no.
  const old = await plan('hooks', TEMPO.pkg, '-o', 'json', '--tls-verify=false', '--olm-version', 'ocp-4.17');
  assert.equal(old.code, 1, old.stderr);
  assert.equal(json(old.stdout).bundle?.name, `${TEMPO.pkg}.v${TEMPO.version}`);
  assert.equal(json(old.stdout).check.installable, false);
  assert.deepEqual(json(old.stdout).check.reasons.map((r) => r.code), ['WEBHOOKS_UNSUPPORTED']);
  assert.match(old.stderr, /^error\[NOT_INSTALLABLE\]: OLM v1 ocp-4\.17 would not install tempo-operator\.v0\.22\.0: unsupported bundle: webhookDefinitions are not supported/m);
  // v1.5 had webhooks behind alpha gates; turning one on makes it installable.
  assert.equal((await plan('hooks', TEMPO.pkg, '--tls-verify=false', '--olm-version', 'v1.5.0')).code, 1);
  assert.equal((await plan('hooks', TEMPO.pkg, '--tls-verify=false', '--olm-version', 'v1.5.0', '--feature-gate', 'WebhookProviderCertManager')).code, 0);

  const tree = await plan('hooks', TEMPO.pkg, '--tls-verify=false');
  assert.match(tree.stdout, /^├─ rejected \(0\)$/m);
  assert.match(tree.stdout, /^└─ check \(OLM v1 1\.10\): installable$/m);
});

test('cli-install-check/catalog queries judge with the same rules and the same --olm-version', async () => {
  const list = (...flags: string[]) => runGantry(['catalog', 'list', 'bundles', catalogs.hooks!, '-o', 'json', '--tls-verify=false', ...flags], { env });
  const now = await list('--olm-v1');
  assert.equal(now.code, 0, now.stderr);
  assert.deepEqual((JSON.parse(now.stdout) as { bundle: string; olmV1: boolean }[]).map((r) => [r.bundle, r.olmV1]), [['tempo-operator.v0.22.0', true]]);
  // The image (from the cache now) shows webhooks, which OpenShift 4.17's OLM v1 refused.
  const old = await list('--olm-v1', '--olm-version', 'ocp-4.17');
  assert.equal(old.code, 0, old.stderr);
  assert.match(old.stderr, /^read 1 bundle image \(1 from cache\)$/m);
  assert.deepEqual(JSON.parse(old.stdout), []);
  const deps = await runGantry(['catalog', 'list', 'bundles', catalogs.deps!, '-o', 'json'], { env });
  assert.deepEqual((JSON.parse(deps.stdout) as { olmV1Problems: string[] }[])[0]!.olmV1Problems, ['bundle "p.v1.0.0" has a dependency declared via property "olm.gvk.required" which is currently not supported']);
});

test('cli-install-check/--offline answers from the catalog alone: webhooks unknown, installable unknown, exit 0', async () => {
  const r = await plan('hooks', TEMPO.pkg, '-o', 'json', '--offline');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /read \d+ bundle image/);
  assert.equal(json(r.stdout).check.installable, null);
  assert.ok(json(r.stdout).check.notes.some((n) => /--offline/.test(n)));
  assert.match(r.stderr, /^warning: whether OLM v1 1\.10 would install tempo-operator\.v0\.22\.0 is unknown: /m);
});

test('cli-install-check/a dependency property: refused in operator-controller words, without reading the image', async () => {
  const r = await plan('deps', 'p');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^└─ check \(OLM v1 1\.10\): not installable$/m);
  assert.match(r.stdout, /DEPENDENCY_UNSUPPORTED: bundle "p\.v1\.0\.0" has a dependency declared via property "olm\.gvk\.required" which is currently not supported$/m);
  assert.doesNotMatch(r.stderr, /read \d+ bundle image/);
  assert.match(r.stderr, /^error\[NOT_INSTALLABLE\]: /m);
});

test('cli-install-check/install modes and webhooks from a CSV in the catalog: no AllNamespaces, then --watch-namespace where the release supports it', async () => {
  const all = await plan('own', 'p', '-o', 'json');
  assert.equal(all.code, 1, all.stderr);
  assert.deepEqual(json(all.stdout).check.reasons, [{ code: 'INSTALL_MODE_UNSUPPORTED', message: 'supported install modes [OwnNamespace SingleNamespace] do not support targeting all namespaces' }]);
  const alpha = await plan('own', 'p', '-o', 'json', '--watch-namespace', 'team-a');
  assert.equal(alpha.code, 1, alpha.stderr);
  assert.deepEqual(json(alpha.stdout).check.reasons.map((r) => r.code), ['WATCH_NAMESPACE_UNSUPPORTED']);
  const ga = await plan('own', 'p', '-o', 'json', '--watch-namespace', 'team-a', '--olm-version', '1.8');
  assert.equal(ga.code, 0, ga.stderr);
  assert.doesNotMatch(ga.stderr, /read \d+ bundle image/);
  assert.equal(json(ga.stdout).check.installable, true);
});

test('cli-install-check/the bundle validators run when the catalog carries every manifest', async () => {
  const r = await plan('twice', 'p', '-o', 'json');
  assert.equal(r.code, 1);
  const check = json(r.stdout).check;
  assert.equal(check.installable, false);
  assert.ok(check.reasons.some((x) => x.code === 'deployment-duplicate' && /duplicate strategy deployment spec 'op'/.test(x.message)), JSON.stringify(check.reasons));
  assert.match(r.stderr, /error\[NOT_INSTALLABLE\]/);
});

test('cli-install-check/a bad --olm-version or --feature-gate is a usage error naming the known values, before any work', async () => {
  const r = await plan('deps', 'p', '--olm-version', '1.99');
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error\[USAGE\]: --olm-version "1\.99" is not an OLM v1 version gantry knows/m);
  assert.match(r.stderr, /1\.10, 1\.11, ocp-4\.16, ocp-4\.17/);
  const gate = await plan('deps', 'p', '--feature-gate', 'WebhookProviderCertManger');
  assert.equal(gate.code, 2);
  assert.match(gate.stderr, /^error\[USAGE\]: --feature-gate "WebhookProviderCertManger" is not a gate the install check knows/m);
});
