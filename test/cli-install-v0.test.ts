// gantry install plan for OLM v0 through the shipped CLI: a Subscription by -f and by flags (--olm v0), tree, json
// and yaml, upgrade paths and dependencies, bad input with file:line and exit codes, and the 7,014-bundle corpus.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { largeCatalog } from './corpus.js';

let dir: { path: string; remove(): Promise<void> };
// The catalogs' bundle images are on quay.io, which tests never reach: --offline keeps every run on this machine.
const run = (args: string[]) => runGantry(['install', 'plan', ...args, '--offline'], { cwd: dir.path, env: { GANTRY_CACHE_DIR: join(dir.path, '.cache') } });

interface Entry {
  name: string;
  replaces?: string;
  skipRange?: string;
}
interface Pkg {
  channels: Record<string, Entry[]>;
  bundles: Record<string, { version: string; properties?: { type: string; value: unknown }[] }>;
}

async function writeCatalog(name: string, packages: Record<string, Pkg>): Promise<void> {
  for (const [pkg, spec] of Object.entries(packages)) {
    await mkdir(join(dir.path, name, pkg), { recursive: true });
    const blobs: unknown[] = [{ schema: 'olm.package', name: pkg, defaultChannel: Object.keys(spec.channels)[0] }];
    for (const [ch, entries] of Object.entries(spec.channels)) blobs.push({ schema: 'olm.channel', name: ch, package: pkg, entries });
    for (const [b, { version, properties = [] }] of Object.entries(spec.bundles)) {
      blobs.push({ schema: 'olm.bundle', name: b, package: pkg, image: `quay.io/${name}/${pkg}:${version}`, properties: [{ type: 'olm.package', value: { packageName: pkg, version } }, ...properties] });
    }
    await writeFile(join(dir.path, name, pkg, 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  }
}

const P: Pkg = {
  channels: {
    stable: [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }],
    fast: [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }, { name: 'p.v2.0.0', replaces: 'p.v1.1.0', skipRange: '<2.0.0' }],
  },
  bundles: {
    'p.v1.0.0': { version: '1.0.0' },
    'p.v1.1.0': { version: '1.1.0', properties: [{ type: 'olm.package.required', value: { packageName: 'db', versionRange: '>=1.0.0' } }] },
    'p.v2.0.0': { version: '2.0.0', properties: [{ type: 'olm.gvk.required', value: { group: 'db.example.com', version: 'v1', kind: 'Database' } }, { type: 'olm.package.required', value: { packageName: 'db', versionRange: '>=9.0.0' } }] },
  },
};
const DB: Pkg = {
  channels: { stable: [{ name: 'db.v1.0.0' }, { name: 'db.v1.2.0', replaces: 'db.v1.0.0' }] },
  bundles: { 'db.v1.0.0': { version: '1.0.0' }, 'db.v1.2.0': { version: '1.2.0', properties: [{ type: 'olm.gvk', value: { group: 'db.example.com', kind: 'Database', version: 'v1' } }] } },
};

const SUB = (extra: string, source = 'main') =>
  `apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: my-p\n  namespace: p-ns\nspec:\n  name: p\n  source: ${source}\n  sourceNamespace: openshift-marketplace\n${extra}`;

before(async () => {
  dir = await tempDir('cli-install-v0');
  await writeCatalog('main', { p: P, db: DB });
});

after(async () => {
  await dir.remove();
});

test('cli-install-v0/flags, tree: the default channel head and its dependency', async () => {
  const r = await run(['main', '--olm', 'v0', '--package', 'p']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^p \(OLM v0\): p\.v1\.1\.0 \(1\.1\.0\) from catalog main, channel stable$/m);
  assert.match(r.stdout, /^│  └─ db\.v1\.2\.0 \(1\.2\.0\) of db from catalog main, channel stable: olm\.package\.required db >=1\.0\.0, required by p\.v1\.1\.0$/m);
  assert.match(r.stdout, /upgrade path \(0 steps\)/);
});

