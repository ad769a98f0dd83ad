// gantry mirror, mirror to mirror, against real registries: a catalog image with two bundle versions and an
// operator image, additional and blocked images; dry run, real run, filtered catalog, cluster resources, re-run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { buildImage, buildIndex, pushIndexRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { skopeoInspectDigest } from '../src/testing/tools.js';
import { buildCatalogImage } from '../src/catalog-image/index.js';
import { createMemoryTree } from '../src/catalog/fbc/file-tree.js';
import { digestTag } from '../src/generate/destination.js';
import { PLAIN, tempDir, testSession } from './helpers.js';
import { pushDemoSource } from './demo-catalog.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('mirror');
  Object.assign(images, await pushDemoSource(src, { seed: 'mirror', layerSize: 20_000, more: [['blocked', 'tools/blocked', '1']] }));
  await writeFile(
    join(dir.path, 'isc.yaml'),
    [
      'apiVersion: mirror.openshift.io/v2alpha1',
      'kind: ImageSetConfiguration',
      'mirror:',
      '  operators:',
      `  - catalog: ${src.host}/catalogs/demo-index:v1`,
      '    packages:',
      '    - name: demo-op',
      '  additionalImages:',
      `  - name: ${src.host}/tools/extra:1`,
      `  - name: ${src.host}/tools/blocked:1`,
      '  blockedImages:',
      '  - name: ".*/tools/blocked.*"',
      '',
    ].join('\n'),
  );
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const mirror = (args: string[]) => spawnSync(process.execPath, [BIN, 'mirror', '-c', join(dir.path, 'isc.yaml'), ...NO_TLS, '--plain', ...args], { encoding: 'utf8', cwd: dir.path, maxBuffer: 64 << 20 });

