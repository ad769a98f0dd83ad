import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originCandidates } from './registry-client.js';

test('origins/verified TLS never falls back to plain HTTP', () => {
  assert.deepEqual(originCandidates('quay.io', true, false), ['https://quay.io']);
  assert.deepEqual(originCandidates('mirror:5000', true, false), ['https://mirror:5000']);
});

test('origins/--tls-verify=false: https first on the default port, plain HTTP first on an explicit port', () => {
  assert.deepEqual(originCandidates('mirror.example', false, false), ['https://mirror.example', 'http://mirror.example']);
  assert.deepEqual(originCandidates('127.0.0.1:5000', false, false), ['http://127.0.0.1:5000', 'https://127.0.0.1:5000']);
});

test('origins/--plain-http is plain HTTP only', () => {
  assert.deepEqual(originCandidates('mirror:5000', true, true), ['http://mirror:5000']);
});
