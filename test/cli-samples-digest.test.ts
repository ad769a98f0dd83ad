// "Checked by digest" and hostless pull specs through bin/gantry.js against real registries: samples mirror records
// what it mirrored; samples config/check with --workspace (those records) and --compare-source (the source now) count
// a stale tag at the mirror as missing, and say what was compared; a pull spec without a registry host is planned,
// looked up and named where the operator's samplesRegistry rewrite puts it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { imageStreamListJson, pushSampleImages, sampleImages, sampleStreams } from '../src/testing/samples-fixtures.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let src: RunningRegistry;
let dst: RunningRegistry;
let dir: { path: string; remove(): Promise<void> };
const at = (name: string) => join(dir.path, name);
const NO_TLS = ['--tls-verify=false'];

type Doc = { [field: string]: unknown; kind: string; spec?: Record<string, unknown> };
const configOf = (text: string) => (parseAllDocuments(text) as unknown as { toJS(): Doc }[]).map((d) => d.toJS()).find((d) => d.kind === 'Config')!;
const skipped = (text: string) => (configOf(text).spec!.skippedImagestreams as string[] | undefined) ?? [];

before(async () => {
  [src, dst, dir] = await Promise.all([startRegistry(), startRegistry(), tempDir('samples-digest')]);
  const streams = sampleStreams(src.host);
  await pushSampleImages(src.url, sampleImages(streams));
  await writeFile(at('is.json'), imageStreamListJson(streams));
  const m = await runGantry(['samples', 'mirror', '--from', at('is.json'), `docker://${dst.host}`, '--workspace', at('ws'), '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false']);
  assert.equal(m.code, 0, m.stderr);
  // Stale at the mirror: another image pushed over python's tag after mirroring. Moved on at the source: nodejs.
  await pushImageRaw(dst.url, 'ubi9/python-311', 'latest', buildImage({ seed: 'someone else', layerSizes: [128] }));
  await pushImageRaw(src.url, 'ubi9/nodejs-20', 'latest', buildImage({ seed: 'nodejs rebuilt', layerSizes: [128] }));
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await dir?.remove();
});

test('samples-digest/samples mirror records its images in the workspace', async () => {
  const records = await readdir(join(at('ws'), '.gantry', 'mirrored'));
  assert.equal(records.length, 1, records.join(', '));
});

