// Catalog queries that need the bundle: a catalog with olm.csv.metadata (no webhooks in it) whose bundle images
// sit in a real registry behind a counting proxy; gantry reads their CSVs once, then answers from its cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { pushImageRaw } from '../src/testing/images.js';
import { bundleImageFromDir } from './bundle-image.js';
import { CORPUS, REAL_CATALOG } from './corpus.js';
import { countRequests, tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const BUNDLES = join(CORPUS, 'bundles', 'latest-per-package');

/** `gantry catalog list WHAT CATALOG …` in today's grammar; the one place to change when the grammar changes. */
const listArgs = (what: 'packages' | 'bundles', catalog: string, ...flags: string[]) => ['catalog', 'list', what, catalog, ...flags];
const showArgs = (catalog: string, pkg: string, bundle: string) => ['catalog', 'show', catalog, pkg, bundle];

/** Asynchronous, so the proxy in this process keeps answering while gantry runs. */
function gantry(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The install modes a CSV marks supported, as olm.csv.metadata carries them (webhooks it never carries). */
async function csvInstallModes(bundleDir: string): Promise<{ type: string; supported: boolean }[]> {
  const { parse } = await import('yaml');
  for (const f of await readdir(join(bundleDir, 'manifests'))) {
    const doc = parse(await readFile(join(bundleDir, 'manifests', f), 'utf8')) as { kind?: string; spec?: { installModes: { type: string; supported: boolean }[] } };
    if (doc.kind === 'ClusterServiceVersion') return doc.spec!.installModes;
  }
  throw new Error(`no CSV in ${bundleDir}`);
}

// AllNamespaces without webhooks; AllNamespaces with webhooks; OwnNamespace only, without webhooks.
const BUNDLES_USED = [
  { pkg: 'deployment-validation-operator', version: '0.7.12', byTag: false, modesInCatalog: true },
  { pkg: 'tempo-operator', version: '0.22.0', byTag: false, modesInCatalog: true },
  { pkg: 'cat-facts-operator', version: '1.1.2', byTag: true, modesInCatalog: false },
];

let reg: RunningRegistry;
let proxy: FaultProxy;
let work: Awaited<ReturnType<typeof tempDir>>;
let catalog: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  reg = await startRegistry();
  proxy = await startFaultProxy({ upstream: reg.url });
  work = await tempDir('bundle-facts');
  catalog = join(work.path, 'catalog');
  env = { ...process.env, GANTRY_CACHE_DIR: join(work.path, 'cache') };
  for (const b of BUNDLES_USED) {
    const dir = join(BUNDLES, b.pkg, b.version);
    const img = await bundleImageFromDir(dir, b.pkg);
    await pushImageRaw(reg.url, `bundles/${b.pkg}`, `v${b.version}`, img);
    const name = `${b.pkg}.v${b.version}`;
    const blobs = [
      { schema: 'olm.package', name: b.pkg, defaultChannel: 'stable' },
      { schema: 'olm.channel', package: b.pkg, name: 'stable', entries: [{ name }] },
      {
        schema: 'olm.bundle',
        package: b.pkg,
        name,
        // Through the proxy, so every request gantry makes is counted.
        image: `${proxy.host}/bundles/${b.pkg}${b.byTag ? `:v${b.version}` : `@${img.manifest.digest}`}`,
        properties: [
          { type: 'olm.package', value: { packageName: b.pkg, version: b.version } },
          { type: 'olm.csv.metadata', value: { displayName: b.pkg, ...(b.modesInCatalog ? { installModes: await csvInstallModes(dir) } : {}) } },
        ],
      },
    ];
    await mkdir(join(catalog, b.pkg), { recursive: true });
    await writeFile(join(catalog, b.pkg, 'catalog.json'), blobs.map((x) => JSON.stringify(x)).join('\n') + '\n');
  }
});
after(async () => {
  await proxy?.stop();
  await reg?.stop();
  await work?.remove();
});

