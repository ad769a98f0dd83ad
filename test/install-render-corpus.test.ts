// registry+v1 rendering over real bundles: named cases (cluster permissions, namespaced permissions, a webhook,
// extra manifests) and every bundle of the corpus's latest-per-package through the loader, validators and render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isGantryError } from '../src/errors.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { readBundleContent, renderRegistryV1, validateBundle, type ManifestObject } from '../src/install/index.js';
import { CORPUS } from './corpus.js';

const BUNDLES = join(CORPUS, 'bundles', 'latest-per-package');
const load = async (rel: string) => readBundleContent(await createDirectoryTree(join(BUNDLES, rel)));
const count = (objs: ManifestObject[], kind: string) => objs.filter((o) => o.kind === kind).length;

test('render-corpus/clusterPermissions only (etcd clusterwide): ClusterRoles and bindings, no Roles', async () => {
  const objs = renderRegistryV1(await load('etcd/0.9.4-clusterwide'), { installNamespace: 'ops' });
  assert.ok(count(objs, 'ClusterRole') > 0);
  assert.equal(count(objs, 'ClusterRole'), count(objs, 'ClusterRoleBinding'));
  assert.equal(count(objs, 'Role') + count(objs, 'RoleBinding'), 0);
  for (const o of objs.filter((x) => x.kind === 'ClusterRoleBinding')) assert.equal((o.subjects as { namespace: string }[])[0]!.namespace, 'ops');
});

test('render-corpus/permissions only (microcks, SingleNamespace): Role and RoleBinding in the watched namespace', async () => {
  const objs = renderRegistryV1(await load('microcks/1.10.0'), { installNamespace: 'ops', watchNamespace: 'apps' });
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}`),
    ['CustomResourceDefinition/-', 'ServiceAccount/ops', 'Role/apps', 'RoleBinding/apps', 'Deployment/ops'],
  );
  assert.match(objs[2]!.metadata.name, /^microcks-operator\.-[0-9a-z]+$/);
});

test('render-corpus/webhook (kube-green): ValidatingWebhookConfiguration and the deployment Service it calls', async () => {
  const objs = renderRegistryV1(await load('kube-green/0.7.1'), { installNamespace: 'ops' });
  const vwc = objs.find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
  const service = (vwc.webhooks as { clientConfig: { service: { name: string; namespace: string; port: number } } }[])[0]!.clientConfig.service;
  assert.deepEqual({ name: service.name, namespace: service.namespace, port: service.port }, { name: 'kube-green-controller-manager-service', namespace: 'ops', port: 443 });
  const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === service.name)!;
  assert.deepEqual(svc.spec, { ports: [{ name: '443', port: 443, targetPort: 9443 }], selector: { app: 'kube-green', 'control-plane': 'controller-manager' } });
});

test('render-corpus/extra manifests (deployment-validation-operator): its Service lands in the install namespace', async () => {
  const c = await load('deployment-validation-operator/0.7.12');
  const own = c.objects.filter((o) => o.kind === 'Service');
  assert.ok(own.length > 0);
  const objs = renderRegistryV1(c, { installNamespace: 'ops' });
  for (const s of own) assert.ok(objs.some((o) => o.kind === 'Service' && o.metadata.name === s.metadata.name && o.metadata.namespace === 'ops'));
});

/*
 * Measured over the 305 bundles: none of OLM v1's registry+v1 validators (§6.4) fires on this corpus (its bundles
 * are all accepted by opm and OperatorHub's checks, which cover the same ground). What stops bundles is elsewhere:
 * one bundle the loader cannot read (cluster-aas-operator 0.1.5: a ClusterRole without apiVersion, which kubectl's
 * decoder refuses) and 48 bundles without AllNamespaces, which OLM v1 renders only with a watch namespace (all 48
 * support OwnNamespace, so watchNamespace = install namespace renders them).
 */
test('render-corpus/every latest-per-package bundle: load, validate, render', async () => {
  const loadFailures: string[] = [];
  const withIssues: string[] = [];
  const needWatchNamespace: string[] = [];
  let rendered = 0;
  let total = 0;
  for (const pkg of (await readdir(BUNDLES)).sort()) {
    for (const version of (await readdir(join(BUNDLES, pkg))).sort()) {
      if (!(await stat(join(BUNDLES, pkg, version))).isDirectory()) continue;
      total++;
      let content;
      try {
        content = await load(join(pkg, version));
      } catch (err) {
        assert.ok(isGantryError(err) && err.code === 'MANIFEST_INVALID', String(err));
        loadFailures.push(`${pkg} ${err.message}`);
        continue;
      }
      if (validateBundle(content).length > 0) {
        withIssues.push(pkg);
        continue;
      }
      try {
        renderRegistryV1(content, { installNamespace: 'ops' });
      } catch (err) {
        assert.ok(isGantryError(err) && err.code === 'MANIFEST_UNSUPPORTED' && /do not support targeting all namespaces$/.test(err.message), String(err));
        needWatchNamespace.push(pkg);
        renderRegistryV1(content, { installNamespace: 'ops', watchNamespace: 'ops' });
      }
      rendered++;
    }
  }
  assert.equal(total, 305);
  assert.deepEqual(loadFailures, ["cluster-aas-operator manifests/argo_cd_cluster_role.yaml:2: Object 'apiVersion' is missing"]);
  assert.deepEqual(withIssues, []);
  assert.equal(needWatchNamespace.length, 48);
  assert.ok(needWatchNamespace.includes('microcks'));
  assert.equal(rendered, 304);
});
