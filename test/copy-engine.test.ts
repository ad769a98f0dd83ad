// The copy engine against real docker-registry processes: registry→registry, registry→layout→registry,
// multi-arch digests, platform filtering, dedupe, mounts, re-runs, and cross-checks with skopeo.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCopyRun } from '../src/copy/copy-run.js';
import type { CopyEvent } from '../src/copy/events.js';
import { createLayoutStore } from '../src/layout/index.js';
import { parsePlatform } from '../src/oci/platform.js';
import { buildImage, buildIndex, pushImageRaw, pushIndexRaw } from '../src/testing/images.js';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { startFaultProxy, type FaultProxy } from '../src/testing/fault-proxy.js';
import { runSkopeo } from '../src/testing/tools.js';
import { parseManifest } from '../src/oci/manifest.js';
import { PLAIN, composeImage, countRequests, tempDir, testSession } from './helpers.js';

let src: RunningRegistry;
let dst: RunningRegistry;
let proxy: FaultProxy;

before(async () => {
  [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  proxy = await startFaultProxy({ upstream: src.url });
});
after(async () => {
  await proxy?.stop();
  await Promise.all([src?.stop(), dst?.stop()]);
});

async function skopeoDigest(ref: string): Promise<string> {
  const r = await runSkopeo(['inspect', '--raw', '--tls-verify=false', ref], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const { createHash } = await import('node:crypto');
  return `sha256:${createHash('sha256').update(r.stdout).digest('hex')}`;
}

describe('copy registry → registry', () => {
  test('copy/single image keeps its digest, skopeo sees the same bytes', async () => {
    const image = buildImage({ seed: 'single', layerSizes: [300_000, 5_000] });
    await pushImageRaw(src.url, 'app/single', 'v1', image);
    const session = testSession();
    const run = createCopyRun();
    const r = await run.copyImage({ source: session.store(src.host, 'app/single', PLAIN), sourceRef: 'v1', dest: session.store(dst.host, 'mirror/single', PLAIN), destRef: 'v1' });
    await session.close();
    assert.equal(r.ok, true, String(r.error));
    assert.equal(r.digest, image.manifest.digest);
    assert.equal(await skopeoDigest(`docker://${dst.host}/mirror/single:v1`), image.manifest.digest);
  });

  test('copy/docker schema2 manifest list keeps its digest and every child', async () => {
    const imgs = ['amd64', 'arm64', 's390x'].map((arch) =>
      buildImage({ seed: `list-${arch}`, layerSizes: [20_000], format: 'docker', platform: { os: 'linux', architecture: arch } }),
    );
    const index = buildIndex(imgs, { format: 'docker' });
    await pushIndexRaw(src.url, 'app/list', 'v1', index);
    const session = testSession();
    const r = await createCopyRun().copyImage({ source: session.store(src.host, 'app/list', PLAIN), sourceRef: 'v1', dest: session.store(dst.host, 'mirror/list', PLAIN), destRef: 'v1' });
    const dest = session.store(dst.host, 'mirror/list', PLAIN);
    for (const img of imgs) assert.ok(await dest.statManifest(img.manifest.digest), 'child present');
    await session.close();
    assert.equal(r.digest, index.manifest.digest);
    assert.equal(await skopeoDigest(`docker://${dst.host}/mirror/list:v1`), index.manifest.digest);
  });

  test('copy/platform filter keeps only the chosen children', async () => {
    const imgs = ['amd64', 'arm64'].map((arch) => buildImage({ seed: `plat-${arch}`, layerSizes: [10_000], platform: { os: 'linux', architecture: arch } }));
    await pushIndexRaw(src.url, 'app/plat', 'v1', buildIndex(imgs));
    const session = testSession();
    const dest = session.store(dst.host, 'mirror/plat', PLAIN);
    const r = await createCopyRun({ platforms: [parsePlatform('linux/arm64')] }).copyImage({ source: session.store(src.host, 'app/plat', PLAIN), sourceRef: 'v1', dest, destRef: 'v1' });
    assert.equal(r.ok, true, String(r.error));
    const copied = parseManifest((await dest.fetchManifest('v1')).bytes);
    assert.equal(copied.kind, 'index');
    if (copied.kind === 'index') assert.deepEqual(copied.manifests.map((m) => m.platform?.architecture), ['arm64']);
    assert.equal(await dest.statBlob(imgs[0]!.layers[0]!.digest), undefined, 'amd64 layer not copied');
    const none = await createCopyRun({ platforms: [parsePlatform('linux/ppc64le')] }).copyImage({ source: session.store(src.host, 'app/plat', PLAIN), sourceRef: 'v1', dest, destRef: 'v2' });
    await session.close();
    assert.equal(none.ok, false);
    assert.equal((none.error as { code?: string }).code, 'PLATFORM_NOT_FOUND');
  });

  test('copy/shared blobs move once per run, a re-run moves nothing', async () => {
    const base = buildImage({ seed: 'shared-base', layerSizes: [200_000] });
    const withBase = Array.from({ length: 5 }, (_, i) => {
      const own = buildImage({ seed: `shared-${i}`, layerSizes: [10_000] });
      return composeImage(own.config, [base.layers[0]!, ...own.layers]);
    });
    for (const [i, img] of withBase.entries()) await pushImageRaw(src.url, `app/shared${i}`, 'v1', img);
    proxy.reset();
    const session = testSession();
    const events: CopyEvent[] = [];
    const run = createCopyRun({ onEvent: (e) => events.push(e) });
    const jobs = withBase.map((_, i) => ({
      source: session.store(proxy.host, `app/shared${i}`, PLAIN),
      sourceRef: 'v1',
      dest: session.store(dst.host, 'mirror/shared', PLAIN),
      destRef: `v${i}`,
    }));
    const results = await run.copyMany(jobs);
    assert.ok(results.every((r) => r.ok), results.map((r) => String(r.error)).join());
    const baseGets = countRequests(proxy.requests, 'GET', new RegExp(`/blobs/${base.layers[0]!.digest}`));
    assert.equal(baseGets, 1, 'the shared layer was fetched once');
    const copiedBase = events.filter((e) => e.type === 'blob-done' && e.digest === base.layers[0]!.digest);
    assert.equal(copiedBase.length, 1);

    proxy.reset();
    const again = await createCopyRun().copyMany(jobs);
    await session.close();
    assert.ok(again.every((r) => r.ok && r.skipped));
    assert.equal(countRequests(proxy.requests, 'GET', /\/blobs\//), 0, 'nothing re-fetched');
  });

  test('copy/same registry uses cross-repository mounts', async () => {
    const image = buildImage({ seed: 'mount', layerSizes: [100_000] });
    await pushImageRaw(src.url, 'app/mount-src', 'v1', image);
    proxy.reset();
    const session = testSession();
    const events: CopyEvent[] = [];
    const r = await createCopyRun({ onEvent: (e) => events.push(e) }).copyImage({
      source: session.store(proxy.host, 'app/mount-src', PLAIN),
      sourceRef: 'v1',
      dest: session.store(proxy.host, 'app/mount-dst', PLAIN),
      destRef: 'v1',
    });
    await session.close();
    assert.equal(r.ok, true, String(r.error));
    assert.equal(countRequests(proxy.requests, 'GET', /\/blobs\/sha256/), 0, 'no blob downloaded');
    assert.ok(countRequests(proxy.requests, 'POST', /mount=/) >= 2);
    assert.ok(events.some((e) => e.type === 'blob-done' && e.outcome === 'mounted'));
  });

  test('copy/a layer shared by images going to two repositories of one registry is uploaded once, then mounted', async () => {
    const base = buildImage({ seed: 'shared-base', layerSizes: [200_000] });
    const a = composeImage(buildImage({ seed: 'shared-a', layerSizes: [1] }).config, [base.layers[0]!]);
    const b = composeImage(buildImage({ seed: 'shared-b', layerSizes: [1] }).config, [base.layers[0]!]);
    await pushImageRaw(src.url, 'app/shared-a', 'v1', a);
    await pushImageRaw(src.url, 'app/shared-b', 'v1', b);
    const toDst = await startFaultProxy({ upstream: dst.url });
    const session = testSession();
    try {
      const events: CopyEvent[] = [];
      const results = await createCopyRun({ onEvent: (e) => events.push(e) }).copyMany(
        ['a', 'b'].map((x) => ({ source: session.store(src.host, `app/shared-${x}`, PLAIN), sourceRef: 'v1', dest: session.store(toDst.host, `mirror/shared-${x}`, PLAIN), destRef: 'v1' })),
      );
      assert.ok(results.every((r) => r.ok), String(results.find((r) => !r.ok)?.error));
      const layer = base.layers[0]!.digest;
      const outcomes = events.filter((e): e is Extract<CopyEvent, { type: 'blob-done' }> => e.type === 'blob-done' && e.digest === layer).map((e) => e.outcome).sort();
      assert.deepEqual(outcomes, ['copied', 'mounted']);
      assert.equal(countRequests(toDst.requests, 'POST', new RegExp(`mount=${layer.replace(':', '(:|%3A)')}`)), 1);
    } finally {
      await session.close();
      await toDst.stop();
    }
  });
});

describe('copy through an OCI layout', () => {
  test('copy/multi-arch index keeps its digest registry → layout → registry; skopeo and our store agree', async () => {
    const imgs = ['amd64', 'arm64'].map((arch) => buildImage({ seed: `rt-${arch}`, layerSizes: [50_000, 1_000], platform: { os: 'linux', architecture: arch } }));
    const index = buildIndex(imgs);
    await pushIndexRaw(src.url, 'app/rt', '1.0', index);
    const dir = await tempDir('rt');
    const session = testSession();
    try {
      const layout = await createLayoutStore({ path: dir.path, create: true });
      const run = createCopyRun();
      const a = await run.copyImage({ source: session.store(src.host, 'app/rt', PLAIN), sourceRef: '1.0', dest: layout, destRef: 'rt' });
      assert.equal(a.ok, true, String(a.error));
      const viaSkopeo = await runSkopeo(['inspect', '--raw', `oci:${dir.path}:rt`], { timeoutMs: 30_000 });
      assert.equal(viaSkopeo.code, 0, viaSkopeo.stderr);
      assert.equal(Buffer.from(viaSkopeo.stdout).toString(), index.manifest.bytes.toString());
      const b = await createCopyRun().copyImage({ source: await createLayoutStore({ path: dir.path }), sourceRef: 'rt', dest: session.store(dst.host, 'mirror/rt', PLAIN), destRef: '1.0' });
      assert.equal(b.ok, true, String(b.error));
      assert.equal(await skopeoDigest(`docker://${dst.host}/mirror/rt:1.0`), index.manifest.digest);
    } finally {
      await session.close();
      await dir.remove();
    }
  });

  test('copy/what skopeo pushed, gantry copies with the same digest; what gantry pushed, skopeo copies back', async () => {
    const dir = await tempDir('skopeo');
    const session = testSession();
    try {
      // skopeo writes a layout from our registry, then pushes it to the source registry under a new name.
      const image = buildImage({ seed: 'skopeo-x', layerSizes: [40_000], format: 'docker' });
      await pushImageRaw(src.url, 'app/x', 'v1', image);
      const s1 = await runSkopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${src.host}/app/x:v1`, `docker://${src.host}/app/by-skopeo:v1`], { timeoutMs: 60_000 });
      assert.equal(s1.code, 0, s1.stderr);
      const skopeoPushed = await skopeoDigest(`docker://${src.host}/app/by-skopeo:v1`);
      const r = await createCopyRun().copyImage({ source: session.store(src.host, 'app/by-skopeo', PLAIN), sourceRef: 'v1', dest: session.store(dst.host, 'mirror/by-skopeo', PLAIN), destRef: 'v1' });
      assert.equal(r.digest, skopeoPushed);
      // skopeo registry → registry with --preserve-digests keeps what gantry wrote byte for byte.
      const s2 = await runSkopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--preserve-digests', `docker://${dst.host}/mirror/by-skopeo:v1`, `docker://${dst.host}/mirror/skopeo-back:v1`], { timeoutMs: 60_000 });
      assert.equal(s2.code, 0, s2.stderr);
      assert.equal(await skopeoDigest(`docker://${dst.host}/mirror/skopeo-back:v1`), skopeoPushed);
      // An OCI image goes through skopeo's layout and back unchanged (Docker schema2 would be converted to OCI).
      const oci = buildImage({ seed: 'skopeo-oci', layerSizes: [30_000] });
      const layout = await createLayoutStore({ path: dir.path, create: true });
      const viaLayout = await createCopyRun().copyImage({ source: session.store(src.host, 'app/x', PLAIN), sourceRef: 'v1', dest: layout, destRef: 'unused' });
      assert.equal(viaLayout.ok, true);
      await pushImageRaw(src.url, 'app/oci', 'v1', oci);
      await createCopyRun().copyImage({ source: session.store(src.host, 'app/oci', PLAIN), sourceRef: 'v1', dest: layout, destRef: 'oci' });
      const s3 = await runSkopeo(['copy', '--dest-tls-verify=false', '--preserve-digests', `oci:${dir.path}:oci`, `docker://${dst.host}/mirror/from-layout:v1`], { timeoutMs: 60_000 });
      assert.equal(s3.code, 0, s3.stderr);
      assert.equal(await skopeoDigest(`docker://${dst.host}/mirror/from-layout:v1`), oci.manifest.digest);
    } finally {
      await session.close();
      await dir.remove();
    }
  });
});

