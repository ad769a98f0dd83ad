// `opm render` of real bundle directories: the newest bundle of 305 community operators and the 48-manifest
// stress bundle, checked against opm's invariants and, where the published v4.20 catalog holds the same
// bundle, against what the community pipeline's opm rendered for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import jsyaml from 'js-yaml';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { byteOrder } from '../src/order.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { renderBundleDirDetailed, type RenderedProperty } from '../src/catalog/render/index.js';
import { CORPUS, REAL_CATALOG } from './corpus.js';

type Obj = Record<string, unknown>;

const BUNDLES = join(CORPUS, 'bundles');

function bundleDirs(): string[] {
  const dirs: string[] = [];
  const latest = join(BUNDLES, 'latest-per-package');
  for (const pkg of readdirSync(latest).sort()) {
    for (const v of readdirSync(join(latest, pkg)).sort()) if (statSync(join(latest, pkg, v)).isDirectory()) dirs.push(join(latest, pkg, v));
  }
  dirs.push(join(BUNDLES, 'stress', 'sn-operator', '0.19.7'));
  return dirs;
}

const rel = (dir: string) => dir.slice(BUNDLES.length + 1);
const isObjectProp = (p: RenderedProperty) => p.type === 'olm.bundle.object' || p.type === 'olm.csv.metadata';
const decodeObject = (p: RenderedProperty): Obj => JSON.parse(Buffer.from((p.value as { data: string }).data, 'base64').toString('utf8')) as Obj;

// What opm itself skips in these bundles (it logs to a discarded logger): one multi-document manifest and
// one dependencies.yaml that is not valid YAML.
const EXPECTED_WARNINGS = [
  'latest-per-package/community-trivy-operator/2.4.0 manifests/trivy-operator.service.yaml:1',
  'latest-per-package/eventing-kogito/1.2.0 metadata/dependencies.yaml:22',
];

test('render-corpus/every bundle directory renders, with opm\'s invariants', async () => {
  const dirs = bundleDirs();
  assert.equal(dirs.length, 306);
  const warnings: string[] = [];
  for (const dir of dirs) {
    const r = await renderBundleDirDetailed(await createDirectoryTree(dir));
    const b = r.bundle;
    const at = rel(dir);
    for (const w of r.warnings) warnings.push(`${at} ${w.file}:${w.line}`);

    // The package comes from annotations.yaml, read here independently.
    const ann = (jsyaml.load(readFileSync(join(dir, 'metadata', 'annotations.yaml'), 'utf8')) as { annotations: Obj }).annotations;
    const pkgName = String(ann['operators.operatorframework.io.bundle.package.v1']);
    assert.equal(b.package, pkgName, at);
    const pkgProps = b.properties.filter((p) => p.type === 'olm.package');
    assert.equal(pkgProps.length, 1, `${at}: one olm.package`);
    const pkg = pkgProps[0]!.value as { packageName: string; version: string };

    // The CSV and CRDs as the bundle inlines them.
    const objectProps = b.properties.filter((p) => p.type === 'olm.bundle.object');
    const objects = objectProps.map(decodeObject);
    const csvs = objects.filter((o) => o.kind === 'ClusterServiceVersion');
    assert.equal(csvs.length, 1, `${at}: one CSV`);
    const csv = csvs[0]!;
    assert.equal(b.name, (csv.metadata as Obj).name, at);
    assert.equal(pkg.packageName, pkgName, at);
    assert.equal(pkg.version, (csv.spec as Obj).version, at);

    const gvks = new Set(b.properties.filter((p) => p.type === 'olm.gvk').map((p) => p.valueText));
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(gvks.size >= crds.length, `${at}: ${gvks.size} gvks for ${crds.length} CRDs`);
    for (const c of crds) {
      const spec = c.spec as { group: string; names: { kind: string }; versions?: { name: string }[]; version?: string };
      for (const v of [...(spec.versions ?? []).map((x) => x.name), ...(spec.version ? [spec.version] : [])]) {
        assert.ok(gvks.has(JSON.stringify({ group: spec.group, kind: spec.names.kind, version: v })), `${at}: gvk ${spec.group}/${v}/${spec.names.kind}`);
      }
    }

    // One inlined object per top-level manifest file opm decodes.
    const manifestFiles = readdirSync(join(dir, 'manifests')).filter((f) => !f.startsWith('.'));
    const skipped = r.warnings.filter((w) => w.file.startsWith('manifests/') && w.message.startsWith('skipped')).length;
    assert.equal(objectProps.length, manifestFiles.length - skipped, at);

    // Order: (type, value text) byte-wise, inlined objects last.
    const firstObject = b.properties.findIndex(isObjectProp);
    assert.ok(b.properties.slice(firstObject).every(isObjectProp), `${at}: objects last`);
    const head = b.properties.slice(0, firstObject);
    for (let i = 1; i < head.length; i++) {
      const [x, y] = [head[i - 1]!, head[i]!];
      assert.ok(byteOrder(x.type, y.type) < 0 || (x.type === y.type && byteOrder(x.valueText, y.valueText) <= 0), `${at}: ${x.type} before ${y.type}`);
    }
    assert.ok(b.properties.every((p) => p.ordered === true && (p.valueText === '' || isDeepStrictEqual(JSON.parse(p.valueText), p.value))), at);

    // relatedImages: sorted, every CSV-listed image present, no bundle image without one.
    assert.equal(b.image, '');
    for (let i = 1; i < b.relatedImages.length; i++) assert.ok(byteOrder(b.relatedImages[i - 1]!.image, b.relatedImages[i]!.image) <= 0, `${at}: relatedImages sorted`);
    const listed = ((csv.spec as Obj).relatedImages as { image: string }[] | undefined) ?? [];
    for (const ri of listed) assert.ok(b.relatedImages.some((x) => x.image === ri.image), `${at}: ${ri.image}`);
  }
  assert.deepEqual(warnings, EXPECTED_WARNINGS);
});

test('render-corpus/with the image and the csv-metadata migration, bundles equal the published v4.20 catalog', async () => {
  const real = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  const published = new Map(real.config.bundles.map((b) => [b.name, b]));
  const packages = new Set(readdirSync(REAL_CATALOG));
  const compared: string[] = [];
  for (const dir of bundleDirs().filter((d) => packages.has(rel(d).split('/')[1]!))) {
    const tree = await createDirectoryTree(dir);
    const plain = await renderBundleDirDetailed(tree);
    const theirs = published.get(plain.bundle.name);
    if (theirs === undefined) continue;
    const r = await renderBundleDirDetailed(tree, { image: theirs.image, migrateLevel: 'bundle-object-to-csv-metadata' });
    const b = r.bundle;
    // Values compare as data: the published file is YAML, whose keys are sorted.
    assert.deepEqual(
      b.properties.map((p) => ({ type: p.type, value: p.value })),
      (theirs.properties ?? []).map((p) => ({ type: p.type, value: p.value })),
      rel(dir),
    );
    assert.deepEqual(b.relatedImages, theirs.relatedImages, rel(dir));
    assert.equal(b.properties.filter((p) => p.type === 'olm.csv.metadata').length, 1);
    // Apart from the inlined objects becoming one csv-metadata, the migration changes nothing.
    assert.deepEqual(
      b.properties.filter((p) => !isObjectProp(p)),
      plain.bundle.properties.filter((p) => !isObjectProp(p)),
    );
    compared.push(b.name);
  }
  assert.equal(compared.length, 31);
});
