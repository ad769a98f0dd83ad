import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import Ajv from 'ajv';
import { parseReference } from '../oci/reference.js';
import { sha256 } from '../oci/digest.js';
import { digestTag, foldPath, mirrorDestination } from './destination.js';
import { generateCatalogSources, generateClusterCatalogs, generateIcsp, generateIdms, generateItms, generateMapping, resourceName, type MirroredImage } from './cluster-resources.js';
import { generateBlueprintContainers, generateRegistriesConf } from './microshift.js';

const D = (s: string) => sha256(s);
const target = { registry: 'mirror.example.com:5000', namespace: 'ocp' };

function image(src: string, kind: MirroredImage['kind'], digest = D(src)): MirroredImage {
  const source = parseReference(src);
  return { source, dest: mirrorDestination(source, target), digest, kind };
}

const images: MirroredImage[] = [
  image('registry.redhat.io/rhel9/postgresql-15@' + D('pg'), 'operator', D('pg')),
  image('quay.io/org/operator:v1.2.3', 'operator'),
  image('quay.io/org/operator-bundle@' + D('b'), 'operator', D('b')),
  image('docker.io/library/busybox:1.36', 'generic'),
  image('registry.redhat.io/redhat/redhat-operator-index:v4.16', 'catalog'),
];

test('destination/oc-mirror naming: host dropped, namespace added, digest-only tagged sha256-<hex>', () => {
  const d = mirrorDestination(parseReference('registry.redhat.io/rhel9/foo@' + D('x')), target);
  assert.equal(`${d.registry}/${d.repository}:${d.tag}`, `mirror.example.com:5000/ocp/rhel9/foo:${digestTag(D('x'))}`);
  assert.equal(digestTag(D('x')), `sha256-${D('x').slice(7)}`);
  const t = mirrorDestination(parseReference('quay.io/a/b:1.0@' + D('y')), target);
  assert.equal(t.tag, '1.0', 'tag+digest: pushed by tag');
  const r = mirrorDestination(parseReference('quay.io/a/b:1.0'), target, { targetRepo: 'catalogs/mine', targetTag: 'v2' });
  assert.equal(`${r.repository}:${r.tag}`, 'ocp/catalogs/mine:v2');
});

test('destination/--max-nested-paths folds the path after the host', () => {
  assert.equal(foldPath('ns/openshift-release-dev/ocp-v4.0-art-dev', 2), 'ns/openshift-release-dev-ocp-v4.0-art-dev');
  assert.equal(foldPath('a/b', 2), 'a/b');
  assert.equal(foldPath('a/b/c/d', 3), 'a/b/c-d');
  assert.equal(foldPath('a/b/c/d', 0), 'a/b/c/d');
});

test('mapping/docker://src@digest=docker://dst:tag, sorted', () => {
  const m = generateMapping(images).trim().split('\n');
  assert.equal(m.length, 5);
  assert.deepEqual(m, [...m].sort());
  assert.ok(m.every((l) => /^docker:\/\/[^=]+@sha256:[0-9a-f]{64}=docker:\/\/mirror\.example\.com:5000\/ocp\/[^=]+:[^=]+$/.test(l)));
});

// The parts of the CRDs' OpenAPI schemas that generated files must satisfy (config.openshift.io/v1 and
// operator.openshift.io/v1alpha1): required fields and the source/mirror patterns.
const repoPattern = '^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])\\.)*([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])(:[0-9]+)?(\\/[^\\/:\\n]+)*$';
const mirrorList = (field: string) => ({
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: [field],
      properties: {
        [field]: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['source', 'mirrors'],
            additionalProperties: false,
            properties: { source: { type: 'string', pattern: repoPattern }, mirrors: { type: 'array', minItems: 1, items: { type: 'string', pattern: repoPattern } } },
          },
        },
      },
    },
  },
});
const meta = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 } } };
const schemas: Record<string, object> = {
  ImageDigestMirrorSet: { allOf: [mirrorList('imageDigestMirrors'), { properties: { apiVersion: { const: 'config.openshift.io/v1' }, metadata: meta } }] },
  ImageTagMirrorSet: { allOf: [mirrorList('imageTagMirrors'), { properties: { apiVersion: { const: 'config.openshift.io/v1' }, metadata: meta } }] },
  ImageContentSourcePolicy: { allOf: [mirrorList('repositoryDigestMirrors'), { properties: { apiVersion: { const: 'operator.openshift.io/v1alpha1' }, metadata: meta } }] },
  CatalogSource: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'operators.coreos.com/v1alpha1' },
      metadata: { ...meta, required: ['name', 'namespace'] },
      spec: { type: 'object', required: ['sourceType', 'image'], properties: { sourceType: { enum: ['grpc', 'configmap', 'internal'] }, image: { type: 'string', pattern: '@sha256:[0-9a-f]{64}$' } } },
    },
  },
  ClusterCatalog: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'olm.operatorframework.io/v1' },
      metadata: { ...meta, properties: { name: { type: 'string', maxLength: 253 } } },
      spec: {
        type: 'object',
        required: ['source'],
        properties: { source: { type: 'object', required: ['type', 'image'], properties: { type: { const: 'Image' }, image: { type: 'object', required: ['ref'], properties: { ref: { type: 'string', pattern: '@sha256:[0-9a-f]{64}$' } } } } } },
      },
    },
  },
};
const ajv = new Ajv.default({ allErrors: true });

