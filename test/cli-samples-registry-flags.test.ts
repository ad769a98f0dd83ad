// The registry flags of samples config and check through bin/gantry.js: --creds and --authfile against an
// htpasswd registry, --plain-http, and --timeout against a mirror that never answers (an error, not skips).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startSilentServer } from '../src/testing/tcp-servers.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let reg: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const USER = { username: 'samples', password: 'pw-samples' };

before(async () => {
  [reg, dir] = await Promise.all([startRegistry({ auth: { kind: 'htpasswd', users: [USER] } }), tempDir('samples-flags')]);
  await pushImageRaw(reg.url, 'ubi9/python-311', 'latest', buildImage({ seed: 'py', layerSizes: [100] }), USER);
  await writeFile(join(dir.path, 'ist.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: imagestreamtag-to-image\ndata:\n  python_3.11-ubi9: registry.redhat.io/ubi9/python-311:latest\n  nodejs_20-ubi9: registry.redhat.io/ubi9/nodejs-20:latest\n');
  await writeFile(join(dir.path, 'auth.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${USER.username}:${USER.password}`).toString('base64') } } }));
  await writeFile(join(dir.path, 'config.yaml'), `apiVersion: samples.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  managementState: Managed\n  samplesRegistry: ${reg.host}\n`);
});
after(async () => {
  await reg?.stop();
  await dir?.remove();
});

test('samples-config/--creds and --plain-http reach an authenticated mirror', async () => {
  const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', reg.host, '--plain-http', '--creds', `${USER.username}:${USER.password}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /skippedImagestreams:\n {4}- nodejs\n/);
  const denied = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', reg.host, '--plain-http', '--creds', 'samples:wrong']);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /^error\[REGISTRY_UNAUTHORIZED\]/m);
  assert.doesNotMatch(denied.stderr, /wrong/, 'the password is not shown');
});

test('samples-check/--authfile gives the credentials', async () => {
  const r = await runGantry(['samples', 'check', '-c', join(dir.path, 'config.yaml'), '--from', join(dir.path, 'ist.yaml'), '--tls-verify=false', '--authfile', join(dir.path, 'auth.json')]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, `nodejs:20-ubi9\t${reg.host}/ubi9/nodejs-20:latest\tno tag latest\n`);
});

test('samples-config/--timeout: a mirror that never answers is an error within the bound', async () => {
  const silent = await startSilentServer();
  try {
    const r = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', silent.host, '--tls-verify=false', '--timeout', '500ms', '--retry-times', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error\[REGISTRY_TIMEOUT\]/m);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    assert.equal(r.stdout, '');
  } finally {
    await silent.stop();
  }
});
