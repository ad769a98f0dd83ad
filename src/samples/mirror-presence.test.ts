import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, type Digest } from '../oci/digest.js';
import { checkPresence, type MirrorLookup } from './mirror-presence.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A registry in a map: repository → reference (tag or digest) → manifest; counts lookups. */
function fakeMirror() {
  const repos = new Map<string, Map<string, { digest: Digest; mediaType: string; bytes: Uint8Array }>>();
  const calls: string[] = [];
  const put = (repo: string, tag: string | undefined, mediaType: string, doc: unknown) => {
    const bytes = Buffer.from(JSON.stringify(doc));
    const m = { digest: sha256(bytes), mediaType, bytes };
    const r = repos.get(repo) ?? new Map();
    repos.set(repo, r);
    r.set(m.digest, m);
    if (tag) r.set(tag, m);
    return m.digest;
  };
  const image = (repo: string, tag?: string, arch = 'amd64') =>
    put(repo, tag, OCI_MANIFEST, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(arch + repo), size: 2 }, layers: [] });
  const lookup: MirrorLookup = {
    async manifest(registry, repository, reference) {
      calls.push(`${registry}/${repository}:${reference}`);
      return repos.get(`${registry}/${repository}`)?.get(reference);
    },
    async hasManifest(registry, repository, digest) {
      return repos.get(`${registry}/${repository}`)?.has(digest) ?? false;
    },
  };
  return { repos, put, image, lookup, calls };
}

const M = 'mirror.test:5000';

test('samples-presence/present by tag and by digest, missing tag, missing repository', async () => {
  const f = fakeMirror();
  const d = f.image(`${M}/ubi8/ruby-27`, 'latest');
  f.image(`${M}/ubi8/python-39`, 'other');
  const r = await checkPresence(
    [
      { imagestream: 'ruby', tag: '2.7', image: 'registry.redhat.io/ubi8/ruby-27:latest' },
      { imagestream: 'ruby', tag: 'pinned', image: `registry.redhat.io/ubi8/ruby-27@${d}` },
      { imagestream: 'python', tag: '3.9', image: 'registry.redhat.io/ubi8/python-39:latest' },
      { imagestream: 'perl', tag: '5.32', image: 'registry.access.redhat.com/ubi8/perl-532:1' },
    ],
    { samplesRegistry: M, architectures: ['x86_64'], lookup: f.lookup },
  );
  assert.deepEqual(
    r.map((p) => [p.imagestream, p.tag, p.pullSpec, p.present, p.digest ?? null]),
    [
      ['ruby', '2.7', `${M}/ubi8/ruby-27:latest`, true, d],
      ['ruby', 'pinned', `${M}/ubi8/ruby-27@${d}`, true, d],
      ['python', '3.9', `${M}/ubi8/python-39:latest`, false, null],
      ['perl', '5.32', `${M}/ubi8/perl-532:1`, false, null],
    ],
  );
  assert.match(r[2]!.reason!, /no tag latest/);
});

test('samples-presence/one lookup per distinct pull spec', async () => {
  const f = fakeMirror();
  f.image(`${M}/ubi8/ruby-27`, 'latest');
  const tags = ['2.7', 'latest', '2.7-ubi8'].map((tag) => ({ imagestream: 'ruby', tag, image: 'registry.redhat.io/ubi8/ruby-27:latest' }));
  const r = await checkPresence(tags, { samplesRegistry: M, architectures: ['x86_64'], lookup: f.lookup });
  assert.equal(r.filter((p) => p.present).length, 3);
  assert.equal(f.calls.length, 1);
});

test('samples-presence/an index needs the manifest of each wanted architecture, by digest', async () => {
  const f = fakeMirror();
  const repo = `${M}/ubi8/nodejs-18`;
  const amd = f.image(repo, undefined, 'amd64');
  const arm = sha256('an arm64 manifest that was never mirrored');
  f.put(repo, 'latest', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: amd, size: 10, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, digest: arm, size: 10, platform: { os: 'linux', architecture: 'arm64' } },
    ],
  });
  const tags = [{ imagestream: 'nodejs', tag: '18', image: 'registry.redhat.io/ubi8/nodejs-18:latest' }];
  assert.equal((await checkPresence(tags, { samplesRegistry: M, architectures: ['x86_64'], lookup: f.lookup }))[0]!.present, true);
  const arm64 = (await checkPresence(tags, { samplesRegistry: M, architectures: ['x86_64', 'aarch64'], lookup: f.lookup }))[0]!;
  assert.equal(arm64.present, false);
  assert.match(arm64.reason!, new RegExp(`linux/arm64 manifest ${arm}`));
  const s390 = (await checkPresence(tags, { samplesRegistry: M, architectures: ['s390x'], lookup: f.lookup }))[0]!;
  assert.match(s390.reason!, /no linux\/s390x manifest/);
});

