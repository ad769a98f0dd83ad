import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import Ajv from 'ajv';
import { parseReference } from '../oci/reference.js';
import { sha256 } from '../oci/digest.js';
import { digestTag, foldPath, mirrorDestination } from './destination.js';
import { buildCatalogSources, generateCatalogSources, generateClusterCatalogs, generateIcsp, generateIdms, generateItms, generateMapping, resourceName, type MirroredImage } from './cluster-resources.js';
import { GENERATED_BY_ANNOTATION, VERSION_ANNOTATION } from './annotations.js';
import { catalogTemplateKey } from './catalog-source-template.js';
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
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const meta = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 }, labels: stringMap, annotations: stringMap },
};
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
      spec: {
        type: 'object',
        required: ['sourceType', 'image'],
        properties: {
          sourceType: { enum: ['grpc', 'configmap', 'internal'] },
          image: { type: 'string', pattern: '@sha256:[0-9a-f]{64}$' },
          displayName: { type: 'string' },
          description: { type: 'string' },
          publisher: { type: 'string' },
          priority: { type: 'integer' },
          runAsRoot: { type: 'boolean' },
          secrets: { type: 'array', items: { type: 'string' } },
          grpcPodConfig: { type: 'object' },
          updateStrategy: { type: 'object', properties: { registryPoll: { type: 'object', properties: { interval: { type: 'string' } } } } },
          icon: { type: 'object' },
        },
      },
    },
  },
  ClusterCatalog: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'olm.operatorframework.io/v1' },
      metadata: { ...meta, properties: { ...meta.properties, name: { type: 'string', maxLength: 253 } } },
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
  const [cs] = generateCatalogSources(images);
  const doc = checkYaml(cs!.content, 'CatalogSource')[0] as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
  assert.equal(doc.metadata.name, 'cs-redhat-operator-index-v4-16');
  assert.equal(doc.metadata.namespace, 'openshift-marketplace');
  assert.deepEqual(doc.spec, { image: `mirror.example.com:5000/ocp/redhat/redhat-operator-index@${D('registry.redhat.io/redhat/redhat-operator-index:v4.16')}`, sourceType: 'grpc' });
  const [cc] = generateClusterCatalogs(images);
  checkYaml(cc!.content, 'ClusterCatalog');
  assert.equal(resourceName('cs', 'Very_Long!Name', 'x'.repeat(80)).length <= 63, true);
});

test('resources/every generated resource carries gantry annotations, sorted, no timestamp', () => {
  const files = [generateIdms(images, { version: '0.1.0' })!, generateItms(images, { version: '0.1.0' })!, generateIcsp(images, { version: '0.1.0' })!, ...generateCatalogSources(images, { version: '0.1.0' }), ...generateClusterCatalogs(images, { version: '0.1.0' })];
  const docs = files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string; metadata: { annotations: Record<string, string> } }));
  assert.deepEqual([...new Set(docs.map((d) => d.kind))].sort(), ['CatalogSource', 'ClusterCatalog', 'ImageContentSourcePolicy', 'ImageDigestMirrorSet', 'ImageTagMirrorSet']);
  for (const d of docs) assert.deepEqual(d.metadata.annotations, { [GENERATED_BY_ANNOTATION]: 'gantry', [VERSION_ANNOTATION]: '0.1.0' }, d.kind);
  for (const d of docs) assert.deepEqual(Object.keys(d.metadata.annotations), Object.keys(d.metadata.annotations).sort());
  const plain = parseAllDocuments(generateIdms(images)!.content)[0]!.toJS() as { metadata: { annotations: Record<string, string> } };
  assert.deepEqual(plain.metadata.annotations, { 'gantry.io/generated-by': 'gantry' }, 'no version given: no version annotation');
  assert.equal(generateIdms(images, { version: '0.1.0' })!.content, files[0]!.content, 'deterministic');
});

// A site's template, as a user would write it: everything but spec.image must reach the cluster.
const siteTemplate = `# Red Hat catalog, as this site runs it
apiVersion: operators.coreos.com/v1alpha1
kind: CatalogSource
metadata:
  namespace: olm-mirrors
  labels:
    site: edge
  annotations:
    team: platform
    gantry.io/generated-by: someone-else
    gantry.io/version: 0.0.1
    gantry.io/stale: x
spec:
  image: registry.redhat.io/redhat/redhat-operator-index:v4.16
  displayName: Red Hat Operators (mirror)
  publisher: Site IT
  priority: -100
  grpcPodConfig:
    nodeSelector:
      node-role.kubernetes.io/infra: ""
    securityContextConfig: restricted
  updateStrategy:
    registryPoll:
      interval: 30m
`;
const catalog = images[4]!;
const templates = (text: string, file = 'cs-template.yaml') => new Map([[catalogTemplateKey(catalog.dest), { text, file }]]);

