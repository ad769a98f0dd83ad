// generateDeleteList over memory stores: the list names what the destination holds, with the configuration kept
// beside it; a lookup that fails, or a selection with errors, writes nothing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImageSetConfig } from '../config/index.js';
import type { Store } from '../content/store.js';
import { GantryError, isGantryError } from '../errors.js';
import { lockDirectory } from '../mirror/index.js';
import { buildImage } from '../testing/images.js';
import { createMemoryRegistry, putImage } from '../testing/memory-registry.js';
import { generateDeleteList } from './generate-delete-list.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const disc = (names: string[]) => {
  const text = ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: DeleteImageSetConfiguration', 'delete:', '  additionalImages:', ...names.map((n) => `  - name: ${n}`), ''].join('\n');
  const parsed = parseImageSetConfig(text, 'disc.yaml');
  assert.ok(parsed.config, JSON.stringify(parsed.issues));
  return { config: parsed.config, configText: text };
};

test('generate-delete-list/lists what the destination holds, skips what it does not; writes the list and the configuration', async () => {
  const src = createMemoryRegistry();
  const dst = createMemoryRegistry();
  const tool = buildImage({ seed: 'delete-list-tool', layerSizes: [100] });
  await putImage(dst.repo('mirror.example', 'm/tools/tool'), '1', tool);
  const workspace = await mkdtemp(join(tmpdir(), 'gantry-delete-list-'));
  dirs.push(workspace);
  const r = await generateDeleteList({ ...disc(['src.example/tools/tool:1', 'src.example/tools/gone:2']), target: { registry: 'mirror.example', namespace: 'm' }, workspace, deleteId: 'x', source: src.resolve, storeFor: dst.resolve });
  assert.deepEqual(r.items, [{ imageName: 'src.example/tools/tool:1', imageReference: `docker://mirror.example/m/tools/tool@${tool.manifest.digest}`, tag: '1' }]);
  assert.deepEqual(r.skipped.map((s) => s.reason), ['not-present']);
  assert.deepEqual(r.written, { listFile: join(workspace, 'delete', 'delete-images-x.yaml'), configFile: join(workspace, 'delete', 'delete-imageset-config-x.yaml') });
  assert.match(await readFile(r.written.listFile, 'utf8'), new RegExp(`mirror\\.example/m/tools/tool@${tool.manifest.digest}`));
  assert.match(await readFile(r.written.configFile, 'utf8'), /kind: DeleteImageSetConfiguration/);
  assert.equal(await dst.repo('mirror.example', 'm/tools/tool').statManifest('1').then((d) => d?.digest), tool.manifest.digest, 'nothing deleted');
});

test('generate-delete-list/a failed lookup writes nothing', async () => {
  const src = createMemoryRegistry();
  const broken = (): Store => {
    const store = createMemoryRegistry().repo('x', 'y');
    return { ...store, statManifest: async () => { throw new GantryError('REGISTRY_DENIED', 'denied'); } } as Store;
  };
  const workspace = await mkdtemp(join(tmpdir(), 'gantry-delete-list-'));
  dirs.push(workspace);
  const r = await generateDeleteList({ ...disc(['src.example/tools/tool:1']), target: { registry: 'mirror.example' }, workspace, source: src.resolve, storeFor: broken });
  assert.equal(r.written, undefined);
  assert.equal(r.failed.length, 1);
  assert.deepEqual((await readdir(workspace, { recursive: true })).filter((f) => f !== '.gantry'), [], 'no list, no lock left behind');
});

test('generate-delete-list/a workspace in use by another run is refused before any lookup', async () => {
  const src = createMemoryRegistry();
  const dst = createMemoryRegistry();
  const workspace = await mkdtemp(join(tmpdir(), 'gantry-delete-list-'));
  dirs.push(workspace);
  const held = await lockDirectory(workspace, 'mirror to mirror');
  let lookups = 0;
  const counting = (repo: { registry: string; repository: string }): Store => {
    lookups++;
    return dst.resolve(repo);
  };
  try {
    await assert.rejects(
      generateDeleteList({ ...disc(['src.example/tools/tool:1']), target: { registry: 'mirror.example' }, workspace, source: src.resolve, storeFor: counting }),
      (e: unknown) => isGantryError(e, 'WORKSPACE_LOCKED'),
    );
  } finally {
    await held.release();
  }
  assert.equal(lookups, 0);
});
