import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitIndentedBytes, splitIndentedStream } from './json-stream.js';
import { decodeUtf8, parseCatalogBytes, parseCatalogText } from './load.js';
import type { CatalogIssue, Source } from './types.js';

const obj = (name: string) => `{\n    "schema": "olm.package",\n    "name": "${name}"\n}`;

/** Byte path and text path side by side: the same objects, sources and issues; and whether the byte path split it. */
const CASES: { name: string; bytes: Buffer; split: boolean }[] = [
  { name: 'ascii stream', bytes: Buffer.from(`${obj('a')}\n${obj('b')}\n`), split: true },
  { name: 'non-ascii text in a value', bytes: Buffer.from(`${obj('caf\u00e9 \u2019')}\n\n${obj('\u{1f600}')}\n`), split: true },
  { name: 'crlf and blank lines between objects', bytes: Buffer.from(`\r\n${obj('a')}\r\n\r\n${obj('b')}\r\n`.replace(/\n {4}/g, '\r\n    ')), split: true },
  { name: 'invalid utf-8 inside a string becomes U+FFFD', bytes: Buffer.concat([Buffer.from('{\n    "name": "a'), Buffer.from([0xe2, 0x82]), Buffer.from('"\n}\n')]), split: true },
  { name: 'a BOM first: the text path', bytes: Buffer.from(`\ufeff${obj('a')}\n`), split: false },
  { name: 'a no-break space between objects: the text path', bytes: Buffer.from(`${obj('a')}\u00a0\n${obj('b')}\n`), split: false },
  { name: 'a broken object: the text path reports it', bytes: Buffer.from(`${obj('a')}\n{\n    "name": "b",,\n}\n`), split: true },
  { name: 'compact lines: the text path', bytes: Buffer.from('{"name":"a"}\n{"name":"b"}\n'), split: false },
  { name: 'yaml: the text path', bytes: Buffer.from('schema: olm.package\nname: \u00e9\n'), split: false },
];

for (const c of CASES) {
  test(`json-stream/bytes path equals text path: ${c.name}`, () => {
    const run = (parse: (onValue: (v: unknown, s: Source) => void, issues: CatalogIssue[]) => void) => {
      const values: [unknown, Source][] = [];
      const issues: CatalogIssue[] = [];
      parse((v, s) => values.push([v, s]), issues);
      return { values, issues };
    };
    const byBytes = run((on, issues) => parseCatalogBytes(c.bytes, 'f.json', on, issues));
    const byText = run((on, issues) => parseCatalogText(decodeUtf8(c.bytes), 'f.json', on, issues));
    assert.deepEqual(byBytes, byText);
    assert.ok(byText.values.length + byText.issues.length > 0);
    assert.equal(splitIndentedBytes(c.bytes) !== undefined, c.split);
  });
}

test('json-stream/byte chunks are the text chunks, at byte offsets', () => {
  const text = `${obj('\u00e9')}\n${obj('b')}\n`;
  const bytes = Buffer.from(text);
  const byBytes = splitIndentedBytes(bytes)!.map((c) => bytes.subarray(c.start, c.end).toString('utf8'));
  const byText = splitIndentedStream(text)!.map((c) => text.slice(c.start, c.end));
  assert.deepEqual(byBytes, byText);
});
