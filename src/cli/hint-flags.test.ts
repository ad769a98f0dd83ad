// fitHint: hints name only flags the running command has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitHint } from './hint-flags.js';

const COPY = new Set(['--src-tls-verify', '--dest-tls-verify', '--src-cert-dir', '--dest-cert-dir', '--authfile', '--debug']);
const CATALOG = new Set(['--tls-verify', '--cert-dir', '--authfile', '--creds']);

test('hint-flags/fit: prefixed spellings replace a flag the command has only per side', () => {
  assert.equal(fitHint('for a plain-HTTP registry use --tls-verify=false', COPY), 'for a plain-HTTP registry use --src-tls-verify=false or --dest-tls-verify=false');
  assert.equal(fitHint('pass --cert-dir; or --authfile', COPY), 'pass --src-cert-dir or --dest-cert-dir; or --authfile');
});

test('hint-flags/fit: kept when the command has the flag, dropped when nothing fits', () => {
  assert.equal(fitHint('pass --creds / --authfile', CATALOG), 'pass --creds / --authfile');
  assert.equal(fitHint('pass --creds / --authfile', COPY), undefined);
  assert.equal(fitHint('pass --no-validate to build anyway', CATALOG), undefined);
});

test('hint-flags/fit: flags of another gantry command named in the hint are left alone', () => {
  assert.equal(fitHint('regenerate the list with gantry delete --generate', CATALOG), 'regenerate the list with gantry delete --generate');
});
