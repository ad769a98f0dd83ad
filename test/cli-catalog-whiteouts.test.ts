// Catalog images whose layers delete files, built by another tool (umoci insert writes real whiteouts and opaque
// whiteouts, and ends its tars as Go does), read through the shipped CLI: only what the last layers leave counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { startRegistry } from '../src/testing/registry-process.js';
import { runSkopeo, runTool } from '../src/testing/tools.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');
const gantry = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const CONFIGS_LABEL = 'operators.operatorframework.io.index.configs.v1';

/** A valid one-bundle package, so that validate passes unless something is read twice. */
function packageFile(name: string, version = '1.0.0', host = 'quay.io'): string {
  const bundle = `${name}.v${version}`;
  return [
    { schema: 'olm.package', name, defaultChannel: 'stable' },
    { schema: 'olm.channel', package: name, name: 'stable', entries: [{ name: bundle }] },
    { schema: 'olm.bundle', package: name, name: bundle, image: `${host}/x/${name}@sha256:${'a'.repeat(64)}`, properties: [{ type: 'olm.package', value: { packageName: name, version } }] },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n');
}

type Step = { insert: Record<string, string>; at: string; opaque?: boolean } | { whiteout: string };

interface Case {
  name: string;
  root?: string;
  steps: Step[];
  packages: string[];
}

const AB = { 'a/catalog.json': packageFile('a'), 'b/catalog.json': packageFile('b') };

const CASES: Case[] = [
  {
    // What oc-mirror v1 pushes after filtering: the original layer, a whiteout of /configs, the new /configs.
    name: 'whiteout/the catalog root itself, then a new root',
    steps: [{ insert: AB, at: '/configs' }, { whiteout: '/configs' }, { insert: { 'a/catalog.json': packageFile('a', '2.0.0'), 'c/catalog.json': packageFile('c') }, at: '/configs' }],
    packages: ['a', 'c'],
  },
  { name: 'whiteout/a package directory', steps: [{ insert: AB, at: '/configs' }, { whiteout: '/configs/b' }], packages: ['a'] },
  { name: 'whiteout/one file', steps: [{ insert: AB, at: '/configs' }, { whiteout: '/configs/a/catalog.json' }], packages: ['b'] },
  {
    name: 'whiteout/a parent of the catalog root',
    root: '/var/lib/catalog',
    steps: [{ insert: AB, at: '/var/lib/catalog' }, { whiteout: '/var' }, { insert: { 'c/catalog.json': packageFile('c') }, at: '/var/lib/catalog' }],
    packages: ['c'],
  },
  {
    // Names that share a prefix with the root are other directories.
    name: 'whiteout/elsewhere in the image hides nothing',
    steps: [{ insert: AB, at: '/configs' }, { insert: { 'x.json': '{}' }, at: '/configs-old' }, { whiteout: '/configs-old' }, { whiteout: '/etc' }],
    packages: ['a', 'b'],
  },
  {
    name: 'opaque/the catalog root',
    steps: [{ insert: AB, at: '/configs' }, { insert: { 'c/catalog.json': packageFile('c') }, at: '/configs', opaque: true }],
    packages: ['c'],
  },
  {
    name: 'opaque/a package directory keeps the new files',
    steps: [{ insert: AB, at: '/configs' }, { insert: { 'catalog.json': packageFile('a', '3.0.0') }, at: '/configs/a', opaque: true }],
    packages: ['a', 'b'],
  },
  {
    name: 'opaque/the file system root',
    steps: [{ insert: AB, at: '/configs' }, { insert: { 'configs/c/catalog.json': packageFile('c') }, at: '/', opaque: true }],
    packages: ['c'],
  },
];

async function umoci(args: string[]): Promise<void> {
  const r = await runTool('umoci', args, { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `umoci ${args.join(' ')}: ${r.stderr}`);
}

/** Builds the image with umoci in an OCI layout and returns its oci: reference. */
async function buildWithUmoci(work: string, c: Case, index: number): Promise<string> {
  const layout = join(work, `layout-${index}`);
  const image = `${layout}:cat`;
  await umoci(['init', '--layout', layout]);
  await umoci(['new', '--image', image]);
  let n = 0;
  for (const step of c.steps) {
    if ('whiteout' in step) {
      await umoci(['insert', '--rootless', '--image', image, '--whiteout', step.whiteout]);
      continue;
    }
    const src = join(work, `content-${index}-${n++}`);
    for (const [path, text] of Object.entries(step.insert)) {
      await mkdir(dirname(join(src, path)), { recursive: true });
      await writeFile(join(src, path), text);
    }
    await umoci(['insert', '--rootless', '--image', image, ...(step.opaque ? ['--opaque'] : []), src, step.at]);
  }
  await umoci(['config', '--image', image, '--config.label', `${CONFIGS_LABEL}=${c.root ?? '/configs'}`]);
  return `oci:${image}`;
}

function renderedPackages(stdout: string): string[] {
  return stdout
    .split(/\n(?=\{)/)
    .filter((s) => s.trim() !== '')
    .map((s) => JSON.parse(s) as { schema: string; name: string; properties?: { type: string; value: { version?: string } }[] })
    .filter((o) => o.schema === 'olm.package')
    .map((o) => o.name);
}

test('cli/catalog images with whiteouts (umoci-built): render and validate see only what the last layers leave', async () => {
  const work = await tempDir('whiteouts');
  try {
    for (const [i, c] of CASES.entries()) {
      const ref = await buildWithUmoci(work.path, c, i);
      const render = gantry(['catalog', 'render', ref]);
      assert.equal(render.status, 0, `${c.name}: ${render.stderr}`);
      assert.deepEqual(renderedPackages(render.stdout), c.packages, c.name);
      const validate = gantry(['catalog', 'validate', '-o', 'json', ref]);
      assert.equal(validate.status, 0, `${c.name}: ${validate.stdout}${validate.stderr}`);
      const report = JSON.parse(validate.stdout) as { passed: boolean; counts: { packages: number; bundles: number } };
      assert.deepEqual([report.passed, report.counts.packages, report.counts.bundles], [true, c.packages.length, c.packages.length], c.name);
    }
  } finally {
    await work.remove();
  }
});

test('cli/catalog render: the opaque package directory holds only the new version', async () => {
  const work = await tempDir('whiteouts-opq');
  try {
    const c = CASES.find((x) => x.name === 'opaque/a package directory keeps the new files')!;
    const render = gantry(['catalog', 'render', await buildWithUmoci(work.path, c, 0)]);
    assert.equal(render.status, 0, render.stderr);
    assert.match(render.stdout, /"name": "a\.v3\.0\.0"/);
    assert.doesNotMatch(render.stdout, /"name": "a\.v1\.0\.0"/);
  } finally {
    await work.remove();
  }
});

test('cli/mirror --dry-run of a catalog image oc-mirror v1 filtered selects only the packages still in it', async () => {
  const [work, registry] = await Promise.all([tempDir('whiteouts-mirror'), startRegistry()]);
  try {
    // Bundle images on the loopback registry (absent: a dry run only fails to size them), never on the network.
    const h = registry.host;
    const c: Case = {
      name: 'filtered',
      steps: [
        { insert: { 'a/catalog.json': packageFile('a', '1.0.0', h), 'b/catalog.json': packageFile('b', '1.0.0', h) }, at: '/configs' },
        { whiteout: '/configs' },
        { insert: { 'a/catalog.json': packageFile('a', '1.0.0', h) }, at: '/configs' },
      ],
      packages: ['a'],
    };
    const local = await buildWithUmoci(work.path, c, 0);
    const catalog = `${registry.host}/filtered/catalog:v1`;
    await runSkopeo(['copy', '--dest-tls-verify=false', local, `docker://${catalog}`]);
    const isc = join(work.path, 'isc.yaml');
    await writeFile(isc, ['apiVersion: mirror.openshift.io/v2alpha1', 'kind: ImageSetConfiguration', 'mirror:', '  operators:', `  - catalog: ${catalog}`, ''].join('\n'));
    const ws = join(work.path, 'ws');
    const r = spawnSync(process.execPath, [BIN, 'mirror', '-c', isc, '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${registry.host}/mirror`, '--dry-run', '--workspace', ws], { encoding: 'utf8', timeout: 120_000 });
    const plan = JSON.parse(await readFile(join(ws, 'plan.json'), 'utf8')) as { images: { source: string }[] };
    const sources = plan.images.map((i) => i.source).join('\n');
    assert.match(sources, /\/x\/a@sha256:/, r.stderr);
    assert.doesNotMatch(sources, /\/x\/b@/, 'package b was deleted by the whiteout of /configs');
    assert.doesNotMatch(r.stderr, /duplicate/i);
  } finally {
    await Promise.all([registry.stop(), work.remove()]);
  }
});
