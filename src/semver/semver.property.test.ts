// Property tests (fast-check) for the semver port: valid versions round-trip through parse and format,
// compareVersions is a total order, and no input makes the parsers throw anything but SemverError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareVersions, formatVersion, parseVersion, tryParseVersion } from './version.js';
import { parseRange } from './range.js';
import { isSemverError } from './semver-error.js';

const MAX_UINT64 = 2n ** 64n - 1n;

// Small values make equal components (and so the deeper comparison rules) common; big ones cover uint64.
const numeric = fc.oneof(
  fc.integer({ min: 0, max: 3 }).map(String),
  fc.nat().map(String),
  fc.bigInt({ min: 2n ** 53n - 2n, max: MAX_UINT64 }).map(String),
);
const alphanumericId = fc.stringMatching(/^[0-9A-Za-z-]{0,3}[A-Za-z-][0-9A-Za-z-]{0,3}$/);
const preId = fc.oneof(numeric, alphanumericId, fc.constantFrom('alpha', 'beta', 'rc', '0', '1'));
const buildId = fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/);

const versionText = fc
  .record({
    major: numeric,
    minor: numeric,
    patch: numeric,
    pre: fc.array(preId, { maxLength: 3 }),
    build: fc.array(buildId, { maxLength: 2 }),
  })
  .map(
    ({ major, minor, patch, pre, build }) =>
      `${major}.${minor}.${patch}` + (pre.length ? `-${pre.join('.')}` : '') + (build.length ? `+${build.join('.')}` : ''),
  );

// Pairs that are often equal in precedence (same version, other build metadata) as well as unrelated ones.
const versionPair = fc.oneof(
  fc.tuple(versionText, versionText),
  fc.tuple(versionText, buildId).map(([a, build]): [string, string] => [a, `${a.split('+')[0]}+${build}`]),
);

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

test('semver/property/format(parse(s)) === s for valid versions', () => {
  fc.assert(fc.property(versionText, (s) => formatVersion(parseVersion(s)) === s), { numRuns: 2000 });
});

test('semver/property/compare is reflexive and antisymmetric', () => {
  fc.assert(
    fc.property(versionPair, ([a, b]) => {
      const va = parseVersion(a);
      const vb = parseVersion(b);
      assert.equal(compareVersions(va, va), 0);
      assert.equal(compareVersions(va, vb) + compareVersions(vb, va), 0);
    }),
    { numRuns: 2000 },
  );
});

test('semver/property/compare is transitive and sorting is consistent', () => {
  fc.assert(
    fc.property(fc.array(versionText, { minLength: 3, maxLength: 12 }), (texts) => {
      const vs = texts.map(parseVersion).sort(compareVersions);
      for (let i = 0; i < vs.length; i++) {
        for (let j = i + 1; j < vs.length; j++) assert.ok(compareVersions(vs[i]!, vs[j]!) <= 0);
      }
    }),
    { numRuns: 1000 },
  );
});

test('semver/property/equal precedence means equal text without build metadata', () => {
  fc.assert(
    fc.property(versionPair, ([a, b]) => {
      const strip = (s: string) => s.split('+')[0];
      assert.equal(compareVersions(parseVersion(a), parseVersion(b)) === 0, strip(a) === strip(b));
    }),
    { numRuns: 2000 },
  );
});

test('semver/property/range operators agree with compareVersions', () => {
  fc.assert(
    fc.property(versionPair, ([a, b]) => {
      fc.pre(!b.includes('x')); // a token containing 'x' is rewritten as a wildcard first
      const va = parseVersion(a);
      const c = sign(compareVersions(va, parseVersion(b)));
      assert.equal(parseRange(`>${b}`)(va), c > 0);
      assert.equal(parseRange(`>=${b}`)(va), c >= 0);
      assert.equal(parseRange(`<${b}`)(va), c < 0);
      assert.equal(parseRange(`<=${b}`)(va), c <= 0);
      assert.equal(parseRange(`=${b}`)(va), c === 0);
      assert.equal(parseRange(`!=${b}`)(va), c !== 0);
    }),
    { numRuns: 500 },
  );
});

test('semver/property/arbitrary text only ever fails with SemverError', () => {
  const text = fc.string({ unit: fc.constantFrom(...'0123456789.-+ xvaZ|<>=!~^,\t'.split('')), maxLength: 24 });
  fc.assert(
    fc.property(text, (s) => {
      for (const run of [() => parseVersion(s), () => parseRange(s)]) {
        try {
          run();
        } catch (err) {
          assert.ok(isSemverError(err), String(err));
        }
      }
      assert.equal(tryParseVersion(s) === undefined, (() => {
        try {
          parseVersion(s);
          return false;
        } catch {
          return true;
        }
      })());
    }),
    { numRuns: 3000 },
  );
});
