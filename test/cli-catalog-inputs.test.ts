// gantry catalog … on inputs where opm v1.26.5 and gantry disagreed, through the shipped CLI: hostile package
// names, duplicate YAML keys, symbolic links, bundle directories with broken metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const gantry = (args: string[], opts: { input?: string; cwd?: string } = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, ...opts });

/** Every path below dir, relative, sorted. */
async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

test('cli/catalog render --output-dir: hostile package names are input errors with file:line; nothing is written anywhere', async () => {
  const dir = await tempDir('hostile');
  try {
    await mkdir(join(dir.path, 'work', 'cat'), { recursive: true });
    await writeFile(join(dir.path, 'work', 'cat', 'c.json'), '{"schema":"olm.package","name":"ok","defaultChannel":"s"}\n{"schema":"olm.package","name":"../../../escaped-pkg","defaultChannel":"s"}\n');
    await writeFile(join(dir.path, 'work', 'cat', 'd.yaml'), 'schema: olm.bundle\nname: x.v1\npackage: a/b\nimage: quay.io/x:1\n');
    const before = await listAll(dir.path);
    for (const format of ['json', 'yaml']) {
      const r = gantry(['catalog', 'render', 'cat', '-o', format, '--output-dir', join('out', 'x')], { cwd: join(dir.path, 'work') });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^error\[CATALOG_INVALID\]: c\.json:2: package name "\.\.\/\.\.\/\.\.\/escaped-pkg" cannot be a directory name: it must be a single path element \(and 1 more\)$/m);
      assert.match(r.stderr, /package name "a\/b" cannot be a directory name.*\(d\.yaml:1\)/);
      assert.doesNotMatch(r.stderr, /INTERNAL|\n\s+at /);
      assert.deepEqual(await listAll(dir.path), before, 'nothing written inside or outside the output directory');
    }
    // A package directory named like the file for blobs of no package would collide with it.
    await mkdir(join(dir.path, 'work', 'clash'));
    await writeFile(join(dir.path, 'work', 'clash', 'c.json'), '{"schema":"my.custom","value":1}\n{"schema":"olm.package","name":"catalog.json","defaultChannel":"s"}\n');
    const clash = gantry(['catalog', 'render', 'clash', '--output-dir', 'out'], { cwd: join(dir.path, 'work') });
    assert.equal(clash.status, 1, clash.stderr);
    assert.match(clash.stderr, /^error\[CATALOG_INVALID\]: c\.json:2: package name "catalog\.json" cannot be a directory name: the file for blobs of no package has that name$/m);
    assert.deepEqual((await listAll(dir.path)).filter((p) => !before.includes(p)), ['work/clash', 'work/clash/c.json']);
    // The stream form writes no directories, so the same catalog renders.
    const stream = gantry(['catalog', 'render', 'cat'], { cwd: join(dir.path, 'work') });
    assert.equal(stream.status, 0, stream.stderr);
    assert.match(stream.stdout, /"name": "\.\.\/\.\.\/\.\.\/escaped-pkg"/);
  } finally {
    await dir.remove();
  }
});

const DUPLICATE_KEYS = [
  'schema: olm.package',
  'name: a',
  'defaultChannel: beta',
  'defaultChannel: stable',
  '---',
  'schema: olm.channel',
  'package: a',
  'name: stable',
  'entries:',
  '  - name: a.v0',
  '    name: a.v1',
  '---',
  'schema: olm.bundle',
  'package: a',
  'name: a.v1',
  'image: quay.io/a:1',
  'properties:',
  '  - type: olm.package',
  '    value: {packageName: a, version: 1.0.0}',
  '',
].join('\n');

