// install plan -o yaml and install check-rbac through the shipped CLI: a real bundle (etcd, cluster permissions)
// as an image in a real registry; the OLM v1 set (Namespace, installer SA + RBAC, ClusterExtension) for the default,
// a v1.11+ and a v1alpha1 target; the OLM v0 set; and check-rbac accepting the generated RBAC and naming what a
// hand-trimmed one lacks in the pre-flight's words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushImageRaw } from '../src/testing/images.js';
import { bundleImageFromDir } from './bundle-image.js';
import { CORPUS } from './corpus.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

const BUNDLE_DIR = join(CORPUS, 'bundles', 'latest-per-package', 'etcd', '0.9.4-clusterwide');
const CSV = 'etcdoperator.v0.9.4-clusterwide';
const modes = (supported: string[]) => ['AllNamespaces', 'MultiNamespace', 'OwnNamespace', 'SingleNamespace'].map((type) => ({ type, supported: supported.includes(type) }));

let reg: RunningRegistry;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let catalog: string;
let image: string;

const gantry = (args: string[]) => runGantry(args, { env, cwd: work.path });
const plan = (...flags: string[]) => gantry(['install', 'plan', `main=${catalog}`, '--package', 'etcd', '--tls-verify=false', ...flags]);
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; rules?: unknown[] };
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);

