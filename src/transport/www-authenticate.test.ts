import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWwwAuthenticate } from './www-authenticate.js';

test('www-authenticate/bearer with scope containing commas', () => {
  const [c] = parseWwwAuthenticate(
    'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
  );
  assert.equal(c?.scheme, 'bearer');
  assert.deepEqual(c?.params, { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' });
});

test('www-authenticate/basic and several challenges', () => {
  const cs = parseWwwAuthenticate('Basic realm="basic-realm", Bearer realm="x", error="insufficient_scope"');
  assert.equal(cs.length, 2);
  assert.equal(cs[0]?.scheme, 'basic');
  assert.equal(cs[0]?.params.realm, 'basic-realm');
  assert.equal(cs[1]?.params.error, 'insufficient_scope');
});

test('www-authenticate/unquoted values and escapes', () => {
  const [c] = parseWwwAuthenticate('Bearer realm=http://x/t, service="a\\"b"');
  assert.equal(c?.params.realm, 'http://x/t');
  assert.equal(c?.params.service, 'a"b');
});

test('www-authenticate/garbage does not throw', () => {
  assert.doesNotThrow(() => parseWwwAuthenticate('=,,"""  \\'));
  assert.deepEqual(parseWwwAuthenticate(''), []);
});
