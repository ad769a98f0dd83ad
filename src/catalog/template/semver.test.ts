// The semver template against opm's own cases (OR:alpha/template/semver/semver_test.go: TestLinkChannels, TestGenerateChannels,
// TestGetVersionsFromStandardChannel, TestBailOnVersionBuildMetadata, TestReadFile, TestPopulatePackageMetadata) and its README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Channel, ChannelEntry } from '../fbc/types.js';
import { parseVersion, type Version } from '../../semver/index.js';
import { parseTemplate } from './parse-template.js';
import { packageMetadataFromCsv } from './csv-metadata.js';
import { expandSemverTemplate, type SemverTemplate } from './semver.js';
import { generateSemverChannels, type ChannelArchetype, type StreamKind } from './semver-channels.js';
import { TemplateError } from './template-error.js';

const e = (name: string, replaces?: string, skips?: string[]): ChannelEntry => ({
  name,
  ...(replaces ? { replaces } : {}),
  ...(skips ? { skips } : {}),
});
const ch = (name: string, ...entries: ChannelEntry[]): Channel => ({ schema: 'olm.channel', name, package: 'a', entries });
const versions = (names: string[]) => new Map<string, Version>(names.map((n) => [n, parseVersion(n.replace(/^a-v/, ''))]));

function generate(major: boolean, minor: boolean, pref: StreamKind, v: Partial<Record<ChannelArchetype, Map<string, Version>>>) {
  return generateSemverChannels({ packageName: 'a', generateMajorChannels: major, generateMinorChannels: minor, defaultChannelTypePreference: pref, versions: v });
}

// ---- TestLinkChannels (major channels; linkChannels sorts its input, so generating gives the same walk) ----

test('semver/opm TestLinkChannels: no edges between successive major channels', () => {
  const out = generate(true, false, 'major', { stable: versions(['a-v0.1.0', 'a-v0.1.1', 'a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1', 'a-v2.1.0', 'a-v2.1.1', 'a-v2.3.1', 'a-v2.3.2']) });
  assert.deepEqual(out.channels, [
    ch('stable-v0', e('a-v0.1.0'), e('a-v0.1.1', undefined, ['a-v0.1.0'])),
    ch('stable-v1', e('a-v1.1.0'), e('a-v1.2.1', 'a-v1.1.0'), e('a-v1.3.1', 'a-v1.2.1', ['a-v1.1.0'])),
    ch('stable-v2', e('a-v2.1.0'), e('a-v2.1.1', undefined, ['a-v2.1.0']), e('a-v2.3.1'), e('a-v2.3.2', 'a-v2.1.1', ['a-v2.1.0', 'a-v2.3.1'])),
  ]);
});

test('semver/opm TestLinkChannels: last edge is an X change', () => {
  const out = generate(true, false, 'major', { stable: versions(['a-v0.1.0', 'a-v0.1.1', 'a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1', 'a-v2.1.0']) });
  assert.deepEqual(out.channels, [
    ch('stable-v0', e('a-v0.1.0'), e('a-v0.1.1', undefined, ['a-v0.1.0'])),
    ch('stable-v1', e('a-v1.1.0'), e('a-v1.2.1', 'a-v1.1.0'), e('a-v1.3.1', 'a-v1.2.1', ['a-v1.1.0'])),
    ch('stable-v2', e('a-v2.1.0')),
  ]);
});

test('semver/opm TestLinkChannels: last edge is an archetype change', () => {
  const out = generate(true, false, 'major', {
    stable: versions(['a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1', 'a-v2.1.0', 'a-v2.1.1', 'a-v2.3.1']),
    candidate: versions(['a-v2.3.2']),
  });
  assert.deepEqual(out.channels, [
    ch('candidate-v2', e('a-v2.3.2')),
    ch('stable-v1', e('a-v1.1.0'), e('a-v1.2.1', 'a-v1.1.0'), e('a-v1.3.1', 'a-v1.2.1', ['a-v1.1.0'])),
    ch('stable-v2', e('a-v2.1.0'), e('a-v2.1.1', undefined, ['a-v2.1.0']), e('a-v2.3.1', 'a-v2.1.1', ['a-v2.1.0'])),
  ]);
});

