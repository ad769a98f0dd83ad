import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareChannelNames, sortChannelNames } from './channel-order.js';

test('channel-order/versions in names sort by value', () => {
  assert.deepEqual(sortChannelNames(['stable-3.10', 'stable-3.9', 'stable-3.6', 'stable-3.16']), ['stable-3.6', 'stable-3.9', 'stable-3.10', 'stable-3.16']);
  assert.deepEqual(sortChannelNames(['v1.10', 'v1.9', 'v2', 'v1']), ['v1', 'v1.9', 'v1.10', 'v2']);
  assert.deepEqual(sortChannelNames(['candidate-4.10', 'fast-4.9', 'candidate-4.9', 'fast-4.10']), ['candidate-4.9', 'candidate-4.10', 'fast-4.9', 'fast-4.10']);
});

test('channel-order/names without numbers keep byte order', () => {
  assert.deepEqual(sortChannelNames(['stable', 'alpha', 'beta', 'Stable']), ['Stable', 'alpha', 'beta', 'stable']);
  assert.deepEqual(sortChannelNames(['stable-3.6', 'stable', 'stable-v2']), ['stable', 'stable-3.6', 'stable-v2']);
});

test('channel-order/equal values and huge numbers stay total and deterministic', () => {
  assert.ok(compareChannelNames('v01', 'v1') !== 0);
  assert.equal(Math.sign(compareChannelNames('v01', 'v1')), -Math.sign(compareChannelNames('v1', 'v01')));
  assert.ok(compareChannelNames('v99999999999999999999', 'v100000000000000000000') < 0);
  assert.equal(compareChannelNames('stable-3.6', 'stable-3.6'), 0);
});

test('channel-order/a consistent order over many shapes of names (antisymmetric and transitive)', () => {
  const names = ['a', 'a-', 'a1', 'a01', 'a0b', 'a-1', 'a.1', 'a10', 'a2', 'b', 'stable', 'stable-1.0', 'stable-1.0.1', 'stable-1', 'stable-1-rc', '1', '01', '10', '', 'x9y', 'x10y', 'x9z'];
  for (const x of names) {
    for (const y of names) {
      assert.equal(Math.sign(compareChannelNames(x, y)), 0 - Math.sign(compareChannelNames(y, x)), `${x} ~ ${y}`);
      for (const z of names) {
        if (compareChannelNames(x, y) < 0 && compareChannelNames(y, z) < 0) assert.ok(compareChannelNames(x, z) < 0, `${x} < ${y} < ${z}`);
      }
    }
  }
});
