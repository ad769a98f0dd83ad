import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMappingFile } from './mapping-file.js';
import { isGantryError } from '../errors.js';

test('mapping/oc-mirror v2 lines with comments and blanks', () => {
  const text = '# generated\n\ndocker://quay.io/a/b@sha256:' + 'a'.repeat(64) + '=docker://mirror:5000/a/b:sha256-' + 'a'.repeat(12) + '\r\ndocker://x/y:1=oci:/tmp/l:y\n';
  const e = parseMappingFile(text, 'm.txt');
  assert.equal(e.length, 2);
  assert.equal(e[0]!.source, 'docker://quay.io/a/b@sha256:' + 'a'.repeat(64));
  assert.equal(e[0]!.line, 3);
  assert.equal(e[1]!.dest, 'oci:/tmp/l:y');
});

test('mapping/error names file and line, all problems at once', () => {
  try {
    parseMappingFile('ok=docker://x/y\nbroken\n=nothing\n', 'map.txt');
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(isGantryError(err, 'MAPPING_INVALID'));
    assert.match(err.message, /map\.txt:2:/);
    assert.match(err.message, /map\.txt:3:/);
  }
});
