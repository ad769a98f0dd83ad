// Table tests for parseImageSetConfig: normalised output of valid v1/v2/delete configs, every rule with its
// exact position, typo help, version-only warnings, and a property that no input makes it throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseImageSetConfig } from './parse-image-set-config.js';
import type { ImageSetConfig } from './config-types.js';

const V1 = 'apiVersion: mirror.openshift.io/v1alpha2\nkind: ImageSetConfiguration\n';
const V2 = 'apiVersion: mirror.openshift.io/v2alpha1\nkind: ImageSetConfiguration\n';
const DISC = 'apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageSetConfiguration\n';

/** [code, severity, path, line, column] — the structured fields, not the prose. */
type Expected = [string, 'error' | 'warning', string, number, number];

function summarise(text: string): Expected[] {
  return parseImageSetConfig(text, 'isc.yaml').issues.map((i) => [i.code, i.severity, i.path, i.line, i.column]);
}

const validCases: { name: string; text: string; want: ImageSetConfig; warnings?: string[] }[] = [
  {
    name: 'valid/v1 reference example',
    text: `${V1}archiveSize: 4
storageConfig: {local: {path: /srv/oc-mirror/metadata}}
mirror:
  operators:
  - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.14
    targetCatalog: my-org/redhat-operators
    packages:
    - name: rhacs-operator
      minVersion: 4.3.0
    - name: elasticsearch-operator
      defaultChannel: stable-5.8
      channels: [{name: stable-5.8, minBundle: elasticsearch-operator.v5.8.1}]
  additionalImages: [{name: registry.redhat.io/ubi8/ubi:latest}]
  blockedImages: [{name: "^registry.example.com/bad/.*"}]
`,
    warnings: ['STORAGE_CONFIG_NOT_USED'],
    want: {
      apiVersion: 'mirror.openshift.io/v1alpha2',
      kind: 'ImageSetConfiguration',
      archiveSize: 4,
      storageConfig: { local: { path: '/srv/oc-mirror/metadata' } },
      mirror: {
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.14',
            source: { transport: 'docker', reference: { registry: 'registry.redhat.io', repository: 'redhat/redhat-operator-index', tag: 'v4.14' } },
            targetCatalog: 'my-org/redhat-operators',
            full: false,
            skipDependencies: false,
            packages: [
              { name: 'rhacs-operator', channels: [], minVersion: '4.3.0' },
              { name: 'elasticsearch-operator', defaultChannel: 'stable-5.8', channels: [{ name: 'stable-5.8', minBundle: 'elasticsearch-operator.v5.8.1' }] },
            ],
          },
        ],
        additionalImages: [{ name: 'registry.redhat.io/ubi8/ubi:latest' }],
        blockedImages: [{ name: '^registry.example.com/bad/.*' }],
        samples: [],
      },
    },
  },
  {
    name: 'valid/v2 with oci catalog, targets and platform',
    text: `${V2}archiveSize: 20
mirror:
  platform:
    channels: [{name: stable-4.18, minVersion: 4.18.1, maxVersion: 4.18.3}]
    graph: true
    platforms: [{os: linux, architecture: amd64}]
  operators:
  - catalog: oci:///srv/catalogs/redhat
    targetCatalog: mirrored/redhat
    targetTag: v1
    skipDependencies: true
    packages:
    - name: aws-load-balancer-operator
    - name: elasticsearch-operator
      defaultChannel: stable-5.8
      channels: [{name: stable-5.8, minVersion: 5.8.1}]
  additionalImages:
  - {name: registry.redhat.io/ubi9/ubi:latest, targetRepo: base/ubi9, targetTag: v9}
  blockedImages: [{name: "(?i).*-DEBUG.*"}]
`,
    want: {
      apiVersion: 'mirror.openshift.io/v2alpha1',
      kind: 'ImageSetConfiguration',
      archiveSize: 20,
      mirror: {
        platform: {
          channels: [{ name: 'stable-4.18', type: 'ocp', minVersion: '4.18.1', maxVersion: '4.18.3', shortestPath: false, full: false }],
          graph: true,
          kubeVirtContainer: false,
          platforms: [{ os: 'linux', architecture: 'amd64' }],
        },
        operators: [
          {
            catalog: 'oci:///srv/catalogs/redhat',
            source: { transport: 'oci', path: '/srv/catalogs/redhat' },
            targetCatalog: 'mirrored/redhat',
            targetTag: 'v1',
            full: false,
            skipDependencies: true,
            packages: [
              { name: 'aws-load-balancer-operator', channels: [] },
              { name: 'elasticsearch-operator', defaultChannel: 'stable-5.8', channels: [{ name: 'stable-5.8', minVersion: '5.8.1' }] },
            ],
          },
        ],
        additionalImages: [{ name: 'registry.redhat.io/ubi9/ubi:latest', targetRepo: 'base/ubi9', targetTag: 'v9' }],
        blockedImages: [{ name: '(?i).*-DEBUG.*' }],
        samples: [],
      },
    },
  },
  {
    name: 'valid/v2 delete',
    text: `${DISC}delete:
  operators:
  - catalog: registry.redhat.io/redhat/redhat-operator-index:v4.17
    packages: [{name: aws-load-balancer-operator}]
  additionalImages: [{name: "registry.redhat.io/ubi8/ubi@sha256:${'a'.repeat(64)}"}]
`,
    want: {
      apiVersion: 'mirror.openshift.io/v2alpha1',
      kind: 'DeleteImageSetConfiguration',
      delete: {
        operators: [
          {
            catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.17',
            source: { transport: 'docker', reference: { registry: 'registry.redhat.io', repository: 'redhat/redhat-operator-index', tag: 'v4.17' } },
            full: false,
            skipDependencies: false,
            packages: [{ name: 'aws-load-balancer-operator', channels: [] }],
          },
        ],
        additionalImages: [{ name: `registry.redhat.io/ubi8/ubi@sha256:${'a'.repeat(64)}` }],
        blockedImages: [],
        samples: [],
      },
    },
  },
  {
    name: 'valid/v2 null values count as absent, full catalog, v-prefixed short versions',
    text: `${V2}mirror:
  operators:
  - catalog: quay.io/org/index:latest
    full: true
    packages:
    - name: p
      minVersion:
      channels: [{name: c, maxVersion: null}]
  - catalog: quay.io/org/index:latest
    targetTag: other
    packages: [{name: q, minVersion: v1.2, maxVersion: "1.10"}]
`,
    want: {
      apiVersion: 'mirror.openshift.io/v2alpha1',
      kind: 'ImageSetConfiguration',
      mirror: {
        operators: [
          {
            catalog: 'quay.io/org/index:latest',
            source: { transport: 'docker', reference: { registry: 'quay.io', repository: 'org/index', tag: 'latest' } },
            full: true,
            skipDependencies: false,
            packages: [{ name: 'p', channels: [{ name: 'c' }] }],
          },
          {
            catalog: 'quay.io/org/index:latest',
            source: { transport: 'docker', reference: { registry: 'quay.io', repository: 'org/index', tag: 'latest' } },
            targetTag: 'other',
            full: false,
            skipDependencies: false,
            packages: [{ name: 'q', channels: [], minVersion: 'v1.2', maxVersion: '1.10' }],
          },
        ],
        additionalImages: [],
        blockedImages: [],
        samples: [],
      },
    },
  },
];

