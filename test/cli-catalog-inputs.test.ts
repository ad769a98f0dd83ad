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
  } finally {
    await dir.remove();
  }
});
