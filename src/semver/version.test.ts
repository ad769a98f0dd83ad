// Table tests for version.ts: strict and tolerant parsing with blang/semver v4's exact messages,
// precedence, formatting and uint64-sized numbers. Expected messages were checked against blang v4.0.0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersions,
  formatVersion,
  parseVersion,
  parseVersionTolerant,
  tryParseVersion,
  type Version,
} from './version.js';
import { isSemverError } from './semver-error.js';

const valid: [name: string, input: string, want: Partial<Version>][] = [
  ['plain', '1.2.3', { major: 1, minor: 2, patch: 3, pre: [], build: [] }],
  ['zeros', '0.0.0', { major: 0, minor: 0, patch: 0 }],
  ['pre alpha and numeric', '1.2.3-alpha.1', { pre: ['alpha', 1] }],
  ['pre zero', '1.0.0-0', { pre: [0] }],
  ['pre with hyphens', '1.2.3-alpha.b-eta', { pre: ['alpha', 'b-eta'] }],
  ['pre leading zero with letter is alphanumeric', '1.2.3-0A', { pre: ['0A'] }],
  ['pre hyphen inside', '1.2.3-0-0', { pre: ['0-0'] }],
  ['pre only hyphen', '1.2.3--', { pre: ['-'] }],
  ['build', '1.2.3+123.456', { pre: [], build: ['123', '456'] }],
  ['build leading zeros allowed', '1.2.3+001', { build: ['001'] }],
  ['build with hyphen', '1.0.0+a-b', { pre: [], build: ['a-b'] }],
  ['pre and build', '0.0.1-alpha.preview+123.github', { pre: ['alpha', 'preview'], build: ['123', 'github'] }],
  ['large but safe', '9007199254740991.0.0', { major: 9007199254740991 }],
  ['above 2^53 is a bigint', '9007199254740993.1.2', { major: 9007199254740993n, minor: 1 }],
  ['uint64 max', '18446744073709551615.0.0', { major: 18446744073709551615n }],
  ['pre numeric above 2^53', '1.0.0-20240101123045123', { pre: [20240101123045123n] }],
];

for (const [name, input, want] of valid) {
  test(`version/parse ok/${name}`, () => {
    const v = parseVersion(input);
    for (const [k, value] of Object.entries(want)) assert.deepEqual(v[k as keyof Version], value, k);
    assert.equal(formatVersion(v), input);
    assert.deepEqual(tryParseVersion(input), v);
  });
}