test('cli/catalog list: --no-webhooks and --install-mode read bundle images once, then answer from the cache', async () => {
  const query = listArgs('packages', catalog, '--install-mode', 'AllNamespaces', '--no-webhooks', '-o', 'json', '--tls-verify=false');

  // --offline: today's answer from the catalog alone, with the count of what it cannot tell.
  const offline = await gantry([...query, '--offline'], env);
  assert.equal(offline.status, 0, offline.stderr);
  assert.deepEqual(JSON.parse(offline.stdout), []);
  assert.match(offline.stderr, /^note: 3 left out because the catalog carries no install mode or webhook information for them .*without --offline/m);
  assert.doesNotMatch(offline.stderr, /read \d+ bundle image/);
  assert.equal(proxy.requests.length, 0);

  const first = await gantry(query, env);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual((JSON.parse(first.stdout) as { package: string }[]).map((r) => r.package), ['deployment-validation-operator']);
  assert.match(first.stderr, /^read 3 bundle images \(0 from cache\)$/m);
  assert.doesNotMatch(first.stderr, /note:|warning:/);
  assert.equal(countRequests(proxy.requests, 'GET', /\/blobs\/sha256:/), 6, 'a config and a layer per bundle image');
  const cached = await readdir(join(work.path, 'cache', 'bundle-facts'));
  assert.equal(cached.filter((f) => /^sha256-[0-9a-f]{64}\.json$/.test(f)).length, 3);

  // Second run: digest-pinned bundles need no request; the one by tag costs one manifest HEAD and no blob.
  proxy.reset();
  const second = await gantry(query, env);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
  assert.match(second.stderr, /^read 3 bundle images \(3 from cache\)$/m);
  assert.equal(countRequests(proxy.requests, 'GET', /\/blobs\//), 0);
  assert.equal(countRequests(proxy.requests, 'GET', /\/manifests\//), 0);
  assert.equal(countRequests(proxy.requests, 'HEAD', /\/manifests\/v1\.1\.2$/), 1);

  // Bundle rows carry what the images said; the facts fill in install modes the catalog lacks.
  proxy.reset();
  const bundles = await gantry(listArgs('bundles', catalog, '-o', 'json', '--no-webhooks', '--tls-verify=false'), env);
  assert.equal(bundles.status, 0, bundles.stderr);
  const rows = JSON.parse(bundles.stdout) as { package: string; webhooks: boolean; installModes: string[] }[];
  assert.deepEqual(
    rows.map((r) => [r.package, r.webhooks, r.installModes]),
    [
      ['cat-facts-operator', false, ['OwnNamespace']],
      ['deployment-validation-operator', false, ['AllNamespaces', 'OwnNamespace', 'SingleNamespace']],
    ],
  );
  assert.match(bundles.stderr, /^read 3 bundle images \(3 from cache\)$/m);
  assert.equal(countRequests(proxy.requests, 'GET', /\/blobs\//), 0);

  // OLM v1: tempo's admission webhooks are allowed, cat-facts lacks AllNamespaces; the reasons are in the rows.
  const v1 = await gantry(listArgs('bundles', catalog, '-o', 'json', '--olm-v1', '--tls-verify=false'), env);
  assert.equal(v1.status, 0, v1.stderr);
  assert.deepEqual((JSON.parse(v1.stdout) as { package: string; olmV1: boolean }[]).map((r) => [r.package, r.olmV1]), [
    ['deployment-validation-operator', true],
    ['tempo-operator', true],
  ]);
  const all = await gantry(listArgs('bundles', catalog, '-o', 'json', '--olm-v1', '--offline'), env);
  // tempo supports AllNamespaces alone, so its webhooks cannot matter: only the other two need their images.
  assert.match(v1.stderr, /^read 2 bundle images \(2 from cache\)$/m);
  assert.match(all.stderr, /^note: 2 left out because the catalog carries no install mode or webhook information/m);
  const unfiltered = await gantry(listArgs('bundles', catalog, '-o', 'json'), env);
  assert.deepEqual((JSON.parse(unfiltered.stdout) as { package: string; olmV1: boolean | null; olmV1Problems: string[] }[]).map((r) => [r.package, r.olmV1, r.olmV1Problems]), [
    ['cat-facts-operator', null, []],
    ['deployment-validation-operator', null, []],
    ['tempo-operator', true, []],
  ], 'no filter that needs the bundle: nothing is read, nothing guessed');
  assert.doesNotMatch(unfiltered.stderr, /read \d+ bundle image/);
  const show = await gantry(showArgs(catalog, 'tempo-operator', 'tempo-operator.v0.22.0'), env);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /^OLM v1 +yes$/m);
  assert.match(show.stdout, /^webhooks +unknown$/m);
  const unknown = await gantry(showArgs(catalog, 'cat-facts-operator', 'cat-facts-operator.v1.1.2'), env);
  assert.match(unknown.stdout, /^OLM v1 +unknown \(the catalog lacks install modes or webhooks\)$/m);
  const pk = await gantry(listArgs('packages', catalog, '--olm-v1', '--no-webhooks', '--tls-verify=false'), env);
  assert.equal(pk.status, 0, pk.stderr);
  assert.match(pk.stdout, /^deployment-validation-operator /m);
  assert.doesNotMatch(pk.stdout, /tempo-operator|cat-facts-operator/);
});

test('cli/catalog list: with the registry gone, cached bundles still answer and the unreadable one is named', async () => {
  // The first test filled the cache; now nothing answers on the proxy's port.
  await proxy.stop();
  const r = await gantry(listArgs('packages', catalog, '--no-webhooks', '--tls-verify=false', '--retry-times', '0'), env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^deployment-validation-operator\s+stable\s+deployment-validation-operator\.v0\.7\.12/m);
  assert.doesNotMatch(r.stdout, /tempo-operator|cat-facts-operator/);
  assert.match(r.stderr, /^read 2 bundle images \(2 from cache\)$/m);
  assert.match(r.stderr, /^warning: bundle image 127\.0\.0\.1:\d+\/bundles\/cat-facts-operator:v1\.1\.2: /m);
  assert.match(r.stderr, /^hint: check the registry flags .* or answer from the catalog alone with --offline$/m);
  assert.match(r.stderr, /^note: 1 left out because neither the catalog nor their bundle images gave webhook information/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('cli/catalog list --offline on the real v4.20 catalog: the catalog-only answer, and how many it could not judge', async () => {
  const r = await gantry(listArgs('packages', REAL_CATALOG, '--install-mode', 'AllNamespaces', '--no-webhooks', '--offline', '-o', 'json'), env);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  assert.match(r.stderr, /^note: 32 left out because the catalog carries no install mode or webhook information for them/m);
  assert.doesNotMatch(r.stderr, /read \d+ bundle image/);
});