test('cli/catalog validate, render, graph: a repeated YAML key keeps the last value, as opm does, with a warning at file:line', async () => {
  const dir = await tempDir('dupkeys');
  try {
    await mkdir(join(dir.path, 'cat', 'a'), { recursive: true });
    await writeFile(join(dir.path, 'cat', 'a', 'catalog.yaml'), DUPLICATE_KEYS);
    const cat = join(dir.path, 'cat');
    // Valid only if the last defaultChannel (stable) and the last entry name (a.v1) are the ones kept.
    const v = gantry(['catalog', 'validate', cat]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /warning: duplicated mapping key "defaultChannel": the last value is used, as opm \(go-yaml\) does \(a\/catalog\.yaml:4\)/);
    assert.match(v.stdout, /warning: duplicated mapping key "name": .* \(a\/catalog\.yaml:11\)/);
    assert.match(v.stdout, /catalog is valid: .*\(0 errors, 2 warnings\)/);
    const json = JSON.parse(gantry(['catalog', 'validate', '-o', 'json', cat]).stdout) as { passed: boolean; issues: { rule: string; severity: string; file: string; line: number }[] };
    assert.equal(json.passed, true);
    assert.deepEqual(json.issues.map((i) => [i.rule, i.severity, i.file, i.line]), [
      ['duplicate-key', 'warning', 'a/catalog.yaml', 4],
      ['duplicate-key', 'warning', 'a/catalog.yaml', 11],
    ]);
    const r = gantry(['catalog', 'render', cat]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /"defaultChannel": "stable"/);
    assert.match(r.stdout, /"entries": \[\n {8}\{\n {12}"name": "a\.v1"\n/);
    assert.match(r.stderr, /^warning: .*duplicated mapping key "defaultChannel".*\(a\/catalog\.yaml:4\)$/m);
    const g = gantry(['catalog', 'graph', cat]);
    assert.equal(g.status, 0, g.stderr);
    assert.match(g.stderr, /^warning: duplicated mapping key/m);
    // Templates: a basic template is read leniently like a catalog; opm reads a semver template strictly.
    await writeFile(join(dir.path, 'basic.yaml'), 'schema: olm.template.basic\nentries:\n- schema: olm.package\n  name: p\n  name: q\n');
    const basic = gantry(['catalog', 'template', join(dir.path, 'basic.yaml')]);
    assert.equal(basic.status, 0, basic.stdout + basic.stderr);
    assert.match(basic.stdout, /"name": "q"/);
    assert.match(basic.stderr, /^warning: duplicated mapping key "name": .*basic\.yaml:5\)$/m);
    await writeFile(join(dir.path, 'semver.yaml'), 'schema: olm.semver\nstable:\n  bundles:\n  - image: x/y:1\nstable: {}\n');
    const semver = gantry(['catalog', 'template', join(dir.path, 'semver.yaml')]);
    assert.equal(semver.status, 1);
    assert.equal(semver.stdout, '');
    assert.match(semver.stderr, /duplicated mapping key "stable": a semver template is read strictly, as opm reads it \(.*semver\.yaml:5\)/);
    assert.match(semver.stderr, /^error\[CATALOG_INVALID\]: .*semver\.yaml is not a valid template/m);
  } finally {
    await dir.remove();
  }
});

/** A valid one-bundle package as one JSON stream. */
function packageStream(name: string): string {
  const bundle = `${name}.v1.0.0`;
  return [
    { schema: 'olm.package', name, defaultChannel: 'stable' },
    { schema: 'olm.channel', package: name, name: 'stable', entries: [{ name: bundle }] },
    { schema: 'olm.bundle', package: name, name: bundle, image: `quay.io/x/${name}:1`, properties: [{ type: 'olm.package', value: { packageName: name, version: '1.0.0' } }] },
  ]
    .map((o) => `${JSON.stringify(o)}\n`)
    .join('');
}

test('cli/catalog validate: a ConfigMap mount is read once; links to files and directories are followed', async () => {
  const { symlink } = await import('node:fs/promises');
  const dir = await tempDir('configmap');
  try {
    // What the kubelet's atomic writer makes of a ConfigMap with keys a.json and b.json.
    const cm = join(dir.path, 'cm');
    const ts = '..2026_12_04_10_00_00.123456789';
    await mkdir(join(cm, ts), { recursive: true });
    await writeFile(join(cm, ts, 'a.json'), packageStream('a'));
    await writeFile(join(cm, ts, 'b.json'), packageStream('b'));
    await symlink(ts, join(cm, '..data'));
    await symlink('..data/a.json', join(cm, 'a.json'));
    await symlink('..data/b.json', join(cm, 'b.json'));
    const v = gantry(['catalog', 'validate', cm]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.equal(v.stdout, 'catalog is valid: 2 packages, 2 channels, 2 bundles in 2 files (0 errors, 0 warnings)\n');
    // A catalog assembled from links: one to a file, one to a directory outside it.
    const shared = join(dir.path, 'shared', 'c');
    await mkdir(shared, { recursive: true });
    await writeFile(join(shared, 'catalog.json'), packageStream('c'));
    const linked = join(dir.path, 'linked');
    await mkdir(linked);
    await symlink(join(cm, ts, 'a.json'), join(linked, 'a.json'));
    await symlink(shared, join(linked, 'c'));
    const l = gantry(['catalog', 'validate', linked]);
    assert.equal(l.status, 0, l.stdout + l.stderr);
    assert.match(l.stdout, /^catalog is valid: 2 packages, 2 channels, 2 bundles in 2 files/);
  } finally {
    await dir.remove();
  }
});

test('cli/catalog validate, render: a dangling link or a link loop is an error naming it, not silently skipped', async () => {
  const { symlink } = await import('node:fs/promises');
  const dir = await tempDir('links');
  try {
    const cases: { name: string; make: (cat: string) => Promise<void>; error: RegExp }[] = [
      { name: 'dangling', make: (cat) => symlink('gone.json', join(cat, 'x.json')), error: /dangling\/x\.json is a dangling symbolic link/ },
      { name: 'self-loop', make: (cat) => symlink('self.json', join(cat, 'self.json')), error: /self-loop\/self\.json is a symbolic link loop/ },
      {
        name: 'dir-loop',
        make: async (cat) => {
          await mkdir(join(cat, 'sub'));
          await symlink('..', join(cat, 'sub', 'up'));
        },
        error: /dir-loop\/sub\/up is a symbolic link loop/,
      },
    ];
    for (const c of cases) {
      const cat = join(dir.path, c.name);
      await mkdir(cat);
      await writeFile(join(cat, 'a.json'), packageStream('a'));
      await c.make(cat);
      for (const args of [['catalog', 'validate', c.name], ['catalog', 'render', c.name]]) {
        const r = gantry(args, { cwd: dir.path });
        assert.equal(r.status, 1, `${c.name}: ${r.stdout}`);
        assert.match(r.stderr, /^error\[CATALOG_INVALID\]: /, c.name);
        assert.match(r.stderr, c.error, c.name);
        assert.equal(r.stdout, '', c.name);
      }
    }
  } finally {
    await dir.remove();
  }
});

test('cli/catalog render of a bundle directory: a malformed annotations file is named with file:line; no metadata/ says so', async () => {
  const { cp, readFile, rm } = await import('node:fs/promises');
  const { CORPUS } = await import('./corpus.js');
  const dir = await tempDir('annotations');
  try {
    const bundle = join(dir.path, 'bundle');
    await cp(join(CORPUS, 'bundles', 'latest-per-package', 'ack-acm-controller', '1.8.1'), bundle, { recursive: true });
    const ok = gantry(['catalog', 'render', bundle]);
    assert.equal(ok.status, 0, ok.stderr);
    const annotations = join(bundle, 'metadata', 'annotations.yaml');
    const text = await readFile(annotations, 'utf8');
    // A tab where YAML wants spaces, on line 7 of the real file.
    await writeFile(annotations, text.replace('  operators.operatorframework.io.bundle.channels.v1', '\toperators.operatorframework.io.bundle.channels.v1'));
    const bad = gantry(['catalog', 'render', bundle]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error\[MANIFEST_INVALID\]: metadata\/annotations\.yaml:7: invalid annotations file: /);
    assert.doesNotMatch(bad.stderr, /Could not find/);
    await rm(join(bundle, 'metadata'), { recursive: true });
    const none = gantry(['catalog', 'render', bundle]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^error\[MANIFEST_INVALID\]: .*bundle looks like a bundle directory \(it has manifests\/\) but has no metadata\/annotations\.yaml/);
    assert.doesNotMatch(none.stderr, /missing root schema/);
    // validate reads a directory as a catalog, as opm does; the hint says what the directory is.
    const v = gantry(['catalog', 'validate', bundle]);
    assert.equal(v.status, 1);
    assert.match(v.stdout, /object is missing root schema field \(manifests\/ack-acm-controller\.clusterserviceversion\.yaml:1\)/);
    assert.match(v.stdout, /this is a Kubernetes ClusterServiceVersion, not a catalog object: a registry\+v1 bundle directory needs manifests\/ and metadata\/annotations\.yaml/);
  } finally {
    await dir.remove();
  }
});

test('cli/catalog list (index cache): files behind linked directories invalidate the cache; a dangling link is an error', async () => {
  const { symlink, rm } = await import('node:fs/promises');
  const dir = await tempDir('links-cache');
  const cache = await tempDir('links-cache-home');
  try {
    const outside = join(dir.path, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'b.json'), packageStream('b'));
    const cat = join(dir.path, 'cat');
    await mkdir(cat);
    await writeFile(join(cat, 'a.json'), packageStream('a'));
    await symlink(outside, join(cat, 'linked'));
    const env = { ...process.env, GANTRY_CACHE_DIR: cache.path };
    // The grammar of the query commands is being changed elsewhere (-c → positional); only the catalog argument differs.
    const list = () => spawnSync(process.execPath, [BIN, 'catalog', 'list', 'packages', cat, '-o', 'json'], { encoding: 'utf8', env, timeout: 60_000 });
    const names = (r: ReturnType<typeof list>) => (JSON.parse(r.stdout) as { package: string }[]).map((x) => x.package);
    const first = list();
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(names(first), ['a', 'b']);
    await writeFile(join(outside, 'c.json'), packageStream('c'));
    const second = list();
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(names(second), ['a', 'b', 'c'], 'a file added behind the link is seen, not a stale cached index');
    await rm(join(outside, 'c.json'));
    await symlink('missing.json', join(cat, 'gone.json'));
    const dangling = list();
    assert.equal(dangling.status, 1);
    assert.match(dangling.stderr, /^error\[CATALOG_INVALID\]: .*cat\/gone\.json is a dangling symbolic link/m);
  } finally {
    await Promise.all([dir.remove(), cache.remove()]);
  }
});