test('mirror/dry run: a plan and mapping.txt, heads only, blocked images left out, nothing copied', async () => {
  const r = mirror([`docker://${dst.host}/mirror`, '--dry-run', '--workspace', join(dir.path, 'dry')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /blocked: .*tools\/blocked:1/);
  const mapping = (await readFile(join(dir.path, 'dry', 'mapping.txt'), 'utf8')).trim().split('\n');
  assert.equal(mapping.length, 3, mapping.join('\n'));
  assert.ok(mapping.some((l) => l.includes(images.bundle2!.manifest.digest)), 'the channel head');
  assert.ok(!mapping.some((l) => l.includes(images.bundle1!.manifest.digest)), 'not the older bundle');
  const plan = JSON.parse(await readFile(join(dir.path, 'dry', 'plan.json'), 'utf8')) as { images: { source: string; reasons: { bundle?: string; as?: string }[] }[] };
  const op = plan.images.find((i) => i.source.includes('demo/operator'))!;
  const sized = plan as unknown as { totals: { size: number; bytesToMove: number }; images: { size: number; bytesToMove: number; complete: boolean }[] };
  const opSize = images.operator!.manifest.size + images.operator!.config.size + images.operator!.layers.reduce((n, l) => n + l.size, 0);
  assert.equal((op as unknown as { size: number }).size, opSize, 'size: manifest, config and layers');
  assert.ok(sized.images.every((i) => i.bytesToMove > 0 && i.bytesToMove < i.size && !i.complete), 'everything still to move (blobs only)');
  assert.equal(sized.totals.bytesToMove, sized.images.reduce((n, i) => n + i.bytesToMove, 0), 'no shared blobs here');
  assert.equal((await readFile(join(dir.path, 'dry', 'missing.txt'), 'utf8')).trim().split('\n').length, 3);
  assert.deepEqual(op.reasons.map((x) => `${x.bundle}/${x.as}`), ['demo-op.v1.1.0/operator']);
  // The MicroShift blueprint, from the plan alone: the catalog's entry waits for its rebuild.
  const bp = parseToml(await readFile(join(dir.path, 'dry', 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string; name?: string }[] };
  assert.deepEqual(bp.containers.map((c) => c.name ?? c.source).sort(), [`${src.host}/demo/bundle@${images.bundle2!.manifest.digest}`, `${src.host}/demo/operator@${images.operator!.manifest.digest}`, `${src.host}/tools/extra:1`]);
  assert.match(r.stderr, /blueprint: catalog .*demo-index:v1 is rebuilt when mirrored/);
  assert.match(r.stderr, /blueprint: warning: referenced by tag, not digest: .*\/tools\/extra:1\n/);
  const tags = spawnSync(process.execPath, [BIN, 'tags', '--tls-verify=false', `docker://${dst.host}/mirror/demo/bundle`], { encoding: 'utf8' });
  assert.notEqual(tags.status, 0, 'nothing was copied');
});

test('mirror/to a registry: digests kept, filtered catalog rebuilt, cluster resources written; a re-run moves nothing', async () => {
  const ws = join(dir.path, 'ws');
  const r = mirror([`docker://${dst.host}/mirror`, '--workspace', ws]);
  assert.equal(r.status, 0, r.stderr);
  const inspect = (ref: string) => JSON.parse(spawnSync(process.execPath, [BIN, 'inspect', '-o', 'json', '--tls-verify=false', ref], { encoding: 'utf8' }).stdout || '{}') as { digest?: string };
  assert.equal(inspect(`docker://${dst.host}/mirror/demo/bundle:${digestTag(images.bundle2!.manifest.digest)}`).digest, images.bundle2!.manifest.digest);
  assert.equal(inspect(`docker://${dst.host}/mirror/demo/operator:${digestTag(images.operator!.manifest.digest)}`).digest, images.operator!.manifest.digest);
  assert.equal(inspect(`docker://${dst.host}/mirror/tools/extra:1`).digest, images.extra!.manifest.digest);
  assert.equal(inspect(`docker://${dst.host}/mirror/tools/blocked:1`).digest, undefined, 'blocked image not mirrored');
  // The catalog at the destination holds only the selected bundle.
  const cat = spawnSync(process.execPath, [BIN, 'catalog', 'render', '--tls-verify=false', `docker://${dst.host}/mirror/catalogs/demo-index:v1`], { encoding: 'utf8' });
  assert.equal(cat.status, 0, cat.stderr);
  assert.match(cat.stdout, /"name": "demo-op\.v1\.1\.0"/);
  assert.doesNotMatch(cat.stdout, /"name": "demo-op\.v1\.0\.0",\n {4}"package"/);
  const files = await readdir(join(ws, 'cluster-resources'));
  assert.ok(files.includes('idms-oc-mirror.yaml') && files.includes('itms-oc-mirror.yaml'), files.join());
  const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
  assert.match(idms, new RegExp(`source: ${src.host.replace('.', '\\.')}/demo/bundle`));
  assert.match(idms, new RegExp(`- ${dst.host.replace('.', '\\.')}/mirror/demo/bundle`));
  const cs = files.find((f) => f.startsWith('cs-'))!;
  assert.match(await readFile(join(ws, 'cluster-resources', cs), 'utf8'), new RegExp(`image: ${dst.host.replace('.', '\\.')}/mirror/catalogs/demo-index@sha256:[0-9a-f]{64}`));
  const blueprint = parseToml(await readFile(join(ws, 'cluster-resources', 'microshift', 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string; name?: string }[] };
  const csImage = /image: (\S+)/.exec(await readFile(join(ws, 'cluster-resources', cs), 'utf8'))![1]!;
  assert.deepEqual(
    blueprint.containers.map((c) => ({ ...c })),
    [
      { source: `${src.host}/demo/bundle@${images.bundle2!.manifest.digest}` },
      { source: `${src.host}/demo/operator@${images.operator!.manifest.digest}` },
      { source: `${src.host}/tools/extra:1` },
      { source: csImage },
    ].sort((a, b) => (a.source < b.source ? -1 : 1)),
    'the names the manifests use, by digest (by tag where they use a tag); the catalog as its CatalogSource names it',
  );
  const conf = parseToml(await readFile(join(ws, 'cluster-resources', 'microshift', '99-gantry-mirror.conf'), 'utf8')) as { registry: { location: string; 'mirror-by-digest-only': boolean }[] };
  assert.deepEqual(conf.registry.filter((r) => !r['mirror-by-digest-only']).map((r) => r.location), [`${src.host}/tools/extra`], 'tag pulls of the ITMS repository reach the mirror');
  const again = mirror([`docker://${dst.host}/mirror`, '--workspace', ws]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /3 images ok \(3 already up to date\)/);
  const dry = mirror([`docker://${dst.host}/mirror`, '--workspace', ws, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stderr, /0 B still to move \(0 images not complete/);
  assert.equal(await readFile(join(ws, 'missing.txt'), 'utf8'), '');
});

test('mirror/a config error names file, line and column; nothing is copied', async () => {
  const bad = join(dir.path, 'bad.yaml');
  await writeFile(bad, 'apiVersion: mirror.openshift.io/v2alpha1\nkind: ImageSetConfiguration\nmirror:\n  operators:\n  - catalog: x/y:1\n    packages:\n    - name: a\n      maxVerison: 1.0.0\n');
  const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', bad, `docker://${dst.host}/m2`], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.yaml:8:7: .*maxVerison/);
  assert.match(r.stderr, /maxVersion/);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]/);
});

test('mirror/fields gantry does not use (storageConfig, an empty helm:) are named with file:line, never dropped in silence', async () => {
  const isc = join(dir.path, 'unused-fields.yaml');
  await writeFile(isc, `apiVersion: mirror.openshift.io/v1alpha2\nkind: ImageSetConfiguration\nstorageConfig:\n  local:\n    path: /tmp/meta\nmirror:\n  helm: {}\n  additionalImages:\n  - name: ${src.host}/tools/extra:1\n`);
  const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', isc, `docker://${dst.host}/unused`, '--workspace', join(dir.path, 'ws-unused'), '--dry-run', '--dest-tls-verify=false', '--src-tls-verify=false'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: .*unused-fields\.yaml:4:\d+: storageConfig is not used/);
  assert.match(r.stderr, /warning: .*unused-fields\.yaml:7:\d+: helm lists no charts and is not used/);
});

test('mirror/identical failures are one line with a count, not one line per image', async () => {
  // A port that was just free: connections are refused at once.
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  await new Promise((res) => server.close(res));
  const isc = join(dir.path, 'unreachable.yaml');
  const names = ['a/one:1', 'a/two:1', 'b/three:1', 'b/four:1'].map((n) => `  - name: 127.0.0.1:${port}/${n}`);
  await writeFile(isc, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', ...names, ''].join('\n'));
  const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', isc, `file://${join(dir.path, 'unreachable-out')}`, '--src-tls-verify=false', '--quiet'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error['));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, /^error\[REGISTRY_UNREACHABLE\]: 4 images \(docker:\/\/127\.0\.0\.1:\d+\/a\/one:1, .*, …\): cannot reach registry 127\.0\.0\.1:\d+/);
});

test('mirror/cluster resources cover everything mirrored to a destination so far, across configurations', async () => {
  const ws = join(dir.path, 'acc');
  const only = (image: string) =>
    ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', `  - name: ${src.host}/${image}`, ''].join('\n');
  await writeFile(join(dir.path, 'one.yaml'), only('tools/extra:1'));
  await writeFile(join(dir.path, 'two.yaml'), only('demo/operator:v1'));
  for (const f of ['one.yaml', 'two.yaml']) {
    const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', join(dir.path, f), ...NO_TLS, '--plain', `docker://${dst.host}/acc`, '--workspace', ws], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const itms = await readFile(join(ws, 'cluster-resources', 'itms-oc-mirror.yaml'), 'utf8');
  assert.match(itms, /acc\/tools\/extra/);
  assert.match(itms, /acc\/demo\/operator/);
  const mapping = (await readFile(join(ws, 'mapping.txt'), 'utf8')).trim().split('\n');
  assert.equal(mapping.length, 2);
  // Another destination from the same workspace starts its own record.
  const other = spawnSync(process.execPath, [BIN, 'mirror', '-c', join(dir.path, 'one.yaml'), ...NO_TLS, '--plain', `docker://${dst.host}/other`, '--workspace', ws], { encoding: 'utf8' });
  assert.equal(other.status, 0, other.stderr);
  const itms2 = await readFile(join(ws, 'cluster-resources', 'itms-oc-mirror.yaml'), 'utf8');
  assert.doesNotMatch(itms2, /demo\/operator/);
});

test('mirror/--blueprint-exclude-arch: multi-platform images keep their index digest; an index with no kept architecture is left out', async () => {
  const index = (seed: string, archs: string[]) => buildIndex(archs.map((architecture) => buildImage({ seed: `${seed}-${architecture}`, layerSizes: [3_000], platform: { os: 'linux', architecture } })));
  const multi = index('bp-multi', ['amd64', 'arm64', 's390x']);
  const zonly = index('bp-z', ['s390x']);
  await pushIndexRaw(src.url, 'tools/multi', '1', multi);
  await pushIndexRaw(src.url, 'tools/zonly', '1', zonly);
  const additional = ['tools/multi', 'tools/zonly'].map((r) => `  - name: ${src.host}/${r}@${(r === 'tools/multi' ? multi : zonly).manifest.digest}`);
  await writeFile(join(dir.path, 'multi.yaml'), ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', ...additional, ''].join('\n'));
  const ws = join(dir.path, 'bp');
  // MicroShift's own images, as microshift-release-info lists them (by digest), are mirrored and join the blueprint.
  const releaseImage = `${src.host}/tools/multi@${multi.images[0]!.manifest.digest}`;
  await writeFile(join(dir.path, 'release-x86_64.json'), JSON.stringify({ release: { base: '4.16.9' }, images: { haproxy_router: releaseImage } }));
  const run = (...extra: string[]) =>
    spawnSync(process.execPath, [BIN, 'mirror', '-c', join(dir.path, 'multi.yaml'), ...NO_TLS, '--plain', `docker://${dst.host}/bp`, '--workspace', ws, '--blueprint-exclude-arch', 's390x,ppc64le', '--microshift-release-info', join(dir.path, 'release-x86_64.json'), ...extra], { encoding: 'utf8' });
  // A dry run writes the same blueprint from the sources, before anything is mirrored.
  const dry = run('--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stderr, /blueprint: 2 containers, 1 excluded, 0 by tag/);
  const dryBp = parseToml(await readFile(join(ws, 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string }[] };
  const expected = [`${src.host}/tools/multi@${multi.manifest.digest}`, releaseImage].sort();
  assert.deepEqual(dryBp.containers.map((c) => c.source), expected);
  const r = run();
  assert.equal(r.status, 0, r.stderr);
  const bp = parseToml(await readFile(join(ws, 'cluster-resources', 'microshift', 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string }[] };
  assert.deepEqual(bp.containers.map((c) => c.source), expected, 'the index digest the manifests name; s390x-only image left out; MicroShift itself, once');
  assert.equal(await skopeoInspectDigest(`docker://${dst.host}/bp/tools/multi@${multi.images[0]!.manifest.digest}`, ['--tls-verify=false']), multi.images[0]!.manifest.digest, 'MicroShift\'s image is mirrored');
  const bad = run('--microshift-release-info', join(dir.path, 'multi.yaml'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /error\[CONFIG_INVALID\]: .*multi\.yaml(:\d+)?: invalid JSON/);
});

test('mirror/--blueprint-source mirror: every entry pulls from the mirror (skopeo reads it there) and is stored under its source name', async () => {
  const ws = join(dir.path, 'bp-mirror');
  const bad = mirror([`docker://${dst.host}/bpm`, '--workspace', ws, '--blueprint-source', 'elsewhere']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /error\[USAGE\]: --blueprint-source "elsewhere" is neither source nor mirror/);
  const r = mirror([`docker://${dst.host}/bpm`, '--workspace', ws, '--blueprint-source', 'mirror']);
  assert.equal(r.status, 0, r.stderr);
  const bp = parseToml(await readFile(join(ws, 'cluster-resources', 'microshift', 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string; name?: string }[] };
  assert.equal(bp.containers.length, 4);
  for (const c of bp.containers) {
    assert.ok(c.source.startsWith(`${dst.host}/bpm/`), c.source);
    const raw = spawnSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${c.source}`], { encoding: 'buffer' });
    assert.equal(raw.status, 0, raw.stderr.toString());
    assert.equal(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`, c.source.slice(c.source.indexOf('@') + 1), 'the mirror serves the digest the entry names');
  }
  const names = bp.containers.map((c) => c.name ?? c.source);
  assert.ok(names.includes(`${src.host}/demo/operator@${images.operator!.manifest.digest}`), names.join('\n'));
  assert.ok(names.includes(`${src.host}/tools/extra:1`));
});

test('mirror/a filtered catalog that OLM would not serve is refused before anything is copied', async () => {
  const session = testSession();
  const blobs = [
    { schema: 'olm.package', name: 'broken-op', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'broken-op', name: 'stable', entries: [{ name: 'broken-op.v1' }] },
    // Two olm.package properties: opm validate rejects such a bundle, and so would the CatalogSource pod.
    {
      schema: 'olm.bundle',
      package: 'broken-op',
      name: 'broken-op.v1',
      image: `${src.host}/tools/extra:1`,
      properties: [
        { type: 'olm.package', value: { packageName: 'broken-op', version: '1.0.0' } },
        { type: 'olm.package', value: { packageName: 'broken-op', version: '1.0.1' } },
      ],
    },
  ];
  await buildCatalogImage({
    catalog: createMemoryTree({ 'broken-op/catalog.json': blobs.map((b) => JSON.stringify(b)).join('\n') + '\n' }),
    base: 'scratch',
    dest: session.store(src.host, 'catalogs/broken', PLAIN),
    tag: 'v1',
  });
  await session.close();
  await writeFile(join(dir.path, 'broken.yaml'), ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${src.host}/catalogs/broken:v1`, '    packages:', '    - name: broken-op', ''].join('\n'));
  const ws = join(dir.path, 'broken-ws');
  const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', join(dir.path, 'broken.yaml'), ...NO_TLS, '--plain', `docker://${dst.host}/broken`, '--workspace', ws], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]: \d+ problems? in the selection; nothing was copied/);
  const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8')) as { issues: { code: string; message: string }[] };
  assert.ok(plan.issues.some((i) => i.code === 'CATALOG_INVALID' && /filtered catalog is not valid/.test(i.message)), JSON.stringify(plan.issues));
  const tags = spawnSync(process.execPath, [BIN, 'tags', '--tls-verify=false', `docker://${dst.host}/broken/tools/extra`], { encoding: 'utf8' });
  assert.notEqual(tags.status, 0, 'nothing was copied');
});