test('semver/opm TestLinkChannels: minimum viable major channel', () => {
  const out = generate(true, false, 'major', { stable: versions(['a-v0.1.0']) });
  assert.deepEqual(out.channels, [ch('stable-v0', e('a-v0.1.0'))]);
  assert.equal(out.defaultChannel, 'stable-v0');
});

// ---- TestGenerateChannels ----

const GENERATE_INPUT = {
  stable: versions([
    'a-v0.1.0',
    'a-v0.1.1',
    'a-v1.1.0',
    'a-v1.2.1',
    'a-v1.3.1',
    'a-v2.1.0',
    'a-v1.3.1-beta',
    'a-v2.1.1',
    'a-v2.3.1',
    'a-v2.3.2',
    'a-v3.1.0',
    'a-v3.1.1',
    'a-v1.3.1-alpha',
    'a-v1.4.1',
    'a-v1.4.1-beta1',
    'a-v1.4.1-beta2',
  ]),
};

const MAJOR_LINKED = [
  ch('stable-v0', e('a-v0.1.0'), e('a-v0.1.1', undefined, ['a-v0.1.0'])),
  ch(
    'stable-v1',
    e('a-v1.1.0'),
    e('a-v1.2.1', 'a-v1.1.0'),
    e('a-v1.3.1-alpha'),
    e('a-v1.3.1-beta'),
    e('a-v1.3.1', 'a-v1.2.1', ['a-v1.1.0', 'a-v1.3.1-alpha', 'a-v1.3.1-beta']),
    e('a-v1.4.1-beta1'),
    e('a-v1.4.1-beta2'),
    e('a-v1.4.1', 'a-v1.3.1', ['a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1-alpha', 'a-v1.3.1-beta', 'a-v1.4.1-beta1', 'a-v1.4.1-beta2']),
  ),
  ch('stable-v2', e('a-v2.1.0'), e('a-v2.1.1', undefined, ['a-v2.1.0']), e('a-v2.3.1'), e('a-v2.3.2', 'a-v2.1.1', ['a-v2.1.0', 'a-v2.3.1'])),
  ch('stable-v3', e('a-v3.1.0'), e('a-v3.1.1', undefined, ['a-v3.1.0'])),
];

const MINOR_LINKED = [
  ch('stable-v0.1', e('a-v0.1.0'), e('a-v0.1.1', undefined, ['a-v0.1.0'])),
  ch('stable-v1.1', e('a-v1.1.0')),
  ch('stable-v1.2', e('a-v1.2.1', 'a-v1.1.0')),
  ch('stable-v1.3', e('a-v1.3.1-alpha'), e('a-v1.3.1-beta'), e('a-v1.3.1', 'a-v1.2.1', ['a-v1.1.0', 'a-v1.3.1-alpha', 'a-v1.3.1-beta'])),
  ch(
    'stable-v1.4',
    e('a-v1.4.1-beta1'),
    e('a-v1.4.1-beta2'),
    e('a-v1.4.1', 'a-v1.3.1', ['a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1-alpha', 'a-v1.3.1-beta', 'a-v1.4.1-beta1', 'a-v1.4.1-beta2']),
  ),
  ch('stable-v2.1', e('a-v2.1.0'), e('a-v2.1.1', undefined, ['a-v2.1.0'])),
  ch('stable-v2.3', e('a-v2.3.1'), e('a-v2.3.2', 'a-v2.1.1', ['a-v2.1.0', 'a-v2.3.1'])),
  ch('stable-v3.1', e('a-v3.1.0'), e('a-v3.1.1', undefined, ['a-v3.1.0'])),
];

const COMBINED = [...MINOR_LINKED, ...MAJOR_LINKED].sort((x, y) => (x.name < y.name ? -1 : 1));