test('samples-presence/registry errors are not turned into skips', async () => {
  const lookup: MirrorLookup = {
    manifest: async () => {
      throw new Error('connection refused');
    },
    hasManifest: async () => false,
  };
  await assert.rejects(checkPresence([{ imagestream: 'a', tag: 'b', image: 'registry.redhat.io/x/y:1' }], { samplesRegistry: M, architectures: [], lookup }), /connection refused/);
});

test('samples-presence/an unparsable pull spec is missing, with the reason', async () => {
  const f = fakeMirror();
  const [p] = await checkPresence([{ imagestream: 'a', tag: 'b', image: 'Registry.redhat.io/x/Y Z' }], { samplesRegistry: M, architectures: [], lookup: f.lookup });
  assert.equal(p!.present, false);
  assert.match(p!.reason!, /not an image reference/);
});

test('samples-presence/expectation: a tag naming another digest is stale (missing), no expectation leaves it present, digests are not asked', async () => {
  const f = fakeMirror();
  const ruby = f.image(`${M}/ubi8/ruby-27`, 'latest');
  const python = f.image(`${M}/ubi8/python-39`, 'latest');
  const perl = f.image(`${M}/ubi8/perl-532`, 'latest');
  const asked: string[] = [];
  const expectation = {
    describe: 'the records',
    async expect(image: string, pullSpec: string) {
      asked.push(`${image} → ${pullSpec}`);
      if (image.includes('ruby')) return { digest: ruby, from: 'recorded' };
      if (image.includes('python')) return { digest: sha256('the source moved on'), from: 'recorded' };
      return { none: 'no record' };
    },
  };
  const r = await checkPresence(
    [
      { imagestream: 'ruby', tag: '2.7', image: 'registry.redhat.io/ubi8/ruby-27:latest' },
      { imagestream: 'ruby', tag: 'latest', image: 'registry.redhat.io/ubi8/ruby-27:latest' },
      { imagestream: 'python', tag: '3.9', image: 'registry.redhat.io/ubi8/python-39:latest' },
      { imagestream: 'perl', tag: '5.32', image: 'registry.redhat.io/ubi8/perl-532:latest' },
      { imagestream: 'perl', tag: 'pinned', image: `registry.redhat.io/ubi8/perl-532@${perl}` },
      { imagestream: 'php', tag: '8', image: 'registry.redhat.io/ubi8/php-8:latest' },
    ],
    { samplesRegistry: M, architectures: ['x86_64'], lookup: f.lookup, expectation },
  );
  assert.deepEqual(
    r.map((p) => [p.imagestream, p.tag, p.present, p.expected ?? null, p.uncompared ?? null]),
    [
      ['ruby', '2.7', true, ruby, null],
      ['ruby', 'latest', true, ruby, null],
      ['python', '3.9', false, sha256('the source moved on'), null],
      ['perl', '5.32', true, null, 'no record'],
      ['perl', 'pinned', true, null, null],
      ['php', '8', false, null, null],
    ],
  );
  assert.match(r[2]!.reason!, new RegExp(`^stale: tag names ${python}, not sha256:[0-9a-f]{64} \\(recorded\\)$`));
  // Each (image, pull spec) once; the pinned pull spec and the missing one are never asked.
  assert.deepEqual(asked.sort(), [
    `registry.redhat.io/ubi8/perl-532:latest → ${M}/ubi8/perl-532:latest`,
    `registry.redhat.io/ubi8/python-39:latest → ${M}/ubi8/python-39:latest`,
    `registry.redhat.io/ubi8/ruby-27:latest → ${M}/ubi8/ruby-27:latest`,
  ]);
});