for (const c of validCases) {
  test(`config/${c.name}`, () => {
    const r = parseImageSetConfig(c.text, 'isc.yaml');
    assert.deepEqual(r.issues.map((i) => i.code), c.warnings ?? []);
    assert.deepEqual(r.config, c.want);
  });
}

const issueCases: { name: string; text: string; want: Expected[] }[] = [
  { name: 'error/yaml syntax', text: 'a: [', want: [['YAML_SYNTAX', 'error', '', 1, 5]] },
  { name: 'error/not a mapping', text: '- a\n- b\n', want: [['NOT_A_MAPPING', 'error', '', 1, 1]] },
  { name: 'error/apiVersion missing', text: 'kind: ImageSetConfiguration\nmirror: {}\n', want: [['API_VERSION_MISSING', 'error', 'apiVersion', 1, 1]] },
  {
    name: 'error/unknown apiVersion and kind',
    text: 'apiVersion: mirror.openshift.io/v3\nkind: ImageSetConfig\n',
    want: [
      ['API_VERSION_UNSUPPORTED', 'error', 'apiVersion', 1, 13],
      ['KIND_UNSUPPORTED', 'error', 'kind', 2, 7],
    ],
  },
  { name: 'error/delete kind in v1', text: 'apiVersion: mirror.openshift.io/v1alpha2\nkind: DeleteImageSetConfiguration\ndelete: {}\n', want: [['KIND_NOT_IN_VERSION', 'error', 'kind', 2, 7]] },
  { name: 'error/mirror stanza missing', text: `${V2}archiveSize: 1\n`, want: [['STANZA_MISSING', 'error', 'mirror', 1, 1]] },
  {
    name: 'error/delete config with mirror stanza and archiveSize',
    text: `${DISC}archiveSize: 2\nmirror: {}\ndelete: {}\n`,
    want: [
      ['FIELD_UNKNOWN', 'error', 'archiveSize', 3, 14],
      ['STANZA_NOT_ALLOWED', 'error', 'mirror', 4, 9],
    ],
  },
  { name: 'error/archiveSize zero', text: `${V2}archiveSize: 0\nmirror: {}\n`, want: [['ARCHIVE_SIZE_INVALID', 'error', 'archiveSize', 3, 14]] },
  { name: 'error/archiveSize not whole', text: `${V2}archiveSize: 1.5\nmirror: {}\n`, want: [['TYPE_MISMATCH', 'error', 'archiveSize', 3, 14]] },
  {
    name: 'error/unknown field with typo hint',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - name: p\n      minVerison: 1.0.0\n`,
    want: [['FIELD_UNKNOWN', 'error', 'mirror.operators[0].packages[0].minVerison', 8, 7]],
  },
  {
    name: 'error/maxVersion read as a float',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - name: p\n      maxVersion: 1.10\n`,
    want: [['TYPE_MISMATCH', 'error', 'mirror.operators[0].packages[0].maxVersion', 8, 19]],
  },
  {
    name: 'warning/v1-only storageConfig in v2',
    text: `${V2}storageConfig:\n  local: {path: /x}\nmirror: {}\n`,
    want: [
      ['FIELD_V1_ONLY', 'warning', 'storageConfig', 3, 1],
      ['STORAGE_CONFIG_NOT_USED', 'warning', 'storageConfig', 4, 3],
    ],
  },
  {
    name: 'warning/v1-only minBundle and deprecated targetName in v2',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    targetName: x\n    packages: [{name: p, minBundle: p.v1}]\n`,
    want: [
      ['FIELD_V1_ONLY', 'warning', 'mirror.operators[0].targetName', 6, 5],
      ['FIELD_DEPRECATED', 'warning', 'mirror.operators[0].targetName', 6, 5],
      ['FIELD_V1_ONLY', 'warning', 'mirror.operators[0].packages[0].minBundle', 7, 26],
    ],
  },
  {
    name: 'warning/v2-only targetRepo in v1',
    text: `${V1}mirror:\n  additionalImages: [{name: quay.io/a/b, targetRepo: c/d}]\n`,
    want: [['FIELD_V2_ONLY', 'warning', 'mirror.additionalImages[0].targetRepo', 4, 42]],
  },
  {
    name: 'error/required fields',
    text: `${V2}mirror:\n  operators:\n  - packages: [{channels: [{minVersion: 1.0.0}]}]\n`,
    want: [
      ['FIELD_REQUIRED', 'error', 'mirror.operators[0].catalog', 5, 5],
      ['FIELD_REQUIRED', 'error', 'mirror.operators[0].packages[0].name', 5, 16],
      ['FIELD_REQUIRED', 'error', 'mirror.operators[0].packages[0].channels[0].name', 5, 28],
    ],
  },
  {
    name: 'error/catalog reference invalid',
    text: `${V2}mirror:\n  operators:\n  - catalog: Quay.io/UPPER/Case:tag\n`,
    want: [['CATALOG_REF_INVALID', 'error', 'mirror.operators[0].catalog', 5, 14]],
  },
  {
    name: 'error/catalog with http scheme, empty oci path',
    text: `${V2}mirror:\n  operators:\n  - catalog: https://quay.io/a/b\n  - catalog: "oci://"\n`,
    want: [
      ['CATALOG_REF_INVALID', 'error', 'mirror.operators[0].catalog', 5, 14],
      ['CATALOG_REF_INVALID', 'error', 'mirror.operators[1].catalog', 6, 14],
    ],
  },
  {
    name: 'error/duplicate catalog (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n  - catalog: quay.io/a/b:1\n  - catalog: quay.io/a/b:1\n    targetTag: two\n`,
    want: [['DUPLICATE_CATALOG', 'error', 'mirror.operators[1].catalog', 6, 14]],
  },
  {
    name: 'error/duplicate package and channel (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - {name: p, channels: [{name: c}, {name: c}]}\n    - {name: p}\n`,
    want: [
      ['DUPLICATE_CHANNEL', 'error', 'mirror.operators[0].packages[0].channels[1].name', 7, 46],
      ['DUPLICATE_PACKAGE', 'error', 'mirror.operators[0].packages[1].name', 8, 14],
    ],
  },
  {
    name: 'error/versions not semver (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - {name: p, minVersion: latest, channels: [{name: c, maxVersion: "1.2.3.4"}]}\n`,
    want: [
      ['VERSION_INVALID', 'error', 'mirror.operators[0].packages[0].minVersion', 7, 29],
      ['VERSION_INVALID', 'error', 'mirror.operators[0].packages[0].channels[0].maxVersion', 7, 70],
      ['RANGE_MIXED', 'error', 'mirror.operators[0].packages[0].channels[0].maxVersion', 7, 70],
    ],
  },
  {
    name: 'error/minVersion above maxVersion',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - name: p\n      minVersion: 2.0.0\n      maxVersion: 1.10.0\n`,
    want: [['VERSION_RANGE_EMPTY', 'error', 'mirror.operators[0].packages[0].minVersion', 8, 19]],
  },
  {
    name: 'error/package and channel ranges together (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - name: p\n      maxVersion: 2.0.0\n      channels: [{name: c, minVersion: 1.0.0}]\n`,
    want: [['RANGE_MIXED', 'error', 'mirror.operators[0].packages[0].channels[0].minVersion', 9, 40]],
  },
  {
    name: 'error/full with range in v2 (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    full: true\n    packages:\n    - {name: p, channels: [{name: c, maxVersion: 2.0.0}]}\n`,
    want: [['FULL_WITH_RANGE', 'error', 'mirror.operators[0].packages[0].channels[0].maxVersion', 8, 50]],
  },
  {
    name: 'warning/full with range in v1 (v1 validate.go does not check it)',
    text: `${V1}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    full: true\n    packages:\n    - {name: p, minVersion: 1.0.0}\n`,
    want: [['FULL_WITH_RANGE', 'warning', 'mirror.operators[0].packages[0].minVersion', 8, 29]],
  },
  {
    name: 'error/minBundle with minVersion (§2.1)',
    text: `${V1}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - {name: p, minVersion: 1.0.0, minBundle: p.v1}\n`,
    want: [['MIN_BUNDLE_WITH_MIN_VERSION', 'error', 'mirror.operators[0].packages[0].minBundle', 7, 47]],
  },
  {
    name: 'error/defaultChannel not among listed channels (§2.1, §3.1)',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages:\n    - {name: p, defaultChannel: stable, channels: [{name: fast}]}\n`,
    want: [['DEFAULT_CHANNEL_NOT_LISTED', 'error', 'mirror.operators[0].packages[0].defaultChannel', 7, 33]],
  },
  {
    name: 'error/targetCatalog, targetRepo and targetTag grammar (§2.4)',
    text: `${V2}mirror:\n  operators:\n  - {catalog: quay.io/a/b:1, targetCatalog: "Org/Name:tag", targetTag: "-bad"}\n  additionalImages: [{name: quay.io/a/c, targetRepo: "a//b"}]\n`,
    want: [
      ['TARGET_PATH_INVALID', 'error', 'mirror.operators[0].targetCatalog', 5, 45],
      ['TARGET_TAG_INVALID', 'error', 'mirror.operators[0].targetTag', 5, 72],
      ['TARGET_PATH_INVALID', 'error', 'mirror.additionalImages[0].targetRepo', 6, 54],
    ],
  },
  {
    name: 'error/additional image reference invalid',
    text: `${V2}mirror:\n  additionalImages:\n  - name: "quay.io/a/b:bad tag"\n`,
    want: [['IMAGE_REF_INVALID', 'error', 'mirror.additionalImages[0].name', 5, 11]],
  },
  {
    name: 'error/blocked image regex (§2.4)',
    text: `${V2}mirror:\n  blockedImages:\n  - name: ok.*\n  - name: "[unclosed"\n`,
    want: [['REGEX_INVALID', 'error', 'mirror.blockedImages[1].name', 6, 11]],
  },
  {
    name: 'error/duplicate release channels, platforms with architectures (§2.4)',
    text: `${V2}mirror:\n  platform:\n    architectures: [amd64]\n    platforms: [{os: linux, architecture: arm64}]\n    channels:\n    - {name: stable-4.18, type: okd}\n    - {name: stable-4.18, minVersion: four}\n`,
    want: [
      ['PLATFORMS_WITH_ARCHITECTURES', 'error', 'mirror.platform.platforms', 6, 16],
      ['DUPLICATE_RELEASE_CHANNEL', 'error', 'mirror.platform.channels[1].name', 9, 14],
      ['VERSION_INVALID', 'error', 'mirror.platform.channels[1].minVersion', 9, 39],
    ],
  },
  {
    name: 'error/unknown architecture and release channel type',
    text: `${V1}mirror:\n  platform:\n    architectures: [x86]\n    channels: [{name: stable-4.14, type: rhel}]\n`,
    want: [
      ['ARCHITECTURE_UNKNOWN', 'error', 'mirror.platform.architectures[0]', 5, 21],
      ['VALUE_INVALID', 'error', 'mirror.platform.channels[0].type', 6, 42],
    ],
  },
  {
    name: 'warning/kubeVirtContainer with no release selected; with one it is no longer "not supported"',
    text: `${V2}mirror:\n  platform:\n    kubeVirtContainer: true\n`,
    want: [['KUBEVIRT_WITHOUT_RELEASES', 'warning', 'mirror.platform.kubeVirtContainer', 5, 24]],
  },
  {
    name: 'valid/kubeVirtContainer with a release',
    text: `${V2}mirror:\n  platform:\n    kubeVirtContainer: true\n    release: quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64\n`,
    want: [],
  },
  {
    name: 'warning/an empty helm: is named as not used, never dropped in silence',
    text: `${V2}mirror:\n  helm: {}\n  additionalImages: [{name: quay.io/a/b:1}]\n`,
    want: [['HELM_NOT_SUPPORTED', 'warning', 'mirror.helm', 4, 9]],
  },
  {
    name: 'warning/storageConfig is read, checked and said to be unused',
    text: `${V1}storageConfig:\n  local:\n    path: /tmp/meta\nmirror:\n  additionalImages: [{name: quay.io/a/b:1}]\n`,
    want: [['STORAGE_CONFIG_NOT_USED', 'warning', 'storageConfig', 4, 3]],
  },
  {
    name: 'warning/helm accepted, not mirrored',
    text: `${V2}mirror:\n  helm:\n    local: [{name: mychart, path: /charts/mychart-1.0.0.tgz}]\n`,
    want: [['HELM_NOT_SUPPORTED', 'warning', 'mirror.helm', 5, 5]],
  },
  {
    name: 'error/wrong container types',
    text: `${V2}mirror:\n  operators: {catalog: quay.io/a/b}\n  additionalImages: [quay.io/a/b]\n`,
    want: [
      ['TYPE_MISMATCH', 'error', 'mirror.operators', 4, 14],
      ['TYPE_MISMATCH', 'error', 'mirror.additionalImages[0]', 5, 22],
    ],
  },
  {
    name: 'error/operator-level defaultChannel is not an oc-mirror field',
    text: `${V2}mirror:\n  operators:\n  - {catalog: quay.io/a/b:1, defaultChannel: stable}\n`,
    want: [['FIELD_UNKNOWN', 'error', 'mirror.operators[0].defaultChannel', 5, 30]],
  },
  {
    name: 'error/yaml 1.1 booleans as names need quotes',
    text: `${V2}mirror:\n  operators:\n  - catalog: quay.io/a/b:1\n    packages: [{name: no}]\n`,
    want: [['TYPE_MISMATCH', 'error', 'mirror.operators[0].packages[0].name', 6, 23]],
  },
];

for (const c of issueCases) {
  test(`config/${c.name}`, () => {
    assert.deepEqual(summarise(c.text), c.want);
    const r = parseImageSetConfig(c.text, 'isc.yaml');
    assert.equal(r.config === undefined, r.issues.some((i) => i.severity === 'error'));
    for (const i of r.issues) assert.equal(i.file, 'isc.yaml');
  });
}

test('config/hints: typo, float quoting, v1-only field, unsupported apiVersion', () => {
  const hint = (text: string, code: string) => parseImageSetConfig(text, 'isc.yaml').issues.find((i) => i.code === code)?.hint;
  assert.equal(hint(issueCases.find((c) => c.name === 'error/unknown field with typo hint')!.text, 'FIELD_UNKNOWN'), 'did you mean "minVersion"?');
  assert.equal(hint(issueCases.find((c) => c.name === 'error/maxVersion read as a float')!.text, 'TYPE_MISMATCH'), 'quote it: maxVersion: "1.10" (YAML reads 1.10 as the number 1.1)');
  assert.match(hint(`${V2}storageConfig: {local: {path: /x}}\nmirror: {}\n`, 'FIELD_V1_ONLY') ?? '', /oc-mirror v2 rejects it/);
  assert.match(hint('apiVersion: v1\nkind: ImageSetConfiguration\n', 'API_VERSION_UNSUPPORTED') ?? '', /mirror\.openshift\.io\/v1alpha2, mirror\.openshift\.io\/v2alpha1/);
  assert.match(hint(`${V2}mirrror: {}\n`, 'FIELD_UNKNOWN') ?? '', /did you mean "mirror"\?/);
});

test('config/warnings keep the config', () => {
  const r = parseImageSetConfig(`${V2}storageConfig: {local: {path: /x}}\nmirror: {}\n`, 'isc.yaml');
  assert.deepEqual(r.config?.storageConfig, { local: { path: '/x' } });
  assert.deepEqual(r.config?.mirror, { operators: [], additionalImages: [], blockedImages: [], samples: [] });
});

test('config/property: arbitrary text never throws and always answers', () => {
  const yamlish = fc.array(
    fc.oneof(
      fc.constantFrom('apiVersion: mirror.openshift.io/v2alpha1\n', 'kind: ImageSetConfiguration\n', 'mirror:\n', '  operators:\n', '  - catalog: ', 'packages: [', ']', '{', '}', ': ', '- ', '  ', '\n', '&a ', '*a', '!!str ', '"', "'", '#', '1.10', 'null', '~', '<<: *a\n'),
      fc.string(),
    ),
    { maxLength: 30 },
  );
  fc.assert(
    fc.property(fc.oneof(fc.string(), yamlish.map((parts) => parts.join(''))), (text) => {
      const r = parseImageSetConfig(text, 'f.yaml');
      assert.ok(Array.isArray(r.issues));
      assert.ok(r.config !== undefined || r.issues.some((i) => i.severity === 'error'));
      for (const i of r.issues) assert.ok(i.line >= 1 && i.column >= 1);
    }),
    { numRuns: 2000 },
  );
});
