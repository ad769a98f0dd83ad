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
