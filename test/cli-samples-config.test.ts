// gantry samples config / check / install-manifest through bin/gantry.js against real docker-registry processes:
// the end-to-end procedure (ConfigMap → plan's ImageSetConfiguration → gantry mirror, registry to registry and via
// disk → samples config whose skippedImagestreams is exactly the imagestreams with an image missing at the mirror),
// the mirror's CA as both the registry-config key and gantry's TLS trust, schema validation, and bad input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { validateSamplesResource } from '../src/testing/samples-schemas.js';
import { tempDir } from './helpers.js';
import { runGantry } from './run-gantry.js';

let src: RunningRegistry;
/** perl's arm64 manifest digest (the index's second child). */
let perlArm64 = '';
let dir: { path: string; remove(): Promise<void> };
const NO_TLS = ['--tls-verify=false'];
const MIRROR_NO_TLS = ['--src-tls-verify=false', '--dest-tls-verify=false'];

/** imagestream → tag → repository:tag at the source; perl's image is a two-platform index. */
const STREAMS: Record<string, Record<string, string>> = {
  ruby: { '3.3-ubi8': 'ubi8/ruby-33:latest', '2.5-ubi8': 'ubi8/ruby-25:latest' },
  python: { '3.9-ubi8': 'ubi8/python-39:latest' },
  perl: { '5.32-ubi8': 'ubi8/perl-532:latest' },
  nodejs: { '18-ubi8': 'ubi8/nodejs-18:1', latest: 'ubi8/nodejs-18:1' },
  // Pinned by digest (filled in when pushed): mirrored by digest, looked up by digest.
  golang: { '1.22-ubi9': 'ubi9/go-toolset@' },
};

function configMapYaml(host: string): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: imagestreamtag-to-image', '  namespace: openshift-cluster-samples-operator', 'data:'];
  for (const [is, tags] of Object.entries(STREAMS)) for (const [tag, ref] of Object.entries(tags)) lines.push(`  ${is}_${tag}: ${host}/${ref}`);
  return `${lines.join('\n')}\n`;
}

async function pushSamples(reg: RunningRegistry): Promise<void> {
  const pushed = new Set<string>();
  for (const tags of Object.values(STREAMS)) {
    for (const ref of Object.values(tags)) {
      if (pushed.has(ref)) continue;
      pushed.add(ref);
      const [repo, tag] = ref.split(':') as [string, string];
      if (ref.endsWith('@')) {
        const image = buildImage({ seed: ref, layerSizes: [300] });
        await pushImageRaw(reg.url, ref.slice(0, -1), 'pinned', image);
        STREAMS.golang!['1.22-ubi9'] = `${ref}${image.manifest.digest}`;
      } else if (repo === 'ubi8/perl-532') {
        const index = buildIndex([
          buildImage({ seed: `${ref}-amd64`, layerSizes: [300] }),
          buildImage({ seed: `${ref}-arm64`, layerSizes: [300], platform: { os: 'linux', architecture: 'arm64' } }),
        ]);
        perlArm64 = index.images[1]!.manifest.digest;
        await pushIndexRaw(reg.url, repo, tag, index);
      } else {
        await pushImageRaw(reg.url, repo, tag, buildImage({ seed: ref, layerSizes: [300] }));
      }
    }
  }
}

/** Deletes the manifest a tag names (distribution: DELETE by digest; the tag goes with it). */
async function deleteImage(reg: RunningRegistry, repo: string, tag: string): Promise<void> {
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
  const head = await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { accept } });
  const digest = head.headers.get('docker-content-digest');
  assert.ok(head.ok && digest, `HEAD ${repo}:${tag}: ${head.status}`);
  const del = await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' });
  assert.equal(del.status, 202, `DELETE ${repo}@${digest}`);
}

