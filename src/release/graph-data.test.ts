import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isGantryError } from '../errors.js';
import { graphDataTarball, SAMPLE_GRAPH_DATA } from '../testing/update-service.js';
import { readGraphData } from './graph-data.js';

test('graph-data/reads files under their relative paths, channels and schema version; ./ and directories dropped', async () => {
  const data = await readGraphData(await graphDataTarball(SAMPLE_GRAPH_DATA), 'test');
  assert.deepEqual([...data.files.keys()], ['LICENSE', 'blocked-edges/4.16.2-AzureDNS.yaml', 'channels/fast-4.16.yaml', 'channels/stable-4.16.yaml', 'raw/metadata.json', 'version']);
  assert.equal(Buffer.from(data.files.get('channels/stable-4.16.yaml')!).toString(), SAMPLE_GRAPH_DATA['channels/stable-4.16.yaml']);
  assert.deepEqual(data.channels, ['fast-4.16', 'stable-4.16']);
  assert.equal(data.version, '1.2.0');
});

const cases: { name: string; bytes: () => Promise<Uint8Array>; mentions: RegExp }[] = [
  { name: 'error/not gzip', bytes: async () => Buffer.from('<html>502 Bad Gateway</html>'), mentions: /not gzip/ },
  { name: 'error/gzip but not tar', bytes: async () => gzipSync(Buffer.from('x'.repeat(2000))), mentions: /not a tar archive|no channels/ },
  { name: 'error/truncated gzip', bytes: async () => (await graphDataTarball(SAMPLE_GRAPH_DATA)).subarray(0, 40), mentions: /cannot be decompressed/ },
  { name: 'error/no channels', bytes: () => graphDataTarball({ version: '1.0.0\n' }), mentions: /no channels/ },
  { name: 'error/escaping path', bytes: () => graphDataTarball({ 'channels/../../etc/x.yaml': 'x', 'channels/a.yaml': 'a' }), mentions: /outside its directory/ },
];

for (const c of cases) {
  test(`graph-data/${c.name}`, async () => {
    await assert.rejects(readGraphData(await c.bytes(), 'https://example.com/graph-data'), (err: unknown) => {
      assert.ok(isGantryError(err, 'GRAPH_DATA_INVALID'), String(err));
      assert.match(err.message, /https:\/\/example\.com\/graph-data/);
      assert.match(err.message, c.mentions);
      return true;
    });
  });
}