test('cli-install-v0/flags, json: the upgrade path from --installed, skipRange taken head-most', async () => {
  const r = await run(['main', '--olm', 'v0', '--package', 'p', '--channel', 'fast', '--installed', 'p.v1.0.0', '--source', 'main', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['olm', 'bundle', 'upgradePath', 'dependencies', 'notes']);
  // p.v2.0.0 is head-most and its skipRange includes 1.0.0, but it needs db >=9.0.0: OLM takes p.v1.1.0 and stops there.
  assert.equal(doc.olm, 'v0');
  assert.deepEqual(doc.upgradePath, [{ from: 'p.v1.0.0', to: 'p.v1.1.0', version: '1.1.0', via: 'replaces' }]);
  assert.equal(doc.bundle.name, 'p.v1.1.0');
  // Both of p.v2.0.0's requirements are named: the GVK's only provider, db 1.x, is outside the package range.
  assert.ok(doc.notes.some((n: string) => n.startsWith('p.v1.1.0 is chosen because p.v2.0.0, ranked before it, cannot install: bundle p.v2.0.0 requires an operator with package: db and with version in range: >=9.0.0')), doc.notes);
  assert.ok(doc.notes.some((n: string) => n.startsWith('p.v1.1.0 stays: no successor can be installed: constraints not satisfiable')), doc.notes);
});

test('cli-install-v0/-f: a Subscription with startingCSV and Manual approval, json and yaml', async () => {
  const file = join(dir.path, 'sub.yaml');
  await writeFile(file, SUB('  channel: fast\n  startingCSV: p.v1.0.0\n  installPlanApproval: Manual\n'));
  const r = await run(['main', '-f', file, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.bundle, { name: 'p.v1.0.0', version: '1.0.0', image: 'quay.io/main/p:1.0.0', catalog: 'main', channel: 'fast' });
  assert.deepEqual(doc.dependencies, []);
  assert.ok(doc.notes.some((n: string) => n.startsWith('installPlanApproval Manual')), doc.notes);
  // -o yaml is the set to apply; the OperatorGroup needs the install modes, which this catalog does not carry.
  const y = await run(['main', '-f', file, '-o', 'yaml']);
  assert.equal(y.code, 1);
  assert.match(y.stderr, /error\[BUNDLE_UNREADABLE\]: .*--offline forbids reading its image/);
  // -f decides by kind: --olm v1 contradicts a Subscription.
  const contra = await run(['main', '-f', file, '--olm', 'v1']);
  assert.equal(contra.code, 2);
  assert.match(contra.stderr, /error\[USAGE\]: --olm v1 does not fit/);
});

test('cli-install-v0/bad input: file:line naming the field, an unknown apiVersion, an unknown package', async () => {
  const missing = join(dir.path, 'missing-source.yaml');
  await writeFile(missing, SUB('', 'redhat-operators'));
  const a = await run(['main', '-f', missing]);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /error\[CONFIG_INVALID\]: .*missing-source\.yaml:8: spec\.source: "redhat-operators" names none of the catalogs given \(main\)/);

  const api = join(dir.path, 'bad-api.yaml');
  await writeFile(api, 'apiVersion: operators.coreos.com/v1\nkind: Subscription\nspec:\n  name: p\n');
  const b = await run(['main', '-f', api]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /bad-api\.yaml:1:\d+: unsupported apiVersion "operators\.coreos\.com\/v1" for Subscription/);
  assert.match(b.stderr, /error\[CONFIG_INVALID\]: .*bad-api\.yaml is not a valid Subscription/);

  const noName = join(dir.path, 'no-name.yaml');
  await writeFile(noName, 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nspec:\n  source: main\n  sourceNamespace: x\n  chanel: fast\n');
  const c = await run(['main', '-f', noName]);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /no-name\.yaml:6:\d+: unknown field "chanel" in spec\n\s+hint: did you mean "channel"\?/);
  assert.match(c.stderr, /no-name\.yaml:4:\d+: spec\.name is required/);

  const unknown = await run(['main', '--olm', 'v0', '--package', 'nope', '-o', 'json']);
  assert.equal(unknown.code, 1);
  assert.equal(JSON.parse(unknown.stdout).error, 'no operators found in package nope in the catalog referenced by subscription nope');
  assert.match(unknown.stderr, /error\[NOT_FOUND\]: no operators found in package nope/);
});

test('cli-install-v0/unsatisfiable dependency and usage errors', async () => {
  const r = await run(['main', '--olm', 'v0', '--package', 'p', '--channel', 'fast', '--starting-csv', 'p.v2.0.0']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^p \(OLM v0\): nothing resolves$/m);
  assert.match(r.stderr, /error\[NOT_FOUND\]: constraints not satisfiable: subscription p exists, subscription p requires main\/fast\/p\.v2\.0\.0, bundle p\.v2\.0\.0 requires an operator with package: db and with version in range: >=9\.0\.0/);

  const cases: [string[], RegExp][] = [
    [['--package', 'p', '--starting-csv', 'p.v1.0.0'], /--starting-csv and --source are Subscription fields/],
    [['--olm', 'v0', '--package', 'p', '--version', '>=1.0.0'], /--version and --upgrade-constraint-policy are ClusterExtension fields/],
    [['--olm', 'v0', '--package', 'p', '--channel', 'a', '--channel', 'b'], /a Subscription has one channel/],
    [['--olm', 'v0', '--package', 'p', '--source', 'nope'], /--source "nope" names none of the catalogs given/],
    [['--olm', 'v9', '--package', 'p'], /--olm must be one of v0, v1/],
  ];
  for (const [args, message] of cases) {
    const u = await run(['main', ...args]);
    assert.equal(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
    assert.match(u.stderr, message);
  }
});

test('cli-install-v0/a Subscription in JSON is a Subscription; an installed bundle no catalog knows; v1-only flags refused', async () => {
  const file = join(dir.path, 'sub.json');
  await writeFile(file, JSON.stringify({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 'my-p', namespace: 'p-ns' }, spec: { name: 'p', source: 'main', sourceNamespace: 'openshift-marketplace' } }));
  const r = await run(['main', '-f', file, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).olm, 'v0');
  const unknown = await run(['main', '--olm', 'v0', '--package', 'p', '--installed', '0.0.1', '-o', 'json']);
  assert.equal(unknown.code, 1);
  assert.equal(JSON.parse(unknown.stdout).bundle, null);
  assert.match(unknown.stderr, /error\[NOT_FOUND\]: the installed bundle version 0\.0\.1 is in none of the catalogs given/);
  const v1only = await run(['main', '--olm', 'v0', '--package', 'p', '--olm-version', '1.10', '--pin-version']);
  assert.equal(v1only.code, 2);
  assert.match(v1only.stderr, /error\[USAGE\]: --olm-version, --pin-version are for OLM v1/);
});

test('cli-install-v0/corpus: rabbitmq-messaging-topology-operator pulls rabbitmq-cluster-operator by package and by GVK', async () => {
  const catalog = await largeCatalog();
  const sub = join(dir.path, 'rabbit.yaml');
  await writeFile(sub, 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: topology\nspec:\n  name: rabbitmq-messaging-topology-operator\n  channel: stable\n  source: community\n  sourceNamespace: openshift-marketplace\n');
  const r = await run([`community=${catalog}`, '-f', sub, '--installed', 'rabbitmq-messaging-topology-operator.v1.17.4', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.bundle.name, 'rabbitmq-messaging-topology-operator.v1.19.3');
  assert.deepEqual(doc.upgradePath.map((s: { to: string; via: string }) => `${s.to}:${s.via}`), [
    'rabbitmq-messaging-topology-operator.v1.18.1:replaces',
    'rabbitmq-messaging-topology-operator.v1.18.2:replaces',
    'rabbitmq-messaging-topology-operator.v1.19.2:replaces',
    'rabbitmq-messaging-topology-operator.v1.19.3:replaces',
  ]);
  const deps = doc.dependencies.map((d: { bundle: string; reason: string }) => `${d.bundle} ${d.reason}`);
  assert.ok(deps.includes('rabbitmq-cluster-operator.v2.22.3 olm.package.required rabbitmq-cluster-operator >2.0.0'), deps);
  assert.ok(deps.includes('rabbitmq-cluster-operator.v2.22.3 olm.gvk.required rabbitmq.com/v1beta1/RabbitmqCluster'), deps);
});
