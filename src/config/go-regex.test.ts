// Table tests for compiling blockedImages expressions written in Go's RE2 syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegex } from './go-regex.js';

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
