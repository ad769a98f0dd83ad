// The go-yaml writer against a real catalog published with opm: every small package file read and written again
// comes out byte for byte (the writer's golden and property tests sit next to it in src/catalog/encoding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { rawJson, type JsonPart } from '../src/catalog/encoding/go-json-writer.js';
import { valueToYaml } from '../src/catalog/encoding/go-yaml.js';
import { REAL_CATALOG } from './corpus.js';

// A real catalog published with opm (community-operators-prod v4.20): every document of its package files
// under 1 MB (32 of 37 packages, 663 documents; the YAML reader used here is what makes the big ones slow) read and written
// again must come out byte for byte.
const corpus = REAL_CATALOG;

test('yaml/real opm catalog round-trips byte for byte', () => {
  assert.ok(existsSync(corpus), `the shared corpus is missing at ${corpus}`);
  let docs = 0;
  const toPart = (v: unknown): JsonPart =>
    typeof v === 'bigint'
      ? rawJson(String(v))
      : Array.isArray(v)
        ? v.map(toPart)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPart(x)]))
          : (v as JsonPart);
  for (const pkg of readdirSync(corpus)) {
    const text = readFileSync(`${corpus}/${pkg}/catalog.yaml`, 'utf8');
    if (text.length > 1_000_000) continue;
    const expected = text.split(/^(?=---\n)/m);
    const parsed = parseAllDocuments(text, { schema: 'core', intAsBigInt: true, uniqueKeys: false });
    assert.equal(parsed.length, expected.length, pkg);
    parsed.forEach((d, i) => {
      assert.equal('---\n' + valueToYaml(toPart(d.toJS())), expected[i], `${pkg} document ${i}`);
      docs++;
    });
  }
  assert.ok(docs > 300);
});
