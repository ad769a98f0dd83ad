// Table tests for go-yaml v2's implicit typing (resolve.go) and number formatting (encode.go), the rules
// that decide quoting and how JSON numbers come out in opm's YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoFloatG, isBase60Float, isTimestamp, parseGoInt, resolvesAsNonString, yamlNumberText } from './go-yaml-resolve.js';

test('resolve/non-string plain scalars', () => {
  const cases: [string, boolean][] = [
    ['', true], ['~', true], ['null', true], ['Null', true], ['nULL', false],
    ['y', true], ['Y', true], ['yes', true], ['YES', true], ['yEs', false], ['on', true], ['ON', true], ['oN', false],
    ['n', true], ['no', true], ['off', true], ['true', true], ['False', true], ['fALSE', false],
    ['<<', false], // in go-yaml's map, but '<' gives no hint
    ['.inf', true], ['-.inf', true], ['+.Inf', true], ['.nan', true], ['.NaN', true], ['nan', false], ['inf', false],
    ['.5', true], ['.5e3', true], ['.5_0', true], ['._5', false], ['.5e', false], ['.e5', false], ['.', false], ['.5.5', false], ['.5e400', false], ['.5e-400', true],
    ['0', true], ['-0', true], ['+7', true], ['007', true], ['08', true], ['0x1F', true], ['0X1f', true], ['0x', false], ['0xg', false],
    ['0o17', true], ['0o8', false], ['0b101', true], ['0B1', true], ['0b', false], ['0b2', false], ['-0b1', true],
    ['1_000', true], ['-_1', true], ['_1', false],
    ['1.10', true], ['1.', true], ['+.5', true], ['1e3', true], ['1E+3', true], ['1e', false], ['1e400', false], ['1.2.3', false],
    ['9223372036854775807', true], ['18446744073709551615', true], ['99999999999999999999', true],
    ['1:20', true], ['1:70', false], ['-1:20:30.5', true],
    ['2021-01-27', true], ['2021-01-27T09:00:00', false], ['2021-01-27T09:00:00Z', true],
    ['v1', false], ['0.0.1', false], ['1-2', false], ['-', false], ['+', false],
  ];
  for (const [s, want] of cases) assert.equal(resolvesAsNonString(s) || isBase60Float(s), want, JSON.stringify(s));
});

test('resolve/timestamps (time.Parse layouts of resolve.go)', () => {
  const cases: [string, boolean][] = [
    ['2006-01-02', true], ['2006-1-2', true], ['0000-01-01', true], ['2006-00-02', false], ['2006-13-02', false],
    ['2006-01-00', false], ['2006-01-32', false], ['2006-04-31', false], ['2024-02-29', true], ['2023-02-29', false],
    ['1900-02-29', false], ['2000-02-29', true], ['206-01-02', false], ['20060-01-02', false], ['2006-001-02', false],
    ['2006-01-02T15:04:05Z', true], ['2006-01-02t15:04:05Z', true], ['2006-01-02T15:04:05+07:00', true],
    ['2006-01-02T15:04:05.123456789-07:00', true], ['2006-01-02T15:04:05,5Z', true], ['2006-01-02T15:04:05', false],
    ['2006-01-02T15:04:05.Z', false], ['2006-01-02T24:00:00Z', false], ['2006-01-02T23:60:00Z', false],
    ['2006-01-02T23:59:60Z', false], ['2006-01-02T1:2:3Z', true], ['2006-01-02T15:04:05+25:00', false],
    ['2006-01-02T15:04:05+24:60', true], ['2006-01-02T15:04:05+7:00', false], ['2006-01-02T15:04:05 Z', false],
    ['2006-01-02 15:04:05', true], ['2006-01-02    15:04:05.5', true], ['2006-01-02 15:04:05Z', false],
    ['2006-01-02 15:04', false], ['2006-01-02 ', false], ['2006-01-02x', false],
  ];
  for (const [s, want] of cases) assert.equal(isTimestamp(s), want, s);
});

test('resolve/Go ParseInt then ParseUint, base prefixes', () => {
  const cases: [string, bigint | undefined][] = [
    ['0', 0n], ['-0', 0n], ['10', 10n], ['010', 8n], ['0o10', 8n], ['0x10', 16n], ['0b10', 2n], ['-0x10', -16n], ['+0b1', 1n],
    ['9223372036854775807', 9223372036854775807n], ['-9223372036854775808', -9223372036854775808n],
    ['-9223372036854775809', undefined], ['18446744073709551615', 18446744073709551615n], ['18446744073709551616', undefined],
    ['+9223372036854775808', undefined], // ParseInt overflows, ParseUint takes no sign
    ['', undefined], ['-', undefined], ['0x', undefined], ['08', undefined], ['1e3', undefined], [' 1', undefined],
  ];
  for (const [s, want] of cases) assert.equal(parseGoInt(s), want, s);
});

test('resolve/JSON numbers as JSONToYAML writes them', () => {
  const cases: [string, string][] = [
    ['0', '0'], ['-0', '0'], ['-0.0', '-0'], ['1', '1'], ['1.0', '1'], ['10.0', '10'], ['1.5', '1.5'], ['-1.5', '-1.5'],
    ['1e2', '100'], ['1E2', '100'], ['100000.0', '100000'], ['1000000.0', '1e+06'], ['1234567.0', '1.234567e+06'],
    ['123456.5', '123456.5'], ['0.0001', '0.0001'], ['0.00001', '1e-05'], ['1e-7', '1e-07'], ['1e21', '1e+21'],
    ['1e+100', '1e+100'], ['5e-324', '5e-324'], ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['9223372036854775808', '9223372036854775808'], ['18446744073709551616', '1.8446744073709552e+19'],
    ['100000000000000000000', '1e+20'], ['1e400', '1e400'], ['-1e400', '-1e400'],
  ];
  for (const [s, want] of cases) assert.equal(yamlNumberText(s), want, s);
});

test('resolve/strconv.FormatFloat(f, g, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'], [-0, '-0'], [1, '1'], [0.1, '0.1'], [123456, '123456'], [999999, '999999'], [1e6, '1e+06'],
    [1.5e6, '1.5e+06'], [0.0001, '0.0001'], [0.00012, '0.00012'], [0.00001, '1e-05'], [1.25e-5, '1.25e-05'],
    [1e100, '1e+100'], [-2.5e-10, '-2.5e-10'], [NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf'],
  ];
  for (const [f, want] of cases) assert.equal(formatGoFloatG(f), want, String(f));
});
