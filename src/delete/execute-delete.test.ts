// executeDelete over a fake registry: deletes by digest, already-deleted is not an error, one failure does not
// stop the others (and --fail-fast does), two items on one manifest make one request, dry runs delete nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GantryError } from '../errors.js';
import type { CheckedDeleteItem } from '../config/delete-image-list.js';
import type { Digest } from '../oci/digest.js';
import { createManifestRegistry } from '../testing/manifest-registry.js';
import { executeDelete } from './execute-delete.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as Digest;
const item = (repo: string, digest: Digest, line = 1): CheckedDeleteItem => ({
  imageName: `src.example/${repo}:1`,
  imageReference: `docker://mirror.example/${repo}@${digest}`,
  tag: '1',
  dest: { registry: 'mirror.example', repository: repo, digest },
  line,
});

test('execute-delete/deletes present manifests, reports absent ones as already deleted', async () => {
  const reg = createManifestRegistry();
  reg.put('a', d(1), '1');
  reg.put('b', d(2), '1');
  const r = await executeDelete([item('a', d(1)), item('b', d(2)), item('c', d(3))], { storeFor: reg.storeFor });
  assert.deepEqual(r.outcomes.map((o) => o.status), ['deleted', 'deleted', 'absent']);
  assert.deepEqual(r.counts, { deleted: 2, absent: 1, 'would-delete': 0, failed: 0, 'not-attempted': 0 });
  assert.ok(!reg.has('a', d(1)) && !reg.has('b', d(2)));
  const again = await executeDelete([item('a', d(1)), item('b', d(2))], { storeFor: reg.storeFor });
  assert.deepEqual(again.outcomes.map((o) => o.status), ['absent', 'absent']);
});

test('execute-delete/a failure does not stop the others; its error keeps its code', async () => {
  const reg = createManifestRegistry();
  for (const n of [1, 2, 3]) reg.put(`r${n}`, d(n), '1');
  reg.failOn(d(2), new GantryError('REGISTRY_DENIED', 'denied', { status: 403 }));
  const r = await executeDelete([item('r1', d(1)), item('r2', d(2)), item('r3', d(3))], { storeFor: reg.storeFor });
  assert.deepEqual(r.outcomes.map((o) => o.status), ['deleted', 'failed', 'deleted']);
  assert.equal((r.outcomes[1]!.error as GantryError).code, 'REGISTRY_DENIED');
});

test('execute-delete/fail fast: nothing new starts after the first failure', async () => {
  const reg = createManifestRegistry();
  for (const n of [1, 2, 3]) reg.put(`r${n}`, d(n), '1');
  reg.failOn(d(1), new GantryError('REGISTRY_ERROR', 'boom'));
  const r = await executeDelete([item('r1', d(1)), item('r2', d(2)), item('r3', d(3))], { storeFor: reg.storeFor, failFast: true, concurrency: 1 });
  assert.deepEqual(r.outcomes.map((o) => o.status), ['failed', 'not-attempted', 'not-attempted']);
  assert.ok(reg.has('r2', d(2)) && reg.has('r3', d(3)));
});

test('execute-delete/two items on one manifest: one DELETE, both reported deleted', async () => {
  const reg = createManifestRegistry();
  reg.put('a', d(1), '1', 'latest');
  const r = await executeDelete([item('a', d(1), 1), { ...item('a', d(1), 4), tag: 'latest' }], { storeFor: reg.storeFor });
  assert.deepEqual(r.outcomes.map((o) => o.status), ['deleted', 'deleted']);
  assert.deepEqual(reg.deletes, [`a@${d(1)}`]);
});

test('execute-delete/dry run asks, deletes nothing', async () => {
  const reg = createManifestRegistry();
  reg.put('a', d(1), '1');
  const seen: string[] = [];
  const r = await executeDelete([item('a', d(1)), item('b', d(2))], { storeFor: reg.storeFor, dryRun: true, onOutcome: (o) => seen.push(o.status) });
  assert.deepEqual(r.outcomes.map((o) => o.status), ['would-delete', 'absent']);
  assert.deepEqual(seen.sort(), ['absent', 'would-delete']);
  assert.deepEqual(reg.deletes, []);
  assert.ok(reg.has('a', d(1)));
});
