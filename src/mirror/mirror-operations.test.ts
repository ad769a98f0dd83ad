// The mirror operations over memory stores, with no registry process: the plan as data and its names, mirror to
// mirror with its records across runs, partial archives through disk to mirror, the directory lock, dry runs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { buildCatalogImage } from '../catalog-image/index.js';
import { parseImageSetConfig } from '../config/index.js';
import { createMemoryStore } from '../content/memory-store.js';
import type { Store } from '../content/store.js';
import { GantryError, isGantryError } from '../errors.js';
import { digestTag } from '../generate/destination.js';
import { formatReference } from '../oci/reference.js';
import { buildImage, type TestImage } from '../testing/images.js';
import { createMemoryRegistry, putImage } from '../testing/memory-registry.js';
import { archivedDestination } from './disk-to-mirror.js';
import type { MirrorEvent } from './mirror-events.js';
import type { MirrorInputs } from './load-config.js';
import { planMirror } from './plan-mirror.js';
import { readMirrored, recordFile } from './destination-records.js';
import { runDiskToMirror } from './run-disk-to-mirror.js';
import { runMirrorToDisk } from './run-mirror-to-disk.js';
import { runMirrorToMirror } from './run-mirror-to-mirror.js';
import type { StoreResolver } from './store-resolver.js';
import { LOCK_FILE, lockDirectory } from './workspace-lock.js';
import { createLayoutStore } from '../layout/index.js';

const SRC = 'src.example';
const img = (seed: string) => buildImage({ seed: `mirror-ops-${seed}`, layerSizes: [3000] });

/** src.example with demo-op (two bundles, head 1.1.0), an operator image and two plain images; one is not pushed. */
async function sourceRegistry(opts: { withoutExtra?: boolean; withoutOperator?: boolean; catalogStore?: Store } = {}) {
  const reg = createMemoryRegistry();
  const images = { operator: img('operator'), b1: img('b1'), b2: img('b2'), extra: img('extra'), tool: img('tool') };
  if (!opts.withoutOperator) await putImage(reg.repo(SRC, 'demo/operator'), 'v1', images.operator);
  await putImage(reg.repo(SRC, 'demo/bundle'), 'v1.0.0', images.b1);
  await putImage(reg.repo(SRC, 'demo/bundle'), 'v1.1.0', images.b2);
  if (!opts.withoutExtra) await putImage(reg.repo(SRC, 'tools/extra'), '1', images.extra);
  await putImage(reg.repo(SRC, 'tools/tool'), '2', images.tool);
  const byDigest = (repo: string, i: TestImage) => `${SRC}/${repo}@${i.manifest.digest}`;
  const bundles = [['1.0.0', images.b1], ['1.1.0', images.b2]] as const;
  const blobs = [
    { schema: 'olm.package', name: 'demo-op', defaultChannel: 'stable' },
    { schema: 'olm.channel', package: 'demo-op', name: 'stable', entries: [{ name: 'demo-op.v1.0.0' }, { name: 'demo-op.v1.1.0', replaces: 'demo-op.v1.0.0' }] },
    ...bundles.map(([v, i]) => ({
      schema: 'olm.bundle',
      package: 'demo-op',
      name: `demo-op.v${v}`,
      image: byDigest('demo/bundle', i),
      properties: [{ type: 'olm.package', value: { packageName: 'demo-op', version: v } }],
      relatedImages: [{ name: 'operator', image: byDigest('demo/operator', images.operator) }, { name: '', image: byDigest('demo/bundle', i) }],
    })),
  ];
  await buildCatalogImage({
    catalog: createMemoryTree({ 'demo-op/catalog.json': blobs.map((b) => JSON.stringify(b)).join('\n') + '\n' }),
    base: 'scratch',
    dest: opts.catalogStore ?? reg.repo(SRC, 'catalogs/demo-index'),
    tag: 'v1',
  });
  return { reg, images };
}

function inputs(lines: string[]): MirrorInputs {
  const text = ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', ...lines, ''].join('\n');
  const parsed = parseImageSetConfig(text, 'isc.yaml');
  assert.ok(parsed.config, JSON.stringify(parsed.issues));
  return { config: parsed.config, text, templates: new Map() };
}

const OPERATORS = ['  operators:', `  - catalog: ${SRC}/catalogs/demo-index:v1`, '    packages:', '    - name: demo-op'];
const additional = (...names: string[]) => ['  additionalImages:', ...names.map((n) => `  - name: ${n}`)];

const made: string[] = [];
after(() => Promise.all(made.map((p) => rm(p, { recursive: true, force: true }))));

async function tempDir(): Promise<{ path: string }> {
  const path = await mkdtemp(join(tmpdir(), 'gantry-mirror-ops-'));
  made.push(path);
  return { path };
}

