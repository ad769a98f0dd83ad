// gantry catalog blueprint end to end: the MicroShift Image Builder [[containers]] from a catalog alone, checked
// against the documented jq recipe (run with the real jq) and parsed as TOML; from a catalog image in a registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { sha256 } from '../src/oci/digest.js';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { REAL_CATALOG } from './corpus.js';
import { tempDir } from './helpers.js';
import { DEMO_CATALOG, pushDemoCatalog } from './demo-catalog.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const gantry = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
const D = (s: string) => sha256(s);

/** The seed's recipe (MicroShift docs), over a catalog as JSON, with or without its architecture filters. */
function jqRecipe(catalogJson: string, filter: string): string[] {
  const program = `.[] | select(.relatedImages != null) | ${filter} .relatedImages[] | select(.name | contains("ppc") | not) | select(.name | contains("s390x") | not) | "[[containers]]\\nsource = \\"" + .image + "\\"\\n"`;
  const r = spawnSync('jq', ['-r', '--slurp', program], { input: catalogJson, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return [...new Set([...r.stdout.matchAll(/^source = "(.+)"$/gm)].map((m) => m[1]!))].sort();
}

const sourcesOf = (toml: string) => (parseToml(toml) as { containers: { source: string; name?: string }[] }).containers.map((c) => c.source).sort();

let dir: { path: string; remove(): Promise<void> };
let registry: RunningRegistry;
const CATALOG = () => join(dir.path, 'catalog');

before(async () => {
  dir = await tempDir('cli-blueprint');
  registry = await startRegistry();
  // One package, two channels; every image by digest, operands for ppc64le and s390x named as operators name them.
  const bundle = (v: string) => ({
    schema: 'olm.bundle',
    package: 'edge-op',
    name: `edge-op.v${v}`,
    image: `quay.io/edge/bundle@${D(`b${v}`)}`,
    properties: [{ type: 'olm.package', value: { packageName: 'edge-op', version: v } }],
    relatedImages: [
      { name: '', image: `quay.io/edge/bundle@${D(`b${v}`)}` },
      { name: 'operator', image: `quay.io/edge/operator@${D(`o${v}`)}` },
      { name: 'operand-ppc64le', image: `quay.io/edge/operand@${D(`p${v}`)}` },
      { name: 'operand-s390x', image: `quay.io/edge/operand@${D(`s${v}`)}` },
      { name: 'operand', image: `quay.io/edge/operand@${D(`a${v}`)}` },
    ],
  });
  const blobs = [
    { schema: 'olm.package', name: 'edge-op', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'edge-op', name: 'stable', entries: [{ name: 'edge-op.v1.0.0' }, { name: 'edge-op.v1.1.0', replaces: 'edge-op.v1.0.0' }] },
    { schema: 'olm.channel', package: 'edge-op', name: 'candidate', entries: [{ name: 'edge-op.v2.0.0' }] },
    bundle('1.0.0'),
    bundle('1.1.0'),
    bundle('2.0.0'),
  ];
  await mkdir(join(CATALOG(), 'edge-op'), { recursive: true });
  await writeFile(join(CATALOG(), 'edge-op', 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  await pushDemoCatalog(registry, buildImage({ seed: 'bp-operator', layerSizes: [1_000] }), [['1.0.0', buildImage({ seed: 'bp-bundle', layerSizes: [1_000] })]]);
});
after(async () => {
  await registry?.stop();
  await dir?.remove();
});

test('cli/catalog blueprint: the same images as the documented jq recipe, by digest, TOML that parses', async () => {
  const r = gantry(['catalog', 'blueprint', CATALOG(), '--package', 'edge-op', '--exclude-arch', 'ppc64le,s390x']);
  assert.equal(r.status, 0, r.stderr);
  const json = gantry(['catalog', 'render', CATALOG()]).stdout;
  assert.deepEqual(sourcesOf(r.stdout), jqRecipe(json, 'select(.package == "edge-op") |'));
  assert.equal(sourcesOf(r.stdout).length, 9, 'bundle, operator and the kept operand of three bundles');
  assert.ok(sourcesOf(r.stdout).every((s) => /@sha256:[0-9a-f]{64}$/.test(s)));
  assert.match(r.stderr, /excluded: quay\.io\/edge\/operand@sha256:[0-9a-f]{64} \(its related-image name "operand-ppc64le" marks ppc64le\)/);
  assert.match(r.stderr, /3 bundles, 9 containers, 6 excluded/);
  assert.doesNotMatch(r.stdout, /excluded|warning/i, 'diagnostics stay on stderr');
  // Without --exclude-arch every related image is listed, like the recipe without its two selects; from stdin too.
  const all = gantry(['catalog', 'blueprint', CATALOG()]);
  assert.equal(sourcesOf(all.stdout).length, 15);
  const stdin = gantry(['catalog', 'blueprint', '-', '-o', 'json'], json);
  assert.equal(stdin.status, 0, stdin.stderr);
  assert.deepEqual((JSON.parse(stdin.stdout) as { containers: { source: string }[] }).containers.map((c) => c.source).sort(), sourcesOf(all.stdout));
});

test('cli/catalog blueprint: --channel and --min/--max-version narrow the bundles as the recipe selects do', async () => {
  const json = gantry(['catalog', 'render', CATALOG()]).stdout;
  const stable = gantry(['catalog', 'blueprint', CATALOG(), '-p', 'edge-op', '--channel', 'stable', '--exclude-arch', 'ppc64le,s390x']);
  assert.equal(stable.status, 0, stable.stderr);
  assert.deepEqual(sourcesOf(stable.stdout), jqRecipe(json, 'select(.name == "edge-op.v1.0.0" or .name == "edge-op.v1.1.0") |'));
  const range = gantry(['catalog', 'blueprint', CATALOG(), '-p', 'edge-op', '--min-version', '1.1.0', '--max-version', '2.0.0', '--exclude-arch', 's390x,ppc64le', '-o', 'json']);
  assert.equal(range.status, 0, range.stderr);
  const parsed = JSON.parse(range.stdout) as { containers: { source: string }[]; excluded: unknown[] };
  assert.deepEqual(parsed.containers.map((c) => c.source).sort(), jqRecipe(json, 'select(.name == "edge-op.v1.1.0" or .name == "edge-op.v2.0.0") |'));
  assert.equal(parsed.excluded.length, 4);
  const unknown = gantry(['catalog', 'blueprint', CATALOG(), '-p', 'edge-op', '--channel', 'nope']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^error\[NOT_FOUND\]: channel "nope" is not in package "edge-op"/);
  const bad = gantry(['catalog', 'blueprint', CATALOG(), '-o', 'xml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error\[USAGE\]: option '-o, --output <format>' argument 'xml' is invalid\. Allowed choices are toml, json\./);
});

test('cli/catalog blueprint: related images by tag are listed loudly; --strict-digests makes them an error', async () => {
  // The real community catalog relates its images by tag, as many do.
  const r = gantry(['catalog', 'blueprint', REAL_CATALOG, '-p', 'cat-facts-operator']);
  assert.equal(r.status, 0, r.stderr);
  const json = gantry(['catalog', 'render', join(REAL_CATALOG, 'cat-facts-operator')]).stdout;
  assert.deepEqual(sourcesOf(r.stdout), jqRecipe(json, ''));
  assert.match(r.stderr, /^warning: referenced by tag, not digest: registry\.redhat\.io\/openshift4\/ose-kube-rbac-proxy-rhel9:latest$/m);
  assert.match(r.stderr, /WARNING: 9 images are referenced by tag; MicroShift cannot resolve a tag without a registry/);
  assert.match(r.stdout, /# WARNING: the manifests use this image by tag/);
  const strict = gantry(['catalog', 'blueprint', REAL_CATALOG, '-p', 'cat-facts-operator', '--strict-digests']);
  assert.equal(strict.status, 1);
  assert.equal(strict.stdout, '', 'nothing on stdout when it fails');
  assert.match(strict.stderr, /error\[CATALOG_INVALID\]: 9 images are referenced by tag/);
  assert.doesNotMatch(strict.stderr, /\n\s+at /);
});

test('cli/catalog blueprint: --microshift-release-info adds MicroShift itself; a bad file is a clear error', async () => {
  const info = join(dir.path, 'release-x86_64.json');
  await writeFile(info, JSON.stringify({ release: { base: '4.16.9' }, images: { haproxy_router: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('router')}`, pod: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('pod')}` } }, null, 2));
  const r = gantry(['catalog', 'blueprint', CATALOG(), '-p', 'edge-op', '--channel', 'candidate', '--microshift-release-info', info]);
  assert.equal(r.status, 0, r.stderr);
  const sources = sourcesOf(r.stdout);
  assert.ok(sources.includes(`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('router')}`));
  assert.ok(sources.includes(`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('pod')}`));
  assert.equal(sources.length, 2 + 5);
  assert.match(r.stderr, /release-x86_64\.json: 2 MicroShift images \(release 4\.16\.9\)/);
  const broken = join(dir.path, 'broken.json');
  await writeFile(broken, '{\n  "images": {\n    "a": "quay.io/x@sha256:1"\n  }\n}\n');
  const bad = gantry(['catalog', 'blueprint', CATALOG(), '--microshift-release-info', broken]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^error\[CONFIG_INVALID\]: .*broken\.json: images\.a: invalid image reference/);
});

test('cli/catalog blueprint: a catalog image is listed by the digest it was read at', async () => {
  const ref = `docker://${registry.host}/${DEMO_CATALOG}:v1`;
  const r = gantry(['catalog', 'blueprint', ref, '--tls-verify=false']);
  assert.equal(r.status, 0, r.stderr);
  const inspect = spawnSync('skopeo', ['inspect', '--raw', '--tls-verify=false', ref], { encoding: 'utf8' });
  assert.equal(inspect.status, 0, inspect.stderr);
  const digest = sha256(inspect.stdout);
  const sources = sourcesOf(r.stdout);
  assert.ok(sources.includes(`${registry.host}/${DEMO_CATALOG}@${digest}`), `catalog by digest in ${sources.join(', ')}`);
  assert.equal(sources.length, 3, 'the catalog, the operator and the bundle');
  assert.doesNotMatch(r.stderr, /catalog image is not in the blueprint/);
  // A directory catalog names its image with --catalog-image, by digest only.
  const named = gantry(['catalog', 'blueprint', CATALOG(), '-p', 'edge-op', '--channel', 'candidate', '--catalog-image', `quay.io/edge/index@${D('idx')}`]);
  assert.ok(sourcesOf(named.stdout).includes(`quay.io/edge/index@${D('idx')}`));
  const tagged = gantry(['catalog', 'blueprint', CATALOG(), '--catalog-image', 'quay.io/edge/index:v1']);
  assert.equal(tagged.status, 2);
  assert.match(tagged.stderr, /error\[USAGE\]: --catalog-image quay\.io\/edge\/index:v1 names no digest/);
});

test('cli/catalog blueprint --resolve: tags become the digests they point to, indexes with no kept architecture are left out', async () => {
  const h = registry.host;
  const single = buildImage({ seed: 'bp-single', layerSizes: [1_000] });
  const index = (seed: string, archs: string[]) => buildIndex(archs.map((architecture) => buildImage({ seed: `${seed}-${architecture}`, layerSizes: [1_000], platform: { os: 'linux', architecture } })));
  const multi = index('bp-r-multi', ['amd64', 's390x']);
  const zonly = index('bp-r-z', ['s390x']);
  await pushImageRaw(registry.url, 'edge/single', '1', single);
  await pushIndexRaw(registry.url, 'edge/multi', 'v2', multi);
  await pushIndexRaw(registry.url, 'edge/zonly', 'v1', zonly);
  const cat = join(dir.path, 'resolve');
  await mkdir(cat, { recursive: true });
  const blobs = [
    { schema: 'olm.package', name: 'r-op', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'r-op', name: 'stable', entries: [{ name: 'r-op.v1.0.0' }] },
    {
      schema: 'olm.bundle',
      package: 'r-op',
      name: 'r-op.v1.0.0',
      image: `${h}/edge/single:1`,
      properties: [{ type: 'olm.package', value: { packageName: 'r-op', version: '1.0.0' } }],
      relatedImages: [
        { name: '', image: `${h}/edge/single:1` },
        { name: 'operand', image: `${h}/edge/multi:v2` },
        { name: 'mainframe-agent', image: `${h}/edge/zonly@${zonly.manifest.digest}` },
      ],
    },
  ];
  await writeFile(join(cat, 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
  const r = gantry(['catalog', 'blueprint', cat, '--resolve', '--tls-verify=false', '--exclude-arch', 's390x']);
  assert.equal(r.status, 0, r.stderr);
  const containers = (parseToml(r.stdout) as { containers: { source: string; name?: string }[] }).containers.map((c) => ({ ...c }));
  assert.deepEqual(containers, [
    { source: `${h}/edge/multi@${multi.manifest.digest}`, name: `${h}/edge/multi:v2` },
    { source: `${h}/edge/single@${single.manifest.digest}`, name: `${h}/edge/single:1` },
  ]);
  assert.match(r.stderr, /excluded: .*edge\/zonly@sha256:[0-9a-f]{64} \(its index has only s390x\)/);
  assert.match(r.stderr, /2 images are referenced by tag; each is stored under its tag at the digest it has now/);
  // Without --resolve, nothing is read: the s390x-only index is kept (its name does not mark it) and tags stay tags.
  const offline = gantry(['catalog', 'blueprint', cat, '--exclude-arch', 's390x']);
  assert.equal(offline.status, 0, offline.stderr);
  assert.deepEqual(sourcesOf(offline.stdout), [`${h}/edge/multi:v2`, `${h}/edge/single:1`, `${h}/edge/zonly@${zonly.manifest.digest}`]);
});
