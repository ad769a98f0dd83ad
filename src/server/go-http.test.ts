import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPath, parseGoQuery, parseHttpDate, parseRanges } from './go-http.js';

test('go-http/parseRanges as net/http', async (t) => {
  const cases: { name: string; value: string | undefined; want: ReturnType<typeof parseRanges> }[] = [
    { name: 'absent', value: undefined, want: { kind: 'ranges', ranges: [] } },
    { name: 'open end', value: 'bytes=90-', want: { kind: 'ranges', ranges: [{ start: 90, length: 10 }] } },
    { name: 'end clamped', value: 'bytes=0-500', want: { kind: 'ranges', ranges: [{ start: 0, length: 100 }] } },
    { name: 'suffix longer than the body', value: 'bytes=-500', want: { kind: 'ranges', ranges: [{ start: 0, length: 100 }] } },
    { name: 'several, spaces and empty elements', value: 'bytes= 0-1 ,, 5-6', want: { kind: 'ranges', ranges: [{ start: 0, length: 2 }, { start: 5, length: 2 }] } },
    { name: 'one outside, one inside', value: 'bytes=200-300,0-0', want: { kind: 'ranges', ranges: [{ start: 0, length: 1 }] } },
    { name: 'all outside', value: 'bytes=100-', want: { kind: 'no-overlap' } },
    { name: 'reversed', value: 'bytes=9-3', want: { kind: 'invalid' } },
    { name: 'other unit', value: 'items=0-1', want: { kind: 'invalid' } },
    { name: 'negative suffix', value: 'bytes=--1', want: { kind: 'invalid' } },
    { name: 'no dash', value: 'bytes=5', want: { kind: 'invalid' } },
    { name: 'beyond int64', value: 'bytes=0-99999999999999999999', want: { kind: 'invalid' } },
    { name: 'a plus sign, as strconv.ParseInt takes it', value: 'bytes=+5-6', want: { kind: 'ranges', ranges: [{ start: 5, length: 2 }] } },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(parseRanges(c.value, 100), c.want));
});

test('go-http/parseHttpDate: the three formats of http.ParseTime and nothing else', () => {
  const t = Date.UTC(1994, 10, 6, 8, 49, 37);
  assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), t);
  assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), t);
  assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), t);
  for (const bad of ['Sun, 06 Nov 1994 08:49:37 UTC', '1994-11-06T08:49:37Z', 'Sun, 31 Apr 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 24:00:00 GMT', '']) {
    assert.equal(parseHttpDate(bad), undefined, bad);
  }
});

test('go-http/cleanPath as ServeMux', () => {
  assert.equal(cleanPath('/a/b'), '/a/b');
  assert.equal(cleanPath('/a//b/./c/..'), '/a/b');
  assert.equal(cleanPath('/../../x/'), '/x/');
  assert.equal(cleanPath(''), '/');
});

test('go-http/parseGoQuery as url.ParseQuery', () => {
  const q = (s: string) => Object.fromEntries(parseGoQuery(s));
  assert.deepEqual(q('schema=olm.package&name=a+b%2Fc&name=second'), { schema: ['olm.package'], name: ['a b/c', 'second'] });
  assert.deepEqual(q('schema=olm.package;name=x&package=p'), { package: ['p'] }, 'a pair with ; is dropped');
  assert.deepEqual(q('bad%zz=1&name'), { name: [''] }, 'a malformed escape drops its pair; a bare key has an empty value');
  assert.deepEqual(q(''), {});
});