test('mirror-operations/plan: the channel head, its related images with reasons, additional and blocked images; plain data', async () => {
  const { reg, images } = await sourceRegistry();
  const cfg = inputs([...OPERATORS, ...additional(`${SRC}/tools/extra:1`, `${SRC}/tools/tool:2`), '  blockedImages:', '  - name: ".*/tools/tool.*"']);
  const plan = await planMirror({ config: cfg.config, source: reg.resolve });
  assert.deepEqual(plan.images.map((i) => formatReference(i.source)), [
    `${SRC}/demo/bundle@${images.b2.manifest.digest}`,
    `${SRC}/demo/operator@${images.operator.manifest.digest}`,
    `${SRC}/tools/extra:1`,
  ]);
  assert.deepEqual(plan.blocked, [{ image: `${SRC}/tools/tool:2`, pattern: '.*/tools/tool.*' }]);
  assert.deepEqual(plan.images[1]!.reasons, [{ catalog: `${SRC}/catalogs/demo-index:v1`, package: 'demo-op', bundle: 'demo-op.v1.1.0', channels: ['stable'], as: 'operator' }]);
  // No destination: nothing is named, and nothing stands in for one.
  assert.equal(plan.target, undefined);
  assert.ok(plan.images.every((i) => i.dest === undefined) && plan.catalogs.every((c) => c.dest === undefined));
  assert.doesNotMatch(JSON.stringify(plan), /destination\.invalid/);
  // Data only: it survives a JSON round trip (no store, no function inside).
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  assert.deepEqual(plan.catalogs[0]!.origin, { registry: SRC, repository: 'catalogs/demo-index', reference: 'v1' });
});

test('mirror-operations/naming: a target names every image as oc-mirror does; an archive names them the same way later', async () => {
  const { reg, images } = await sourceRegistry();
  const cfg = inputs([
    ...OPERATORS,
    '    targetCatalog: mirrored/catalog',
    '    targetTag: v9',
    '  additionalImages:',
    `  - name: ${SRC}/tools/extra:1`,
    '    targetRepo: renamed/extra',
    '    targetTag: stable',
  ]);
  const target = { registry: 'mirror.example:5000', namespace: 'ns' };
  const plan = await planMirror({ config: cfg.config, target, source: reg.resolve });
  assert.deepEqual(plan.target, target);
  const dest = Object.fromEntries(plan.images.map((i) => [formatReference(i.source), formatReference(i.dest!)]));
  assert.equal(dest[`${SRC}/demo/operator@${images.operator.manifest.digest}`], `mirror.example:5000/ns/demo/operator:${digestTag(images.operator.manifest.digest)}`);
  assert.equal(dest[`${SRC}/tools/extra:1`], 'mirror.example:5000/ns/renamed/extra:stable');
  assert.equal(formatReference(plan.catalogs[0]!.dest!), 'mirror.example:5000/ns/mirrored/catalog:v9');
  // Disk to mirror names from the naming the archive kept: the same destinations.
  for (const i of plan.images) {
    const placed = archivedDestination({ key: 'k', kind: i.kind, source: formatReference(i.source), ...i.naming, digest: 'sha256:0', mediaType: '', size: 0 }, target);
    assert.equal(formatReference(placed.dest), formatReference(i.dest!));
  }
  const folded = await planMirror({ config: inputs(additional(`${SRC}/a/b/c/d:1`)).config, target: { registry: 'm.example' }, source: reg.resolve, maxNestedPaths: 2 });
  assert.equal(formatReference(folded.images[0]!.dest!), 'm.example/a/b-c-d:1');
});

test('mirror-operations/mirror to mirror: copies into memory stores; records accumulate across runs with different configurations', async () => {
  const { reg } = await sourceRegistry();
  const dst = createMemoryRegistry();
  const ws = await tempDir();
  const target = { registry: 'mirror.example', namespace: 'm' };
  const run = (cfg: MirrorInputs) => runMirrorToMirror({ inputs: cfg, target, workspace: ws.path, source: reg.resolve, destination: dst.resolve, version: 'test' });

  const first = await run(inputs(OPERATORS));
  assert.ok(!first.dryRun);
  assert.deepEqual(first.failed, []);
  assert.equal(first.mirrored.length, 3, 'operator, bundle and the rebuilt catalog');
  assert.ok(dst.names().includes('mirror.example/m/catalogs/demo-index'));
  const second = await run(inputs(additional(`${SRC}/tools/extra:1`)));
  assert.ok(!second.dryRun);
  assert.equal(second.cluster.images, 4, 'the record keeps the first run’s images');
  const record = await readMirrored(recordFile(ws.path, target));
  assert.deepEqual(record.map((r) => r.kind).sort(), ['catalog', 'generic', 'operator', 'operator']);
  const idms = await readFile(join(ws.path, 'cluster-resources', 'idms-oc-mirror.yaml'), 'utf8');
  assert.match(idms, /src\.example\/demo\/operator/, 'the IDMS still covers the first run');
  assert.match(await readFile(join(ws.path, 'mapping.txt'), 'utf8'), /tools\/extra@sha256:[0-9a-f]{64}=docker:\/\/mirror\.example\/m\/tools\/extra:1\n/);
  assert.equal((await readdir(join(ws.path, '.gantry'))).includes('lock'), false, 'the lock is released');
});

