// OKD releases through `gantry mirror`: a `type: okd` channel read from the update service, releases published at
// OKD's repositories (openshift/okd, openshift/okd-content) on a local registry, mirrored with OpenShift's naming
// and read back by skopeo, IDMS entries for OKD's sources; an OKD channel beside an OpenShift one (oc-mirror allows
// both, crossing channels only for OCP); OKD's own update service by default, not UPDATE_URL_OVERRIDE.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OKD_REPOS, releaseGraph, seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { skopeoInspectDigest } from '../src/testing/tools.js';
import { startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', NO_PROXY: '', no_proxy: '', UPDATE_URL_OVERRIDE: '', OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
// OKD versions as the OKD update service lists them (FCOS-era nightly-style stable names).
const OKD_A = '4.15.0-0.okd-2024-03-10-010116';
const OKD_B = '4.15.0-0.okd-2024-03-23-163419';
let src: RunningRegistry;
let svc: FakeUpdateService;
let signedStore: SignedReleases;
let dir: { path: string; remove(): Promise<void> };
let okdA: FixtureRelease;
let okdB: FixtureRelease;
let ocp: FixtureRelease;

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('mirror-okd')]);
  [okdA, okdB, ocp] = (await seedReleases(src.url, [
    { version: OKD_A, arch: 'amd64', components: 5, repos: OKD_REPOS },
    { version: OKD_B, arch: 'amd64', components: 5, changeEvery: 2, repos: OKD_REPOS },
    { version: '4.16.0', arch: 'amd64', components: 4 },
  ])) as [FixtureRelease, FixtureRelease, FixtureRelease];
  // OKD's channel name as oc-mirror's docs/okd-mirror.md writes it.
  svc = await startUpdateService({ amd64: { '4-stable': releaseGraph([okdA, okdB]), 'stable-4.16': releaseGraph([ocp]) } });
  signedStore = await startSignedStore(dir.path, [okdA, okdB, ocp]);
});
after(async () => {
  await Promise.all([src?.stop(), svc?.close(), signedStore?.store.close()]);
  await dir?.remove();
});

const isc = (name: string, channels: string[]) => writePlatformIsc(dir.path, name, ['channels:', ...channels]);

const mirror = (args: string[], env: Record<string, string> = {}) => runGantry(['mirror', ...NO_TLS, '--plain', ...signedStore.flags, ...args], { env: { ...NO_PROXY_ENV, ...env } });
const sorted = (r: FixtureRelease) => Object.entries(r.components).sort(([a], [b]) => (a < b ? -1 : 1));
const digestOf = (ref: string) => ref.slice(ref.indexOf('@') + 1);

