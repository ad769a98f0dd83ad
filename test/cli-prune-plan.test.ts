// The oc-mirror v1 prune plan through bin/gantry.js: mirror config A, dry-run config B (fewer packages) →
// pruning-plan.json lists exactly the dropped manifests; gantry delete turns it into a list and deletes only them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { pushDemoSource } from './demo-catalog.js';
import { runGantry } from './run-gantry.js';

const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json';
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('prune-plan');
  Object.assign(images, await pushDemoSource(src, { seed: 'prune', layerSize: 5_000 }));
  const isc = (withPackage: boolean) =>
    [
      'apiVersion: mirror.openshift.io/v2alpha1',
      'kind: ImageSetConfiguration',
      'mirror:',
      ...(withPackage ? ['  operators:', `  - catalog: ${src.host}/catalogs/demo-index:v1`, '    packages:', '    - name: demo-op'] : []),
      '  additionalImages:',
      `  - name: ${src.host}/tools/extra:1`,
      '',
    ].join('\n');
  await writeFile(join(dir.path, 'a.yaml'), isc(true));
  // Both bundles of the package, then only the channel head: one bundle dropped, the operator image both share kept.
  const versions = (min?: string) =>
    ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${src.host}/catalogs/demo-index:v1`, '    packages:', '    - name: demo-op', ...(min ? [`      minVersion: ${min}`] : []), ''].join('\n');
  await writeFile(join(dir.path, 'all-versions.yaml'), versions('1.0.0'));
  await writeFile(join(dir.path, 'head.yaml'), versions());
  await writeFile(join(dir.path, 'b.yaml'), isc(false));
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const WS = () => join(dir.path, 'ws');
const DEST = () => `docker://${dst.host}/mirror`;
const gantry = (args: string[]) => runGantry(args, { cwd: dir.path });
const mirror = (config: string, ...extra: string[]) => gantry(['mirror', '-c', join(dir.path, config), ...NO_TLS, '--plain', '--workspace', WS(), ...extra, DEST()]);

async function manifestStatus(repo: string, reference: string): Promise<number> {
  const res = await fetch(`${dst.url}/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
  return res.status;
}

test('prune plan/a dry run with fewer packages lists exactly the dropped manifests; delete removes them and keeps the rest', async () => {
  const a = await mirror('a.yaml');
  assert.equal(a.code, 0, a.stderr);
  const planFile = join(WS(), 'pruning-plan.json');
  // Nothing dropped yet: no plan (oc-mirror v1 writes one only when something would be pruned).
  const same = await mirror('a.yaml', '--dry-run');
  assert.equal(same.code, 0, same.stderr);
  await assert.rejects(access(planFile));

  const record = JSON.parse(await readFile(join(WS(), '.gantry', 'mirrored', `${dst.host.replace(/[^A-Za-z0-9.-]+/g, '_')}_mirror.json`), 'utf8')) as { images: { dest: { repository: string }; digest: string; kind: string }[] };
  const catalogDigest = record.images.find((i) => i.kind === 'catalog')!.digest;

  const b = await mirror('b.yaml', '--dry-run');
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stderr, /pruning plan: 3 manifests .* no longer selected/);
  assert.match(b.stderr, /gantry delete --generate --prune-plan /);
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as unknown;
  assert.deepEqual(plan, {
    registry: dst.host,
    repositories: [
      { name: 'mirror/catalogs/demo-index', manifests: [catalogDigest] },
      { name: 'mirror/demo/bundle', manifests: [images.bundle2!.manifest.digest] },
      { name: 'mirror/demo/operator', manifests: [images.operator!.manifest.digest] },
    ],
  });
  // A dry run mirrors and deletes nothing.
  assert.equal(await manifestStatus('mirror/demo/bundle', images.bundle2!.manifest.digest), 200);

  const gen = await gantry(['delete', '--generate', '--prune-plan', planFile, '--workspace', WS(), ...NO_TLS, '-o', 'json', DEST()]);
  assert.equal(gen.code, 0, gen.stderr);
  const listFile = join(WS(), 'delete', 'delete-images.yaml');
  assert.equal((JSON.parse(gen.stdout) as { file: string }).file, listFile);
  const list = parseYaml(await readFile(listFile, 'utf8')) as { kind: string; items: { imageName: string; imageReference: string }[] };
  assert.equal(list.kind, 'DeleteImageList');
  assert.deepEqual(
    list.items.map((i) => i.imageReference).sort(),
    [`docker://${dst.host}/mirror/catalogs/demo-index@${catalogDigest}`, `docker://${dst.host}/mirror/demo/bundle@${images.bundle2!.manifest.digest}`, `docker://${dst.host}/mirror/demo/operator@${images.operator!.manifest.digest}`].sort(),
  );
  assert.ok(list.items.some((i) => i.imageName === `${src.host}/demo/operator@${images.operator!.manifest.digest}`), 'items named by their source, from the record');

  const del = await gantry(['delete', '--delete-yaml-file', listFile, ...NO_TLS, DEST()]);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(await manifestStatus('mirror/demo/bundle', images.bundle2!.manifest.digest), 404);
  assert.equal(await manifestStatus('mirror/demo/operator', images.operator!.manifest.digest), 404);
  assert.equal(await manifestStatus('mirror/catalogs/demo-index', catalogDigest), 404);
  assert.equal(await manifestStatus('mirror/tools/extra', images.extra!.manifest.digest), 200, 'what config B keeps stays');
});

test('prune plan/fewer bundles of a package: only the dropped bundle, not the operator image the kept one shares', async () => {
  const ws = join(dir.path, 'ws2');
  const run = (config: string, ...extra: string[]) => gantry(['mirror', '-c', join(dir.path, config), ...NO_TLS, '--plain', '--workspace', ws, ...extra, `docker://${dst.host}/m2`]);
  const all = await run('all-versions.yaml');
  assert.equal(all.code, 0, all.stderr);
  const head = await run('head.yaml', '--dry-run');
  assert.equal(head.code, 0, head.stderr);
  const plan = JSON.parse(await readFile(join(ws, 'pruning-plan.json'), 'utf8')) as unknown;
  assert.deepEqual(plan, { registry: dst.host, repositories: [{ name: 'm2/demo/bundle', manifests: [images.bundle1!.manifest.digest] }] });
  // Mirroring everything again makes the plan stale: the next dry run removes it.
  const again = await run('all-versions.yaml', '--dry-run');
  assert.equal(again.code, 0, again.stderr);
  await assert.rejects(access(join(ws, 'pruning-plan.json')));
});

test('prune plan/usage: --prune-plan with -c, for another registry, or not a pruning plan', async () => {
  const planFile = join(dir.path, 'other.json');
  await writeFile(planFile, JSON.stringify({ registry: 'elsewhere.example:5000', repositories: [] }));
  const both = await gantry(['delete', '--generate', '--prune-plan', planFile, '-c', 'x.yaml', DEST()]);
  assert.equal(both.code, 2, both.stderr);
  const other = await gantry(['delete', '--generate', '--prune-plan', planFile, '--workspace', WS(), DEST()]);
  assert.equal(other.code, 2, other.stderr);
  assert.match(other.stderr, /error\[USAGE\].*elsewhere\.example:5000/);
  await writeFile(planFile, JSON.stringify({ registry: dst.host, repositories: [{ name: 'mirror/x', manifests: ['latest'] }] }));
  const bad = await gantry(['delete', '--generate', '--prune-plan', planFile, '--workspace', WS(), DEST()]);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /error\[CONFIG_INVALID\].*manifests\[0\] is not a digest/);
});
