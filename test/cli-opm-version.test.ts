// Which opm "byte-compatible" means: the README and the CLI name OPM_REFERENCE_VERSION, and the behaviours in
// which opm releases differ are pinned to that version here (semver package metadata: cli-template.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { OPM_REFERENCE_VERSION } from '../src/catalog/opm-version.js';
import { CORPUS } from './corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const BIN = join(ROOT, 'bin', 'gantry.js');
const gantry = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

test('opm-version/the README and catalog render --help name the opm release output is measured against', async () => {
  assert.equal(OPM_REFERENCE_VERSION, 'v1.73.0', 'changing it means re-checking every behaviour pinned below and the README list');
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, new RegExp(`byte-compatible with \`opm render\` of \\*\\*opm ${OPM_REFERENCE_VERSION.replace(/\./g, '\\.')}\\*\\*`));
  const help = gantry(['catalog', 'render', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.replace(/\s+/g, ' '), new RegExp(`as opm render ${OPM_REFERENCE_VERSION.replace(/\./g, '\\.')} writes it`));
});

test(`opm-version/a rendered bundle's olm.bundle.object properties are sorted by value (${OPM_REFERENCE_VERSION}; v1.26.5 kept the stored order)`, async () => {
  const dir = join(CORPUS, 'bundles', 'latest-per-package', 'ack-acm-controller', '1.8.1');
  const r = gantry(['catalog', 'render', dir]);
  assert.equal(r.status, 0, r.stderr);
  const bundle = JSON.parse(r.stdout) as { properties: { type: string; value: { data?: string } }[] };
  const data = bundle.properties.filter((p) => p.type === 'olm.bundle.object').map((p) => p.value.data!);
  assert.ok(data.length > 2);
  assert.deepEqual(data, [...data].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  // The stored order (manifests/ in name order) is another order, so the check above tells the versions apart.
  const files = (await readdir(join(dir, 'manifests'))).sort();
  const stored = files.map((f) => (jsyaml.load(readFileSync(join(dir, 'manifests', f), 'utf8')) as { metadata: { name: string } }).metadata.name);
  const rendered = data.map((d) => (JSON.parse(Buffer.from(d, 'base64').toString('utf8')) as { metadata: { name: string } }).metadata.name);
  assert.deepEqual([...rendered].sort(), [...stored].sort());
  assert.notDeepEqual(rendered, stored);
});