const invalid: [name: string, input: string, message: string][] = [
  ['empty', '', 'Version string empty'],
  ['dot', '.', 'No Major.Minor.Patch elements found'],
  ['two parts', '1.2', 'No Major.Minor.Patch elements found'],
  ['trailing dot', '1.', 'No Major.Minor.Patch elements found'],
  ['leading dot', '.1', 'No Major.Minor.Patch elements found'],
  ['empty major', '..', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['empty minor', '1..1', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['empty patch', '1.1.', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['empty patch before build', '1.1.+123', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['empty patch before pre', '1.1.-beta', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['negative patch', '1.1.-1', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['letters', 'a.b.c', 'Invalid character(s) found in major number "a"'],
  ['major 0a', '0a.1.1', 'Invalid character(s) found in major number "0a"'],
  ['v prefix', 'v1.0.0', 'Invalid character(s) found in major number "v1"'],
  ['leading space', ' 1.0.0', 'Invalid character(s) found in major number " 1"'],
  ['negative major', '-1.1.1', 'Invalid character(s) found in major number "-1"'],
  ['minor letter', '1.a.b', 'Invalid character(s) found in minor number "a"'],
  ['negative minor', '1.-1.1', 'Invalid character(s) found in minor number "-1"'],
  ['patch letter', '1.1.a', 'Invalid character(s) found in patch number "a"'],
  ['four parts', '1.2.3.4', 'Invalid character(s) found in patch number "3.4"'],
  ['trailing space', '1.0.0 ', 'Invalid character(s) found in patch number "0 "'],
  ['trailing newline, Go-quoted', '1.0.0\n', 'Invalid character(s) found in patch number "0\\n"'],
  ['major leading zero', '01.1.1', 'Major number must not contain leading zeroes "01"'],
  ['minor leading zero', '1.01.1', 'Minor number must not contain leading zeroes "01"'],
  ['patch leading zero', '1.1.001', 'Patch number must not contain leading zeroes "001"'],
  ['major too big', '20000000000000000000.1.1', 'strconv.ParseUint: parsing "20000000000000000000": value out of range'],
  ['uint64 max + 1', '18446744073709551616.0.0', 'strconv.ParseUint: parsing "18446744073709551616": value out of range'],
  ['minor too big', '1.20000000000000000000.1', 'strconv.ParseUint: parsing "20000000000000000000": value out of range'],
  ['patch too big', '1.1.20000000000000000000', 'strconv.ParseUint: parsing "20000000000000000000": value out of range'],
  ['pre too big', '1.1.1-20000000000000000000', 'strconv.ParseUint: parsing "20000000000000000000": value out of range'],
  ['pre leading zero', '1.1.1-01', 'Numeric PreRelease version must not contain leading zeroes "01"'],
  ['pre 00', '1.2.3-00', 'Numeric PreRelease version must not contain leading zeroes "00"'],
  ['pre second leading zero', '1.1.1-beta.001', 'Numeric PreRelease version must not contain leading zeroes "001"'],
  ['pre empty', '1.0.0-', 'Prerelease is empty'],
  ['pre empty first', '0.0.0-.alpha', 'Prerelease is empty'],
  ['pre empty middle', '1.0.0-a..b', 'Prerelease is empty'],
  ['pre empty before build', '1.0.0-+', 'Prerelease is empty'],
  ['pre bang', '0.0.0-!', 'Invalid character(s) found in prerelease "!"'],
  ['pre non-ASCII letter', '1.0.0-é', 'Invalid character(s) found in prerelease "é"'],
  ['pre NBSP, Go-quoted', '1.0.0-a\u00a0', 'Invalid character(s) found in prerelease "a\\u00a0"'],
  ['pre BOM, Go-quoted', '1.0.0-\ufeff', 'Invalid character(s) found in prerelease "\\ufeff"'],
  ['pre control chars, Go-quoted', '1.0.0-\u0001\u007f', 'Invalid character(s) found in prerelease "\\x01\\x7f"'],
  ['pre quote and backslash', '1.0.0-"q\\', 'Invalid character(s) found in prerelease "\\"q\\\\"'],
  ['pre emoji kept', '1.0.0-😀', 'Invalid character(s) found in prerelease "😀"'],
  ['patch error wins over pre error', '1.0.a-!', 'Invalid character(s) found in patch number "a"'],
  ['build empty', '1.0.0+', 'Build meta data is empty'],
  ['build empty after pre', '0.0.0-alpha+', 'Build meta data is empty'],
  ['build trailing dot', '0.0.0-alpha+test.', 'Build meta data is empty'],
  ['build bang', '0.0.0+!', 'Invalid character(s) found in build meta data "!"'],
  ['second plus', '1.0.0-a+b+c', 'Invalid character(s) found in build meta data "b+c"'],
];

for (const [name, input, message] of invalid) {
  test(`version/parse error/${name}`, () => {
    assert.throws(
      () => parseVersion(input),
      (err: unknown) => isSemverError(err, 'SEMVER_VERSION_INVALID') && err.message === message && err.input === input,
    );
    assert.equal(tryParseVersion(input), undefined);
  });
}

const tolerant: [name: string, input: string, want: string][] = [
  ['v prefix', 'v1.2.3', '1.2.3'],
  ['pre kept', '1.2.0-alpha', '1.2.0-alpha'],
  ['patch leading zeros', '1.2.00', '1.2.0'],
  ['Go white space trimmed', '\t1.2.3 ', '1.2.3'],
  ['ideographic space trimmed', '1.2.3\u3000', '1.2.3'],
  ['all leading zeros', '01.02.03', '1.2.3'],
  ['zero runs', '000.0.03', '0.0.3'],
  ['missing patch', '1.2', '1.2.0'],
  ['major only', '1', '1.0.0'],
  ['v and spaces', ' v1 ', '1.0.0'],
  ['zero patch before pre', '1.2.03-beta', '1.2.3-beta'],
  ['zero patch before build', '1.2.00+build', '1.2.0+build'],
];

for (const [name, input, want] of tolerant) {
  test(`version/tolerant ok/${name}`, () => assert.equal(formatVersion(parseVersionTolerant(input)), want));
}

const tolerantInvalid: [name: string, input: string, message: string][] = [
  ['short with build', '1.0+abc', 'Short version cannot contain PreRelease/Build meta data'],
  ['short-looking with pre', '1.0-rc.1', 'Invalid character(s) found in minor number "0-rc"'],
  ['empty', '', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['only v', 'v', 'strconv.ParseUint: parsing "": invalid syntax'],
  ['two vs', 'vv1.0.0', 'Invalid character(s) found in major number "0v1"'],
  ['capital V', 'V1.2.3', 'Invalid character(s) found in major number "0V1"'],
  ['BOM is not Go space', '\ufeff1.2.3', 'Invalid character(s) found in major number "0\\ufeff1"'],
  ['one non-ASCII char is two bytes', 'é', 'Invalid character(s) found in major number "0é"'],
];

for (const [name, input, message] of tolerantInvalid) {
  test(`version/tolerant error/${name}`, () => {
    assert.throws(
      () => parseVersionTolerant(input),
      (err: unknown) => isSemverError(err, 'SEMVER_VERSION_INVALID') && err.message === message,
    );
  });
}

// semver.org §11 precedence example, plus blang's own compare cases.
const chain = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.1',
  '1.1.0',
  '2.0.0-0',
  '2.0.0',
  '2.1.0',
  '2.1.1',
  '10.0.0',
  '9007199254740993.0.0',
  '18446744073709551615.0.0',
];

test('version/compare/semver.org precedence chain, every pair', () => {
  const vs = chain.map(parseVersion);
  for (let i = 0; i < vs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      const want = i < j ? -1 : i > j ? 1 : 0;
      assert.equal(compareVersions(vs[i]!, vs[j]!), want, `${chain[i]} vs ${chain[j]}`);
    }
  }
});

const pairs: [name: string, a: string, b: string, want: -1 | 0 | 1][] = [
  ['build ignored', '1.0.0+1.2.3', '1.0.0', 0],
  ['build ignored on pre', '1.0.0-rc.1+a', '1.0.0-rc.1+b', 0],
  ['numeric below alphanumeric', '1.0.0-1', '1.0.0-a', -1],
  ['numeric by value', '1.0.0-2', '1.0.0-10', -1],
  ['alphanumeric bytewise, uppercase first', '1.0.0-Z', '1.0.0-a', -1],
  ['alphanumeric bytewise, hyphen before digits', '1.0.0--', '1.0.0-0a', -1],
  ['longer pre wins when prefix equal', '1.0.0-a.b', '1.0.0-a', 1],
  ['big numeric pre', '1.0.0-20240101123045123', '1.0.0-20240101123045124', -1],
  ['big numeric pre vs small', '1.0.0-20240101123045123', '1.0.0-9', 1],
  ['minor before patch', '1.2.0', '1.1.9', 1],
];

for (const [name, a, b, want] of pairs) {
  test(`version/compare/${name}`, () => {
    assert.equal(compareVersions(parseVersion(a), parseVersion(b)), want);
    assert.equal(compareVersions(parseVersion(b), parseVersion(a)), want === 0 ? 0 : -want);
  });
}

test('version/compare/hand-built versions mixing number and bigint', () => {
  const a: Version = { major: 5, minor: 1, patch: 0, pre: [], build: [] };
  const b: Version = { major: 5n, minor: 2n, patch: 0n, pre: [], build: [] };
  assert.equal(compareVersions(a, b), -1);
  assert.equal(compareVersions(b, a), 1);
});

const formats: [name: string, v: Version, want: string][] = [
  ['plain', { major: 1, minor: 2, patch: 3, pre: [], build: [] }, '1.2.3'],
  ['pre and build', { major: 0, minor: 0, patch: 1, pre: ['alpha', 'preview'], build: ['123', '456'] }, '0.0.1-alpha.preview+123.456'],
  ['numeric pre', { major: 1, minor: 2, patch: 3, pre: ['alpha', 1], build: [] }, '1.2.3-alpha.1'],
  ['build only', { major: 1, minor: 2, patch: 3, pre: [], build: ['123', 'b-uild'] }, '1.2.3+123.b-uild'],
  ['bigints', { major: 18446744073709551615n, minor: 0, patch: 0, pre: [9007199254740993n], build: [] }, '18446744073709551615.0.0-9007199254740993'],
];

for (const [name, v, want] of formats) {
  test(`version/format/${name}`, () => assert.equal(formatVersion(v), want));
}
