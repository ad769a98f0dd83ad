import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GantryError } from '../errors.js';
import { isRetryable, isTimeout, isTlsFailure } from './retry.js';
import { readCapped } from './read-capped.js';

const netError = (code: string, message = code) => Object.assign(new Error(message), { code });

test('retry/what another attempt may fix is retried; what it cannot is not', () => {
  const cases: [string, unknown, boolean][] = [
    ['connection reset', netError('ECONNRESET'), true],
    ['connection refused', netError('ECONNREFUSED'), true],
    ['socket closed (undici)', netError('UND_ERR_SOCKET'), true],
    ['headers timeout', netError('UND_ERR_HEADERS_TIMEOUT'), false],
    ['body timeout', netError('UND_ERR_BODY_TIMEOUT'), false],
    ['connect timeout', netError('UND_ERR_CONNECT_TIMEOUT'), false],
    ['TLS against plain HTTP', netError('ERR_SSL_WRONG_VERSION_NUMBER', 'SSL routines:ssl3_get_record:wrong version number'), false],
    ['EPROTO', netError('EPROTO'), false],
    ['unknown CA', netError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), false],
    ['self-signed', netError('DEPTH_ZERO_SELF_SIGNED_CERT'), false],
    ['unknown host', netError('ENOTFOUND'), false],
    ['cancelled', Object.assign(new Error('aborted'), { name: 'AbortError' }), false],
    ['GantryError the transport already retried', new GantryError('REGISTRY_ERROR', 'x', { status: 503 }), false],
    ['GantryError left to the caller', new GantryError('REGISTRY_UNREACHABLE', 'x', { retryable: true }), true],
  ];
  for (const [name, err, want] of cases) assert.equal(isRetryable(err), want, name);
});

test('retry/timeouts and TLS failures are told apart from other network errors', () => {
  assert.equal(isTimeout(netError('UND_ERR_BODY_TIMEOUT')), true);
  assert.equal(isTimeout(netError('ECONNRESET')), false);
  assert.equal(isTlsFailure(Object.assign(new Error('fetch failed'), { cause: netError('ERR_SSL_WRONG_VERSION_NUMBER') })), true);
  assert.equal(isTlsFailure(netError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established')), false);
});

test('read-capped/reads up to the cap, whole characters, and stops reading', async () => {
  let destroyed = false;
  let pulled = 0;
  const body = {
    destroy: () => void (destroyed = true),
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield Buffer.from('é'.repeat(512)); // 1 KiB of two-byte characters per chunk
      }
    },
  };
  const text = await readCapped(body, 4097);
  assert.equal(Buffer.byteLength(text), 4096, 'a character cut by the cap is dropped, not mangled');
  assert.ok(/^é+$/.test(text));
  assert.equal(destroyed, true);
  assert.ok(pulled <= 5, `read ${pulled} chunks`);
  assert.equal(await readCapped({ destroy: () => undefined, async *[Symbol.asyncIterator]() { yield Buffer.from('short'); } }, 100), 'short');
});
