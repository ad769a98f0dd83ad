// gantry delete against real registries: mirror a catalog's images and additional images with gantry mirror,
// then --generate a list from a DeleteImageSetConfiguration, review (dry run), delete, delete again, bad lists,
// and a registry refusing one DELETE while the others go through.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildImage, pushImageRaw, type TestImage } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { digestTag } from '../src/generate/destination.js';
import { tempDir } from './helpers.js';
import { pushDemoCatalog } from './demo-catalog.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
let src: RunningRegistry;
let dst: RunningRegistry;
let proxy: FaultProxy;
let dir: { path: string; remove(): Promise<void> };
const images: Record<string, TestImage> = {};

interface Item {
  imageName: string;
  imageReference: string;
  tag?: string;
}
interface GenerateOut {
  phase: string;
  file: string | null;
  config: string | null;
  items: Item[];
  skipped: { imageName: string; destination: string; reason: string }[];
  failed: unknown[];
  deleted: number;
}
interface DeleteOut {
  phase: string;
  dryRun: boolean;
  results: (Item & { line: number; status: string; error?: { code: string } })[];
  counts: Record<string, number>;
}

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  proxy = await startFaultProxy({ upstream: dst.url });
  dir = await tempDir('delete');
  for (const [name, repo, tag] of [
    ['operator', 'demo/operator', 'v1'],
    ['bundle1', 'demo/bundle', 'v1.0.0'],
    ['bundle2', 'demo/bundle', 'v1.1.0'],
    ['extra', 'tools/extra', '1'],
    ['keep', 'tools/keep', '1'],
    ['never', 'tools/never', '1'],
  ] as const) {
    images[name] = buildImage({ seed: `delete-${name}`, layerSizes: [10_000] });
    await pushImageRaw(src.url, repo, tag, images[name]!);
  }
  await pushDemoCatalog(src, images.operator!, [['1.0.0', images.bundle1!], ['1.1.0', images.bundle2!]]);
  // A repository the proxy test deletes from, pushed straight to the destination.
  for (const n of ['a', 'b', 'c']) await pushImageRaw(dst.url, `failing/${n}`, '1', images.extra!);
  const operators = ['  operators:', `  - catalog: ${src.host}/catalogs/demo-index:v1`, '    packages:', '    - name: demo-op'];
  await writeFile(
    join(dir.path, 'isc.yaml'),
    ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', ...operators, '  additionalImages:', `  - name: ${src.host}/tools/extra:1`, `  - name: ${src.host}/tools/keep:1`, ''].join('\n'),
  );
  await writeFile(
    join(dir.path, 'disc.yaml'),
    ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: DeleteImageSetConfiguration', 'delete:', ...operators, '  additionalImages:', `  - name: ${src.host}/tools/extra:1`, `  - name: ${src.host}/tools/never:1`, ''].join('\n'),
  );
  const m = gantry(['mirror', '-c', join(dir.path, 'isc.yaml'), '--src-tls-verify=false', '--dest-tls-verify=false', '--plain', '--workspace', join(dir.path, 'mirror-ws'), `docker://${dst.host}/mirror`]);
  assert.equal(m.status, 0, m.stderr);
});
after(async () => {
  await proxy?.stop();
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

function gantry(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir.path, maxBuffer: 64 << 20 });
}
/** For runs through the fault proxy, which lives in this process: spawnSync would block it from answering. */
function gantryAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];
const WS = () => join(dir.path, 'ws');
const LIST = () => join(WS(), 'delete', 'delete-images.yaml');
const generate = () => gantry(['delete', '--generate', '-c', join(dir.path, 'disc.yaml'), '--workspace', WS(), ...NO_TLS, '-o', 'json', `docker://${dst.host}/mirror`]);
const deleteList = (file: string, host: string, ...extra: string[]) => gantry(['delete', '--delete-yaml-file', file, ...NO_TLS, '-o', 'json', ...extra, `docker://${host}`]);

async function manifestStatus(repo: string, reference: string, url = dst.url): Promise<number> {
  const res = await fetch(`${url}/v2/${repo}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } });
  await res.arrayBuffer();
  return res.status;
}

async function tagsOf(repo: string): Promise<string[]> {
  const res = await fetch(`${dst.url}/v2/${repo}/tags/list`);
  const body = (await res.json()) as { tags?: string[] | null };
  return res.status === 404 ? [] : (body.tags ?? []);
}

const expected = () => [
  { repo: 'mirror/demo/bundle', digest: images.bundle2!.manifest.digest, tag: digestTag(images.bundle2!.manifest.digest), name: `${src.host}/demo/bundle@${images.bundle2!.manifest.digest}` },
  { repo: 'mirror/demo/operator', digest: images.operator!.manifest.digest, tag: digestTag(images.operator!.manifest.digest), name: `${src.host}/demo/operator@${images.operator!.manifest.digest}` },
  { repo: 'mirror/tools/extra', digest: images.extra!.manifest.digest, tag: '1', name: `${src.host}/tools/extra:1` },
];

test('delete/generate: the mirrored digests, sorted; absent images skipped; catalog kept; nothing deleted; byte-stable', async () => {
  const r = generate();
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as GenerateOut;
  const want = expected().map((e) => ({ imageName: e.name, imageReference: `docker://${dst.host}/${e.repo}@${e.digest}`, tag: e.tag }));
  assert.deepEqual(out.items, want);
  assert.deepEqual(out.skipped, [{ imageName: `${src.host}/tools/never:1`, destination: `docker://${dst.host}/mirror/tools/never:1`, reason: 'not-present' }]);
  assert.deepEqual([out.phase, out.failed, out.deleted, out.file], ['generate', [], 0, LIST()]);
  const text = await readFile(LIST(), 'utf8');
  const doc = parse(text) as { apiVersion: string; kind: string; items: Item[] };
  assert.deepEqual([doc.apiVersion, doc.kind, doc.items], ['mirror.openshift.io/v2alpha1', 'DeleteImageList', want]);
  assert.equal(await readFile(join(WS(), 'delete', 'delete-imageset-config.yaml'), 'utf8'), await readFile(join(dir.path, 'disc.yaml'), 'utf8'));
  for (const e of expected()) assert.equal(await manifestStatus(e.repo, e.digest), 200, `${e.repo} still there`);
  assert.equal(generate().status, 0);
  assert.equal(await readFile(LIST(), 'utf8'), text, 'the same inputs give the same file');
});

