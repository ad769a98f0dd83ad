// The Quick start's main job on bundled sample data: builds sample operator-style images deterministically,
// starts a local registry, copies them in and back (every digest checked), builds a catalog for them into a
// catalog image, then mirrors it with an ImageSetConfiguration the air-gapped way: mirror to disk (archive
// files), disk to a second registry (the disconnected one), and shows the cluster resources. It ends by serving the
// mirrored catalog over catalogd's HTTP API in the background (pid file, log file) and printing where to browse it.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { createCopyRun } from '../src/copy/copy-run.js';
import { createMemoryStore } from '../src/content/memory-store.js';
import { createLayoutStore } from '../src/layout/index.js';
import { buildImage, buildIndex, descriptorOf, type BuiltBlob, type TestImage, type TestIndex } from '../src/testing/images.js';
import { startRegistry } from '../src/testing/registry-process.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
// GANTRY_DEMO_OUT: where the demo writes (its test points it at a temp dir); demo-output/ in the checkout otherwise.
const OUT = process.env.GANTRY_DEMO_OUT ?? join(ROOT, 'demo-output');
const SERVE_PID = join(OUT, 'serve.pid');
const SERVE_LOG = join(OUT, 'serve.log');
/** The port the catalog is served on when it is free; another free port otherwise. */
const SERVE_PORT = Number(process.env.GANTRY_DEMO_PORT ?? 8080);
const SERVE_GRPC_PORT = Number(process.env.GANTRY_DEMO_GRPC_PORT ?? 50051);
const SERVE_READY_MS = 60_000;

function step(text: string): void {
  process.stdout.write(`\n==> ${text}\n`);
}

