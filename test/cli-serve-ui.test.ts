// The web UI of gantry serve in a real browser (Debian's chromium driven by playwright-core) over corpus catalogs:
// the 7,014-bundle catalog's first page under a second, search and filters, a large package's graph with its head
// marked, and the install plan cross-checked against `gantry install plan` (bundle and the YAML, byte for byte).
// Screenshots go to test-output/ (gitignored).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runGantry } from './run-gantry.js';
import { startServe, stopServe as stop, type Served } from './serve-process.js';
import { CORPUS, REAL_CATALOG, largeCatalog } from './corpus.js';
import { tempDir } from './helpers.js';
import { parseRange, parseVersion } from '../src/semver/index.js';

const satisfies = (version: string, range: string) => parseRange(range)(parseVersion(version));

const REPO = join(new URL('.', import.meta.url).pathname, '..', '..');
const OUTPUT = join(REPO, 'test-output');
const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium's own connections are refused on a closed network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ETCD_DIR = join(CORPUS, 'bundles', 'latest-per-package', 'etcd', '0.9.4-clusterwide');

interface ShownChannel {
  name: string;
  head: string;
  entries: { name: string; skipRange?: string }[];
}

describe('serve-ui', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let big: string;
  let etcd: string;
  let served: Served | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const env = () => ({ GANTRY_CACHE_DIR: join(work.path, 'cache') });

  before(async () => {
    work = await tempDir('serve-ui');
    await mkdir(OUTPUT, { recursive: true });
    big = await largeCatalog();
    // A catalog that carries every manifest (olm.bundle.object), rendered from a real bundle: the plan has YAML.
    const rendered = await runGantry(['catalog', 'render', ETCD_DIR], { env: env() });
    assert.equal(rendered.code, 0, rendered.stderr);
    const bundle = { ...(JSON.parse(rendered.stdout) as { name: string }), image: 'quay.io/example/etcd-bundle:v0.9.4' };
    etcd = join(work.path, 'etcd');
    await mkdir(join(etcd, 'etcd'), { recursive: true });
    const blobs = [
      { schema: 'olm.package', name: 'etcd', defaultChannel: 'clusterwide-alpha' },
      { schema: 'olm.channel', package: 'etcd', name: 'clusterwide-alpha', entries: [{ name: bundle.name }] },
      bundle,
    ];
    await writeFile(join(etcd, 'etcd', 'catalog.json'), blobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
    // A small package with deprecations (the corpus has none): one bundle and one channel deprecated.
    const demo = (v: string) => ({ schema: 'olm.bundle', package: 'demo', name: `demo.v${v}`, image: `quay.io/example/demo:${v}`, properties: [{ type: 'olm.package', value: { packageName: 'demo', version: v } }] });
    const demoBlobs = [
      { schema: 'olm.package', name: 'demo', defaultChannel: 'stable' },
      { schema: 'olm.channel', package: 'demo', name: 'stable', entries: [{ name: 'demo.v1.0.0' }, { name: 'demo.v1.1.0', replaces: 'demo.v1.0.0' }, { name: 'demo.v2.0.0', replaces: 'demo.v1.1.0', skips: ['demo.v1.0.0'] }] },
      { schema: 'olm.channel', package: 'demo', name: 'old', entries: [{ name: 'demo.v1.0.0' }] },
      demo('1.0.0'),
      demo('1.1.0'),
      demo('2.0.0'),
      { schema: 'olm.deprecations', package: 'demo', entries: [{ reference: { schema: 'olm.bundle', name: 'demo.v1.1.0' }, message: 'demo 1.1.0 loses data' }, { reference: { schema: 'olm.channel', name: 'old' }, message: 'use stable' }] },
    ];
    await mkdir(join(etcd, 'demo'));
    await writeFile(join(etcd, 'demo', 'catalog.json'), demoBlobs.map((b) => JSON.stringify(b)).join('\n') + '\n');
    served = await startServe([`big=${big}`, `real=${REAL_CATALOG}`, `etcd=${etcd}`, '--listen', '127.0.0.1:0']);
    context = await chromium.launchPersistentContext(join(work.path, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      timeout: 60_000,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.base });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await context?.close();
    assert.equal(await stop(served), 0);
    await work?.remove();
  });

  test('serve-ui/first page of the 7,014-bundle catalog in under a second, every package listed', async (t) => {
    const metas = await fetch(`${served!.base}/catalogs/big/api/v1/metas?schema=olm.package`).then((r) => r.text());
    const packages = metas.split('\n').filter(Boolean).length;
    const started = Date.now();
    await page.goto(`${served!.base}/#/c/big`);
    await page.locator('.package-row').first().waitFor();
    const wall = Date.now() - started;
    // Navigation start → the list rendered, as the page measures it (the app marks it); the wall time adds the
    // browser driver's round trips.
    const ms = (await page.evaluate(`performance.getEntriesByName('gantry:list')[0]?.startTime ?? -1`)) as number;
    t.diagnostic(`first page: ${Math.round(ms)} ms in the page, ${wall} ms wall`);
    assert.ok(ms > 0 && ms < 1000, `first page took ${ms} ms`);
    assert.equal(await page.locator('.count').textContent(), `${packages} of ${packages} packages`);
    await page.screenshot({ path: join(OUTPUT, 'ui-package-list.png') });
  });

  test('serve-ui/search filters the list as you type; filters narrow it further', async () => {
    await page.goto(`${served!.base}/#/c/big`);
    await page.locator('.package-row').first().waitFor();
    const total = await page.locator('.package-row').count();
    await page.locator('input[name=q]').pressSequentially('kafka', { delay: 20 });
    await page.waitForFunction(`document.querySelectorAll('.package-row').length < ${total}`);
    const names = await page.locator('.package-row').evaluateAll((rows) => rows.map((r) => r.textContent!.toLowerCase()));
    assert.ok(names.length > 0 && names.length < total, `${names.length} of ${total}`);
    for (const n of names) assert.match(n, /kafka/);
    assert.ok(names.some((n) => n.includes('strimzi-kafka-operator')));
    await page.screenshot({ path: join(OUTPUT, 'ui-search.png') });
    // OLM v1 "no": every row left carries the refusal badge.
    await page.selectOption('select[name=olmV1]', 'no');
    const badges = await page.locator('.package-row').evaluateAll((rows) => rows.map((r) => r.querySelector('.badge-no')?.textContent ?? ''));
    assert.ok(badges.every((b) => b === 'OLM v1 ✗'), JSON.stringify(badges));
    // Provided APIs: the strimzi kinds.
    await page.selectOption('select[name=olmV1]', '');
    await page.fill('input[name=q]', '');
    await page.fill('input[name=api]', 'KafkaTopic');
    await page.waitForFunction(`document.querySelectorAll('.package-row').length < 20`);
    const byApi = await page.locator('.package-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-package')));
    assert.ok(byApi.includes('strimzi-kafka-operator'), JSON.stringify(byApi));
    await page.selectOption('select[name=mode]', 'MultiNamespace');
    await page.fill('input[name=api]', '');
    const multi = await page.locator('.package-row .badge-mode').evaluateAll((b) => b.length);
    assert.ok(multi > 0);
  });

  test('serve-ui/the graph of a large package: every entry a row, the head marked as catalog show names it', async () => {
    const pkg = 'gitlab-operator-kubernetes';
    const shown = await runGantry(['catalog', 'show', big, pkg, '-o', 'json'], { env: env() });
    assert.equal(shown.code, 0, shown.stderr);
    const channel = (JSON.parse(shown.stdout) as { channels: ShownChannel[] }).channels.find((c) => c.name === 'stable')!;
    await page.goto(`${served!.base}/#/c/big/p/${pkg}?ch=stable`);
    await page.locator('.graph-row').first().waitFor();
    assert.equal(await page.locator('.graph-row').count(), channel.entries.length);
    assert.deepEqual(await page.locator('.graph-row:has(.badge-head)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-bundle'))), [channel.head]);
    assert.equal(await page.locator('.head-name').textContent(), channel.head);
    // The head is the first row (newest), drawn as the head node; skips edges are drawn.
    assert.equal(await page.locator('.graph-row').first().getAttribute('data-bundle'), channel.head);
    assert.equal(await page.locator('circle.node-head').count(), 1);
    assert.ok((await page.locator('path.edge-skips').count()) > 0);
    await page.screenshot({ path: join(OUTPUT, 'ui-graph-large.png') });
    // Clicking a bundle opens its properties and related images.
    await page.locator(`.graph-row[data-bundle="${channel.head}"]`).click();
    await page.locator('.bundle-panel h2').waitFor();
    assert.equal(await page.locator('.bundle-panel h2').textContent(), channel.head);
    assert.ok((await page.locator('.bundle-panel .images li').count()) > 0);
    assert.ok((await page.locator('.bundle-panel .props code', { hasText: 'olm.package' }).count()) > 0);
    await page.screenshot({ path: join(OUTPUT, 'ui-bundle.png') });
    // The bundles tab: one row per bundle of the package, the same versions catalog show lists.
    const bundles = (JSON.parse(shown.stdout) as { bundles: { version: string }[] }).bundles;
    await page.locator('a.tab', { hasText: 'Bundles' }).click();
    await page.locator('table.bundles tbody tr').first().waitFor();
    const versions = await page.locator('table.bundles tbody tr td:first-child').allTextContents();
    assert.deepEqual([...versions].sort(), bundles.map((b) => b.version).sort());
  });

  test('serve-ui/skipRange: hovering a bundle marks the entries its range covers', async () => {
    const pkg = 'assisted-service-operator';
    const shown = await runGantry(['catalog', 'show', big, pkg, '-o', 'json'], { env: env() });
    const channel = (JSON.parse(shown.stdout) as { channels: ShownChannel[] }).channels.find((c) => c.name === 'ocm-2.5')!;
    const head = channel.entries.find((e) => e.name === channel.head)!;
    assert.ok(head.skipRange);
    const versions = await runGantry(['catalog', 'versions', big, pkg, '--channel', 'ocm-2.5'], { env: env() });
    assert.equal(versions.code, 0, versions.stderr);
    const covered = versions.stdout.split('\n').filter((v) => v.trim() !== '' && satisfies(v.trim(), head.skipRange!));
    await page.goto(`${served!.base}/#/c/big/p/${pkg}?ch=ocm-2.5`);
    await page.locator(`.graph-row[data-bundle="${channel.head}"]`).hover();
    await page.locator('.graph-row.is-related').first().waitFor();
    assert.equal(await page.locator('.graph-row.is-related').count(), covered.length);
    assert.equal(await page.locator('rect.skiprange-band').count(), 1);
    await page.screenshot({ path: join(OUTPUT, 'ui-graph-skiprange.png') });
  });

  test('serve-ui/plan an install: the bundle install plan chooses for a version range, and why', async () => {
    const args = ['--package', 'hive-operator', '--channel', 'ocm-2.4', '--version', '<2.4.3200', '-o', 'json', '--offline'];
    const cli = await runGantry(['install', 'plan', `big=${big}`, ...args], { env: env() });
    const expected = (JSON.parse(cli.stdout) as { bundle: { name: string; version: string } }).bundle;
    assert.ok(expected, cli.stderr);
    await page.goto(`${served!.base}/#/c/big/p/hive-operator?tab=plan`);
    await page.selectOption('select[name=channel]', 'ocm-2.4');
    await page.fill('input[name=version]', '<2.4.3200');
    await page.locator(`.chosen[data-chosen="${expected.name}"]`).waitFor();
    assert.equal(await page.locator('.chosen-version').textContent(), expected.version);
    // Newer bundles of the channel are named as outside the range; the catalog carries no manifests, and says so.
    const rejected = (JSON.parse(cli.stdout) as { rejected: { reason: string }[] }).rejected;
    const outside = rejected.filter((x) => x.reason === 'outside-range').length;
    assert.ok(outside > 0);
    assert.match((await page.locator('.why li[data-reason=outside-range] summary').textContent()) ?? '', new RegExp(`^${outside} outside the version range`));
    assert.match((await page.locator('.why-choice').textContent()) ?? '', new RegExp(`channel ocm-2\\.4 within <2\\.4\\.3200, ${expected.name.replace(/\./g, '\\.')} has the highest version`));
    assert.match((await page.locator('.yaml-refused').textContent()) ?? '', /BUNDLE_UNREADABLE/);
    await page.locator('.why li[data-reason=outside-range] summary').click();
    await page.screenshot({ path: join(OUTPUT, 'ui-plan-range.png'), fullPage: true });
  });

  test('serve-ui/plan an install: the YAML to apply is what install plan -o yaml prints, and Copy copies it', async () => {
    const cli = await runGantry(['install', 'plan', `etcd=${etcd}`, '--package', 'etcd', '--channel', 'clusterwide-alpha', '--namespace', 'etcd-system', '-o', 'yaml', '--offline'], { env: env() });
    assert.equal(cli.code, 0, cli.stderr);
    await page.goto(`${served!.base}/#/c/etcd/p/etcd?tab=plan`);
    await page.selectOption('select[name=channel]', 'clusterwide-alpha');
    await page.fill('input[name=namespace]', 'etcd-system');
    await page.waitForFunction(`document.querySelector('.yaml-text')?.textContent?.includes('namespace: etcd-system')`);
    const yaml = await page.locator('.yaml-text').textContent();
    assert.equal(yaml, cli.stdout);
    await page.locator('button.copy').click();
    await page.locator('button.copy', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), cli.stdout);
    await page.screenshot({ path: join(OUTPUT, 'ui-plan.png'), fullPage: true });
  });

  test('serve-ui/deprecations: the deprecated bundle struck out in the graph, and the plan says why it was passed over', async () => {
    await page.goto(`${served!.base}/#/c/etcd/p/demo?ch=stable`);
    await page.locator('.graph-row').first().waitFor();
    assert.deepEqual(await page.locator('.graph-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-bundle'))), ['demo.v2.0.0', 'demo.v1.1.0', 'demo.v1.0.0']);
    assert.deepEqual(await page.locator('.graph-row.is-deprecated').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-bundle'))), ['demo.v1.1.0']);
    assert.equal(await page.locator('circle.node-deprecated').count(), 1);
    assert.equal(await page.locator('.graph-row[data-bundle="demo.v2.0.0"] .row-skips').textContent(), 'skips 1.0.0');
    assert.match((await page.locator('.chip-deprecated').textContent()) ?? '', /^old/);
    await page.screenshot({ path: join(OUTPUT, 'ui-graph-deprecated.png') });
    const cli = await runGantry(['install', 'plan', `etcd=${etcd}`, '--package', 'demo', '--version', '<2.0.0', '-o', 'json', '--offline'], { env: env() });
    const expected = JSON.parse(cli.stdout) as { bundle: { name: string }; rejected: { bundle: string; reason: string }[] };
    await page.goto(`${served!.base}/#/c/etcd/p/demo?tab=plan`);
    await page.fill('input[name=version]', '<2.0.0');
    await page.locator(`.chosen[data-chosen="${expected.bundle.name}"]`).waitFor();
    assert.equal(expected.bundle.name, 'demo.v1.0.0');
    assert.deepEqual(expected.rejected.filter((x) => x.reason === 'deprecated').map((x) => x.bundle), ['demo.v1.1.0']);
    assert.match((await page.locator('.why li[data-reason=deprecated] summary').textContent()) ?? '', /^1 deprecated/);
  });

  test('serve-ui/every asset comes from gantry itself: no request leaves the server', async () => {
    const foreign: string[] = [];
    const listener = (r: { url(): string }) => {
      if (!r.url().startsWith(served!.base) && !r.url().startsWith('data:') && r.url() !== 'about:blank') foreign.push(r.url());
    };
    page.on('request', listener);
    await page.goto(`${served!.base}/#/c/real/p/kubevirt-wol`);
    await page.locator('.graph-row').first().waitFor();
    page.off('request', listener);
    assert.deepEqual(foreign, []);
  });
});

test('serve-ui/--no-ui: no page and no /ui/api, catalogd unchanged', async () => {
  const s = await startServe([`real=${REAL_CATALOG}`, '--listen', '127.0.0.1:0', '--no-ui']);
  try {
    assert.doesNotMatch(s.stderr(), /web UI/);
    assert.equal((await fetch(`${s.base}/`)).status, 404);
    assert.equal((await fetch(`${s.base}/ui/api/catalogs`)).status, 404);
    assert.equal((await fetch(`${s.base}/catalogs/real/api/v1/metas?schema=olm.package`)).status, 200);
  } finally {
    assert.equal(await stop(s), 0);
  }
});

test('serve-ui/--ui (the default, as the issue names it) serves the page and names it in the ready line', async () => {
  const s = await startServe([`real=${join(REAL_CATALOG, 'kubevirt-wol')}`, '--listen', '127.0.0.1:0', '--ui']);
  try {
    assert.match(s.line, new RegExp(`; web UI: ${s.base.replace(/\./g, '\\.')}/\\)$`));
    const page = await fetch(`${s.base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  } finally {
    assert.equal(await stop(s), 0);
  }
});
