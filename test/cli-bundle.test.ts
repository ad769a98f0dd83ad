// gantry bundle render-manifests through the shipped bin/gantry.js: a corpus bundle directory, the same bundle as
// an image in a real registry (read once, then from the cache with the registry stopped), -o json, bad input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushImageRaw, pushTestImage } from '../src/testing/images.js';
import { createLayoutStore } from '../src/layout/index.js';
import { bundleImageFromDir } from './bundle-image.js';
import { CORPUS } from './corpus.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

const BUNDLE = join(CORPUS, 'bundles', 'latest-per-package', 'kube-green', '0.7.1');
const render = (...args: string[]) => ['bundle', 'render-manifests', ...args];

let reg: RunningRegistry;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
let digest: string;

before(async () => {
  reg = await startRegistry();
  work = await tempDir('cli-bundle');
  env = { GANTRY_CACHE_DIR: join(work.path, 'cache') };
  const img = await bundleImageFromDir(BUNDLE, 'kube-green');
  await pushImageRaw(reg.url, 'bundles/kube-green', 'v0.7.1', img);
  digest = img.manifest.digest;
});

after(async () => {
  await reg?.stop();
  await work?.remove();
});

const kindsOf = (yamlText: string) => parseAllDocuments(yamlText).map((d) => (d.toJS() as { kind: string }).kind);

test('cli-bundle/directory: YAML documents in apply order, byte-stable', async () => {
  const a = await runGantry(render(BUNDLE, '--namespace', 'ops'), { env });
  assert.equal(a.code, 0, a.stderr);
  const kinds = kindsOf(a.stdout);
  assert.deepEqual(kinds, ['CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Service', 'Service', 'Service', 'Certificate', 'Issuer', 'Deployment', 'ValidatingWebhookConfiguration']);
  // cert-manager (the default provider) issues the webhook's certificate and injects its CA.
  assert.match(a.stdout, /cert-manager\.io\/inject-ca-from: ops\/kube-green-controller-manager-service-cert\n/);
  assert.match(a.stdout, /kind: Issuer\nmetadata:\n  name: kube-green-controller-manager-service-cert-selfsigned-issuer\n/);
  const ca = await runGantry(render(BUNDLE, '--namespace', 'ops', '--cert-provider', 'openshift-service-ca'), { env });
  assert.deepEqual(kindsOf(ca.stdout).filter((k) => k === 'Issuer' || k === 'Certificate'), []);
  assert.match(ca.stdout, /service\.beta\.openshift\.io\/inject-cabundle: "true"/);
  assert.match(a.stdout, /\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: kube-green-controller-manager\n  namespace: ops\n/);
  const b = await runGantry(render(BUNDLE, '--namespace', 'ops'), { env });
  assert.equal(b.stdout, a.stdout);
});

test('cli-bundle/-o json: a v1 List with the same objects as the YAML', async () => {
  const y = await runGantry(render(BUNDLE, '-n', 'ops'), { env });
  const j = await runGantry(render(BUNDLE, '-n', 'ops', '-o', 'json'), { env });
  assert.equal(j.code, 0, j.stderr);
  const list = JSON.parse(j.stdout) as { kind: string; items: unknown[] };
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items, parseAllDocuments(y.stdout).map((d) => d.toJS()));
});

test('cli-bundle/image: read from the registry by tag, then by digest from the cache with the registry stopped', async () => {
  const dir = await runGantry(render(BUNDLE, '-n', 'ops'), { env });
  const first = await runGantry(render(`docker://${reg.host}/bundles/kube-green:v0.7.1`, '-n', 'ops', '--tls-verify=false'), { env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, dir.stdout);
  assert.match(first.stderr, new RegExp(`read bundle image .*\\(${digest}\\)\\n`));
  await reg.stop();
  const second = await runGantry(render(`docker://${reg.host}/bundles/kube-green@${digest}`, '-n', 'ops', '--tls-verify=false'), { env });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, dir.stdout);
  assert.match(second.stderr, /from cache\)/);
});

test('cli-bundle/oci layout: the bundle image in an OCI layout renders as the directory does', async () => {
  const layout = join(work.path, 'layout');
  const img = await bundleImageFromDir(BUNDLE, 'kube-green');
  const store = createLayoutStore({ path: layout, create: true });
  await pushTestImage(store, img, 'v0.7.1');
  const dir = await runGantry(render(BUNDLE, '-n', 'ops'), { env });
  // A cache of its own: the layout holds the very image (same digest) the registry test cached.
  const r = await runGantry(render(`oci:${layout}:v0.7.1`, '-n', 'ops'), { env: { GANTRY_CACHE_DIR: join(work.path, 'cache-oci') } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, dir.stdout);
  assert.doesNotMatch(r.stderr, /from cache/);
});

async function bundleDir(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work.path, name);
  await cp(BUNDLE, dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), text);
  }
  return dir;
}

test('cli-bundle/bad input: no manifests directory', async () => {
  const dir = join(work.path, 'no-manifests');
  await mkdir(join(dir, 'metadata'), { recursive: true });
  await cp(join(BUNDLE, 'metadata', 'annotations.yaml'), join(dir, 'metadata', 'annotations.yaml'));
  const r = await runGantry(render(dir, '-n', 'ops'), { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[MANIFEST_INVALID\]: no manifests found in manifests\//);
});

test('cli-bundle/bad input: a broken YAML file is named with its line', async () => {
  const dir = await bundleDir('broken', { 'manifests/zz-broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a\n' });
  const r = await runGantry(render(dir, '-n', 'ops'), { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error\[MANIFEST_INVALID\]: manifests\/zz-broken\.yaml:\d+: yaml: /);
});

test('cli-bundle/bad input: --namespace is required (usage, exit 2, with a hint)', async () => {
  const r = await runGantry(render(BUNDLE), { env });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error\[USAGE\]: --namespace is required\n\s+hint: .*--namespace NS/);
  assert.equal(r.stdout, '');
});

test('cli-bundle/validators: every issue listed with its origin, exit 1', async () => {
  const dir = await bundleDir('unsupported', {
    'manifests/zz-extra.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\n',
  });
  const r = await runGantry(render(dir, '-n', 'ops'), { env });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /error\[BUNDLE_INVALID\]: manifests\/zz-extra\.yaml:1: unsupported resource "extra" with kind "Deployment" \(object-unsupported\)/);
  assert.match(r.stderr, /error\[BUNDLE_INVALID\]: manifests\/zz-extra\.yaml:6: unsupported resource "once" with kind "Job" \(object-unsupported\)/);
  assert.match(r.stderr, /2 issues: OLM v1 would not install/);
});

test('cli-bundle/install modes: a bundle without AllNamespaces needs --watch-namespace', async () => {
  const own = join(CORPUS, 'bundles', 'latest-per-package', 'microcks', '1.10.0');
  const r = await runGantry(render(own, '-n', 'ops'), { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[MANIFEST_UNSUPPORTED\]: supported install modes \[OwnNamespace SingleNamespace\] do not support targeting all namespaces/);
  const ok = await runGantry(render(own, '-n', 'ops', '--watch-namespace', 'apps'), { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(kindsOf(ok.stdout), ['CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'Deployment']);
});