test('samples-digest/config: presence alone misses the stale tag; --workspace and --compare-source each catch what they compare', async () => {
  const config = (extra: string[]) => runGantry(['samples', 'config', '--from', at('is.json'), '--mirror', dst.host, ...NO_TLS, ...extra]);
  const plain = await config([]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(skipped(plain.stdout), []);
  assert.match(plain.stderr, /^checked: each tag at the mirror has its manifest .*digests not compared, so a stale tag counts as mirrored/m);
  assert.match(plain.stdout, /# Digests at the mirror not compared with the sources/);

  const records = await config(['--workspace', at('ws')]);
  assert.equal(records.code, 0, records.stderr);
  assert.deepEqual(skipped(records.stdout), ['python']);
  assert.match(records.stdout, new RegExp(`#   python: 3\\.11-ubi9 \\(${dst.host.replace(/\./g, '\\.')}/ubi9/python-311:latest: stale: tag names sha256:[0-9a-f]{64}, not sha256:[0-9a-f]{64} \\(recorded when .*/ubi9/python-311:latest was mirrored\\)\\)`));
  assert.match(records.stdout, /# Each tag's digest at the mirror compared with the digests recorded in .*ws when the images were mirrored/);
  assert.match(records.stderr, /^checked by digest: each tag at the mirror compared with the digests recorded in .*; 1 stale$/m);

  // The source's nodejs moved on after mirroring: only the source comparison sees that the mirror is behind.
  const source = await config(['--compare-source']);
  assert.equal(source.code, 0, source.stderr);
  assert.deepEqual(skipped(source.stdout), ['nodejs', 'python']);
  assert.match(source.stderr, /compared with the source registries now; 2 stale/);

  const both = await config(['--workspace', at('ws'), '--compare-source']);
  assert.equal(both.code, 0, both.stderr);
  assert.deepEqual(skipped(both.stdout), ['python']);

  await mkdir(at('empty'), { recursive: true });
  const none = await config(['--workspace', at('empty')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /error\[NOT_FOUND\]: .*empty holds no record of mirrored images/);
});

test('samples-digest/check --workspace fails the stale tag, with the digest found and the one expected', async () => {
  const plain = await runGantry(['samples', 'config', '--from', at('is.json'), '--mirror', dst.host, ...NO_TLS]);
  await writeFile(at('config.yaml'), plain.stdout);
  const unchecked = await runGantry(['samples', 'check', '-c', at('config.yaml'), '--from', at('is.json'), ...NO_TLS]);
  assert.equal(unchecked.code, 0, unchecked.stderr);
  const r = await runGantry(['samples', 'check', '-c', at('config.yaml'), '--from', at('is.json'), '--workspace', at('ws'), '-o', 'json', ...NO_TLS]);
  assert.equal(r.code, 1, r.stderr);
  const rows = JSON.parse(r.stdout) as { imagestream: string; tag: string; reason: string; digest: string; expected: string }[];
  assert.deepEqual(rows.map((x) => `${x.imagestream}:${x.tag}`), ['python:3.11-ubi9']);
  assert.notEqual(rows[0]!.digest, rows[0]!.expected);
  assert.match(rows[0]!.reason, /^stale: /);
  assert.match(r.stderr, /checked by digest: .*; 1 stale/);
  const source = await runGantry(['samples', 'check', '-c', at('config.yaml'), '--from', at('is.json'), '--compare-source', ...NO_TLS]);
  assert.equal(source.code, 1, source.stderr);
  assert.deepEqual(source.stdout.trim().split('\n').map((l) => l.split('\t')[0]), ['nodejs:20-ubi9', 'python:3.11-ubi9']);
});

test('samples-digest/hostless pull specs: planned, looked up and named where samplesRegistry puts them', async () => {
  const stream = {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: 'hostless' },
    spec: {
      tags: [
        { name: 'bare', from: { kind: 'DockerImage', name: 'ruby:2.7' } },
        { name: 'library', from: { kind: 'DockerImage', name: 'library/perl:5' } },
        { name: 'two', from: { kind: 'DockerImage', name: 'a/b/c:1' } },
      ],
    },
  };
  await writeFile(at('hostless.json'), JSON.stringify(stream, null, 2));
  // Without --mirror the ISC already names the operator's paths (gantry mirror puts targetRepo below any prefix).
  const isc = await runGantry(['samples', 'plan', '--from', at('hostless.json'), '-o', 'isc']);
  assert.equal(isc.code, 0, isc.stderr);
  assert.deepEqual((parse(isc.stdout) as { mirror: { additionalImages: unknown[] } }).mirror.additionalImages, [
    { name: 'a/b/c:1', targetRepo: 'b/c' },
    { name: 'library/perl:5' },
    { name: 'ruby:2.7', targetRepo: 'ruby' },
  ]);
  assert.match(isc.stderr, /DockerImage "ruby:2\.7" names no registry host: it is mirrored from docker\.io\/library\/ruby:2\.7, and the operator pulls <samplesRegistry>\/ruby:2\.7/);
  assert.match(isc.stderr, /DockerImage "a\/b\/c:1" names no registry host: it is mirrored from docker\.io\/a\/b\/c:1, and the operator pulls <samplesRegistry>\/b\/c:1/);
  const table = await runGantry(['samples', 'plan', '--from', at('hostless.json'), '--mirror', `${dst.host}/pre`]);
  assert.match(table.stdout, new RegExp(`ruby:2\\.7\\s+${dst.host.replace(/\./g, '\\.')}/pre/ruby:2\\.7`));

  // At the mirror: ruby where the operator pulls it, perl under library/, c where gantry mirror's default would
  // have put it (a/b/c), not where the operator pulls it (b/c): only the last is missing.
  for (const [repo, tag] of [['pre/ruby', '2.7'], ['pre/library/perl', '5'], ['pre/a/b/c', '1']] as const) {
    await pushImageRaw(dst.url, repo, tag, buildImage({ seed: `${repo}:${tag}`, layerSizes: [64] }));
  }
  const config = await runGantry(['samples', 'config', '--from', at('hostless.json'), '--mirror', `${dst.host}/pre`, ...NO_TLS]);
  assert.equal(config.code, 0, config.stderr);
  assert.deepEqual(skipped(config.stdout), ['hostless']);
  assert.match(config.stdout, new RegExp(`#   hostless: two \\(${dst.host.replace(/\./g, '\\.')}/pre/b/c:1: no tag 1\\)`));
  await pushImageRaw(dst.url, 'pre/b/c', '1', buildImage({ seed: 'b/c', layerSizes: [64] }));
  const fixed = await runGantry(['samples', 'config', '--from', at('hostless.json'), '--mirror', `${dst.host}/pre`, ...NO_TLS]);
  assert.deepEqual(skipped(fixed.stdout), []);
});
