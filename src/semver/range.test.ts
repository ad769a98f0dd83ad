// Table tests for range.ts: blang/semver v4 ParseRange acceptance, wildcard expansion, AND/OR evaluation
// and exact error messages, including blang's quirks. Expected results were checked against blang v4.0.0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from './range.js';
import { parseVersion } from './version.js';
import { isSemverError } from './semver-error.js';

type Matches = Record<string, boolean>;

const valid: [name: string, range: string, matches: Matches][] = [
  // blang's README and range_test.go
  ['gt', '>1.2.3', { '1.2.2': false, '1.2.3': false, '1.2.4': true }],
  ['ge', '>=1.2.3', { '1.2.2': false, '1.2.3': true, '1.2.4': true }],
  ['lt', '<1.2.3', { '1.2.2': true, '1.2.3': false, '1.2.4': false }],
  ['le', '<=1.2.3', { '1.2.2': true, '1.2.3': true, '1.2.4': false }],
  ['bare is equal', '1.2.3', { '1.2.2': false, '1.2.3': true, '1.2.4': false }],
  ['=', '=1.2.3', { '1.2.2': false, '1.2.3': true, '1.2.4': false }],
  ['==', '==1.2.3', { '1.2.2': false, '1.2.3': true, '1.2.4': false }],
  ['!=', '!=1.2.3', { '1.2.2': true, '1.2.3': false, '1.2.4': true }],
  ['!', '!1.2.3', { '1.2.2': true, '1.2.3': false, '1.2.4': true }],
  ['equal ignores build', '=1.2.3+build', { '1.2.3': true, '1.2.3+other': true }],
  ['and', '>1.2.2 <1.2.4', { '1.2.2': false, '1.2.3': true, '1.2.4': false }],
  ['and redundant', '<1.2.2 <1.2.4', { '1.2.1': true, '1.2.2': false, '1.2.3': false }],
  ['and with !=', '>1.2.2 <1.2.5 !=1.2.4', { '1.2.3': true, '1.2.4': false, '1.2.5': false }],
  ['and with !', '>1.2.2 <1.2.5 !1.2.4', { '1.2.3': true, '1.2.4': false, '1.2.5': false }],
  ['or covering all', '>1.2.2 || <1.2.4', { '1.2.2': true, '1.2.3': true, '1.2.4': true }],
  ['or covering none', '<1.2.2 || >1.2.4', { '1.2.2': false, '1.2.3': false, '1.2.4': false }],
  ['readme or', '<2.0.0 || >=3.0.0', { '1.9.9': true, '2.5.0': false, '3.0.0': true }],
  ['readme and excludes pre', '>1.0.0 <3.0.0 !2.0.3-beta.2', { '2.0.3-beta.2': false, '2.0.3-beta.3': true, '1.8.7': true }],
  [
    'readme combined',
    '>1.0.0 <2.0.0 || >3.0.0 !4.2.1',
    { '1.2.3': true, '1.9.9': true, '3.1.1': true, '4.2.1': false, '2.1.1': false },
  ],
  [
    'features line',
    '>=1.0.0 <2.0.0 || >=3.0.0 !3.0.1-beta.1',
    { '1.0.0': true, '2.0.0': false, '3.0.1-beta.1': false, '3.0.1': true },
  ],
  [
    'two ands ored',
    '>1.2.2 <1.2.4 || >=2.0.0 <3.0.0',
    { '1.2.2': false, '1.2.3': true, '1.2.4': false, '2.0.0': true, '2.9.9': true, '3.0.0': false },
  ],
  ['three alternatives', '1.0.0 || 2.0.0 || 3.0.0', { '1.0.0': true, '2.0.0': true, '3.0.0': true, '1.5.0': false }],
  // wildcards
  ['patch wildcard', '1.2.x', { '1.1.9': false, '1.2.0': true, '1.2.9': true, '1.3.0': false }],
  ['minor wildcard', '1.x', { '0.9.9': false, '1.0.0': true, '1.9.9': true, '2.0.0': false }],
  ['=1.x', '=1.x', { '1.5.0': true, '2.0.0': false }],
  ['>1.x', '>1.x', { '1.9.0': false, '2.0.0': true }],
  ['>=1.x', '>=1.x', { '0.9.9': false, '1.0.0': true }],
  ['<1.x', '<1.x', { '0.9.9': true, '1.0.0': false }],
  ['<=1.x', '<=1.x', { '1.9.9': true, '2.0.0': false }],
  ['>1.2.x', '>1.2.x', { '1.2.6': false, '1.3.0': true }],
  ['>=1.2.x', '>=1.2.x', { '1.1.9': false, '1.2.0': true }],
  ['<1.2.x', '<1.2.x', { '1.1.9': true, '1.2.0': false }],
  ['<=1.2.x', '<=1.2.x', { '1.2.9': true, '1.3.0': false }],
  ['!=1.2.x expands to an AND that matches nothing', '!=1.2.x', { '1.1.0': false, '1.2.0': false, '1.3.0': false }],
  ['!=1.x expands to an AND that matches nothing', '!=1.x', { '0.9.9': false, '2.0.0': false }],
  ['wildcards with or', '1.x || >=2.0.x <2.2.x', { '0.9.2': false, '1.2.2': true, '2.0.0': true, '2.1.8': true, '2.2.0': false }],
  ['1.x.x is a patch wildcard in blang', '1.x.x', { '1.0.0': true, '1.0.9': true, '1.1.0': false }],
  ['<=1.x.x means <1.1.0', '<=1.x.x', { '1.0.9': true, '1.1.0': false }],
  ['~ on a wildcard is dropped: exact 1.2.0', '~1.2.x', { '1.2.0': true, '1.2.1': false }],
  ['^ on a wildcard is dropped: exact 1.0.0', '^1.x', { '1.0.0': true, '1.1.0': false }],
  ['.x in a pre-release becomes .0', '<1.0.0-alpha.x', { '1.0.0-0': true, '1.0.0-alpha.0': false }],
  ['>= with x in pre-release', '>=1.0.0-x', { '1.0.0-w': false, '1.0.0-x': true, '1.0.0': true }],
  ['>= with non-trailing wildcard', '>=1.x.3', { '1.0.2': false, '1.0.3': true }],
  // pre-release precedence, no node-semver style exclusion
  ['<1.0.0 admits its pre-releases', '<1.0.0', { '0.9.9': true, '1.0.0-rc.1': true, '1.0.0-0': true, '1.0.0': false }],
  ['<1.0.0-0 idiom', '<1.0.0-0', { '0.9.9': true, '0.9.9-rc.1': true, '1.0.0-0': false, '1.0.0-rc.1': false }],
  ['>=1.0.0 admits later pre-releases', '>=1.0.0', { '1.0.0-rc.1': false, '2.0.0-alpha': true }],
  ['typical skipRange', '>=4.3.0 <4.6.0', { '4.2.9': false, '4.3.0': true, '4.5.99': true, '4.6.0-0': true, '4.6.0': false }],
  // spacing and tokenising
  ['spaces after operators', '  >=   1.2.3   <=  1.2.5   ', { '1.2.2': false, '1.2.3': true, '1.2.5': true, '1.2.6': false }],
  ['space inside operator', '> = 1.0.0', { '1.0.0': true, '0.9.9': false }],
  ['tab after operator trimmed', '>=\t1.0.0', { '1.0.0': true, '0.9.9': false }],
  ['trailing lone operator dropped', '>=1.0.0 <', { '0.9.9': false, '1.0.0': true, '2.0.0': true }],
  ['lone ! dropped: equality', '! 1.2.3', { '1.2.3': true, '1.2.4': false }],
  ['spaced hyphen range: - dropped, AND of two equalities', '1.2.3 - 2.0.0', { '1.2.3': false, '1.5.0': false, '2.0.0': false }],
  ['single | dropped', '1.0.0 | 2.0.0', { '1.0.0': false, '2.0.0': false }],
  ['big numbers', '>9007199254740992.0.0', { '9007199254740992.0.0': false, '9007199254740993.0.0': true }],
];

