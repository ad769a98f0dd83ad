import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseReference } from '../oci/reference.js';
import { sha256 } from '../oci/digest.js';
import { mirrorDestination } from './destination.js';
import type { MirroredImage } from './cluster-resources.js';
import { formatBlueprintJson, formatBlueprintToml, planBlueprint, withExtraImages, type BlueprintImage } from './microshift-blueprint.js';
import { generateBlueprintContainers, generateRegistriesConf } from './microshift.js';
import { parseReleaseInfo } from './microshift-release-info.js';
import { catalogBlueprintImages, selectBundles } from './microshift-catalog.js';
import type { DeclarativeConfig } from '../catalog/fbc/types.js';

const D = (s: string | number) => sha256(String(s));
const target = { registry: 'mirror.example.com:5000', namespace: 'edge' };

/** Golden files live in the source tree (testdata/); GANTRY_UPDATE_GOLDEN=1 rewrites them. */
async function golden(name: string, actual: string): Promise<void> {
  const file = new URL(`../../../src/generate/testdata/microshift/${name}`, import.meta.url).pathname;
  if (process.env.GANTRY_UPDATE_GOLDEN === '1') {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  assert.equal(actual, await readFile(file, 'utf8'), `golden ${name}`);
}

function mirrored(src: string, kind: MirroredImage['kind'], digest: string): MirroredImage {
  const source = parseReference(src, { defaultTag: null });
  return { source, dest: mirrorDestination(source, target), digest: digest as MirroredImage['digest'], kind };
}

// What a mirror run records: an operator by digest, its multi-arch operand by digest, a tag-referenced proxy, an
// operand whose index has only s390x, and the rebuilt catalog (its record names the mirror copy).
const records: MirroredImage[] = [
  mirrored(`registry.redhat.io/rhel9/postgresql-15@${D('pg')}`, 'operator', D('pg')),
  mirrored(`quay.io/org/operand@${D('multi')}`, 'operator', D('multi')),
  mirrored('quay.io/org/kube-rbac-proxy:v0.15', 'operator', D('proxy')),
  mirrored(`quay.io/org/zonly@${D('z')}`, 'operator', D('z')),
  { source: { registry: 'mirror.example.com:5000', repository: 'edge/redhat/redhat-operator-index', tag: 'v4.16' }, dest: { registry: 'mirror.example.com:5000', repository: 'edge/redhat/redhat-operator-index', tag: 'v4.16' }, digest: D('cat'), kind: 'catalog' },
];
const platformDigests = new Map([
  [D('multi'), [{ architecture: 'amd64', digest: D('m-amd') }, { architecture: 'arm64', digest: D('m-arm') }, { architecture: 's390x', digest: D('m-s390') }]],
  [D('z'), [{ architecture: 's390x', digest: D('z-s390') }, { architecture: 'unknown', digest: D('z-att') }]],
]);

test('microshift/golden: blueprint of a mirror run, source names by digest, catalog included, index digests kept', async () => {
  const toml = generateBlueprintContainers(records, { excludeArchitectures: ['ppc64le', 's390x'], platformDigests });
  await golden('blueprint-source.toml', toml);
  const parsed = parseToml(toml) as { containers: { source: string; name?: string }[] };
  assert.ok(parsed.containers.some((c) => c.source === `quay.io/org/operand@${D('multi')}`), 'the index digest, which the CSV names');
  assert.ok(!toml.includes(D('m-amd')), 'no per-architecture digest');
  assert.ok(!toml.includes('zonly'), 'an index with no kept architecture is left out');
  assert.ok(parsed.containers.some((c) => c.source === `mirror.example.com:5000/edge/redhat/redhat-operator-index@${D('cat')}`), 'the catalog, as its CatalogSource names it');
  assert.deepEqual(
    { ...parsed.containers.find((c) => c.source.startsWith('quay.io/org/kube-rbac-proxy')) },
    { source: 'quay.io/org/kube-rbac-proxy:v0.15' },
    'a tag reference is pulled from its source by tag (the digest mirrored may exist only at the mirror)',
  );
});

test('microshift/golden: --blueprint-source mirror pulls from the mirror and stores under the source names', async () => {
  const toml = generateBlueprintContainers(records, { location: 'mirror' });
  await golden('blueprint-mirror.toml', toml);
  const parsed = parseToml(toml) as { containers: { source: string; name?: string }[] };
  assert.equal(parsed.containers.length, 5);
  assert.ok(parsed.containers.every((c) => c.source.startsWith('mirror.example.com:5000/edge/')));
  assert.deepEqual(parsed.containers.find((c) => c.name === `registry.redhat.io/rhel9/postgresql-15@${D('pg')}`)?.source, `mirror.example.com:5000/edge/rhel9/postgresql-15@${D('pg')}`);
  assert.deepEqual(parsed.containers.find((c) => c.name === 'quay.io/org/kube-rbac-proxy:v0.15')?.source, `mirror.example.com:5000/edge/org/kube-rbac-proxy@${D('proxy')}`, 'from the mirror by the digest mirrored, stored under the tag');
});

test('microshift/golden: the CRI-O drop-in sends tag pulls of ITMS repositories to the mirror', async () => {
  const conf = generateRegistriesConf(records.filter((r) => r.kind !== 'catalog'));
  await golden('registries.conf', conf);
  const toml = parseToml(conf) as { registry: { location: string; 'mirror-by-digest-only': boolean }[] };
  const only = Object.fromEntries(toml.registry.map((r) => [r.location, r['mirror-by-digest-only']]));
  assert.deepEqual(only, { 'quay.io/org/kube-rbac-proxy': false, 'quay.io/org/operand': true, 'quay.io/org/zonly': true, 'registry.redhat.io/rhel9/postgresql-15': true });
});

const img = (ref: string, extra: Partial<BlueprintImage> = {}): BlueprintImage => {
  const source = parseReference(ref, { defaultTag: null });
  return { source, ...(source.digest ? { digest: source.digest } : {}), ...extra };
};

const ruleCases: { name: string; images: BlueprintImage[]; exclude?: string[]; sources: string[]; excluded?: number; byTag?: string[] }[] = [
  { name: 'exclude/a related-image name with "ppc" (the recipe)', images: [img(`q.io/a/op-ppc@${D(1)}`, { names: ['operand-ppc64le'] }), img(`q.io/a/op@${D(2)}`, { names: ['operand'] })], exclude: ['ppc64le', 's390x'], sources: [`q.io/a/op@${D(2)}`], excluded: 1 },
  { name: 'exclude/kept when another entry names it plainly', images: [img(`q.io/a/op@${D(1)}`, { names: ['operand-s390x', ''] })], exclude: ['s390x'], sources: [`q.io/a/op@${D(1)}`] },
  { name: 'exclude/names count only for the excluded architectures', images: [img(`q.io/a/op@${D(1)}`, { names: ['operand-s390x'] })], exclude: ['ppc64le'], sources: [`q.io/a/op@${D(1)}`] },
  { name: 'exclude/an index with only excluded architectures', images: [img(`q.io/a/op@${D(1)}`, { architectures: ['ppc64le', 's390x'] })], exclude: ['ppc64le', 's390x'], sources: [], excluded: 1 },
  { name: 'keep/an index with one kept architecture, by index digest', images: [img(`q.io/a/op@${D(1)}`, { architectures: ['ppc64le', 'arm64'] })], exclude: ['ppc64le'], sources: [`q.io/a/op@${D(1)}`] },
  { name: 'keep/nothing excluded without --exclude-arch', images: [img(`q.io/a/op@${D(1)}`, { names: ['ppc'], architectures: ['ppc64le'] })], sources: [`q.io/a/op@${D(1)}`] },
  { name: 'tag/an unresolved tag is listed by tag, loudly', images: [img('q.io/a/op:v1')], sources: ['q.io/a/op:v1'], byTag: ['q.io/a/op:v1'] },
  { name: 'dedupe/one entry per image', images: [img(`q.io/a/op@${D(1)}`), img(`q.io/a/op@${D(1)}`, { names: ['x'] })], sources: [`q.io/a/op@${D(1)}`] },
];

for (const c of ruleCases) {
  test(`microshift/rules/${c.name}`, () => {
    const bp = planBlueprint(c.images, c.exclude ? { excludeArchitectures: c.exclude } : {});
    assert.deepEqual(bp.containers.map((e) => e.source), c.sources);
    assert.equal(bp.excluded.length, c.excluded ?? 0);
    assert.deepEqual(bp.byTag, c.byTag ?? []);
  });
}

test('microshift/json: the Image Builder service shape', () => {
  const json = JSON.parse(formatBlueprintJson(planBlueprint([img('q.io/a/op:v1'), img(`q.io/b/x@${D(1)}`)]))) as { containers: { source: string }[]; byTag: string[] };
  assert.deepEqual(json.containers, [{ source: 'q.io/a/op:v1' }, { source: `q.io/b/x@${D(1)}` }]);
  assert.deepEqual(json.byTag, ['q.io/a/op:v1']);
  assert.match(formatBlueprintToml(planBlueprint([img('q.io/a/op:v1')])), /# WARNING: .*by tag.*\n\[\[containers\]\]\nsource = "q\.io\/a\/op:v1"\n$/);
});

test('microshift/release-info: release-<arch>.json images become blueprint entries; bad files name file and line', () => {
  const text = JSON.stringify({ release: { base: '4.16.9' }, images: { haproxy_router: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('h')}`, pause: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('p')}` } }, null, 2);
  const info = parseReleaseInfo(text, 'release-x86_64.json');
  assert.equal(info.base, '4.16.9');
  assert.deepEqual(planBlueprint(info.images).containers.map((c) => c.source), [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('h')}`, `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('p')}`].sort());
  assert.throws(() => parseReleaseInfo('{\n  "images": {\n    "a": 1,,\n}', 'r.json'), (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID' && /^r\.json:3: invalid JSON/.test(e.message));
  assert.throws(() => parseReleaseInfo('{"release": {}}', 'r.json'), /no "images" object/);
  assert.throws(() => parseReleaseInfo('{"images": {"a": "Not A Ref"}}', 'r.json'), /images\.a: invalid image reference/);
});

const catalog: DeclarativeConfig = {
  packages: [{ schema: 'olm.package', name: 'op', defaultChannel: 'stable' }, { schema: 'olm.package', name: 'other', defaultChannel: 'stable' }],
  channels: [
    { schema: 'olm.channel', package: 'op', name: 'stable', entries: [{ name: 'op.v1' }, { name: 'op.v2', replaces: 'op.v1' }] },
    { schema: 'olm.channel', package: 'op', name: 'fast', entries: [{ name: 'op.v3' }] },
    { schema: 'olm.channel', package: 'other', name: 'stable', entries: [{ name: 'other.v1' }] },
  ],
  bundles: (['op.v1:1.0.0', 'op.v2:2.0.0', 'op.v3:3.0.0', 'other.v1:1.0.0'] as const).map((s) => {
    const [name, version] = s.split(':') as [string, string];
    const pkg = name.split('.')[0]!;
    return {
      schema: 'olm.bundle' as const,
      package: pkg,
      name,
      image: `q.io/b/${name}@${D(name)}`,
      properties: [{ type: 'olm.package', value: { packageName: pkg, version } }],
      relatedImages: [
        { name: '', image: `q.io/b/${name}@${D(name)}` },
        { name: 'operand', image: `q.io/o/${pkg}@${D(`${name}-o`)}` },
        { name: 'operand-ppc64le', image: `q.io/o/${pkg}-ppc@${D(`${name}-p`)}` },
      ],
    };
  }),
  deprecations: [],
  others: [],
};

test('microshift/catalog: bundles chosen as the recipe chooses them (package, channel, versions)', () => {
  const names = (sel: Parameters<typeof selectBundles>[1]) => selectBundles(catalog, sel).map((b) => b.name);
  assert.deepEqual(names({}), ['op.v1', 'op.v2', 'op.v3', 'other.v1']);
  assert.deepEqual(names({ package: 'op' }), ['op.v1', 'op.v2', 'op.v3']);
  assert.deepEqual(names({ package: 'op', channel: 'stable' }), ['op.v1', 'op.v2']);
  assert.deepEqual(names({ package: 'op', minVersion: '2.0.0' }), ['op.v2', 'op.v3']);
  assert.deepEqual(names({ package: 'op', minVersion: '1.5.0', maxVersion: '2' }), ['op.v2']);
  assert.throws(() => names({ package: 'nope' }), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
  assert.throws(() => names({ package: 'op', channel: 'nope' }), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
  assert.throws(() => names({ minVersion: 'x.y' }), (e: Error & { code?: string }) => e.code === 'USAGE');
  const { images, bundles } = catalogBlueprintImages(catalog, { package: 'op', channel: 'stable' });
  assert.equal(bundles, 2);
  const bp = planBlueprint(images, { excludeArchitectures: ['ppc64le', 's390x'] });
  assert.deepEqual(bp.containers.map((c) => c.source.replace(/@.*/, '')), ['q.io/b/op.v1', 'q.io/b/op.v2', 'q.io/o/op', 'q.io/o/op']);
  assert.deepEqual(bp.excluded.map((e) => e.image.replace(/@.*/, '')), ['q.io/o/op-ppc', 'q.io/o/op-ppc']);
});

test('microshift/mirror run: relatedImages names from the plan exclude as the recipe does', () => {
  const ppc = mirrored(`quay.io/org/operand-ppc@${D('ppc')}`, 'operator', D('ppc'));
  const relatedNames = new Map([
    [`quay.io/org/operand-ppc@${D('ppc')}`, ['operand-ppc64le']],
    [`quay.io/org/operand@${D('multi')}`, ['operand']],
  ]);
  const toml = generateBlueprintContainers([...records, ppc], { excludeArchitectures: ['ppc64le'], relatedNames });
  assert.ok(!toml.includes('operand-ppc'), 'named for ppc64le: left out');
  assert.ok(toml.includes(`quay.io/org/operand@${D('multi')}`));
  assert.ok(generateBlueprintContainers([...records, ppc], { relatedNames }).includes('operand-ppc'), 'kept when nothing is excluded');
});

test('microshift/extra images: one the run also mirrored joins its entry (names merged, pulled from the mirror); others are added', () => {
  const ref = (s: string) => parseReference(s);
  const mirrored: BlueprintImage[] = [{ source: ref(`quay.io/ocp/art@${D('cli')}`), digest: D('cli'), mirror: ref(`mirror.example.com:5000/edge/ocp/art@${D('cli')}`) }];
  const extra: BlueprintImage[] = [
    { source: ref(`quay.io/ocp/art@${D('cli')}`), digest: D('cli'), names: ['cli'] },
    { source: ref(`registry.redhat.io/lvms4/topolvm@${D('lvms')}`), digest: D('lvms'), names: ['lvms_topolvm'] },
  ];
  const merged = withExtraImages(mirrored, extra);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0]!.names, ['cli']);
  assert.equal(mirrored[0]!.names, undefined, 'the inputs are not changed');
  const bp = planBlueprint(merged, { location: 'mirror' });
  assert.deepEqual(bp.containers.map((c) => [c.source, c.name]), [
    [`mirror.example.com:5000/edge/ocp/art@${D('cli')}`, `quay.io/ocp/art@${D('cli')}`],
    [`registry.redhat.io/lvms4/topolvm@${D('lvms')}`, undefined],
  ]);
});
