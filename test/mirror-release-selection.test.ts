// Release selection through `gantry mirror` (issue 11 acceptance): several channels joined by a cross-channel path
// through a channel not listed, `full`, re-planning offline from a saved graph file, the EUS-span warning, and bad
// selections (an unknown channel, minVersion above maxVersion, no path between min and max) as error[CODE] naming
// the channel and versions, with nothing written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedReleases, type FixtureRelease } from '../src/testing/release-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startUpdateService, type FakeUpdateService } from '../src/testing/update-service.js';
import { startSignedStore, type SignedReleases } from '../src/testing/signature-store.js';
import { tempDir, writePlatformIsc } from './helpers.js';
import { runGantry } from './run-gantry.js';

const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', UPDATE_URL_OVERRIDE: '', OCP_SIGNATURE_URL: '', OCP_SIGNATURE_VERIFICATION_PK: '' };
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
let src: RunningRegistry;
let svc: FakeUpdateService;
let signed: SignedReleases;
let dir: { path: string; remove(): Promise<void> };
const rel: Record<string, FixtureRelease> = {};

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('mirror-release-selection')]);
  const versions = ['4.14.5', '4.15.0', '4.15.1', '4.16.0'];
  const seeded = await seedReleases(src.url, versions.map((version) => ({ version, arch: 'amd64' as const, components: 2 })));
  for (const r of seeded) rel[r.version] = r;
  const node = (v: string) => ({ version: v, payload: rel[v]!.payload });
  // As the public channels are: stable-4.15 carries the 4.14 release that updates into 4.15, and so on. stable-4.15
  // is not listed in the configurations below: the cross-channel path must read it on its own.
  svc = await startUpdateService({
    amd64: {
      'stable-4.14': { releases: [node('4.14.5')] },
      'stable-4.15': { releases: ['4.14.5', '4.15.0', '4.15.1'].map(node), edges: [['4.14.5', '4.15.0'], ['4.15.0', '4.15.1']] },
      'stable-4.16': { releases: ['4.15.1', '4.16.0'].map(node), edges: [['4.15.1', '4.16.0']] },
      // An EUS channel: 4.14.5 → 4.15.0 ⇢ 4.15.1 → 4.16.0 (the middle update only conditionally); 4.15.2 (a payload
      // never read) only updates onwards, so nothing reaches it.
      'eus-4.16': {
        releases: [...['4.14.5', '4.15.0', '4.15.1'].map(node), { version: '4.15.2' }, node('4.16.0')],
        edges: [['4.14.5', '4.15.0'], ['4.15.1', '4.16.0'], ['4.15.2', '4.16.0']],
        conditional: [{ edges: [['4.15.0', '4.15.1']], risks: [{ name: 'EtcdLeak' }] }],
      },
    },
  });
  signed = await startSignedStore(dir.path, seeded);
});
after(async () => {
  await Promise.all([src?.stop(), svc?.close(), signed?.store.close()]);
  await dir?.remove();
});

const isc = (name: string, platform: string[]) => writePlatformIsc(dir.path, name, platform);

const mirror = (args: string[]) => runGantry(['mirror', ...NO_TLS, '--plain', '--update-url', svc.url, ...signed.flags, ...args], { env: NO_PROXY_ENV });

interface PlannedRelease {
  version: string;
  channel: string;
  reason: string;
  edge?: { from: string; to: string; conditional: boolean };
}