test('mirror-operations/partial archive: a failed image is recorded in the archive; disk to mirror pushes the rest and says it is partial', async () => {
  const { reg } = await sourceRegistry({ withoutExtra: true });
  const dst = createMemoryRegistry();
  const dir = await tempDir();
  const events: MirrorEvent[] = [];
  const made = await runMirrorToDisk({
    inputs: inputs([...OPERATORS, ...additional(`${SRC}/tools/extra:1`, `${SRC}/tools/tool:2`)]),
    dir: dir.path,
    source: reg.resolve,
    version: 'test',
    onEvent: (e) => events.push(e),
  });
  assert.ok(!made.dryRun && made.manifest);
  assert.equal(made.manifest.partial, true);
  assert.deepEqual(made.manifest.failed.map((f) => f.what), [`docker://${SRC}/tools/extra:1`]);
  assert.ok(made.errorsReport && (await readFile(made.errorsReport, 'utf8')).includes('tools/extra:1'));
  assert.ok(events.some((e) => e.type === 'part-written'));
  assert.deepEqual(made.manifest.images.map((i) => i.kind).sort(), ['catalog', 'generic', 'operator', 'operator']);

  const target = { registry: 'mirror.example' };
  const pushed = await runDiskToMirror({ dir: dir.path, target, destination: dst.resolve, version: 'test' });
  assert.ok(!pushed.dryRun);
  assert.equal(pushed.archive.partial, true);
  assert.deepEqual(pushed.archive.failed.map((f) => f.what), [`docker://${SRC}/tools/extra:1`]);
  assert.deepEqual(pushed.failed, []);
  assert.equal(pushed.mirrored.length, 4);
  const tool = await dst.repo('mirror.example', 'tools/tool').statManifest('2');
  assert.ok(tool, 'the image that was archived is at the destination');
  assert.deepEqual(await dst.repo('mirror.example', 'tools/extra').listTags(), []);
  assert.equal(pushed.cluster.images, 4);
});

test('mirror-operations/a catalog whose images failed is not rebuilt: a COPY_FAILED outcome with a hint, not an internal error', async () => {
  const { reg } = await sourceRegistry({ withoutOperator: true });
  const dst = createMemoryRegistry();
  const result = await runMirrorToMirror({ inputs: inputs(OPERATORS), target: { registry: 'mirror.example' }, workspace: (await tempDir()).path, source: reg.resolve, destination: dst.resolve, version: 'test' });
  assert.ok(!result.dryRun);
  const catalog = result.failed.find((f) => f.catalog !== undefined);
  assert.ok(catalog, JSON.stringify(result.failed.map((f) => f.what)));
  assert.ok(isGantryError(catalog.error, 'COPY_FAILED'), String(catalog.error));
  assert.match(catalog.error.message, /^not rebuilt: 1 of the images it needs failed to mirror$/);
  assert.match((catalog.error as GantryError).hint ?? '', /run the same command again/);
  assert.deepEqual(await dst.repo('mirror.example', 'catalogs/demo-index').listTags(), [], 'no catalog pointing at missing images');
});

test('mirror-operations/dry run: an unreachable destination is one error naming it, before any image is measured', async () => {
  const { reg } = await sourceRegistry();
  const ws = await tempDir();
  let asked = 0;
  const down: StoreResolver = () => {
    asked++;
    const fail = async () => {
      throw new GantryError('REGISTRY_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:9');
    };
    return { ...createMemoryStore(), statBlob: fail, statManifest: fail } as Store;
  };
  await assert.rejects(
    runMirrorToMirror({ inputs: inputs([...OPERATORS, ...additional(`${SRC}/tools/extra:1`)]), target: { registry: 'down.example' }, workspace: ws.path, source: reg.resolve, destination: down, dryRun: true, version: 'test' }),
    (err: unknown) => isGantryError(err, 'REGISTRY_UNREACHABLE') && /destination down\.example/.test(err.message),
  );
  assert.equal(asked, 1, 'asked once, not once per image');
});

