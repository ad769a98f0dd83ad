// MicroShift's release images through `gantry mirror --microshift-release-info`: the images a MicroShift version's
// release-<arch>.json lists (release components by digest) are archived by a mirror to disk, pushed by disk to
// mirror, and listed once in the blueprint by digest (pulled from the mirror with --blueprint-source mirror);
// an image by tag in the file is refused before any work, naming the file and the entry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { buildFilesImage, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { skopeoInspectDigest } from '../src/testing/tools.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
let rel: FixtureRelease;
let isc: string;
let info: string;

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('mirror-microshift')]);
  [rel] = (await seedReleases(src.url, [{ version: '4.16.1', arch: 'amd64', components: 6 }])) as [FixtureRelease];
  await pushImageRaw(src.url, 'tools/plain', 'v1', await buildFilesImage({ seed: 'plain', layers: [{ 'usr/bin/x': 'x' }] }));
  isc = join(dir.path, 'isc.yaml');
  await writeFile(isc, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', `  - name: ${src.host}/tools/plain:v1`, ''].join('\n'));
  // As microshift-release-info writes it: MicroShift's images are OpenShift release components, by digest.
  info = join(dir.path, 'release-x86_64.json');
  await writeFile(info, JSON.stringify({ release: { base: '4.16.1' }, images: { cli: rel.components.cli, 'haproxy-router': rel.components['must-gather'], etcd: rel.components.etcd } }, null, 2));
});
after(async () => {
  await src?.stop();
  await dir?.remove();
});

const digestOf = (ref: string) => ref.slice(ref.indexOf('@') + 1);
const repoOf = (ref: string) => ref.slice(0, ref.indexOf('@')).slice(ref.indexOf('/') + 1);

test('microshift/mirror to disk, disk to mirror: release-x86_64.json\'s images travel in the archive, land in the mirror by digest, and the blueprint lists each once from the mirror', async () => {
  const out = join(dir.path, 'archive');
  const m2d = await runGantry(['mirror', ...NO_TLS, '--plain', '-c', isc, `file://${out}`, '--microshift-release-info', info], { env: NO_PROXY_ENV });
  assert.equal(m2d.code, 0, m2d.stderr);
  assert.ok(m2d.stderr.includes(`${info}: 3 MicroShift images (release 4.16.1)`), m2d.stderr);
  assert.ok((await readdir(out)).some((f) => /^mirror_seq1_.*\.tar$/.test(f)));
  const dst = await startRegistry();
  try {
    const d2m = await runGantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}/edge`, ...NO_TLS, '--plain', '--blueprint-source', 'mirror', '--microshift-release-info', info], { env: NO_PROXY_ENV });
    assert.equal(d2m.code, 0, d2m.stderr);
    for (const ref of [rel.components.cli!, rel.components['must-gather']!, rel.components.etcd!]) {
      assert.equal(await skopeoInspectDigest(`docker://${dst.host}/edge/${repoOf(ref)}@${digestOf(ref)}`, ['--tls-verify=false']), digestOf(ref), ref);
    }
    const bp = parseToml(await readFile(join(out, 'cluster-resources', 'microshift', 'blueprint-containers.toml'), 'utf8')) as { containers: { source: string; name?: string }[] };
    const forMicroShift = bp.containers.filter((c) => c.name?.includes('ocp-v4.0-art-dev'));
    assert.deepEqual(
      forMicroShift.map((c) => c.name).sort(),
      [rel.components.cli!, rel.components['must-gather']!, rel.components.etcd!].sort(),
      'each once, stored under the name MicroShift\'s manifests use, by digest',
    );
    for (const c of forMicroShift) assert.ok(c.source.startsWith(`${dst.host}/edge/`) && c.source.endsWith(digestOf(c.name!)), `${c.source} pulls from the mirror`);
    assert.ok(forMicroShift.every((c) => /@sha256:[0-9a-f]{64}$/.test(c.source) && /@sha256:[0-9a-f]{64}$/.test(c.name!)), 'never by tag');
  } finally {
    await dst.stop();
  }
});

test('microshift/an image by tag in release-<arch>.json is error[CONFIG_INVALID] naming the file and the entry, before any work', async () => {
  const tagged = join(dir.path, 'release-aarch64.json');
  await writeFile(tagged, JSON.stringify({ release: { base: '4.16.1' }, images: { cli: rel.components.cli, 'ovn-kubernetes': `${src.host}/tools/plain:v1` } }));
  const out = join(dir.path, 'tagged-archive');
  const r = await runGantry(['mirror', ...NO_TLS, '--plain', '-c', isc, `file://${out}`, '--microshift-release-info', tagged], { env: NO_PROXY_ENV });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error\[CONFIG_INVALID\]/);
  assert.ok(r.stderr.includes(tagged) && r.stderr.includes('images.ovn-kubernetes') && r.stderr.includes('not pinned by digest'), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.deepEqual((await readdir(out).catch(() => [] as string[])).filter((f) => f.endsWith('.tar')), [], 'nothing written');
});
