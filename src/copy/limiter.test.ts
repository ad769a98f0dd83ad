// The semaphore under many queued tasks: queuing is linear (one abort listener per signal, not per task), an abort
// rejects every queued task at once, and the tasks already running finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { isGantryError } from '../errors.js';
import { Semaphore } from './limiter.js';

test('limiter/100,000 queued tasks: one abort listener, all rejected on abort', async () => {
  const gate = new Semaphore(2);
  const controller = new AbortController();
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  const tasks = Array.from({ length: 100_000 }, () => gate.run(() => blocked, controller.signal));
  // Each listener added to an EventTarget is compared with those it holds: one per task made queuing quadratic
  // (minutes for this many). One per signal keeps it linear; the CLI test times a 20,000-image run end to end.
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  controller.abort();
  release();
  const results = await Promise.allSettled(tasks);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2, 'the two running tasks finish');
  assert.ok(results.slice(2).every((r) => r.status === 'rejected' && isGantryError(r.reason, 'ABORTED')));
});

test('limiter/waiters of another signal stay queued when one signal aborts', async () => {
  const gate = new Semaphore(1);
  const a = new AbortController();
  let release!: () => void;
  const first = gate.run(() => new Promise<void>((r) => (release = r)));
  const onA = gate.run(async () => 'a', a.signal);
  const onB = gate.run(async () => 'b', new AbortController().signal);
  a.abort();
  await assert.rejects(onA, (e: unknown) => isGantryError(e, 'ABORTED'));
  release();
  await first;
  assert.equal(await onB, 'b');
});