before(async () => {
  reg = await startRegistry();
  work = await tempDir('install-set');
  env = { GANTRY_CACHE_DIR: join(work.path, 'cache') };
  await pushImageRaw(reg.url, 'bundles/etcd', 'v0.9.4', await bundleImageFromDir(BUNDLE_DIR, 'etcd'));
  image = `${reg.host}/bundles/etcd:v0.9.4`;
  catalog = join(work.path, 'main');
  await mkdir(join(catalog, 'etcd'), { recursive: true });
  const blobs = [
    { schema: 'olm.package', name: 'etcd', defaultChannel: 'clusterwide-alpha' },
    { schema: 'olm.channel', package: 'etcd', name: 'clusterwide-alpha', entries: [{ name: CSV }] },
    { schema: 'olm.bundle', package: 'etcd', name: CSV, image, properties: [{ type: 'olm.package', value: { packageName: 'etcd', version: '0.9.4-clusterwide' } }, { type: 'olm.csv.metadata', value: { installModes: modes(['AllNamespaces', 'OwnNamespace']) } }] },
  ];
  await writeFile(join(catalog, 'etcd', 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
});
after(async () => {
  await reg?.stop();
  await work?.remove();
});

test('cli-install-set/v1: Namespace, installer ServiceAccount with commented RBAC, the ClusterExtension as asked', async () => {
  const r = await plan('--channel', 'clusterwide-alpha', '--version', '0.9.4-clusterwide', '--namespace', 'etcd-system', '-o', 'yaml');
  assert.equal(r.code, 0, r.stderr);
  const objs = docs(r.stdout);
  assert.deepEqual(objs.map((o) => o.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ClusterExtension']);
  assert.deepEqual(objs[1]!.metadata, { name: 'etcd-installer', namespace: 'etcd-system' });
  const ce = objs.at(-1)!;
  assert.deepEqual(ce.spec, { namespace: 'etcd-system', serviceAccount: { name: 'etcd-installer' }, source: { sourceType: 'Catalog', catalog: { packageName: 'etcd', channels: ['clusterwide-alpha'], version: '0.9.4-clusterwide' } } });
  // Each rule is explained: the comments name bundle objects (the CRDs the installer creates).
  assert.match(r.stdout, /^ *# .*customresourcedefinition.*etcdclusters\.etcd\.database\.coreos\.com/im);
  assert.match(r.stdout, /^# gantry install plan: etcd resolves to etcdoperator\.v0\.9\.4-clusterwide/m);
  // Byte-stable, and --pin-version pins the resolved version.
  assert.equal((await plan('--channel', 'clusterwide-alpha', '--version', '0.9.4-clusterwide', '--namespace', 'etcd-system', '-o', 'yaml')).stdout, r.stdout);
  const pinned = docs((await plan('--namespace', 'etcd-system', '--pin-version', '-o', 'yaml')).stdout).at(-1)!;
  assert.equal((pinned.spec!.source as { catalog: { version: string } }).catalog.version, '0.9.4-clusterwide');
});

test('cli-install-set/check-rbac accepts the generated RBAC and names what a trimmed one lacks', async () => {
  const r = await plan('--namespace', 'etcd-system', '-o', 'yaml');
  assert.equal(r.code, 0, r.stderr);
  const full = join(work.path, 'set.yaml');
  await writeFile(full, r.stdout);
  const ok = await gantry(['install', 'check-rbac', BUNDLE_DIR, '-f', full, '--namespace', 'etcd-system', '--name', 'etcd']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /ServiceAccount etcd-system\/etcd-installer may install etcdoperator\.v0\.9\.4-clusterwide/);
  // Without the ClusterRole's first rule, something the bundle needs is no longer allowed (read from the image this time).
  const objs = docs(r.stdout);
  const role = objs.find((o) => o.kind === 'ClusterRole')!;
  role.rules = role.rules!.slice(1);
  const trimmed = join(work.path, 'trimmed.yaml');
  await writeFile(trimmed, objs.map((o) => JSON.stringify(o)).join('\n---\n'));
  const bad = await gantry(['install', 'check-rbac', `docker://${image}`, '--tls-verify=false', '-f', trimmed, '--namespace', 'etcd-system', '--name', 'etcd']);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stdout, /^pre-authorization failed: service account requires the following permissions to manage cluster extension:\n {2}Namespace:"[^"]*" APIGroups:\[[^\]]*\] Resources:\[[^\]]+\]/);
  assert.match(bad.stderr, /error\[RBAC_INSUFFICIENT\]: ServiceAccount etcd-system\/etcd-installer lacks \d+ permission/);
});

test('cli-install-set/bad input: no --namespace, a namespace that is not one, an RBAC file that does not parse (file:line)', async () => {
  const none = await gantry(['install', 'check-rbac', BUNDLE_DIR, '-f', 'x.yaml']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /error\[USAGE\]: --namespace is required/);
  const upper = await plan('--namespace', 'Etcd_System', '-o', 'yaml');
  assert.equal(upper.code, 2);
  assert.match(upper.stderr, /error\[USAGE\]: --namespace "Etcd_System" is not a namespace name: a lowercase RFC 1123 label/);
  const broken = join(work.path, 'broken.yaml');
  await writeFile(broken, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\nrules:\n  - verbs: get\n');
  const b = await gantry(['install', 'check-rbac', BUNDLE_DIR, '-f', broken, '--namespace', 'ns']);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /broken\.yaml:6/);
  assert.match(b.stderr, /error\[CONFIG_INVALID\]/);
});

test('cli-install-set/v1 targets: 1.11 writes no installer RBAC; ocp-4.17 writes the v1alpha1 shape; 1.4 annotates the watch namespace', async () => {
  const newer = await plan('--namespace', 'etcd-system', '--olm-version', '1.11', '-o', 'yaml');
  assert.equal(newer.code, 0, newer.stderr);
  const objs = docs(newer.stdout);
  assert.deepEqual(objs.map((o) => o.kind), ['Namespace', 'ClusterExtension']);
  assert.equal(objs[1]!.spec!.serviceAccount, undefined);
  assert.match(newer.stdout, /ignores spec\.serviceAccount/);
  const old = await plan('--namespace', 'etcd-system', '--channel', 'clusterwide-alpha', '--olm-version', 'ocp-4.17', '-o', 'yaml');
  assert.equal(old.code, 0, old.stderr);
  const ce = docs(old.stdout).at(-1)!;
  assert.equal(ce.apiVersion, 'olm.operatorframework.io/v1alpha1');
  assert.deepEqual(ce.spec, { packageName: 'etcd', installNamespace: 'etcd-system', channel: 'clusterwide-alpha', serviceAccount: { name: 'etcd-installer' } });
  // v1.2–v1.5 read the watch namespace from an annotation, not spec.config.
  const annotated = await plan('--namespace', 'etcd-system', '--watch-namespace', 'etcd-system', '--olm-version', '1.4', '--feature-gate', 'SingleOwnNamespaceInstallSupport', '-o', 'yaml');
  assert.equal(annotated.code, 0, annotated.stderr);
  const ace = docs(annotated.stdout).at(-1)!;
  assert.deepEqual(ace.metadata, { name: 'etcd', annotations: { 'olm.operatorframework.io/watch-namespace': 'etcd-system' } });
  assert.equal(ace.spec!.config, undefined);
});

test('cli-install-set/v0: Namespace, OperatorGroup for all namespaces, Subscription; openshift-operators reuses the global group', async () => {
  const r = await plan('--olm', 'v0', '--namespace', 'etcd', '-o', 'yaml');
  assert.equal(r.code, 0, r.stderr);
  const objs = docs(r.stdout);
  assert.deepEqual(objs.map((o) => o.kind), ['Namespace', 'OperatorGroup', 'Subscription']);
  assert.deepEqual(objs[1]!.spec, {});
  assert.deepEqual(objs[2]!.spec, { name: 'etcd', channel: 'clusterwide-alpha', source: 'main', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Automatic' });
  const own = docs((await plan('--olm', 'v0', '--namespace', 'etcd', '--watch-namespace', 'etcd', '-o', 'yaml')).stdout);
  assert.deepEqual(own[1]!.spec, { targetNamespaces: ['etcd'] });
  const global = await plan('--olm', 'v0', '--namespace', 'openshift-operators', '--source-namespace', 'olm', '-o', 'yaml');
  assert.deepEqual(docs(global.stdout).map((o) => [o.kind, o.metadata.namespace, o.spec?.sourceNamespace]), [['Subscription', 'openshift-operators', 'olm']]);
  // openshift-operators has the global OperatorGroup: a group for one namespace there is refused.
  const second = await plan('--olm', 'v0', '--namespace', 'openshift-operators', '--watch-namespace', 'openshift-operators', '-o', 'yaml');
  assert.equal(second.code, 2);
  assert.match(second.stderr, /TooManyOperatorGroups/);
  // An install mode the bundle lacks is refused with a hint.
  const single = await plan('--olm', 'v0', '--namespace', 'etcd', '--watch-namespace', 'other', '-o', 'yaml');
  assert.equal(single.code, 2);
  assert.match(single.stderr, /do not include SingleNamespace/);
});
