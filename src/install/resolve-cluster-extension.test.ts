// Unit tests for resolveClusterExtension, one per OLM v1 rule (channels, range, successors, deprecation, version,
// release, priority, the tie error, conditions), and a property test: the choice always satisfies range and channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCatalogModel } from '../catalog/model/catalog-model.js';
import type { ChannelEntry, DeclarativeConfig } from '../catalog/fbc/types.js';
import { isGantryError } from '../errors.js';
import { parseConstraint, parseVersion } from '../semver/index.js';
import { resolveClusterExtension } from './resolve-cluster-extension.js';
import type { NamedCatalog, ResolveOptions } from './types.js';

interface Fixture {
  channels: Record<string, ChannelEntry[]>;
  /** bundle name → version */
  versions: Record<string, string>;
  deprecated?: { package?: string; channels?: Record<string, string>; bundles?: Record<string, string> };
}

function catalog(name: string, priority: number, f: Fixture, pkg = 'p'): NamedCatalog {
  const d = f.deprecated;
  const entries = [
    ...(d?.package ? [{ reference: { schema: 'olm.package' }, message: d.package }] : []),
    ...Object.entries(d?.channels ?? {}).map(([n, message]) => ({ reference: { schema: 'olm.channel', name: n }, message })),
    ...Object.entries(d?.bundles ?? {}).map(([n, message]) => ({ reference: { schema: 'olm.bundle', name: n }, message })),
  ];
  const config: DeclarativeConfig = {
    packages: [{ schema: 'olm.package', name: pkg, defaultChannel: Object.keys(f.channels)[0]! }],
    channels: Object.entries(f.channels).map(([n, e]) => ({ schema: 'olm.channel', name: n, package: pkg, entries: e })),
    bundles: Object.entries(f.versions).map(([n, version]) => ({
      schema: 'olm.bundle',
      name: n,
      package: pkg,
      image: `quay.io/${name}/${n}@sha256:${'0'.repeat(64)}`,
      properties: [{ type: 'olm.package', value: { packageName: pkg, version } }],
    })),
    deprecations: entries.length > 0 ? [{ schema: 'olm.deprecations', package: pkg, entries }] : [],
    others: [],
  };
  return { name, priority, model: buildCatalogModel(config) };
}

const linear: Fixture = {
  channels: {
    stable: [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }, { name: 'p.v1.2.0', replaces: 'p.v1.1.0' }],
    fast: [{ name: 'p.v1.2.0' }, { name: 'p.v2.0.0', replaces: 'p.v1.2.0' }, { name: 'p.v2.1.0-rc.1', replaces: 'p.v2.0.0' }],
  },
  versions: { 'p.v1.0.0': '1.0.0', 'p.v1.1.0': '1.1.0', 'p.v1.2.0': '1.2.0', 'p.v2.0.0': '2.0.0', 'p.v2.1.0-rc.1': '2.1.0-rc.1' },
};

const resolve = (catalogs: NamedCatalog[], o: Partial<ResolveOptions> = {}) =>
  resolveClusterExtension({ catalogs, package: 'p', channels: [], upgradeConstraintPolicy: 'CatalogProvided', ...o });
const reasonOf = (r: ReturnType<typeof resolve>, bundle: string) => r.rejected.find((x) => x.bundle === bundle)?.reason;

test('resolve/no channels means all channels and no range means no version filter (pre-releases too)', () => {
  // Without a range operator-controller applies no version filter at all: 2.1.0-rc.1 ranks above 2.0.0.
  const r = resolve([catalog('c', 0, linear)]);
  assert.equal(r.bundle?.name, 'p.v2.1.0-rc.1');
  assert.equal(r.bundle?.catalog, 'c');
  assert.equal(r.bundle?.version, '2.1.0-rc.1');
  assert.equal(r.bundle?.image, `quay.io/c/p.v2.1.0-rc.1@sha256:${'0'.repeat(64)}`);
  assert.equal(reasonOf(r, 'p.v2.0.0'), 'lower-version');
  assert.equal(reasonOf(r, 'p.v1.0.0'), 'lower-version');
});

test('resolve/channels filter; the default channel is not used', () => {
  const r = resolve([catalog('c', 0, linear)], { channels: ['stable'] });
  assert.equal(r.bundle?.name, 'p.v1.2.0');
  assert.equal(reasonOf(r, 'p.v2.0.0'), 'channel');
});

test('resolve/version range (Masterminds): excludes pre-releases and names the reason', () => {
  const r = resolve([catalog('c', 0, linear)], { versionRange: '>=1.1.0, <2.0.0' });
  assert.equal(r.bundle?.name, 'p.v1.2.0');
  assert.equal(reasonOf(r, 'p.v2.0.0'), 'outside-range');
  assert.equal(reasonOf(r, 'p.v1.0.0'), 'outside-range');
  assert.equal(reasonOf(r, 'p.v2.1.0-rc.1'), 'outside-range');
  assert.equal(resolve([catalog('c', 0, linear)], { versionRange: '~1.1' }).bundle?.name, 'p.v1.1.0');
  assert.equal(resolve([catalog('c', 0, linear)], { versionRange: '>=2.1.0-0' }).bundle?.name, 'p.v2.1.0-rc.1');
});

