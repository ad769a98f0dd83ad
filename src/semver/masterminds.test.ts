// Table tests for masterminds.ts: Masterminds/semver v3 constraint parsing, wildcards, tilde and caret, AND/OR,
// the pre-release rule and Masterminds' error text. Cases follow Masterminds' README and constraints_test.go.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasHyphenRange, parseConstraint } from './masterminds.js';
import { parseVersion } from './version.js';
import { isSemverError } from './semver-error.js';

const valid: [name: string, constraint: string, matches: Record<string, boolean>][] = [
  ['bare pins exactly', '1.2.3', { '1.2.3': true, '1.2.4': false, '1.2.3+build': true }],
  ['= pins', '=1.2.3', { '1.2.3': true, '1.2.2': false }],
  ['v prefix', 'v1.2.3', { '1.2.3': true }],
  ['!=', '!=1.2.3', { '1.2.3': false, '1.2.4': true }],
  ['!= wildcard minor', '!=1.x', { '1.5.0': false, '2.0.0': true }],
  ['>', '>1.2.3', { '1.2.3': false, '1.2.4': true }],
  ['> short means next major', '>1', { '1.9.0': false, '2.0.0': true }],
  ['> two parts means next minor', '>1.1', { '1.1.9': false, '1.2.0': true }],
  ['<', '<1.2.3', { '1.2.2': true, '1.2.3': false }],
  ['>= and =>', '=>1.2.3', { '1.2.3': true, '1.2.2': false }],
  ['<= and =<', '=<1.2.3', { '1.2.3': true, '1.2.4': false }],
  ['<= short covers the minor', '<=1.2', { '1.2.9': true, '1.3.0': false }],
  ['comma and', '>=1.2.0, <1.4.0', { '1.1.9': false, '1.3.5': true, '1.4.0': false }],
  ['space and', '>=1.2.0 <1.4.0', { '1.3.5': true, '1.4.0': false }],
  ['space after operator', '>= 1.2.0', { '1.2.0': true, '1.1.0': false }],
  ['or', '<1.0.0 || >=3.0.0', { '0.9.0': true, '2.0.0': false, '3.1.0': true }],
  ['tilde patch', '~1.2.3', { '1.2.2': false, '1.2.9': true, '1.3.0': false }],
  ['tilde ~>', '~>1.2', { '1.2.0': true, '1.3.0': false }],
  ['tilde major', '~1', { '1.0.0': true, '1.9.0': true, '2.0.0': false }],
  ['tilde zero is any', '~0.0.0', { '0.0.0': true, '5.1.0': true }],
  ['caret major', '^1.2.3', { '1.2.2': false, '1.9.9': true, '2.0.0': false }],
  ['caret 0.x', '^0.2.3', { '0.2.3': true, '0.2.9': true, '0.3.0': false }],
  ['caret 0.0.x', '^0.0.3', { '0.0.3': true, '0.0.4': false }],
  ['caret 0', '^0', { '0.9.0': true, '1.0.0': false }],
  ['wildcard x', '1.2.x', { '1.2.0': true, '1.2.9': true, '1.3.0': false }],
  ['wildcard star', '1.*', { '1.0.0': true, '1.9.0': true, '2.0.0': false }],
  ['wildcard alone', '*', { '0.0.1': true, '9.9.9': true, '1.0.0-alpha': false }],
  ['wildcard X', '2.X', { '2.1.0': true, '3.0.0': false }],
  ['pre-release excluded', '>=1.0.0', { '1.1.0-rc.1': false, '1.1.0': true }],
  ['pre-release named', '>=1.1.0-rc.0', { '1.1.0-rc.1': true, '1.1.0-alpha': false, '1.2.0': true }],
  ['pre-release per comparison', '>=1.0.0-0 <2.0.0', { '1.5.0-rc.1': false }],
  ['hyphen range rewritten', '1.2 - 1.4.5', { '1.2.0': true, '1.4.5': true, '1.4.6': false }],
  ['leading zero', '>=01.2.3', { '1.2.3': true }],
  ['build in constraint ignored', '=1.2.3+b', { '1.2.3': true, '1.2.3+c': true }],
];

for (const [name, constraint, matches] of valid) {
  test(`masterminds/${name}`, () => {
    const check = parseConstraint(constraint);
    for (const [v, want] of Object.entries(matches)) assert.equal(check(parseVersion(v)), want, `${constraint} ∋ ${v}`);
  });
}

const invalid: [name: string, constraint: string, message: string][] = [
  ['empty', '', 'improper constraint: '],
  ['garbage', 'foo', 'improper constraint: foo'],
  ['double operator', '>>1.2.3', 'improper constraint: >>1.2.3'],
  ['bad alternative', '1.2.3 || ', 'improper constraint:  '],
  ['semicolon', '>1.0.0; <2.0.0', 'improper constraint: >1.0.0; <2.0.0'],
  ['literal bar in number', '1|2.0.0', 'constraint Parser Error'],
];

for (const [name, constraint, message] of invalid) {
  test(`masterminds/error/${name}`, () => {
    assert.throws(
      () => parseConstraint(constraint),
      (err: unknown) => isSemverError(err, 'SEMVER_CONSTRAINT_INVALID') && err.message === message,
    );
  });
}

test('masterminds/hyphen range is detected', () => {
  assert.equal(hasHyphenRange('1.2 - 1.4'), true);
  assert.equal(hasHyphenRange('>=1.2, <1.4'), false);
  assert.equal(hasHyphenRange('1.2.0-rc.1'), false);
});