test('delete/dry run: says what would go, deletes nothing', async () => {
  const r = deleteList(LIST(), `${dst.host}/mirror`, '--dry-run');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as DeleteOut;
  assert.deepEqual(out.results.map((x) => x.status), ['would-delete', 'would-delete', 'would-delete']);
  for (const e of expected()) assert.equal(await manifestStatus(e.repo, e.digest), 200);
});

test('delete/deletes the listed manifests by digest; tags go with them; other images and the catalog stay', async () => {
  const r = deleteList(LIST(), `${dst.host}/mirror`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as DeleteOut;
  assert.deepEqual(out.results.map((x) => [x.imageReference, x.status]), expected().map((e) => [`docker://${dst.host}/${e.repo}@${e.digest}`, 'deleted']));
  assert.deepEqual(out.counts, { deleted: 3, absent: 0, 'would-delete': 0, failed: 0, 'not-attempted': 0 });
  for (const e of expected()) {
    assert.equal(await manifestStatus(e.repo, e.digest), 404, `${e.repo}@digest gone`);
    assert.ok(!(await tagsOf(e.repo)).includes(e.tag), `${e.repo}:${e.tag} gone`);
  }
  assert.equal(await manifestStatus('mirror/tools/keep', '1'), 200, 'an image not in the list stays');
  assert.equal(await manifestStatus('mirror/catalogs/demo-index', 'v1'), 200, 'the catalog image is not deleted');
});

test('delete/a second run: everything already deleted, exit 0', async () => {
  const r = deleteList(LIST(), `${dst.host}/mirror`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as DeleteOut;
  assert.deepEqual(out.results.map((x) => x.status), ['absent', 'absent', 'absent']);
});

test('delete/a bad list names file and line, exits non-zero, deletes nothing', async () => {
  const bad = join(dir.path, 'bad.yaml');
  const d = images.keep!.manifest.digest;
  await writeFile(bad, `apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageList\nitems:\n- imageName: ${src.host}/tools/keep:1\n  imageReference: docker://${dst.host}/mirror/tools/keep:1\n- imageName: x/y:1\n  imageReference: docker://${dst.host}/mirror/tools/keep@${d}\n`);
  const r = deleteList(bad, `${dst.host}/mirror`);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error\[DELETE_LIST_INVALID\]/);
  assert.match(r.stderr, /bad\.yaml:5:19: /);
  const out = JSON.parse(r.stdout) as { issues: { code: string; line: number; file: string }[] };
  assert.deepEqual(out.issues.map((i) => [i.code, i.file, i.line]), [['DIGEST_REQUIRED', bad, 5]]);
  assert.equal(await manifestStatus('mirror/tools/keep', d), 200, 'a list with an error deletes nothing, not even its good items');

  await writeFile(bad, 'apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageList\nitems:\n  - imageName: [\n');
  const syntax = deleteList(bad, `${dst.host}/mirror`);
  assert.equal(syntax.status, 1);
  assert.deepEqual((JSON.parse(syntax.stdout) as { issues: { code: string; line: number }[] }).issues.map((i) => [i.code, i.line]), [['YAML_SYNTAX', 5]]);

  const other = deleteList(LIST(), `${dst.host}/elsewhere`);
  assert.equal(other.status, 1, 'a list for another namespace is refused');
  assert.deepEqual([...new Set((JSON.parse(other.stdout) as { issues: { code: string }[] }).issues.map((i) => i.code))], ['DESTINATION_MISMATCH']);
});

test('delete/a refused DELETE does not stop the others; exit 1 with the failure coded', async () => {
  const digest = images.extra!.manifest.digest;
  const list = join(dir.path, 'proxy-list.yaml');
  const items = ['a', 'b', 'c'].map((n) => `- imageName: ${src.host}/tools/extra:1\n  imageReference: docker://${proxy.host}/failing/${n}@${digest}\n`).join('');
  await writeFile(list, `apiVersion: mirror.openshift.io/v2alpha1\nkind: DeleteImageList\nitems:\n${items}`);
  proxy.failRequests({ method: 'DELETE', pathPattern: /^\/v2\/failing\/b\/manifests\//, status: 403, times: 100 });
  const r = await gantryAsync(['delete', '--delete-yaml-file', list, ...NO_TLS, '-o', 'json', `docker://${proxy.host}`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error\[DELETE_FAILED\]/);
  const out = JSON.parse(r.stdout) as DeleteOut;
  assert.deepEqual(out.results.map((x) => [x.imageReference.split('@')[0], x.status, x.error?.code]), [
    [`docker://${proxy.host}/failing/a`, 'deleted', undefined],
    [`docker://${proxy.host}/failing/b`, 'failed', 'REGISTRY_DENIED'],
    [`docker://${proxy.host}/failing/c`, 'deleted', undefined],
  ]);
  assert.equal(await manifestStatus('failing/b', digest), 200);
  assert.equal(await manifestStatus('failing/a', digest), 404);
});