interface Doc {
  [field: string]: unknown;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

function documents(yamlText: string): Doc[] {
  return (parseAllDocuments(yamlText) as unknown as { toJS(): Doc }[]).map((d) => d.toJS());
}

function samplesSpec(yamlText: string): Record<string, unknown> {
  const config = documents(yamlText).find((d) => d.kind === 'Config');
  assert.ok(config, 'a samples Config in the output');
  return config.spec!;
}

before(async () => {
  [src, dir] = await Promise.all([startRegistry(), tempDir('samples-out')]);
  await pushSamples(src);
  await writeFile(join(dir.path, 'ist.yaml'), configMapYaml(src.host));
});
after(async () => {
  await src?.stop();
  await dir?.remove();
});

test('samples-e2e/ConfigMap → plan ISC → gantry mirror → samples config; a deleted image skips exactly its imagestream', async () => {
  const dst = await startRegistry();
  try {
    const plan = await runGantry(['samples', 'plan', '--from', join(dir.path, 'ist.yaml'), '-o', 'isc']);
    assert.equal(plan.code, 0, plan.stderr);
    await writeFile(join(dir.path, 'isc.yaml'), plan.stdout);
    const m = await runGantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `docker://${dst.host}`, ...MIRROR_NO_TLS, '--workspace', join(dir.path, 'ws-r2r')]);
    assert.equal(m.code, 0, m.stderr);

    const all = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', dst.host, ...NO_TLS]);
    assert.equal(all.code, 0, all.stderr);
    const spec = samplesSpec(all.stdout);
    assert.deepEqual(spec, { architectures: ['x86_64'], samplesRegistry: dst.host, managementState: 'Managed' });
    for (const d of documents(all.stdout)) assert.equal(validateSamplesResource(d), '', d.kind);

    await deleteImage(dst, 'ubi8/ruby-25', 'latest');
    const one = await runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', dst.host, ...NO_TLS]);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(samplesSpec(one.stdout).skippedImagestreams, ['ruby']);
    assert.match(one.stderr, /4 imagestream\(s\) at .*, 1 skipped \(ruby\)/);
    assert.match(one.stdout, /ruby: 2\.5-ubi8 \(.*ubi8\/ruby-25:latest: no tag latest\)/);

    // samples check: the generated Config passes; without its skip list, the deleted image is named.
    await writeFile(join(dir.path, 'generated.yaml'), one.stdout);
    const ok = await runGantry(['samples', 'check', '-c', join(dir.path, 'generated.yaml'), '--from', join(dir.path, 'ist.yaml'), ...NO_TLS]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, '');
    assert.match(ok.stderr, /0 of 5 tag\(s\) would fail.*2 tag\(s\) of skipped imagestreams/);
    assert.doesNotMatch(ok.stderr, /could leave skippedImagestreams/);
    await writeFile(join(dir.path, 'unskipped.yaml'), one.stdout.replace(/ {2}skippedImagestreams:\n {4}- ruby\n/, ''));
    const bad = await runGantry(['samples', 'check', '-c', join(dir.path, 'unskipped.yaml'), '--from', join(dir.path, 'ist.yaml'), ...NO_TLS, '-o', 'json']);
    assert.equal(bad.code, 1, bad.stderr);
    assert.deepEqual(JSON.parse(bad.stdout), [
      { imagestream: 'ruby', tag: '2.5-ubi8', image: `${src.host}/ubi8/ruby-25:latest`, pullSpec: `${dst.host}/ubi8/ruby-25:latest`, reason: 'no tag latest' },
    ]);
    const text = await runGantry(['samples', 'check', '-c', join(dir.path, 'unskipped.yaml'), '--from', join(dir.path, 'ist.yaml'), ...NO_TLS]);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, `ruby:2.5-ubi8\t${dst.host}/ubi8/ruby-25:latest\tno tag latest\n`);

    // Mirroring again puts the deleted image back: check says ruby could leave skippedImagestreams.
    const again = await runGantry(['mirror', '-c', join(dir.path, 'isc.yaml'), `docker://${dst.host}`, ...MIRROR_NO_TLS, '--workspace', join(dir.path, 'ws-r2r')]);
    assert.equal(again.code, 0, again.stderr);
    const back = await runGantry(['samples', 'check', '-c', join(dir.path, 'generated.yaml'), '--from', join(dir.path, 'ist.yaml'), ...NO_TLS]);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stderr, /^note: skipped but every image at the mirror now \(could leave skippedImagestreams\): ruby$/m);
  } finally {
    await dst.stop();
  }
});

test('samples-e2e/via disk: mirror to file://, then to the registry; a deleted arm64 manifest skips perl only for aarch64', async () => {
  const dst = await startRegistry();
  try {
    const plan = await runGantry(['samples', 'plan', '--from', join(dir.path, 'ist.yaml'), '-o', 'isc']);
    assert.equal(plan.code, 0, plan.stderr);
    await writeFile(join(dir.path, 'isc-disk.yaml'), plan.stdout);
    const out = join(dir.path, 'archive');
    const m2d = await runGantry(['mirror', '-c', join(dir.path, 'isc-disk.yaml'), `file://${out}`, ...MIRROR_NO_TLS]);
    assert.equal(m2d.code, 0, m2d.stderr);
    const d2m = await runGantry(['mirror', '--from', `file://${out}`, `docker://${dst.host}`, ...MIRROR_NO_TLS]);
    assert.equal(d2m.code, 0, d2m.stderr);
    const config = (...extra: string[]) => runGantry(['samples', 'config', '--from', join(dir.path, 'ist.yaml'), '--mirror', dst.host, ...NO_TLS, ...extra]);

    const both = await config('--architecture', 'x86_64,aarch64');
    assert.equal(both.code, 0, both.stderr);
    assert.deepEqual(samplesSpec(both.stdout), { architectures: ['x86_64', 'arm64'], samplesRegistry: dst.host, managementState: 'Managed' });

    // The index stays, its arm64 manifest goes: found only by following the index to the child's digest.
    const del = await fetch(`${dst.url}/v2/ubi8/perl-532/manifests/${perlArm64}`, { method: 'DELETE' });
    assert.equal(del.status, 202);
    const arm = await config('--architecture', 'aarch64');
    assert.equal(arm.code, 0, arm.stderr);
    assert.deepEqual(samplesSpec(arm.stdout).skippedImagestreams, ['perl']);
    assert.match(arm.stdout, new RegExp(`perl: 5\\.32-ubi8 \\(.*the linux/arm64 manifest ${perlArm64} is not there\\)`));
    const x86 = await config();
    assert.equal(samplesSpec(x86.stdout).skippedImagestreams, undefined);

    await deleteImage(dst, 'ubi8/nodejs-18', '1');
    const gone = await config();
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(samplesSpec(gone.stdout).skippedImagestreams, ['nodejs']);
  } finally {
    await dst.stop();
  }
});