const GENERATE_CASES: { name: string; minor: boolean; major: boolean; pref: StreamKind; defaultChannel: string; out: Channel[] }[] = [
  { name: 'Edges between minor channels', minor: true, major: false, pref: 'minor', defaultChannel: 'stable-v3.1', out: MINOR_LINKED },
  { name: 'No edges between major channels', minor: false, major: true, pref: 'major', defaultChannel: 'stable-v3', out: MAJOR_LINKED },
  { name: 'Preference for minor default channel', minor: true, major: true, pref: 'minor', defaultChannel: 'stable-v3.1', out: COMBINED },
  { name: 'Preference for major default channel', minor: true, major: true, pref: 'major', defaultChannel: 'stable-v3', out: COMBINED },
  { name: 'Mismatch generate/preference minor/major default channel', minor: true, major: false, pref: 'major', defaultChannel: 'stable-v3.1', out: MINOR_LINKED },
  { name: 'Mismatch generate/preference major/minor default channel', minor: false, major: true, pref: 'minor', defaultChannel: 'stable-v3', out: MAJOR_LINKED },
];

for (const c of GENERATE_CASES) {
  test(`semver/opm TestGenerateChannels/${c.name}`, () => {
    const out = generate(c.major, c.minor, c.pref, GENERATE_INPUT);
    assert.deepEqual(out.channels, c.out);
    assert.equal(out.defaultChannel, c.defaultChannel);
  });
}

test('semver/the default channel is judged on the version a channel was created with (opm quirk)', () => {
  // stable-v1 (major, preferred) is created at 1.0.1; stable-v1.1 is created later at 1.1.0 and wins on version.
  const out = generate(true, true, 'major', { stable: versions(['a-v1.0.1', 'a-v1.1.0']) });
  assert.equal(out.defaultChannel, 'stable-v1.1');
  // A more stable archetype always wins over a higher version.
  assert.equal(generate(false, true, 'minor', { stable: versions(['a-v1.0.0']), candidate: versions(['a-v9.0.0']) }).defaultChannel, 'stable-v1.0');
});

// ---- rendering through a fake bundle renderer ----

function fakeBundle(image: string, opts: { pkg?: string; version?: string; csv?: object } = {}): Bundle {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  const m = /^(.*?)[.-]v(\d.*)$/.exec(tag)!;
  const version = opts.version ?? m[2]!;
  const pkg = opts.pkg ?? m[1]!;
  const properties: Bundle['properties'] = [{ type: 'olm.package', value: { packageName: pkg, version } }];
  if (opts.csv) properties.push({ type: 'olm.bundle.object', value: { data: Buffer.from(JSON.stringify(opts.csv)).toString('base64') } });
  return { schema: 'olm.bundle', name: tag, package: pkg, image, properties };
}

function fakeRenderer(overrides: Record<string, Bundle | Error> = {}) {
  const calls: string[] = [];
  return {
    calls,
    renderBundle: async (image: string) => {
      calls.push(image);
      const o = overrides[image];
      if (o instanceof Error) throw o;
      return o ?? fakeBundle(image);
    },
  };
}

function parseSemver(text: string): SemverTemplate {
  const r = parseTemplate(text, 'semver.yaml');
  assert.deepEqual(r.issues, []);
  assert.equal(r.template?.schema, 'olm.semver');
  return r.template as SemverTemplate;
}

const README_TEMPLATE = (major: boolean, minor: boolean) => `Schema: olm.semver
GenerateMajorChannels: ${major}
GenerateMinorChannels: ${minor}
Candidate:
  Bundles:
  - Image: quay.io/foo/olm:testoperator.v0.1.0
  - Image: quay.io/foo/olm:testoperator.v0.1.1
  - Image: quay.io/foo/olm:testoperator.v0.1.2
  - Image: quay.io/foo/olm:testoperator.v0.1.3
  - Image: quay.io/foo/olm:testoperator.v0.2.0
  - Image: quay.io/foo/olm:testoperator.v0.2.1
  - Image: quay.io/foo/olm:testoperator.v0.2.2
  - Image: quay.io/foo/olm:testoperator.v0.3.0
  - Image: quay.io/foo/olm:testoperator.v1.0.0
  - Image: quay.io/foo/olm:testoperator.v1.0.1
  - Image: quay.io/foo/olm:testoperator.v1.1.0
Fast:
  Bundles:
  - Image: quay.io/foo/olm:testoperator.v0.2.1
  - Image: quay.io/foo/olm:testoperator.v0.2.2
  - Image: quay.io/foo/olm:testoperator.v0.3.0
  - Image: quay.io/foo/olm:testoperator.v1.0.1
  - Image: quay.io/foo/olm:testoperator.v1.1.0
Stable:
  Bundles:
  - Image: quay.io/foo/olm:testoperator.v1.0.1
`;

