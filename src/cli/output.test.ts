import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, redact } from './output.js';
import { GantryError } from '../errors.js';

test('redact/bearer tokens, basic auth, URL passwords, JSON secrets', () => {
  const t = redact('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc.def and Basic dXNlcjpwYXNzd29yZA== at https://bob:hunter2@reg.example/v2/ {"password":"hunter2"} --creds bob:hunter2');
  assert.doesNotMatch(t, /eyJhbGci|dXNlcjpw|hunter2/);
  assert.match(t, /https:\/\/\*\*\*:\*\*\*@reg\.example/);
});

test('format/code, hint, no stack without debug', () => {
  const e = new GantryError('REGISTRY_UNAUTHORIZED', 'denied', { hint: 'log in', cause: new Error('Bearer abcdefghijklmnop') });
  const plain = formatError(e, false);
  assert.equal(plain, 'error[REGISTRY_UNAUTHORIZED]: denied\n  hint: log in');
  const debug = formatError(e, true);
  assert.match(debug, /caused by/);
  assert.doesNotMatch(debug, /abcdefghijklmnop/);
});