function gantry(args: string[], opts: { echo?: boolean; live?: boolean } = {}): string {
  const echo = opts.echo ?? true;
  if (echo) process.stdout.write(`$ gantry ${args.join(' ')}\n`);
  // live: the terminal gets gantry's own output, so a TTY shows its progress bar (images, bytes, rate, ETA).
  const stdio = opts.live ? (['ignore', 'inherit', 'inherit'] as const) : (['ignore', 'pipe', 'pipe'] as const);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/gantry.js'), ...args], { encoding: 'utf8', stdio: [...stdio] });
  if (echo && r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(r.stderr);
  if (r.status !== 0) throw new Error(`gantry ${args[0]} failed with exit code ${r.status}`);
  return r.stdout;
}

/** Sample data: an operator, its bundle, and a multi-arch operand, as a disconnected site would mirror them. */
function sampleImages(): { name: string; tag: string; content: TestImage | TestIndex }[] {
  const operator = buildImage({ seed: 'demo-operator', layerSizes: [2 << 20, 256 << 10], tarLayer: true, labels: { 'org.opencontainers.image.title': 'sample-operator' } });
  const bundle = buildImage({ seed: 'demo-bundle', layerSizes: [16 << 10], tarLayer: true, labels: { 'operators.operatorframework.io.bundle.package.v1': 'sample-operator' } });
  const operand = buildIndex(
    ['amd64', 'arm64', 'ppc64le', 's390x'].map((architecture) =>
      buildImage({ seed: `demo-operand-${architecture}`, layerSizes: [1 << 20], tarLayer: true, platform: { os: 'linux', architecture } }),
    ),
  );
  return [
    { name: 'sample/operator', tag: 'v1.0.0', content: operator },
    { name: 'sample/operator-bundle', tag: 'v1.0.0', content: bundle },
    { name: 'sample/operand', tag: 'v1.0.0', content: operand },
  ];
}

/** Puts the samples into an OCI layout through gantry's own stores (memory → layout with the copy engine). */
async function writeSamples(layoutPath: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const layout = await createLayoutStore({ path: layoutPath, create: true });
  for (const s of sampleImages()) {
    const mem = createMemoryStore({ location: `sample:${s.name}` });
    const images = 'images' in s.content ? s.content.images : [s.content];
    const put = (b: BuiltBlob) => mem.pushBlob(descriptorOf(b), async () => [b.bytes]);
    for (const img of images) {
      for (const b of [img.config, ...img.layers]) await put(b);
      await mem.pushManifest(img.manifest.bytes, img.manifest.mediaType, 'images' in s.content ? img.manifest.digest : s.tag);
    }
    if ('images' in s.content) await mem.pushManifest(s.content.manifest.bytes, s.content.manifest.mediaType, s.tag);
    const r = await createCopyRun().copyImage({ source: mem, sourceRef: s.tag, dest: layout, destRef: `${s.name.split('/')[1]}-${s.tag}` });
    if (!r.ok) throw r.error;
    digests.set(s.name, s.content.manifest.digest);
  }
  return digests;
}

/** Stops the catalog server a previous demo run left running (its pid file), so its port and files are free. */
async function stopPreviousServer(): Promise<void> {
  const pid = Number((await readFile(SERVE_PID, 'utf8').catch(() => '')).trim());
  if (!pid) return;
  // Only a gantry serve: a stale pid file must not kill whatever process got that pid since.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('gantry') || !cmdline.includes('serve')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')) !== ''; i++) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`  stopped the catalog server of a previous run (pid ${pid})\n`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * `gantry serve` detached from the demo (own process group, output to a log file, pid in a file), so the demo can
 * exit and leave the catalog browsable. Resolves with its URL once its ready line is in the log (bounded wait).
 */
async function serveInBackground(name: string, source: string): Promise<{ url: string; grpc: string }> {
  // The usual ports when they are free (a developer's 8080 or 50051 may be taken): else any free one.
  const port = (await portIsFree(SERVE_PORT)) ? SERVE_PORT : 0;
  const grpcPort = (await portIsFree(SERVE_GRPC_PORT)) ? SERVE_GRPC_PORT : 0;
  const log = openSync(SERVE_LOG, 'w');
  const child = spawn(process.execPath, [join(ROOT, 'bin/gantry.js'), 'serve', `${name}=${source}`, '--listen', `127.0.0.1:${port}`, '--grpc-listen', `127.0.0.1:${grpcPort}`], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  await writeFile(SERVE_PID, `${child.pid}\n`);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  try {
    const until = Date.now() + SERVE_READY_MS;
    while (Date.now() < until) {
      const m = /serving (http:\/\/\S+) and gRPC (\S+)/.exec(await readFile(SERVE_LOG, 'utf8'));
      if (m) return { url: m[1]!, grpc: m[2]! };
      if (exited !== null) throw new Error(`gantry serve exited ${exited}: ${await readFile(SERVE_LOG, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    throw new Error(`gantry serve was not ready within ${SERVE_READY_MS} ms (see ${SERVE_LOG})`);
  } finally {
    // The demo does not wait for the server: it runs on after the demo exits.
    child.unref();
  }
}

async function main(): Promise<void> {
  await stopPreviousServer();
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const samples = join(OUT, 'sample-layout');
  const back = join(OUT, 'round-trip-layout');

  step('Building sample images (operator, bundle, 4-arch operand) into an OCI layout');
  const digests = await writeSamples(samples);
  for (const [name, digest] of digests) process.stdout.write(`  ${name}  ${digest}\n`);

  step('Starting a local registry (docker-registry on 127.0.0.1, random port)');
  const registry = await startRegistry({ logLevel: 'error' });
  let served = { url: '', grpc: '' };
  process.stdout.write(`  registry at ${registry.host}\n`);
  try {
    const names = [...digests.keys()];
    const toRegistry = join(OUT, 'mapping-to-registry.txt');
    await writeFile(toRegistry, names.map((n) => `oci:${samples}:${n.split('/')[1]}-v1.0.0=docker://${registry.host}/mirror/${n}:v1.0.0`).join('\n') + '\n');

    step('Copying the layout into the registry (one run, mapping.txt format)');
    gantry(['copy', '--dest-tls-verify=false', '--mapping', toRegistry]);

    step('Inspecting what landed');
    gantry(['tags', '--tls-verify=false', `docker://${registry.host}/mirror/sample/operand`]);
    gantry(['inspect', '--tls-verify=false', `docker://${registry.host}/mirror/sample/operand:v1.0.0`]);
    gantry(['inspect', '--tls-verify=false', `docker://${registry.host}/mirror/sample/operator:v1.0.0`]);

    step('Copying back from the registry into a fresh layout, then again (nothing left to move)');
    const fromRegistry = join(OUT, 'mapping-from-registry.txt');
    await writeFile(fromRegistry, names.map((n) => `docker://${registry.host}/mirror/${n}:v1.0.0=oci:${back}:${n.split('/')[1]}`).join('\n') + '\n');
    gantry(['copy', '--src-tls-verify=false', '--mapping', fromRegistry]);
    gantry(['copy', '--src-tls-verify=false', '--mapping', fromRegistry]);

    step('Checking digests end to end');
    let ok = true;
    for (const n of names) {
      const info = JSON.parse(gantry(['inspect', '-o', 'json', `oci:${back}:${n.split('/')[1]}`], { echo: false })) as { digest: string };
      const same = info.digest === digests.get(n);
      ok &&= same;
      process.stdout.write(`  ${same ? 'ok ' : 'BAD'} ${n} ${info.digest}\n`);
    }
    if (!ok) throw new Error('a digest changed on the way');

    step('A file-based catalog for the sample operator, referencing the mirrored images by digest');
    const catalogDir = join(OUT, 'catalog');
    const mirror = (n: string) => `${registry.host}/mirror/${n}@${digests.get(n)}`;
    const blobs = [
      { schema: 'olm.package', name: 'sample-operator', defaultChannel: 'stable' },
      { schema: 'olm.channel', package: 'sample-operator', name: 'stable', entries: [{ name: 'sample-operator.v1.0.0' }] },
      {
        schema: 'olm.bundle',
        package: 'sample-operator',
        name: 'sample-operator.v1.0.0',
        image: mirror('sample/operator-bundle'),
        properties: [{ type: 'olm.package', value: { packageName: 'sample-operator', version: '1.0.0' } }],
        relatedImages: [
          { name: 'operator', image: mirror('sample/operator') },
          { name: 'operand', image: mirror('sample/operand') },
        ],
      },
    ];
    await mkdir(join(catalogDir, 'sample-operator'), { recursive: true });
    await writeFile(join(catalogDir, 'sample-operator', 'catalog.json'), blobs.map((b) => `${JSON.stringify(b, null, 4)}\n`).join(''));
    gantry(['catalog', 'validate', catalogDir]);

    step('Building it into a catalog image in the local registry (no podman), then reading it back from the image');
    gantry(['catalog', 'build', catalogDir, '-t', `docker://${registry.host}/mirror/sample/catalog:v1`, '--dest-tls-verify=false']);
    gantry(['catalog', 'validate', '--tls-verify=false', `docker://${registry.host}/mirror/sample/catalog:v1`]);
    gantry(['catalog', 'list', 'bundles', catalogDir]);

    step('Mirroring with an ImageSetConfiguration (the catalog and everything it needs) to a second registry');
    const dest = await startRegistry({ logLevel: 'error' });
    try {
      const isc = join(OUT, 'imageset-config.yaml');
      await writeFile(
        isc,
        [
          'apiVersion: mirror.openshift.io/v2alpha1',
          'kind: ImageSetConfiguration',
          'mirror:',
          '  operators:',
          `  - catalog: ${registry.host}/mirror/sample/catalog:v1`,
          '    packages:',
          '    - name: sample-operator',
          '',
        ].join('\n'),
      );
      process.stdout.write(await readFile(isc, 'utf8'));
      const archive = join(OUT, 'archive');
      await rm(archive, { recursive: true, force: true });
      gantry(['mirror', '-c', isc, `file://${archive}`, '--dry-run', '--src-tls-verify=false']);
      step('Mirror to disk: archive files for the trip across the air gap (split by archiveSize, checksummed)');
      gantry(['mirror', '-c', isc, `file://${archive}`, '--src-tls-verify=false'], { live: true });
      const parts = (await readdir(archive)).filter((f) => f.endsWith('.tar')).sort();
      for (const f of parts) process.stdout.write(`  ${join(archive, f)}\n`);
      step('Disk to mirror: on the disconnected side, every part is checked, then pushed to the local registry');
      gantry(['mirror', '--from', `file://${archive}`, `docker://${dest.host}/disconnected`, '--dest-tls-verify=false'], { live: true });
      step('Checking that the disconnected registry serves the same digests');
      for (const n of names) {
        const got = JSON.parse(gantry(['inspect', '-o', 'json', '--tls-verify=false', `docker://${dest.host}/disconnected/mirror/${n}:sha256-${digests.get(n)!.slice(7)}`], { echo: false })) as { digest: string };
        if (got.digest !== digests.get(n)) throw new Error(`${n}: ${got.digest} at the disconnected registry, ${digests.get(n)} at the source`);
        process.stdout.write(`  ${n}  ${got.digest}  identical\n`);
      }
      process.stdout.write(`\nplan.json says why each image is there; mapping.txt lists the pairs. Cluster resources for the disconnected cluster:\n`);
      for (const f of (await readdir(join(archive, 'cluster-resources'), { recursive: true })).map(String).filter((f) => /\.(yaml|conf|toml)$/.test(f)).sort()) {
        process.stdout.write(`  ${join(archive, 'cluster-resources', f)}\n`);
      }
      process.stdout.write(await readFile(join(archive, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8'));
      step('Serving the mirrored catalog from the archive over catalogd\'s HTTP API, in the background');
      served = await serveInBackground('sample-catalog', `archive:${archive}`);
    } finally {
      await dest.stop();
    }

    process.stdout.write(`\nDone. Sample layout: ${samples}\nRound-trip layout: ${back}\nCatalog: ${catalogDir}\nMapping files: ${OUT}\n`);
    // Last, so it is what the terminal shows when the demo returns: the server keeps running after it.
    const shown = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
    process.stdout.write(
      [
        '',
        'The mirrored catalog is being served until you stop it:',
        `  browse it:    ${served.url}/`,
        `  catalogd API: ${served.url}/catalogs/sample-catalog/api/v1/all`,
        `  one package:  ${served.url}/catalogs/sample-catalog/api/v1/metas?schema=olm.package&name=sample-operator`,
        `  gRPC (opm):   ${served.grpc}  (grpcurl -plaintext ${served.grpc} api.Registry/ListPackages)`,
        `  its log:      ${shown(SERVE_LOG)}`,
        `  stop it:      kill $(cat ${shown(SERVE_PID)})`,
        '',
      ].join('\n'),
    );
  } finally {
    await registry.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