const t = (v: string) => `testoperator.v${v}`;
const te = (v: string, replaces?: string, skips?: string[]): ChannelEntry => e(t(v), replaces && t(replaces), skips?.map(t));
const tch = (name: string, ...entries: ChannelEntry[]): Channel => ({ schema: 'olm.channel', name, package: 'testoperator', entries });

test('semver/README example, major channels (case-insensitive field names as the README writes them)', async () => {
  const r = fakeRenderer();
  const out = await expandSemverTemplate(parseSemver(README_TEMPLATE(true, false)), r);
  assert.deepEqual(out.packages, [{ schema: 'olm.package', name: 'testoperator', defaultChannel: 'stable-v1' }]);
  assert.deepEqual(out.channels, [
    tch(
      'candidate-v0',
      te('0.1.0'),
      te('0.1.1'),
      te('0.1.2'),
      te('0.1.3', undefined, ['0.1.0', '0.1.1', '0.1.2']),
      te('0.2.0'),
      te('0.2.1'),
      te('0.2.2', '0.1.3', ['0.1.0', '0.1.1', '0.1.2', '0.2.0', '0.2.1']),
      te('0.3.0', '0.2.2', ['0.1.0', '0.1.1', '0.1.2', '0.1.3', '0.2.0', '0.2.1']),
    ),
    tch('candidate-v1', te('1.0.0'), te('1.0.1', undefined, ['1.0.0']), te('1.1.0', '1.0.1', ['1.0.0'])),
    tch('fast-v0', te('0.2.1'), te('0.2.2', undefined, ['0.2.1']), te('0.3.0', '0.2.2', ['0.2.1'])),
    tch('fast-v1', te('1.0.1'), te('1.1.0', '1.0.1')),
    tch('stable-v1', te('1.0.1')),
  ]);
  // Each image is rendered once although it is listed in several channels.
  assert.equal(r.calls.length, 11);
  assert.equal(out.bundles.length, 11);
});

test('semver/README example, minor channels', async () => {
  const out = await expandSemverTemplate(parseSemver(README_TEMPLATE(false, true)), fakeRenderer());
  assert.equal(out.packages[0]!.defaultChannel, 'stable-v1.0');
  assert.deepEqual(out.channels, [
    tch('candidate-v0.1', te('0.1.0'), te('0.1.1'), te('0.1.2'), te('0.1.3', undefined, ['0.1.0', '0.1.1', '0.1.2'])),
    tch('candidate-v0.2', te('0.2.0'), te('0.2.1'), te('0.2.2', '0.1.3', ['0.1.0', '0.1.1', '0.1.2', '0.2.0', '0.2.1'])),
    tch('candidate-v0.3', te('0.3.0', '0.2.2', ['0.1.0', '0.1.1', '0.1.2', '0.1.3', '0.2.0', '0.2.1'])),
    tch('candidate-v1.0', te('1.0.0'), te('1.0.1', undefined, ['1.0.0'])),
    tch('candidate-v1.1', te('1.1.0', '1.0.1', ['1.0.0'])),
    tch('fast-v0.2', te('0.2.1'), te('0.2.2', undefined, ['0.2.1'])),
    tch('fast-v0.3', te('0.3.0', '0.2.2', ['0.2.1'])),
    tch('fast-v1.0', te('1.0.1')),
    tch('fast-v1.1', te('1.1.0', '1.0.1')),
    tch('stable-v1.0', te('1.0.1')),
  ]);
});

test('semver/generation defaults: no flag means minor channels, the preference follows the generated kind', () => {
  const none = parseSemver('schema: olm.semver\nstable:\n  bundles:\n  - image: r/x:p.v1.0.0\n');
  assert.equal(none.generateMinorChannels, true);
  assert.equal(none.generateMajorChannels, false);
  assert.equal(none.defaultChannelTypePreference, 'minor');
  const major = parseSemver('schema: olm.semver\ngenerateMajorChannels: true\n');
  assert.equal(major.generateMinorChannels, false);
  assert.equal(major.defaultChannelTypePreference, 'major');
  const both = parseSemver('schema: olm.semver\ngenerateMajorChannels: true\ngenerateMinorChannels: yes\n');
  assert.equal(both.defaultChannelTypePreference, 'minor');
});

