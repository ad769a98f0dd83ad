// Table tests for compiling blockedImages expressions written in Go's RE2 syntax, and the one blockedImages matcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegex } from './go-regex.js';
import { compileBlockedImages } from './blocked-images.js';

const cases: { name: string; source: string; matches?: string; compiles: boolean }[] = [
  { name: 'plain', source: '^quay.io/bad/.*', matches: 'quay.io/bad/x', compiles: true },
  { name: 'inline case flag', source: '(?i)-DEBUG', matches: 'img-debug:1', compiles: true },
  { name: 'named group', source: '(?P<repo>[a-z]+)/x', matches: 'abc/x', compiles: true },
  { name: 'unclosed class', source: '[abc', compiles: false },
];
for (const c of cases) {
  test(`go-regex/${c.name}`, () => {
    const re = compileGoRegex(c.source);
    assert.equal(re instanceof RegExp, c.compiles);
    if (c.matches !== undefined && re instanceof RegExp) assert.ok(re.test(c.matches));
  });
}

test('blocked-images/the first pattern that matches any name of an image; patterns that do not compile are left out', () => {
  const blocked = compileBlockedImages(['(unclosed', '^quay\\.io/bad/', '(?i)EXAMPLE\\.com/x$']);
  assert.equal(blocked.match('quay.io/bad/app:1'), '^quay\\.io/bad/');
  assert.equal(blocked.match('quay.io/good/app:1', 'mirror.example.com/x'), '(?i)EXAMPLE\\.com/x$');
  assert.equal(blocked.match('quay.io/good/app:1'), undefined);
  assert.equal(compileBlockedImages([]).match('anything'), undefined);
});
