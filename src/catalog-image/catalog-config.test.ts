import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGantryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import { catalogImageConfig, formatCreated } from './catalog-config.js';

const DIFF: Digest = `sha256:${'c'.repeat(64)}`;
const BASE_DIFF: Digest = `sha256:${'b'.repeat(64)}`;

test('config/scratch: linux + the asked architecture, opm entrypoint and command, catalog labels, epoch', () => {
  const doc = catalogImageConfig({ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layerDiffId: DIFF, sourceDateEpoch: 0 });
  assert.deepEqual(doc, {
    created: '1970-01-01T00:00:00Z',
    architecture: 'arm64',
    os: 'linux',
    variant: 'v8',
    config: {
      Entrypoint: ['/bin/opm'],
      Cmd: ['serve', '/configs'],
      Labels: { 'io.gantry.catalog.cache': 'none', 'operators.operatorframework.io.index.configs.v1': '/configs' },
    },
    rootfs: { type: 'layers', diff_ids: [DIFF] },
    history: [
      {
        created: '1970-01-01T00:00:00Z',
        created_by: 'gantry catalog image: COPY catalog /configs; ENTRYPOINT ["/bin/opm"]; CMD ["serve","/configs"]',
        comment: 'file-based catalog; no pre-built opm serve cache (opm builds it at start)',
      },
    ],
  });
});

test('config/base: platform, Env/User/WorkingDir and history kept; labels merged and sorted; docker leftovers dropped', () => {
  const base = {
    architecture: 'ppc64le',
    os: 'linux',
    author: 'someone',
    created: '2024-01-01T00:00:00Z',
    container_config: { Cmd: ['/bin/sh'] },
    docker_version: '20.10',
    config: { Env: ['PATH=/bin'], User: '1001', WorkingDir: '/srv', ExposedPorts: { '50051/tcp': {} }, Cmd: ['old'], Labels: { z: '1', a: '2', 'operators.operatorframework.io.index.configs.v1': '/old' } },
    rootfs: { type: 'layers', diff_ids: [BASE_DIFF] },
    history: [{ created_by: 'base layer' }],
  };
  const doc = catalogImageConfig({ base, baseLayerCount: 1, platform: { os: 'linux', architecture: 'amd64' }, layerDiffId: DIFF, sourceDateEpoch: 1_700_000_000, labels: { m: '3' } });
  assert.equal(doc.created, '2023-11-14T22:13:20Z');
  assert.equal(doc.architecture, 'ppc64le');
  assert.equal(doc.author, 'someone');
  assert.equal('container_config' in doc, false);
  assert.equal('docker_version' in doc, false);
  const run = doc.config as Record<string, unknown>;
  assert.deepEqual([run.Env, run.User, run.WorkingDir, run.ExposedPorts], [['PATH=/bin'], '1001', '/srv', { '50051/tcp': {} }]);
  assert.deepEqual(run.Cmd, ['serve', '/configs']);
  assert.deepEqual(Object.entries(run.Labels as object), [
    ['a', '2'],
    ['io.gantry.catalog.cache', 'none'],
    ['m', '3'],
    ['operators.operatorframework.io.index.configs.v1', '/configs'],
    ['z', '1'],
  ]);
  assert.deepEqual(doc.rootfs, { type: 'layers', diff_ids: [BASE_DIFF, DIFF] });
  assert.equal((doc.history as unknown[]).length, 2);
});

test('config/error/extra labels cannot move the catalog', () => {
  assert.throws(
    () => catalogImageConfig({ platform: { os: 'linux', architecture: 'amd64' }, layerDiffId: DIFF, sourceDateEpoch: 0, labels: { 'operators.operatorframework.io.index.configs.v1': '/elsewhere' } }),
    (e: unknown) => isGantryError(e, 'USAGE'),
  );
});

test('config/error/base diff IDs that do not match its layers', () => {
  const base = { os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [BASE_DIFF] } };
  assert.throws(
    () => catalogImageConfig({ base, baseLayerCount: 2, platform: { os: 'linux', architecture: 'amd64' }, layerDiffId: DIFF, sourceDateEpoch: 0 }),
    (e: unknown) => isGantryError(e, 'MANIFEST_INVALID'),
  );
});

test('config/created is RFC 3339 without fractions', () => {
  assert.equal(formatCreated(0), '1970-01-01T00:00:00Z');
  assert.equal(formatCreated(1_234_567_890), '2009-02-13T23:31:30Z');
});