test('template/golden: kept fields, image by digest, grpc, derived name, template namespace, merged annotations', () => {
  const { files, issues } = buildCatalogSources(images, { templates: templates(siteTemplate), version: '0.1.0' });
  assert.deepEqual(issues, []);
  assert.equal(files.length, 1);
  assert.equal(files[0]!.path, 'cs-redhat-operator-index-v4-16.yaml');
  assert.equal(
    files[0]!.content,
    `apiVersion: operators.coreos.com/v1alpha1
kind: CatalogSource
metadata:
  name: cs-redhat-operator-index-v4-16
  namespace: olm-mirrors
  labels:
    site: edge
  annotations:
    gantry.io/generated-by: gantry
    gantry.io/version: 0.1.0
    team: platform
spec:
  displayName: Red Hat Operators (mirror)
  publisher: Site IT
  priority: -100
  grpcPodConfig:
    nodeSelector:
      node-role.kubernetes.io/infra: ""
    securityContextConfig: restricted
  updateStrategy:
    registryPoll:
      interval: 30m
  image: mirror.example.com:5000/ocp/redhat/redhat-operator-index@${catalog.digest}
  sourceType: grpc
`,
  );
  checkYaml(files[0]!.content, 'CatalogSource');
  assert.equal(buildCatalogSources(images, { templates: templates(siteTemplate), version: '0.1.0' }).files[0]!.content, files[0]!.content, 'deterministic');
  const [unversioned] = generateCatalogSources(images, { templates: templates(siteTemplate) });
  const ann = (parseAllDocuments(unversioned!.content)[0]!.toJS() as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
  assert.deepEqual(ann, { 'gantry.io/generated-by': 'gantry', team: 'platform' }, "the template's gantry.io/ keys never survive");
});

test('template/which wins: gantry sets image and sourceType always, name and namespace only when the template has none', () => {
  const cases: { name: string; template: string; opts?: { namespace: string }; want: { name: string; namespace: string } }[] = [
    { name: 'template name and namespace win', template: 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata: {name: redhat-operators, namespace: mirrors}\nspec: {sourceType: grpc}\n', want: { name: 'redhat-operators', namespace: 'mirrors' } },
    { name: 'no metadata: derived name, default namespace', template: 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\n', want: { name: 'cs-redhat-operator-index-v4-16', namespace: 'openshift-marketplace' } },
    { name: 'no namespace: the namespace option', template: 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata: {name: mine}\n', opts: { namespace: 'olm' }, want: { name: 'mine', namespace: 'olm' } },
  ];
  for (const c of cases) {
    const [f] = generateCatalogSources(images, { templates: templates(c.template), ...c.opts });
    const doc = checkYaml(f!.content, 'CatalogSource')[0] as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
    assert.deepEqual({ name: doc.metadata.name, namespace: doc.metadata.namespace }, c.want, c.name);
    assert.equal(doc.spec.sourceType, 'grpc', c.name);
    assert.equal(doc.spec.image, `mirror.example.com:5000/ocp/redhat/redhat-operator-index@${catalog.digest}`, c.name);
    assert.equal(f!.path, 'cs-redhat-operator-index-v4-16.yaml', `${c.name}: the file keeps oc-mirror's name`);
  }
});

test('template/strings that YAML 1.1 reads as booleans stay quoted (oc apply reads YAML 1.1)', () => {
  const text = 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata:\n  labels:\n    enabled: "yes"\n    "n": "on"\n';
  const [f] = generateCatalogSources(images, { templates: templates(text) });
  assert.match(f!.content, /\n    enabled: "yes"\n    "n": "on"\n/);
  const doc = parseAllDocuments(f!.content, { version: '1.1' })[0]!.toJS() as { metadata: { labels: Record<string, unknown> } };
  assert.deepEqual(doc.metadata.labels, { enabled: 'yes', n: 'on' });
});

test('template/keyed by destination host/path:tag: another tag of the same catalog gets no template', () => {
  const older = { ...catalog, dest: { ...catalog.dest, tag: 'v4.15' }, digest: D('old') };
  const files = generateCatalogSources([catalog, older], { templates: templates(siteTemplate) });
  assert.deepEqual(files.map((f) => f.path), ['cs-redhat-operator-index-v4-15.yaml', 'cs-redhat-operator-index-v4-16.yaml']);
  assert.ok(!files[0]!.content.includes('olm-mirrors') && files[1]!.content.includes('olm-mirrors'));
});

test('template/one template name for two catalogs: both fall back to cs-… with a NAME_CONFLICT warning at metadata.name', () => {
  const older = { ...catalog, dest: { ...catalog.dest, tag: 'v4.15' }, digest: D('old') };
  const text = 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata:\n  name: redhat-operators\n';
  const t = new Map([catalog, older].map((c) => [catalogTemplateKey(c.dest), { text, file: 'rh.yaml' }]));
  const { files, issues } = buildCatalogSources([catalog, older], { templates: t });
  const names = files.map((f) => (parseAllDocuments(f.content)[0]!.toJS() as { metadata: { name: string } }).metadata.name);
  assert.deepEqual(names, ['cs-redhat-operator-index-v4-15', 'cs-redhat-operator-index-v4-16']);
  assert.deepEqual(issues.map((i) => [i.code, i.severity, i.file, i.line, i.path]), [['NAME_CONFLICT', 'warning', 'rh.yaml', 4, 'metadata.name'], ['NAME_CONFLICT', 'warning', 'rh.yaml', 4, 'metadata.name']]);
});

test('template/invalid at generation: the plain CatalogSource (as oc-mirror falls back) and the errors, once per file', () => {
  const bad = 'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nspec:\n  sourceType: configmap\n  configMap: my-catalog\n';
  const { files, issues } = buildCatalogSources(images, { templates: templates(bad, 'bad.yaml') });
  const doc = checkYaml(files[0]!.content, 'CatalogSource')[0] as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
  assert.deepEqual(doc.spec, { image: `mirror.example.com:5000/ocp/redhat/redhat-operator-index@${catalog.digest}`, sourceType: 'grpc' });
  assert.deepEqual(issues.map((i) => `${i.file}:${i.line}: ${i.code}`), ['bad.yaml:4: SOURCE_TYPE_NOT_GRPC', 'bad.yaml:5: CONFIG_MAP_SET']);
});

test('microshift/registries.conf drop-in is TOML with a mirror per source repository; tag-referenced ones not digest-only', () => {
  const conf = generateRegistriesConf(images);
  const toml = parseToml(conf) as { registry: { location: string; 'mirror-by-digest-only': boolean; mirror: { location: string }[] }[] };
  assert.equal(toml.registry.length, 5);
  assert.ok(toml.registry.every((r) => r.mirror.length === 1));
  assert.deepEqual(toml.registry.filter((r) => !r['mirror-by-digest-only']).map((r) => r.location), ['docker.io/library/busybox', 'quay.io/org/operator', 'registry.redhat.io/redhat/redhat-operator-index']);
  assert.deepEqual(JSON.parse(JSON.stringify(toml.registry[0])), { prefix: '', location: 'docker.io/library/busybox', 'mirror-by-digest-only': false, mirror: [{ location: 'mirror.example.com:5000/ocp/library/busybox' }] });
});

test('microshift/blueprint [[containers]]: source names by digest, the index digest kept, the catalog included', () => {
  const platformDigests = new Map([[images[1]!.digest, [{ architecture: 'amd64', digest: D('amd') }, { architecture: 'ppc64le', digest: D('ppc') }, { architecture: 's390x', digest: D('s390') }]]]);
  const bp = generateBlueprintContainers(images, { excludeArchitectures: ['ppc64le', 's390x'], platformDigests });
  const toml = parseToml(bp) as { containers: { source: string; name?: string }[] };
  assert.equal(toml.containers.length, 5, 'one entry per image, the catalog included');
  assert.deepEqual(toml.containers.filter((c) => !/@sha256:[0-9a-f]{64}$/.test(c.source)).map((c) => c.source), ['docker.io/library/busybox:1.36', 'quay.io/org/operator:v1.2.3'], 'by digest, except what the manifests use by tag');
  assert.ok(toml.containers.some((c) => c.source === `registry.redhat.io/rhel9/postgresql-15@${images[0]!.digest}`));
  assert.ok(!bp.includes(D('amd')) && !bp.includes(D('ppc')), 'no per-architecture digests');
});