test('mirror release selection/several channels: the cross-channel path through a channel not listed, each release attributed to the channel publishing its update', async () => {
  const out = join(dir.path, 'cross');
  const r = await mirror(['-c', await isc('cross.yaml', ['channels:', '- name: stable-4.14', '- name: stable-4.16']), `file://${out}`, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { releases: PlannedRelease[] };
  assert.deepEqual(
    plan.releases.map((x) => [x.version, x.channel, x.reason, x.edge ? `${x.edge.from}→${x.edge.to}` : '']),
    [
      ['4.14.5', 'stable-4.14', 'head', ''],
      ['4.15.0', 'stable-4.15', 'path', '4.14.5→4.15.0'],
      ['4.15.1', 'stable-4.15', 'path', '4.15.0→4.15.1'],
      ['4.16.0', 'stable-4.16', 'head', ''],
    ],
  );
  // The dry run names the crossed channel, and the graph of stable-4.15 was asked for although not listed.
  assert.match(r.stderr, /releases: 4 selected by mirror\.platform/);
  assert.match(r.stderr, /\n {2}4\.15\.0 {2}amd64 {2}stable-4\.15 {2}path from 4\.14\.5 /);
  assert.ok(svc.requests.some((q) => q.channel === 'stable-4.15'), 'the intermediate channel was read');
});

test('mirror release selection/an EUS channel spanning minor versions: a warning naming it and the bounds; a conditional update on the path is reported', async () => {
  const out = join(dir.path, 'eus');
  const r = await mirror(['-c', await isc('eus.yaml', ['channels:', '- {name: eus-4.16, minVersion: 4.14.5, maxVersion: 4.16.0, shortestPath: true}']), `file://${out}`, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  const eus = r.stderr.split('\n').find((l) => l.startsWith('warning: EUS channel'));
  assert.ok(eus, r.stderr);
  for (const m of ['eus-4.16', '4.14.5', '4.16.0']) assert.ok(eus.includes(m), `${eus} mentions ${m}`);
  assert.match(r.stderr, /warning: the path takes the conditional update 4\.15\.0 → 4\.15\.1 \(amd64\); risks: EtcdLeak/);
  const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { releases: PlannedRelease[] };
  assert.deepEqual(plan.releases.map((x) => [x.version, x.edge?.conditional ?? null]), [['4.14.5', null], ['4.15.0', false], ['4.15.1', true], ['4.16.0', false]]);
  // Bounds one minor apart: no warning, the warning is about the span.
  const head = await mirror(['-c', await isc('eus-near.yaml', ['channels:', '- {name: eus-4.16, minVersion: 4.15.1, maxVersion: 4.16.0, shortestPath: true}']), `file://${join(dir.path, 'eus-near')}`, '--dry-run']);
  assert.equal(head.code, 0, head.stderr);
  assert.doesNotMatch(head.stderr, /warning: EUS channel/);
});

test('mirror release selection/full: every release of the channel, its head included, each a range entry', async () => {
  const out = join(dir.path, 'full');
  const r = await mirror(['-c', await isc('full.yaml', ['channels:', '- {name: stable-4.15, full: true}']), `file://${out}`, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { releases: PlannedRelease[] };
  assert.deepEqual(plan.releases.map((x) => [x.version, x.channel, x.reason]), [
    ['4.14.5', 'stable-4.15', 'range'],
    ['4.15.0', 'stable-4.15', 'range'],
    ['4.15.1', 'stable-4.15', 'range'],
  ]);
});

test('mirror release selection/--update-graph FILE re-plans offline: the same releases as from the service, which is not asked', async () => {
  const graphFile = join(dir.path, 'stable-4.15.json');
  const fromService = await mirror(['-c', await isc('replan.yaml', ['channels:', '- {name: stable-4.15, minVersion: 4.15.0}']), `file://${join(dir.path, 'replan-net')}`, '--dry-run']);
  assert.equal(fromService.code, 0, fromService.stderr);
  const saved = await (await fetch(`${svc.url}?channel=stable-4.15&arch=amd64`, { headers: { accept: 'application/json' } })).text();
  await writeFile(graphFile, saved);
  const asked = svc.requests.length;
  // No --update-url: with --update-graph gantry must not reach for the default (public) service either.
  const offline = await runGantry(
    ['mirror', ...NO_TLS, '--plain', '--update-graph', graphFile, ...signed.flags, '-c', join(dir.path, 'replan.yaml'), `file://${join(dir.path, 'replan-file')}`, '--dry-run'],
    { env: NO_PROXY_ENV },
  );
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(svc.requests.length, asked, 'the update service was not asked');
  const releases = async (d: string) => (JSON.parse(await readFile(join(dir.path, d, 'plan.json'), 'utf8')) as { releases: PlannedRelease[] }).releases.map((x) => [x.version, x.channel, x.reason]);
  assert.deepEqual(await releases('replan-file'), [['4.15.0', 'stable-4.15', 'range'], ['4.15.1', 'stable-4.15', 'range']]);
  assert.deepEqual(await releases('replan-file'), await releases('replan-net'));
});

const bad: { name: string; platform: string[]; code: string; mentions: string[] }[] = [
  { name: 'an unknown channel', platform: ['channels:', '- name: stable-9.9'], code: 'RELEASE_CHANNEL_UNKNOWN', mentions: ['stable-9.9', 'amd64'] },
  // Refused when the configuration is read, with its file and line, before the update service is asked.
  { name: 'minVersion above maxVersion', platform: ['channels:', '- {name: stable-4.15, minVersion: 4.15.1, maxVersion: 4.15.0}'], code: 'CONFIG_INVALID', mentions: ['release channel "stable-4.15": minVersion 4.15.1 is above maxVersion 4.15.0', 'above_maxVersion.yaml:6:'] },
  { name: 'no path between min and max', platform: ['channels:', '- {name: eus-4.16, minVersion: 4.15.0, maxVersion: 4.15.2, shortestPath: true}'], code: 'RELEASE_NO_PATH', mentions: ['eus-4.16', '4.15.0', '4.15.2'] },
];

for (const c of bad) {
  test(`mirror release selection/bad input: ${c.name} is error[${c.code}] naming the channel and versions; no archive, no cluster resources, nothing pushed`, async () => {
    const slug = c.name.replace(/\W+/g, '_');
    const archive = join(dir.path, `bad-${slug}`);
    const toDisk = await mirror(['-c', await isc(`${slug}.yaml`, c.platform), `file://${archive}`]);
    assert.equal(toDisk.code, 1, toDisk.stderr);
    assert.match(toDisk.stderr, new RegExp(`error\\[${c.code}\\]`));
    assert.doesNotMatch(toDisk.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    for (const m of c.mentions) assert.ok(toDisk.stderr.includes(m), `${toDisk.stderr} mentions ${m}`);
    const files = await readdir(archive).catch(() => [] as string[]);
    assert.deepEqual(files.filter((f) => f.endsWith('.tar') || f === 'cluster-resources'), [], `nothing claims a mirror: ${files.join()}`);

    const dst = await startRegistry();
    try {
      const ws = join(dir.path, `ws-${slug}`);
      const toMirror = await mirror(['-c', join(dir.path, `${slug}.yaml`), `docker://${dst.host}/m`, '--workspace', ws]);
      assert.equal(toMirror.code, 1, toMirror.stderr);
      assert.match(toMirror.stderr, new RegExp(`error\\[${c.code}\\]`));
      assert.ok(!(await readdir(ws).catch(() => [] as string[])).includes('cluster-resources'));
      const catalog = (await (await fetch(`${dst.url}/v2/_catalog`)).json()) as { repositories: string[] };
      assert.deepEqual(catalog.repositories, [], 'nothing pushed');
    } finally {
      await dst.stop();
    }
  });
}
