// `gantry catalog render` normalises every input as `opm render` does (OR:alpha/action/render.go Run): inlined
// manifests (olm.bundle.object, olm.csv.metadata) last in a bundle's properties, relatedImages sorted by image,
// for catalog directories and streams too, not only for bundles. Inputs: opm's own testdata catalogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsyaml from 'js-yaml';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const BIN = join(ROOT, 'bin', 'gantry.js');
const TESTDATA = join(ROOT, 'test', 'fixtures', 'opm-testdata');
const gantry = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 60_000 });

interface Blob {
  schema: string;
  name?: string;
  properties?: { type: string; value: unknown }[];
  relatedImages?: { name?: string; image: string }[];
}

const isObject = (p: { type: string }) => p.type === 'olm.bundle.object' || p.type === 'olm.csv.metadata';
const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function parseStream(text: string): Blob[] {
  return text
    .split(/\n(?=\{)/)
    .filter((s) => s.trim() !== '')
    .map((s) => JSON.parse(s) as Blob);
}

/** The input's bundles by name, read independently of gantry (js-yaml over opm's files). */
async function inputBundles(dir: string): Promise<Map<string, Blob>> {
  const docs = jsyaml.loadAll(await readFile(join(TESTDATA, dir, 'index.yaml'), 'utf8')) as Blob[];
  return new Map(docs.filter((d) => d?.schema === 'olm.bundle').map((d) => [d.name!, d]));
}

function assertNormalised(out: Blob[], input: Map<string, Blob>, label: string): void {
  const bundles = out.filter((b) => b.schema === 'olm.bundle');
  assert.equal(bundles.length, input.size, label);
  for (const b of bundles) {
    const src = input.get(b.name!)!;
    const props = src.properties ?? [];
    assert.deepEqual(b.properties, [...props.filter((p) => !isObject(p)), ...props.filter(isObject)], `${label} ${b.name} properties`);
    const images = (src.relatedImages ?? []).map((r) => ({ name: r.name ?? '', image: r.image }));
    assert.deepEqual(b.relatedImages, [...images].sort((x, y) => bytewise(x.image, y.image)), `${label} ${b.name} relatedImages`);
  }
}

for (const dir of ['list-index/bar', 'index-declcfgs/latest']) {
  test(`cli/catalog render normalises an FBC directory as opm render does: opm testdata ${dir}`, async () => {
    const input = await inputBundles(dir);
    const r = gantry(['catalog', 'render', join(TESTDATA, dir)]);
    assert.equal(r.status, 0, r.stderr);
    assertNormalised(parseStream(r.stdout), input, dir);
    // The same from a stream and as YAML.
    const stdin = gantry(['catalog', 'render', '-'], await readFile(join(TESTDATA, dir, 'index.yaml'), 'utf8'));
    assert.equal(stdin.status, 0, stdin.stderr);
    assert.equal(stdin.stdout, r.stdout);
    const yaml = gantry(['catalog', 'render', '-o', 'yaml', join(TESTDATA, dir)]);
    assert.equal(yaml.status, 0, yaml.stderr);
    assertNormalised(jsyaml.loadAll(yaml.stdout) as Blob[], input, `${dir} -o yaml`);
  });
}

test('cli/catalog render: the facts that changed, pinned (bundle objects moved last, bundle image sorted first)', () => {
  const latest = parseStream(gantry(['catalog', 'render', join(TESTDATA, 'index-declcfgs', 'latest')]).stdout);
  const bar010 = latest.find((b) => b.name === 'bar.v0.1.0')!;
  assert.deepEqual(bar010.properties!.map((p) => p.type), ['olm.gvk', 'olm.package', 'olm.bundle.object', 'olm.bundle.object']);
  const bar = parseStream(gantry(['catalog', 'render', join(TESTDATA, 'list-index', 'bar')]).stdout);
  assert.deepEqual(bar.find((b) => b.name === 'bar.v0.1.0')!.relatedImages, [
    { name: '', image: 'test.registry/bar-operator/bar-bundle:v0.1.0' },
    { name: 'operator', image: 'test.registry/bar-operator/bar:v0.1.0' },
  ]);
});
