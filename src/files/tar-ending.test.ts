import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack, extract } from 'tar-stream';
import { isGantryError } from '../errors.js';
import { endTarLikeGo } from './tar-ending.js';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  for (const [name, text] of Object.entries(files)) p.entry({ name }, text);
  p.finalize();
  const parts: Buffer[] = [];
  for await (const c of p) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function readNames(bytes: Buffer): Promise<Record<string, string>> {
  const tar = endTarLikeGo((async function* () {
    yield bytes;
  })());
  const ex = extract();
  const out: Record<string, string> = {};
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      tar.noteEntry(header);
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => parts.push(c as Buffer));
      stream.on('end', () => {
        out[header.name] = Buffer.concat(parts).toString('utf8');
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  tar.stream.pipe(ex);
  await done;
  tar.checkEnd();
  return out;
}

const FILES = { 'a.json': '{"a":1}', 'b.json': 'x'.repeat(700) };

test('tar-ending/a complete archive reads as it is', async () => {
  assert.deepEqual(await readNames(await tarOf(FILES)), FILES);
});

test('tar-ending/an archive that stops right after the last data (no padding, no zero blocks) reads like Go', async () => {
  const full = await tarOf(FILES);
  const dataEnd = 512 + 512 + 512 + 700;
  assert.deepEqual(await readNames(full.subarray(0, dataEnd)), FILES);
  assert.deepEqual(await readNames(full.subarray(0, 512 * 5)), FILES, 'padding but no zero blocks');
});

test('tar-ending/a file cut short is an error, not zeros', async () => {
  const full = await tarOf(FILES);
  await assert.rejects(readNames(full.subarray(0, 512 + 512 + 512 + 300)), (err: unknown) => isGantryError(err) && err.code === 'LAYER_INVALID' && /b\.json \(400 bytes missing\)/.test(err.message));
});
