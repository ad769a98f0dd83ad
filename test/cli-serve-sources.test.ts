// gantry serve over every kind of catalog source, through the built CLI: a catalog image in a real registry
// (docker://), the same image in an OCI layout (oci:), a mirror archive written by `gantry mirror … file://`
// (archive:DIR), another server's /api/v1/all (http://), a JSON Lines file, a directory and stdin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { pushDemoSource } from './demo-catalog.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';
import { raw, startServe, stopServe, type Served } from './serve-process.js';

let registry: RunningRegistry;
let work: { path: string; remove(): Promise<void> };
let fromImage: Served | undefined;
let fromOthers: Served | undefined;
let imageRef: string;
let archive: string;

const names = (body: Buffer, schema: string) =>
  body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { schema: string; name: string }).filter((b) => b.schema === schema).map((b) => b.name);

before(async () => {
  registry = await startRegistry({ logLevel: 'error' });
  work = await tempDir('serve-sources');
  await pushDemoSource(registry, { seed: 'serve-sources', layerSize: 4096 });
  imageRef = `${registry.host}/catalogs/demo-index:v1`;
  // The mirror archive the air-gapped side receives: its catalog is what the disconnected cluster will see.
  archive = join(work.path, 'archive');
  const isc = join(work.path, 'isc.yaml');
  await writeFile(isc, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${imageRef}`, '    packages:', '    - name: demo-op', ''].join('\n'));
  const m = await runGantry(['mirror', '-c', isc, `file://${archive}`, '--src-tls-verify=false'], { cwd: work.path });
  assert.equal(m.code, 0, m.stderr);
  const c = await runGantry(['copy', '--src-tls-verify=false', `docker://${imageRef}`, `oci:${join(work.path, 'layout')}:v1`]);
  assert.equal(c.code, 0, c.stderr);
  fromImage = await startServe([`docker://${imageRef}`, '--tls-verify=false', '--listen', '127.0.0.1:0']);
});

after(async () => {
  await stopServe(fromImage);
  await stopServe(fromOthers);
  await work?.remove();
  await registry?.stop();
});

describe('cli/serve: catalog sources', () => {
  test('serve/docker:// catalog image in a registry, named after its repository', async () => {
    assert.match(fromImage!.stderr(), /\(catalogs: demo-index;/);
    const r = await raw(`${fromImage!.base}/catalogs/demo-index/api/v1/all`);
    assert.equal(r.status, 200);
    assert.deepEqual(names(r.body, 'olm.bundle'), ['demo-op.v1.0.0', 'demo-op.v1.1.0']);
  });

  test('serve/oci:, archive:, http://, a file, a directory and stdin serve the same catalog', async () => {
    const reference = (await raw(`${fromImage!.base}/catalogs/demo-index/api/v1/all`)).body;
    const file = join(work.path, 'demo.jsonl');
    await writeFile(file, reference);
    const dir = join(work.path, 'dir', 'demo-op');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'catalog.json'), reference);
    fromOthers = await startServe(
      [
        `layout=oci:${join(work.path, 'layout')}:v1`,
        `archive:${archive}`,
        `url=${fromImage!.base}/catalogs/demo-index/api/v1/all`,
        `file=${file}`,
        `dir=${join(work.path, 'dir')}`,
        'stdin=-',
        '--listen',
        '127.0.0.1:0',
      ],
      { stdin: reference },
    );
    assert.match(fromOthers.stderr(), /\(catalogs: layout, archive, url, file, dir, stdin;/);
    for (const name of ['layout', 'url', 'file', 'dir', 'stdin']) {
      const r = await raw(`${fromOthers.base}/catalogs/${name}/api/v1/all`);
      assert.equal(r.status, 200, name);
      assert.ok(r.body.equals(reference), `${name}: the same bytes as the catalog image`);
    }
    // The archive carries the catalog as mirroring rebuilt it: the selected package with its channel head only
    // (no minVersion in the configuration), which is what the disconnected cluster will see.
    const a = await raw(`${fromOthers.base}/catalogs/archive/api/v1/all`);
    assert.equal(a.status, 200);
    assert.deepEqual(names(a.body, 'olm.package'), ['demo-op']);
    assert.deepEqual(names(a.body, 'olm.bundle'), ['demo-op.v1.1.0']);
  });

  test('serve/archive: errors say what is wrong before anything listens', async (t) => {
    await t.test('not an archive', async () => {
      const r = await runGantry(['serve', `archive:${work.path}/nothing-here`, '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^error\[USAGE\]/m);
    });
    await t.test('an archive given as a directory', async () => {
      const r = await runGantry(['serve', archive, '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error\[USAGE\]: .* is a mirror archive, not a catalog directory/);
      assert.match(r.stderr, new RegExp(`archive:${archive}`));
    });
    await t.test('no such catalog in it', async () => {
      const r = await runGantry(['serve', `x=archive:${archive}#other-index`, '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error\[USAGE\]: no catalog in the archive .* is "other-index"/);
      assert.match(r.stderr, new RegExp(`catalogs: ${imageRef.replace(/[.]/g, '\\.')}`));
    });
    await t.test('picked by repository name', async () => {
      const r = await runGantry(['catalog', 'list', 'packages', `archive:${archive}#demo-index`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /demo-op/);
    });
  });
});