for (const [name, range, matches] of valid) {
  test(`range/ok/${name}`, () => {
    const r = parseRange(range);
    for (const [v, want] of Object.entries(matches)) assert.equal(r(parseVersion(v)), want, `${range} on ${v}`);
  });
}

const invalid: [name: string, range: string, message: string][] = [
  ['empty', '', "Last element in range is '||'"],
  ['blank', '   ', "Last element in range is '||'"],
  ['one character', '1', "Last element in range is '||'"],
  ['star', '*', "Last element in range is '||'"],
  ['lone x', 'x', "Last element in range is '||'"],
  ['lone or', '||', "First element in range is '||'"],
  ['leading or', '|| 1.0.0', "First element in range is '||'"],
  ['trailing or', '>=1.0.0 <2.0.0 ||', "Last element in range is '||'"],
  ['lone operator with space', '< ', 'Could not get version from string: "<"'],
  ['trailing operator', '>=1.0.0 <=', 'Could not get version from string: "<="'],
  ['word', 'string', 'Could not get version from string: "string"'],
  ['word with x', 'foox', 'Could not get version from string: "foox"'],
  ['dots with x', 'fo.ob.ar.x', 'Could not get version from string: "fo.ob.ar.x"'],
  ['x.x.x', 'x.x.x', 'Could not get version from string: "x.x.x"'],
  ['>x', '>x', 'Could not get version from string: ">x"'],
  ['four pipes', '1.0.0 ||||', 'Could not get version from string: "||||"'],
  ['= ||', '= || 1.0.0', 'Could not get version from string: "=||"'],
  ['non-ASCII token', '1.0.0 é', 'Could not get version from string: "é"'],
  ['wildcard errors come first', '~1.0.0 >x', 'Could not get version from string: ">x"'],
  ['x in pre-release of exact version', '1.0.0-x', 'Could not get version from string: "<"'],
  ['x in pre-release of exact version, word', '1.0.0-box.1', 'Could not get version from string: "<"'],
  ['x in pre-release with >', '>1.0.0-x', 'Could not get version from string: ">="'],
  ['non-trailing wildcard exact', '1.x.3', 'Could not get version from string: "<"'],
  ['tilde', '~1.2.3', 'Could not parse Range "~1.2.3": Could not parse comparator "~" in "~1.2.3"'],
  ['caret', '^1.2.3', 'Could not parse Range "^1.2.3": Could not parse comparator "^" in "^1.2.3"'],
  ['>>', '>>1.2.3', 'Could not parse Range ">>1.2.3": Could not parse comparator ">>" in ">>1.2.3"'],
  ['=>', '=>1.0.0', 'Could not parse Range "=>1.0.0": Could not parse comparator "=>" in "=>1.0.0"'],
  ['===', '===1.0.0', 'Could not parse Range "===1.0.0": Could not parse comparator "===" in "===1.0.0"'],
  ['v prefix', 'v1.0.0', 'Could not parse Range "v1.0.0": Could not parse comparator "v" in "v1.0.0"'],
  ['>=v', '>=v1.0.0', 'Could not parse Range ">=v1.0.0": Could not parse comparator ">=v" in ">=v1.0.0"'],
  ['short version', '1.0', 'Could not parse Range "1.0": Could not parse version "1.0" in "1.0": No Major.Minor.Patch elements found'],
  [
    'capital X',
    '1.2.X',
    'Could not parse Range "1.2.X": Could not parse version "1.2.X" in "1.2.X": Invalid character(s) found in patch number "X"',
  ],
  [
    'comma',
    '>=1.0.0,<2.0.0',
    'Could not parse Range ">=1.0.0,<2.0.0": Could not parse version "1.0.0,<2.0.0" in ">=1.0.0,<2.0.0": Invalid character(s) found in patch number "0,<2.0.0"',
  ],
  [
    'or without spaces',
    '1.0.0||2.0.0',
    'Could not parse Range "1.0.0||2.0.0": Could not parse version "1.0.0||2.0.0" in "1.0.0||2.0.0": Invalid character(s) found in patch number "0||2.0.0"',
  ],
  [
    'tab is not a separator',
    '>=1.0.0\t<2.0.0',
    'Could not parse Range ">=1.0.0\\t<2.0.0": Could not parse version "1.0.0\\t<2.0.0" in ">=1.0.0\\t<2.0.0": Invalid character(s) found in patch number "0\\t<2.0.0"',
  ],
  [
    'trailing newline',
    '>=1.0.0\n',
    'Could not parse Range ">=1.0.0\\n": Could not parse version "1.0.0\\n" in ">=1.0.0\\n": Invalid character(s) found in patch number "0\\n"',
  ],
  [
    'wildcard with leading zero reports the expanded token',
    '01.2.x',
    'Could not parse Range ">=01.2.0": Could not parse version "01.2.0" in ">=01.2.0": Major number must not contain leading zeroes "01"',
  ],
  [
    'non-ASCII digit starts the version',
    '>=٣.0.0',
    'Could not parse Range ">=٣.0.0": Could not parse version "٣.0.0" in ">=٣.0.0": Invalid character(s) found in major number "٣"',
  ],
  [
    'wildcard increment wraps int64',
    '>9223372036854775807.x',
    'Could not parse Range ">=-9223372036854775808.0.0": Could not parse comparator ">=-" in ">=-9223372036854775808.0.0"',
  ],
];

for (const [name, range, message] of invalid) {
  test(`range/error/${name}`, () => {
    assert.throws(
      () => parseRange(range),
      (err: unknown) => isSemverError(err, 'SEMVER_RANGE_INVALID') && err.message === message && err.input === range,
    );
  });
}

test('range/empty alternative parses but panics when evaluation reaches it, like blang', () => {
  const r = parseRange('1.0.0 || || 2.0.0');
  assert.equal(r(parseVersion('1.0.0')), true);
  for (const v of ['0.9.9', '2.0.0']) {
    assert.throws(() => r(parseVersion(v)), (err: unknown) => isSemverError(err, 'SEMVER_RANGE_PANIC'));
  }
});