function checkYaml(content: string, kind: string): unknown[] {
  const docs = parseAllDocuments(content).map((d) => {
    assert.deepEqual(d.errors, [], 'valid YAML');
    return d.toJS() as { kind: string };
  });
  for (const doc of docs) {
    assert.equal(doc.kind, kind);
    const valid = ajv.validate(schemas[kind]!, doc);
    assert.ok(valid, `${kind}: ${ajv.errorsText()}`);
  }
  return docs;
}

test('resources/IDMS per kind, repository scope, catalogs left out; valid against the CRD schema', () => {
  const f = generateIdms(images)!;
  const docs = checkYaml(f.content, 'ImageDigestMirrorSet') as { metadata: { name: string }; spec: { imageDigestMirrors: { source: string; mirrors: string[] }[] } }[];
  assert.deepEqual(docs.map((d) => d.metadata.name), ['idms-generic-0', 'idms-operator-0']);
  const op = docs[1]!.spec.imageDigestMirrors;
  assert.deepEqual(op.map((e) => e.source), ['quay.io/org/operator', 'quay.io/org/operator-bundle', 'registry.redhat.io/rhel9/postgresql-15']);
  assert.deepEqual(op[0]!.mirrors, ['mirror.example.com:5000/ocp/org/operator']);
  assert.ok(!f.content.includes('redhat-operator-index'), 'catalogs are not in the IDMS');
  assert.equal(generateIdms(images)!.content, f.content, 'deterministic');
});

test('resources/ITMS only for images referenced by tag; ICSP for older clusters', () => {
  const itms = checkYaml(generateItms(images)!.content, 'ImageTagMirrorSet') as { spec: { imageTagMirrors: { source: string }[] } }[];
  const sources = itms.flatMap((d) => d.spec.imageTagMirrors.map((e) => e.source));
  assert.deepEqual(sources, ['docker.io/library/busybox', 'quay.io/org/operator']);
  checkYaml(generateIcsp(images)!.content, 'ImageContentSourcePolicy');
  assert.equal(generateItms([images[0]!]), undefined, 'nothing by tag: no ITMS file');
});

test('resources/CatalogSource and ClusterCatalog per catalog, by digest, valid DNS names', () => {
  const [cs] = generateCatalogSources(images, { template: { spec: { updateStrategy: { registryPoll: { interval: '30m' } } } } });
  const doc = checkYaml(cs!.content, 'CatalogSource')[0] as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
  assert.equal(doc.metadata.name, 'cs-redhat-operator-index-v4-16');
  assert.equal(doc.metadata.namespace, 'openshift-marketplace');
  assert.equal(doc.spec.sourceType, 'grpc');
  assert.deepEqual(doc.spec.updateStrategy, { registryPoll: { interval: '30m' } });
  assert.match(String(doc.spec.image), /^mirror\.example\.com:5000\/ocp\/redhat\/redhat-operator-index@sha256:/);
  const [cc] = generateClusterCatalogs(images);
  checkYaml(cc!.content, 'ClusterCatalog');
  assert.equal(resourceName('cs', 'Very_Long!Name', 'x'.repeat(80)).length <= 63, true);
});

test('microshift/registries.conf drop-in is TOML with a mirror per source repository, by digest only', () => {
  const conf = generateRegistriesConf(images);
  const toml = parseToml(conf) as { registry: { location: string; 'mirror-by-digest-only': boolean; mirror: { location: string }[] }[] };
  assert.equal(toml.registry.length, 5);
  assert.ok(toml.registry.every((r) => r['mirror-by-digest-only'] === true && r.mirror.length === 1));
  assert.deepEqual(JSON.parse(JSON.stringify(toml.registry[0])), { prefix: '', location: 'docker.io/library/busybox', 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.example.com:5000/ocp/library/busybox' }] });
});

test('microshift/blueprint [[containers]] by digest only, never tags; excluded architectures left out', () => {
  const platformDigests = new Map([[images[1]!.digest, [{ architecture: 'amd64', digest: D('amd') }, { architecture: 'ppc64le', digest: D('ppc') }, { architecture: 's390x', digest: D('s390') }]]]);
  const bp = generateBlueprintContainers(images, { excludeArchitectures: ['ppc64le', 's390x'], platformDigests });
  const toml = parseToml(bp) as { containers: { source: string }[] };
  assert.equal(toml.containers.length, 4, 'catalog left out, one entry per remaining image');
  assert.ok(toml.containers.every((c) => /@sha256:[0-9a-f]{64}$/.test(c.source)), 'digests only');
  assert.ok(toml.containers.some((c) => c.source.endsWith(D('amd'))));
  assert.ok(!bp.includes(D('ppc')) && !bp.includes(D('s390')));
});