test('resolve/bad ranges: hyphen refused like the CRD, garbage with operator-controller wording', () => {
  assert.throws(() => resolve([catalog('c', 0, linear)], { versionRange: '1.0 - 2.0' }), (e: unknown) => isGantryError(e, 'USAGE') && /invalid version expression/.test(e.message));
  assert.throws(
    () => resolve([catalog('c', 0, linear)], { versionRange: 'abc' }),
    (e: unknown) => isGantryError(e, 'USAGE') && e.message === 'desired version range "abc" is invalid: improper constraint: abc',
  );
});

test('resolve/successors: replaces only, no chain walk; the installed version stays eligible', () => {
  const r = resolve([catalog('c', 0, linear)], { installed: 'p.v1.0.0', channels: ['stable'] });
  assert.equal(r.bundle?.name, 'p.v1.1.0');
  assert.equal(reasonOf(r, 'p.v1.2.0'), 'not-successor');
  assert.equal(reasonOf(r, 'p.v1.0.0'), 'lower-version');
  // By version instead of name.
  assert.equal(resolve([catalog('c', 0, linear)], { installed: '1.0.0', channels: ['stable'] }).bundle?.name, 'p.v1.1.0');
});

test('resolve/successors: skips and skipRange (blang) count; SelfCertified lifts the rule', () => {
  const f: Fixture = {
    channels: { stable: [{ name: 'p.v1.0.0' }, { name: 'p.v1.1.0', replaces: 'p.v1.0.0' }, { name: 'p.v1.3.0', skips: ['p.v1.0.0'] }, { name: 'p.v1.5.0', skipRange: '>=1.0.0 <1.5.0' }, { name: 'p.v1.6.0', replaces: 'p.v1.5.0' }] },
    versions: { 'p.v1.0.0': '1.0.0', 'p.v1.1.0': '1.1.0', 'p.v1.3.0': '1.3.0', 'p.v1.5.0': '1.5.0', 'p.v1.6.0': '1.6.0' },
  };
  const r = resolve([catalog('c', 0, f)], { installed: 'p.v1.0.0' });
  assert.equal(r.bundle?.name, 'p.v1.5.0');
  assert.equal(reasonOf(r, 'p.v1.6.0'), 'not-successor');
  assert.equal(reasonOf(r, 'p.v1.3.0'), 'lower-version');
  assert.equal(resolve([catalog('c', 0, f)], { installed: 'p.v1.0.0', upgradeConstraintPolicy: 'SelfCertified' }).bundle?.name, 'p.v1.6.0');
});

test('resolve/installed version not in any catalog: skipRange still finds successors; junk is a usage error', () => {
  const f: Fixture = { channels: { a: [{ name: 'p.v2.0.0', skipRange: '>=1.0.0 <2.0.0' }, { name: 'p.v2.1.0', replaces: 'p.v2.0.0' }] }, versions: { 'p.v2.0.0': '2.0.0', 'p.v2.1.0': '2.1.0' } };
  const r = resolve([catalog('c', 0, f)], { installed: '1.5.0' });
  assert.equal(r.bundle?.name, 'p.v2.0.0');
  assert.equal(reasonOf(r, 'p.v2.1.0'), 'not-successor');
  assert.throws(() => resolve([catalog('c', 0, f)], { installed: 'nope' }), (e: unknown) => isGantryError(e, 'USAGE'));
});

test('resolve/upgrade error wording', () => {
  const r = resolve([catalog('c', 0, linear)], { installed: 'p.v1.0.0', channels: ['stable'], versionRange: '>=1.2.0' });
  assert.equal(r.bundle, null);
  assert.equal(r.error, 'error upgrading from currently installed version "1.0.0": no bundles found for package "p" matching version ">=1.2.0" in channels [stable]');
});

test('resolve/unknown package', () => {
  const r = resolve([catalog('c', 0, linear)], { package: 'nope' });
  assert.equal(r.bundle, null);
  assert.equal(r.error, 'no bundles found for package "nope"');
  assert.equal(r.conditions.find((c) => c.type === 'Deprecated')?.reason, 'DeprecationStatusUnknown');
});

