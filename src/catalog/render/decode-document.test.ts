import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFirstDocument, DocumentError } from './decode-document.js';

const cases: [string, string, { value?: unknown; line?: number; more?: boolean; json?: boolean; error?: RegExp; errorLine?: number }][] = [
  ['yaml/plain', 'a: 1\nb: yes\n', { value: { a: 1, b: true }, line: 1, more: false, json: false }],
  ['yaml/leading separator', '---\na: 1\n', { value: { a: 1 }, line: 2 }],
  ['yaml/separator with a comment', '--- # first\na: 1\n---\nb: 2\n', { value: { a: 1 }, line: 2, more: true }],
  ['yaml/blank preamble is a document of its own', '\n---\na: 1\n', { value: null, line: 1, more: true }],
  ['yaml/CRLF lines', '---\r\na: x\r\nb: |\r\n  l1\r\n  l2\r\n', { value: { a: 'x', b: 'l1\nl2\n' }, line: 2 }],
  ['yaml/no final newline', 'a: 1', { value: { a: 1 } }],
  ['yaml/a trailing separator is no second document', 'a: 1\n---\n', { value: { a: 1 }, more: false }],
  ['yaml/"----" is a bad separator', 'a: 1\n----\n', { error: /^invalid Yaml document separator: -$/, errorLine: 2 }],
  ['yaml/content after "---" is a bad separator', '--- {a: 1}\n', { error: /invalid Yaml document separator: \{a: 1\}/, errorLine: 1 }],
  ['yaml/a bad separator after the first document ends the stream', 'a: 1\n---\nb: 2\n--- x\n', { value: { a: 1 }, more: false }],
  ['yaml/a second document that does not decode is not one', '---\na: 1\n---\nb: [\n', { value: { a: 1 }, more: false }],
  ['yaml/a second document that is a scalar is not one either', 'a: 1\n---\nplain\n', { value: { a: 1 }, more: false }],
  ['yaml/a comment-only preamble is the first document', '# c\n---\na: 1\n', { value: null, line: 1, more: true }],
  ['yaml/syntax error line counts from the file start', '---\n\nx: 1\ny: [1,\n', { error: /^yaml: /, errorLine: 5 }],
  ['yaml/infinity cannot become JSON', 'a: .inf\n', { error: /unsupported value: \+Inf/ }],
  ['empty file', '', { error: /^EOF$/, errorLine: 1 }],
  ['json/sniffed within 30 bytes', '  \n{"b": 1, "a": [1, 2]}\n{"c": 3}', { value: { b: 1, a: [1, 2] }, line: 2, more: true, json: true }],
  ['json/leading space past 30 bytes reads as YAML', `${' '.repeat(40)}\n{"b": 1}`, { value: { b: 1 }, json: false }],
  ['json/invalid JSON falls back to YAML', '{a: 1, "b": 2}\n', { value: { a: 1, b: 2 }, json: false }],
];

for (const [name, text, want] of cases) {
  test(`decode-document/${name}`, () => {
    if (want.error) {
      assert.throws(
        () => decodeFirstDocument(text),
        (err: unknown) => {
          assert.ok(err instanceof DocumentError);
          assert.match(err.message, want.error!);
          if (want.errorLine !== undefined) assert.equal(err.line, want.errorLine);
          return true;
        },
      );
      return;
    }
    const d = decodeFirstDocument(text);
    if ('value' in want) assert.deepEqual(d.value, want.value);
    if (want.line !== undefined) assert.equal(d.line, want.line);
    if (want.more !== undefined) assert.equal(d.more, want.more);
    if (want.json !== undefined) assert.equal(d.json !== undefined, want.json);
  });
}

test('decode-document/JSON keeps the text so raw values can be cut from it', () => {
  const text = '{ "x": {"k" : 1} }';
  const d = decodeFirstDocument(text);
  assert.deepEqual(d.json?.span, { start: 0, end: text.length });
});