test('semver/opm TestGetVersionsFromStandardChannel: package learned from the bundles, pre-releases ordered', async () => {
  const images = ['0.1.0', '0.1.1', '1.1.0', '1.2.1', '1.3.1', '2.1.0', '2.1.1', '2.3.1', '2.3.2', '1.3.1-alpha'].map((v) => `repo/origin/a:a-v${v}`);
  const overrides = Object.fromEntries(images.map((i) => [i, fakeBundle(i, { pkg: 'a' })]));
  const template = parseSemver(`schema: olm.semver\ngenerateMajorChannels: true\nstable:\n  bundles:\n${images.map((i) => `  - image: ${i}\n`).join('')}`);
  const out = await expandSemverTemplate(template, fakeRenderer(overrides));
  assert.equal(out.packages[0]!.name, 'a');
  assert.deepEqual(
    out.channels.find((c) => c.name === 'stable-v1')!.entries!.map((x) => x.name),
    ['a-v1.1.0', 'a-v1.2.1', 'a-v1.3.1-alpha', 'a-v1.3.1'],
  );
});

async function expandError(text: string, overrides: Record<string, Bundle | Error> = {}): Promise<TemplateError> {
  try {
    await expandSemverTemplate(parseSemver(text), fakeRenderer(overrides));
  } catch (err) {
    assert.ok(err instanceof TemplateError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

test('semver/opm TestBailOnVersionBuildMetadata: versions that differ only by build metadata', async () => {
  const vs = ['0.1.0', '1.3.1-alpha', '1.3.1-alpha+2001Jan21', '1.3.1-alpha+2003May06'];
  const images = vs.map((v) => `repo/origin/a:a-v${v}`);
  const err = await expandError(
    `schema: olm.semver\nstable:\n  bundles:\n${images.map((i) => `  - image: ${i}\n`).join('')}`,
    Object.fromEntries(images.map((i) => [i, fakeBundle(i, { pkg: 'a' })])),
  );
  assert.equal(err.code, 'TEMPLATE_BUNDLE_INVALID');
  assert.equal(
    err.message,
    'render: unable to post-process bundle info: encountered bundle versions which differ only by build metadata, which cannot be ordered: ' +
      '[bundle version "1.3.1-alpha+2001Jan21" cannot be compared to "1.3.1-alpha", bundle version "1.3.1-alpha+2003May06" cannot be compared to "1.3.1-alpha"]',
  );
  assert.equal(err.file, 'semver.yaml');
  assert.equal(err.line, 6);
});

test('semver/expansion errors carry opm messages, the image and its line', async () => {
  const base = 'schema: olm.semver\ncandidate:\n  bundles:\n  - image: r/x:p.v1.0.0\nstable:\n  bundles:\n  - image: r/x:q.v1.0.0\n';
  const other = await expandError(base);
  assert.equal(other.code, 'TEMPLATE_BUNDLE_INVALID');
  assert.equal(other.message, 'render: unable to post-process bundle info: bundle "q" does not belong to this package: "p"');
  assert.equal(other.line, 7);
  assert.equal(other.image, 'r/x:q.v1.0.0');

  const dup = await expandError('schema: olm.semver\nstable:\n  bundles:\n  - image: r/x:p.v1.0.0\n  - image: r/x:p.v1.0.0\n');
  assert.equal(dup.message, 'render: unable to post-process bundle info: duplicate bundle name "p.v1.0.0"');
  assert.equal(dup.line, 5);

  const badVersion = await expandError(base, { 'r/x:p.v1.0.0': fakeBundle('r/x:p.v1.0.0', { version: '1.0' }) });
  assert.equal(badVersion.message, 'render: unable to post-process bundle info: bundle "p.v1.0.0" has invalid version "1.0": No Major.Minor.Patch elements found');

  const failed = await expandError(base, { 'r/x:q.v1.0.0': new Error('pull failed: manifest unknown') });
  assert.equal(failed.code, 'TEMPLATE_BUNDLE_RENDER_FAILED');
  assert.equal(failed.message, 'pull failed: manifest unknown');
  assert.equal(failed.line, 7);

  const empty = await expandError('schema: olm.semver\n');
  assert.equal(empty.code, 'TEMPLATE_EMPTY');
  assert.equal(empty.message, 'render: no bundles specified or no bundles could be rendered');
});

// ---- TestReadFile ----

const READ_FILE = (major: string, minor: string, pref: string) => `---
schema: olm.semver
generateMajorChannels: ${major}
generateMinorChannels: ${minor}
defaultChannelTypePreference: ${pref}
candidate:
    bundles:
        - image: quay.io/foo/olm:testoperator.v0.1.0
        - image: quay.io/foo/olm:testoperator.v0.1.1
fast:
    bundles:
        - image: quay.io/foo/olm:testoperator.v0.2.1
stable:
    bundles:
        - image: quay.io/foo/olm:testoperator.v1.0.1
`;

test('semver/opm TestReadFile', () => {
  assert.deepEqual(parseTemplate(READ_FILE('true', 'true', 'minor'), 'f.yaml').issues, []);

  const unknown = parseTemplate(`${READ_FILE('true', 'true', 'minor')}invalid:\n    bundles:\n        - image: quay.io/foo/olm:testoperator.v1.0.1\n`, 'f.yaml');
  assert.equal(unknown.template, undefined);
  assert.deepEqual(unknown.issues, [
    {
      rule: 'template-field-unknown',
      message: 'error unmarshaling JSON: while decoding JSON: json: unknown field "invalid"',
      severity: 'error',
      file: 'f.yaml',
      line: 16,
      path: 'invalid',
    },
  ]);

  const cases: [string, string, string, string, string][] = [
    ['generate/default mismatch, minor/major', 'true', 'false', 'minor', "schema attribute mismatch: DefaultChannelTypePreference set to 'minor' doesn't make sense if not generating minor-version channels"],
    ['generate/default mismatch, major/minor', 'false', 'true', 'major', "schema attribute mismatch: DefaultChannelTypePreference set to 'major' doesn't make sense if not generating major-version channels"],
    ['unknown defaultchanneltypepreference', 'false', 'true', 'foo', 'unknown DefaultChannelTypePreference: "foo"\nValid values are \'major\' or \'minor\''],
  ];
  for (const [name, major, minor, pref, message] of cases) {
    const r = parseTemplate(READ_FILE(major, minor, pref), 'f.yaml');
    assert.equal(r.template, undefined, name);
    assert.equal(r.issues.length, 1, name);
    assert.equal(r.issues[0]!.message, message, name);
    assert.equal(r.issues[0]!.line, 5, name);
  }
});

test('semver/type errors name the Go struct field as encoding/json does', () => {
  const cases: [string, string, number][] = [
    ['schema: olm.semver\ngenerateMajorChannels: "yes"\n', 'json: cannot unmarshal string into Go struct field SemverTemplateData.generateMajorChannels of type bool', 2],
    ['schema: olm.semver\ndefaultChannelTypePreference: 1\n', 'json: cannot unmarshal number into Go struct field SemverTemplateData.defaultChannelTypePreference of type semver.StreamType', 2],
    ['schema: olm.semver\nstable: []\n', 'json: cannot unmarshal array into Go struct field SemverTemplateData.stable of type semver.channelBundles', 2],
    ['schema: olm.semver\nstable:\n  bundles: x\n', 'json: cannot unmarshal string into Go struct field channelBundles.stable.bundles of type []semver.bundleEntry', 3],
    ['schema: olm.semver\nstable:\n  bundles:\n  - x\n', 'json: cannot unmarshal string into Go struct field channelBundles.stable.bundles of type semver.bundleEntry', 4],
    ['schema: olm.semver\nstable:\n  bundles:\n  - image: 3\n', 'json: cannot unmarshal number into Go struct field bundleEntry.stable.bundles.image of type string', 4],
    ['schema: olm.semver\nstable:\n  bundles:\n  - image: x\n    name: y\n', 'json: unknown field "name"', 5],
  ];
  for (const [text, message, line] of cases) {
    const r = parseTemplate(text, 't.yaml');
    assert.deepEqual(
      r.issues.map((i) => [i.message, i.line]),
      [[`error unmarshaling JSON: while decoding JSON: ${message}`, line]],
      text,
    );
  }
  const forced = parseTemplate('schema: olm.template.basic\n', 't.yaml', { type: 'semver' });
  assert.equal(forced.issues[0]!.message, 'readFile: input file has unknown schema, should be "olm.semver"');
  const noImage = parseTemplate('schema: olm.semver\nstable:\n  bundles:\n  - image: a\n  - {}\n', 't.yaml');
  assert.deepEqual(noImage.issues.map((i) => [i.rule, i.line, i.path]), [['template-image-empty', 5, 'stable.bundles[1]']]);
});

// ---- TestPopulatePackageMetadata ----

const csv = (spec?: object) => ({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', metadata: { name: 'x' }, ...(spec ? { spec } : {}) });

test('semver/opm TestPopulatePackageMetadata cases (description and first icon of the head bundle CSV)', () => {
  const cases: [string, unknown, object][] = [
    ['CSV has no spec', csv(), {}],
    ['CSV has no description', csv({ icon: [{ base64data: 'aGVsbG8=', mediatype: 'image/png' }] }), { icon: { base64data: 'aGVsbG8=', mediatype: 'image/png' } }],
    ['CSV has no icon', csv({ description: 'Test description' }), { description: 'Test description' }],
    ['CSV has empty description', csv({ description: '', icon: [{ base64data: 'aGVsbG8=', mediatype: 'image/png' }] }), { icon: { base64data: 'aGVsbG8=', mediatype: 'image/png' } }],
    ['CSV has empty icons array', csv({ description: 'Test description', icon: [] }), { description: 'Test description' }],
    [
      'CSV has multiple icons - uses first one',
      csv({ description: 'Test description', icon: [{ base64data: 'Zmlyc3Q=', mediatype: 'image/png' }, { base64data: 'c2Vjb25k', mediatype: 'image/svg+xml' }] }),
      { description: 'Test description', icon: { base64data: 'Zmlyc3Q=', mediatype: 'image/png' } },
    ],
    ['icon that is not base64 is dropped, the description kept', csv({ description: 'd', icon: [{ base64data: 'not base64!', mediatype: 'image/png' }] }), { description: 'd' }],
    ['base64 with line breaks is re-encoded canonically', csv({ icon: [{ base64data: 'aGVs\nbG8=', MediaType: 'image/png' }] }), { icon: { base64data: 'aGVsbG8=', mediatype: 'image/png' } }],
  ];
  for (const [name, input, expected] of cases) assert.deepEqual(packageMetadataFromCsv(input), expected, name);
});

test('semver/package description and icon come from the head of the default channel', async () => {
  const old = csv({ description: 'Old description', icon: [{ base64data: 'b2xkZGF0YQ==', mediatype: 'image/png' }] });
  const head = csv({ description: 'Test operator provides awesome functionality', icon: [{ base64data: 'aGVsbG93b3JsZA==', mediatype: 'image/svg+xml' }] });
  const out = await expandSemverTemplate(
    parseSemver('schema: olm.semver\ngenerateMajorChannels: true\nstable:\n  bundles:\n  - image: r/t:test-operator.v1.1.0\n  - image: r/t:test-operator.v1.0.0\n'),
    fakeRenderer({
      'r/t:test-operator.v1.0.0': fakeBundle('r/t:test-operator.v1.0.0', { csv: old }),
      'r/t:test-operator.v1.1.0': fakeBundle('r/t:test-operator.v1.1.0', { csv: head }),
    }),
  );
  assert.deepEqual(out.packages, [
    {
      schema: 'olm.package',
      name: 'test-operator',
      defaultChannel: 'stable-v1',
      description: 'Test operator provides awesome functionality',
      icon: { base64data: 'aGVsbG93b3JsZA==', mediatype: 'image/svg+xml' },
    },
  ]);
});
