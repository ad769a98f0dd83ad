// Differential test: every api.Registry call recorded from `opm serve` v1.26.5 (scripts/record-opm-grpc.mjs,
// test/fixtures/opm-grpc/*.json) replayed against `gantry serve`; answers equal after the named normalisations.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServe, stopServe, type Served } from './serve-process.js';
import { REAL_CATALOG } from './corpus.js';
import { tempDir } from './helpers.js';
import { connectRegistry, type RegistryClient, type RegistryMethod } from '../src/testing/registry-client.js';
import { comparable, NORMALISATIONS, type RecordedCall, type Recording } from '../src/testing/opm-grpc-compare.js';
import { canonicalJson } from '../src/catalog/encoding/index.js';

const FIXTURES = join(new URL('.', import.meta.url).pathname, '..', '..', 'test', 'fixtures', 'opm-grpc');

/** gantry serve over one catalog directory, both ports free ones. */
const serveGrpc = (dir: string): Promise<Served> => startServe([dir, '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0']);

/** The catalog directory a recording was made from (recreated from the corpus, as the script does). */
async function catalogFor(name: string, recording: Recording, work: string): Promise<string> {
  if (name === 'edge') return join(FIXTURES, 'edge-catalog');
  const dir = join(work, name);
  await mkdir(dir);
  const m = /^fbc-real\/community-operators-prod-v4\.20: (?:all packages but (.*)|(.*))$/.exec(recording.catalog);
  assert.ok(m, `unknown catalog ${recording.catalog}`);
  const excluded = m[1]?.split(', ') ?? [];
  const packages = m[2] ? m[2].split(', ') : (await readdir(REAL_CATALOG)).filter((p) => !excluded.includes(p));
  for (const p of packages) await cp(join(REAL_CATALOG, p), join(dir, p), { recursive: true });
  return dir;
}

/** Compares one recorded call with gantry's answer; returns a description of the difference, if any. */
async function compare(client: RegistryClient, rec: RecordedCall, digests: boolean): Promise<string | undefined> {
  const method = rec.method as RegistryMethod;
  const got = await client.call(method, rec.request);
  const label = `${method} ${JSON.stringify(rec.request)}`;
  if (rec.error) {
    if (!('error' in got)) return `${label}: opm failed with "${rec.error.details}", gantry answered`;
    if (got.error.code !== rec.error.code || got.error.details !== rec.error.details) return `${label}: opm ${rec.error.status} "${rec.error.details}", gantry ${got.error.status} "${got.error.details}"`;
    return undefined;
  }
  if ('error' in got) return `${label}: gantry failed with ${got.error.status} "${got.error.details}"`;
  const mine = canonicalJson(comparable(method, got.answer, 'gantry', digests));
  // replaces-tie: opm's several answers, any of which is right.
  const expected = (rec.answers ?? [rec.answer]).map((a) => canonicalJson(digests ? a : comparable(method, a, 'recorded', false)));
  if (expected.includes(mine)) return undefined;
  return `${label}:\n  opm:    ${expected[0]!.slice(0, 1500)}\n  gantry: ${mine.slice(0, 1500)}`;
}

const RECORDINGS = ['edge', 'real-slice', 'real-v4.20'];

let work: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  work = await tempDir('serve-grpc-opm');
});
after(async () => {
  await work?.remove();
});

for (const name of RECORDINGS) {
  describe(`cli/serve gRPC = opm serve (${name}; normalised: ${NORMALISATIONS.join(', ')})`, () => {
    let served: Served | undefined;
    let client: RegistryClient | undefined;
    let recording: Recording;
    before(async () => {
      recording = JSON.parse(await readFile(join(FIXTURES, `${name}.json`), 'utf8')) as Recording;
      served = await serveGrpc(await catalogFor(name, recording, work.path));
      client = connectRegistry(served.grpc);
    });
    after(async () => {
      client?.close();
      if (served) assert.equal(await stopServe(served), 0);
    });

    const methods: RegistryMethod[] = [
      'ListPackages',
      'GetPackage',
      'GetBundle',
      'GetBundleForChannel',
      'GetChannelEntriesThatReplace',
      'GetBundleThatReplaces',
      'GetChannelEntriesThatProvide',
      'GetLatestChannelEntriesThatProvide',
      'GetDefaultBundleThatProvides',
      'ListBundles',
    ];
    for (const method of methods) {
      test(`opm-grpc/${name}/${method}: every recorded answer and error text`, async () => {
        const calls = recording.calls.filter((c) => c.method === method);
        assert.ok(calls.length > 0, `the recording asks ${method}`);
        const diffs: string[] = [];
        for (const c of calls) {
          const d = await compare(client!, c, recording.bundleDigests);
          if (d) diffs.push(d);
        }
        assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} of ${calls.length} ${method} answers differ`);
      });
    }

    test(`opm-grpc/${name}/health: SERVING as opm`, async () => {
      const rec = recording.calls.find((c) => (c.method as string) === 'Check')!;
      assert.deepEqual(await client!.health(''), { answer: rec.answer });
    });
  });
}
