// gantry samples mirror through the shipped CLI: the plan straight into the mirror library, to a real registry,
// each image landing where the operator pulls it under samplesRegistry (with a prefix); --dry-run copies nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { imageStreamListJson, pushSampleImages, sampleImages, sampleStreams, type SampleStreamSpec } from '../src/testing/samples-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
let streams: SampleStreamSpec[];
const at = (name: string) => join(dir.path, name);

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await tempDir('samples-mirror');
  streams = sampleStreams(src.host);
  await pushSampleImages(`http://${src.host}`, sampleImages(streams));
  await writeFile(at('is.json'), imageStreamListJson(streams));
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

const NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];

test('samples mirror/--dry-run writes the ImageSetConfiguration and copies nothing', async () => {
  const r = await runGantry(['samples', 'mirror', '--from', at('is.json'), '--language', 'ruby', `docker://${dst.host}/dry`, '--workspace', at('ws-dry'), '--dry-run', ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  const isc = parse(await readFile(at('ws-dry/samples-imageset.yaml'), 'utf8')) as { mirror: { additionalImages: { name: string }[] } };
  assert.deepEqual(isc.mirror.additionalImages.map((i) => i.name), [`${src.host}/ubi8/ruby-30:latest`, `${src.host}/ubi9/ruby-33:latest`]);
  const tags = await runGantry(['tags', '--tls-verify=false', `docker://${dst.host}/dry/ubi9/ruby-33`]);
  assert.notEqual(tags.code, 0, 'nothing was copied');
});

test('samples mirror/every selected image lands where the operator pulls it, with the same digest', async () => {
  const dest = `${dst.host}/samples`;
  const r = await runGantry(['samples', 'mirror', '--from', at('is.json'), `docker://${dest}`, '--workspace', at('ws'), '--quiet', ...NO_TLS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`samplesRegistry: ${dest.replace(/[.]/g, '\\.')}`));
  const plan = await runGantry(['samples', 'plan', '--from', at('is.json'), '--mirror', dest]);
  const rows = plan.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/));
  assert.equal(rows.length, sampleImages(streams).length, 'one row per tag with an image (aliases follow theirs), each its own image');
  for (const [, , image, destination] of rows) {
    const a = await runGantry(['inspect', '-o', 'json', '--tls-verify=false', `docker://${image}`]);
    const b = await runGantry(['inspect', '-o', 'json', '--tls-verify=false', `docker://${destination}`]);
    assert.equal(b.code, 0, `${destination}: ${b.stderr}`);
    assert.equal((JSON.parse(b.stdout) as { digest: string }).digest, (JSON.parse(a.stdout) as { digest: string }).digest, destination);
  }
});

test('samples mirror/bad destination and empty selection are refused before any copy', async () => {
  const noScheme = await runGantry(['samples', 'mirror', dst.host, '--from', at('is.json'), '--workspace', at('ws-bad'), ...NO_TLS]);
  assert.equal(noScheme.code, 2);
  assert.match(noScheme.stderr, /must start with docker:\/\//);
  const none = await runGantry(['samples', 'mirror', '--from', at('is.json'), '--workspace', at('ws-bad'), ...NO_TLS]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /error\[USAGE\]: the destination is required/);
  const empty = await runGantry(['samples', 'mirror', '--from', at('is.json'), '--language', 'php', `docker://${dst.host}/x`, '--workspace', at('ws-empty'), ...NO_TLS]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /error\[CONFIG_INVALID\]: the selection has no image to mirror/);
});
