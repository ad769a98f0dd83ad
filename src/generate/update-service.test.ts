import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { MirroredImage } from './cluster-resources.js';
import { generateUpdateService } from './update-service.js';

const D = `sha256:${'a'.repeat(64)}` as const;
const at = (repository: string, tag: string, kind: MirroredImage['kind']): MirroredImage => ({
  source: { registry: 'quay.io', repository: 'src', tag },
  dest: { registry: 'mirror.example:5000', repository, tag },
  digest: D,
  kind,
});

test('update service/none without a graph image', () => {
  assert.equal(generateUpdateService([at('ns/openshift/release-images', '4.16.0-x86_64', 'release')]), undefined);
});

test('update service/releases repository and graph image by tag, oc-mirror names', () => {
  const f = generateUpdateService([at('ns/openshift/release', '4.16.0-x86_64-etcd', 'release'), at('ns/openshift/release-images', '4.16.0-x86_64', 'release'), at('ns/openshift/graph-image', 'latest', 'graph')], { version: '1.2.3' })!;
  assert.equal(f.path, 'updateService.yaml');
  const doc = parse(f.content);
  assert.equal(doc.apiVersion, 'updateservice.operator.openshift.io/v1');
  assert.equal(doc.kind, 'UpdateService');
  assert.deepEqual([doc.metadata.name, doc.metadata.namespace], ['update-service-oc-mirror', 'openshift-update-service']);
  assert.deepEqual(doc.spec, { replicas: 2, releases: 'mirror.example:5000/ns/openshift/release-images', graphDataImage: 'mirror.example:5000/ns/openshift/graph-image:latest' });
});

test('update service/folded names (--max-nested-paths) and no release recorded yet', () => {
  const folded = parse(generateUpdateService([at('ns/openshift-release-images', '4.16.0-x86_64', 'release'), at('ns/openshift-graph-image', 'latest', 'graph')])!.content);
  assert.equal(folded.spec.releases, 'mirror.example:5000/ns/openshift-release-images');
  const alone = parse(generateUpdateService([at('openshift/graph-image', 'latest', 'graph')])!.content);
  assert.equal(alone.spec.releases, 'mirror.example:5000/openshift/release-images');
});