test('mirror okd/mirror to mirror: the OKD channel head at OpenShift names; skopeo reads it whole; IDMS has OKD sources; signatures recorded', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'okd-m2m');
    const r = await mirror(['--update-url', svc.url, '-c', await isc('okd.yaml', ['- {name: 4-stable, type: okd}']), `docker://${dst.host}/mirror`, '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(svc.requests.some((q) => q.channel === '4-stable' && q.arch === 'amd64'), 'the OKD channel is read from the update service');
    const at = `${dst.host}/mirror/openshift`;
    const sk = (ref: string) => skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
    const tag = `${OKD_B}-x86_64`;
    assert.equal(await sk(`${at}/release-images:${tag}`), okdB.digest, 'heads only: the newest OKD release');
    for (const [name, ref] of sorted(okdB)) {
      assert.ok(ref.startsWith(`${src.host}/${OKD_REPOS.components}@`), ref);
      assert.equal(await sk(`${at}/release:${tag}-${name}`), digestOf(ref), name);
    }
    const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories.sort(), ['mirror/openshift/release', 'mirror/openshift/release-images'], 'OKD releases land where OpenShift ones do');
    const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    assert.match(idms, /name: idms-release-0/);
    const entry = (mirror: string, source: string) => new RegExp(`- ${mirror.replace(/\./g, '\\.')}\\n\\s+source: ${source.replace(/\./g, '\\.')}\\n`);
    assert.match(idms, entry(`${at}/release-images`, `${src.host}/${OKD_REPOS.release}`));
    assert.match(idms, entry(`${at}/release`, `${src.host}/${OKD_REPOS.components}`));
    assert.doesNotMatch(idms, /openshift-release-dev/, 'only what was mirrored');
    const cm = JSON.parse(await readFile(join(ws, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as { binaryData: Record<string, string> };
    assert.deepEqual(Object.keys(cm.binaryData), [`sha256-${okdB.digest.slice(7)}-1`]);
    const info = await runGantry(['release', 'info', '--tls-verify=false', '-o', 'json', `${at}/release-images:${tag}`]);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(JSON.parse(info.stdout).version, OKD_B);
  } finally {
    await dst.stop();
  }
});

test('mirror okd/an OKD and an OpenShift channel together: both mirrored, IDMS release entries accumulated for both sources', async () => {
  const dst = await startRegistry();
  try {
    const ws = join(dir.path, 'mixed');
    const config = await isc('mixed.yaml', ['- {name: 4-stable, type: okd, minVersion: ' + OKD_A + ', maxVersion: ' + OKD_B + '}', '- name: stable-4.16']);
    const r = await mirror(['--update-url', svc.url, '-c', config, `docker://${dst.host}/m`, '--workspace', ws]);
    assert.equal(r.code, 0, r.stderr);
    const at = `${dst.host}/m/openshift`;
    const sk = (ref: string) => skopeoInspectDigest(`docker://${ref}`, ['--tls-verify=false']);
    assert.equal(await sk(`${at}/release-images:${OKD_A}-x86_64`), okdA.digest);
    assert.equal(await sk(`${at}/release-images:${OKD_B}-x86_64`), okdB.digest);
    assert.equal(await sk(`${at}/release-images:4.16.0-x86_64`), ocp.digest);
    const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8')) as { releases: { version: string; channel: string }[] };
    assert.deepEqual(plan.releases.map((x) => [x.version, x.channel]).sort(), [[OKD_A, '4-stable'], [OKD_B, '4-stable'], ['4.16.0', 'stable-4.16']].sort());
    const idms = await readFile(join(ws, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
    for (const source of [OKD_REPOS.release, OKD_REPOS.components, 'openshift-release-dev/ocp-release', 'openshift-release-dev/ocp-v4.0-art-dev']) {
      assert.ok(idms.includes(`source: ${src.host}/${source}\n`), `${source} in\n${idms}`);
    }
    assert.equal(idms.match(/kind: ImageDigestMirrorSet/g)?.length, 1, 'one release IDMS for both');
    const cm = JSON.parse(await readFile(join(ws, 'cluster-resources', 'signature-configmap.json'), 'utf8')) as { binaryData: Record<string, string> };
    assert.equal(Object.keys(cm.binaryData).length, 3);
  } finally {
    await dst.stop();
  }
});

/** A proxy that records the host each CONNECT asks for and refuses it: no request leaves the machine. */
async function startRefusingProxy(): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.once('data', (b) => {
      const first = b.toString('latin1').split('\r\n')[0] ?? '';
      targets.push(first.split(' ')[1] ?? first);
      s.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

test("mirror okd/without --update-url an OKD channel reads OKD's update service, not UPDATE_URL_OVERRIDE (which is OpenShift's, as in oc-mirror)", async () => {
  const proxy = await startRefusingProxy();
  try {
    const before = svc.requests.length;
    const r = await mirror(['-c', await isc('okd-default.yaml', ['- {name: 4-stable, type: okd}']), `docker://127.0.0.1:1/x`, '--dry-run', '--workspace', join(dir.path, 'okd-default')], {
      UPDATE_URL_OVERRIDE: svc.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '127.0.0.1',
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[UPDATE_SERVICE_ERROR\]/);
    assert.ok(r.stderr.includes('https://origin-release.ci.openshift.org/graph?channel=4-stable'), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    assert.equal(svc.requests.length, before, 'the OCP override is not asked for an OKD channel');
    assert.deepEqual(proxy.targets, ['origin-release.ci.openshift.org:443']);
  } finally {
    await proxy.close();
  }
});