test('resolve/non-deprecated ranks above a higher deprecated version; conditions', () => {
  const f: Fixture = { ...linear, deprecated: { bundles: { 'p.v2.0.0': 'p.v2.0.0 is broken' }, channels: { fast: 'fast is going away' } } };
  const r = resolve([catalog('c', 0, f)], { versionRange: '<3.0.0' });
  assert.equal(r.bundle?.name, 'p.v1.2.0');
  assert.equal(reasonOf(r, 'p.v2.0.0'), 'deprecated');
  const byType = Object.fromEntries(r.conditions.map((c) => [c.type, c]));
  assert.deepEqual(byType.ChannelDeprecated, { type: 'ChannelDeprecated', status: 'True', reason: 'Deprecated', message: 'fast is going away' });
  assert.deepEqual(byType.BundleDeprecated, { type: 'BundleDeprecated', status: 'False', reason: 'NotDeprecated', message: 'bundle not deprecated' });
  assert.deepEqual(byType.PackageDeprecated, { type: 'PackageDeprecated', status: 'False', reason: 'NotDeprecated', message: 'package not deprecated' });
  assert.equal(byType.Deprecated?.status, 'True');
  // With channels named, only those channels count.
  const stable = resolve([catalog('c', 0, f)], { channels: ['stable'] });
  assert.equal(stable.conditions.find((c) => c.type === 'ChannelDeprecated')?.status, 'False');
});

test('resolve/deprecated bundle chosen when it is the only one: rollup joins package, channel, bundle', () => {
  const f: Fixture = { channels: { a: [{ name: 'p.v1.0.0' }] }, versions: { 'p.v1.0.0': '1.0.0' }, deprecated: { package: 'pkg gone', channels: { a: 'a gone' }, bundles: { 'p.v1.0.0': 'b gone' } } };
  const r = resolve([catalog('c', 0, f)]);
  assert.equal(r.bundle?.name, 'p.v1.0.0');
  assert.equal(r.conditions.find((c) => c.type === 'Deprecated')?.message, 'pkg gone\na gone\nb gone');
  assert.equal(r.conditions.find((c) => c.type === 'BundleDeprecated')?.status, 'True');
});

test('resolve/release from build metadata orders the same version', () => {
  const f: Fixture = { channels: { a: [{ name: 'p.plain' }, { name: 'p.r2' }, { name: 'p.r10' }] }, versions: { 'p.plain': '1.0.0', 'p.r2': '1.0.0+2', 'p.r10': '1.0.0+10' } };
  const r = resolve([catalog('c', 0, f)]);
  assert.equal(r.bundle?.name, 'p.r10');
});

test('resolve/across catalogs: priority wins over version; deprecation wins over priority; tie error', () => {
  const low: Fixture = { channels: { a: [{ name: 'p.v9.0.0' }] }, versions: { 'p.v9.0.0': '9.0.0' } };
  const high: Fixture = { channels: { a: [{ name: 'p.v1.0.0' }] }, versions: { 'p.v1.0.0': '1.0.0' } };
  const r = resolve([catalog('low', 0, low), catalog('high', 10, high)]);
  assert.equal(r.bundle?.catalog, 'high');
  assert.equal(r.rejected.find((x) => x.catalog === 'low')?.reason, 'other-catalog');

  const deprecatedHigh = resolve([catalog('low', 0, low), catalog('high', 10, { ...high, deprecated: { bundles: { 'p.v1.0.0': 'old' } } })]);
  assert.equal(deprecatedHigh.bundle?.catalog, 'low');

  const tie = resolve([catalog('b', 5, low), catalog('a', 5, high)], { versionRange: '>=1.0.0', channels: ['a'] });
  assert.equal(tie.bundle, null);
  assert.equal(tie.error, 'found bundles for package "p" matching version ">=1.0.0" in channels [a] in multiple catalogs with the same priority [a b]');
});

test('resolve/property: the choice satisfies the range and the channels', () => {
  const versionArb = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.boolean()).map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? '-rc.1' : ''}`);
  const rangeArb = fc.oneof(
    fc.constant(''),
    versionArb.map((v) => `>=${v}`),
    versionArb.map((v) => `~${v}`),
    versionArb.map((v) => `^${v}`),
    fc.tuple(versionArb, versionArb).map(([a, b]) => `>${a}, <=${b} || =${a}`),
    fc.nat(3).map((n) => `${n}.x`),
  );
  fc.assert(
    fc.property(fc.uniqueArray(versionArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }), fc.subarray(['c0', 'c1', 'c2']), rangeArb, (versions, channelOf, channels, range) => {
      const byChannel: Record<string, ChannelEntry[]> = { c0: [], c1: [], c2: [] };
      const names: Record<string, string> = {};
      versions.forEach((v, i) => {
        names[`p.v${v}`] = v;
        byChannel[`c${channelOf[i]!}`]!.push({ name: `p.v${v}` });
      });
      for (const k of Object.keys(byChannel)) if (byChannel[k]!.length === 0) delete byChannel[k];
      const cat = catalog('c', 0, { channels: byChannel, versions: names });
      const r = resolve([cat], { channels, versionRange: range });
      const eligible = versions.filter((v, i) => (channels.length === 0 || channels.includes(`c${channelOf[i]!}`)) && (range === '' || parseConstraint(range)(parseVersion(v))));
      if (!r.bundle) return eligible.length === 0;
      const v = r.bundle.version;
      const i = versions.indexOf(v);
      return eligible.includes(v) && (channels.length === 0 || channels.includes(`c${channelOf[i]!}`));
    }),
    { numRuns: 300 },
  );
});