test('mirror-operations/lock: a directory in use is refused with the holder; a lock left by a dead process is taken over', async () => {
  const dir = await tempDir();
  const held = await lockDirectory(dir.path, 'mirror to disk');
  await assert.rejects(lockDirectory(dir.path, 'mirror to disk'), (err: unknown) => isGantryError(err, 'WORKSPACE_LOCKED') && err.message.includes(`pid ${process.pid}`));
  await held.release();
  const again = await lockDirectory(dir.path, 'mirror to mirror');
  await again.release();

  // A process that has exited: its pid is free (the stale lock it "left" is taken over).
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  await writeFile(join(dir.path, LOCK_FILE), JSON.stringify({ pid, host: (await import('node:os')).hostname(), started: 'then', what: 'mirror to disk' }));
  const taken = await lockDirectory(dir.path, 'mirror to disk');
  assert.match(await readFile(taken.file, 'utf8'), new RegExp(`"pid":${process.pid}`));
  await taken.release();
  // A lock not readable yet may be one being written: refused while young, stale once old (a crash cut it short).
  await writeFile(join(dir.path, LOCK_FILE), '{"pid":');
  await assert.rejects(lockDirectory(dir.path, 'mirror to disk'), (err: unknown) => isGantryError(err, 'WORKSPACE_LOCKED'));
  const old = new Date(Date.now() - 60_000);
  await utimes(join(dir.path, LOCK_FILE), old, old);
  await (await lockDirectory(dir.path, 'mirror to disk')).release();
  assert.deepEqual((await readdir(join(dir.path, '.gantry'))).filter((f) => f.endsWith('.tmp')), [], 'no temporary lock left');
});

test('mirror-operations/lock: of several processes racing for one directory, exactly one gets it', async () => {
  const dir = await tempDir();
  const lockModule = new URL('./workspace-lock.js', import.meta.url).href;
  const script = `const { lockDirectory } = await import(${JSON.stringify(lockModule)});
    try { const l = await lockDirectory(${JSON.stringify(dir.path)}, 'race'); await new Promise((r) => setTimeout(r, 5000)); await l.release(); console.log('got'); }
    catch (e) { console.log(e.code); }`;
  const outcomes = await Promise.all(
    Array.from({ length: 6 }, () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      }),
    ),
  );
  assert.deepEqual(outcomes.filter((o) => o === 'got').length, 1, outcomes.join(', '));
  assert.ok(outcomes.every((o) => o === 'got' || o === 'WORKSPACE_LOCKED'), outcomes.join(', '));
});

test('mirror-operations/a configuration file with errors: issues as events with file:line, nothing created or locked', async () => {
  const dir = await tempDir();
  const file = join(dir.path, 'isc.yaml');
  await writeFile(file, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  additionalImages:', '  - nmae: x.example/a:1', ''].join('\n'));
  const events: MirrorEvent[] = [];
  const workspace = join(dir.path, 'ws');
  await assert.rejects(
    runMirrorToMirror({ configFile: file, target: { registry: 'm.example' }, workspace, source: createMemoryRegistry().resolve, destination: createMemoryRegistry().resolve, version: 'test', onEvent: (e) => events.push(e) }),
    (err: unknown) => isGantryError(err, 'CONFIG_INVALID'),
  );
  const issues = events.flatMap((e) => (e.type === 'input-issue' ? [e.issue] : []));
  assert.ok(issues.some((i) => i.severity === 'error' && i.file === file && i.line === 5), JSON.stringify(issues));
  await assert.rejects(readdir(workspace), 'no workspace made');
});

test('mirror-operations/an oci:// catalog: read from its layout, recorded as such in the plan, rebuilt at the destination', async () => {
  const dir = await tempDir();
  const layout = join(dir.path, 'catalog-layout');
  const { reg, images } = await sourceRegistry({ catalogStore: createLayoutStore({ path: layout, create: true }) });
  const dst = createMemoryRegistry();
  const cfg = inputs(['  operators:', `  - catalog: oci://${layout}`, '    packages:', '    - name: demo-op']);
  const result = await runMirrorToMirror({ inputs: cfg, target: { registry: 'mirror.example' }, workspace: join(dir.path, 'ws'), source: reg.resolve, destination: dst.resolve, version: 'test' });
  assert.ok(!result.dryRun);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.plan.catalogs[0]!.origin, { registry: 'localhost', repository: 'catalog-layout', reference: 'v1', layout });
  assert.ok(result.plan.images.some((i) => i.source.digest === images.b2.manifest.digest));
  const rebuilt = result.mirrored.find((m) => m.kind === 'catalog')!;
  assert.equal(formatReference(rebuilt.dest), 'mirror.example/catalog-layout:latest');
  assert.equal((await dst.repo('mirror.example', 'catalog-layout').statManifest('latest'))?.digest, rebuilt.digest);
});
