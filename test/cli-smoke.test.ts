// Every catalog subcommand, every -o format and every kind of catalog source (directory, file, stdin, http(s) with
// catalogd's paths, docker://, oci:) run at least once through the shipped bin/gantry.js: a bundling step that
// changes module interop cannot pass while breaking a command.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startRegistry, type RunningRegistry } from '../src/testing/registry-process.js';
import { createTestCa, writeCertsDir } from '../src/testing/tls.js';
import { buildImage, pushImageRaw } from '../src/testing/images.js';
import { bundleImageFromDir } from './bundle-image.js';
import { tempDir } from './helpers.js';

const BIN = join(new URL('.', import.meta.url).pathname, '..', '..', 'bin', 'gantry.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gantry(args: string[], opts: { input?: string; interruptWhen?: () => boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GANTRY_CACHE_DIR: cacheDir } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let poll: NodeJS.Timeout | undefined;
    if (opts.interruptWhen) {
      poll = setInterval(() => {
        if (opts.interruptWhen!()) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
    }
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
    // stdin stays open (as a shell leaves it) unless the test gives input.
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (!opts.interruptWhen) child.stdin.end();
  });
}

/** A command that must succeed: exit 0, nothing gantry calls a bug, and stdout in the asked format. */
async function ok(args: string[], input?: string): Promise<Run> {
  const r = await gantry(args, input === undefined ? {} : { input });
  assert.equal(r.code, 0, `gantry ${args.join(' ')}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /INTERNAL|\n\s+at /, `gantry ${args.join(' ')}`);
  const o = args.indexOf('-o');
  const format = o >= 0 ? args[o + 1] : undefined;
  // render, template and --raw write a stream of objects as opm does; everything else one JSON document.
  if (format === 'json') parseJsonStream(r.stdout);
  if (format === 'yaml') parseYaml(r.stdout.includes('\n---') ? r.stdout.split('\n---')[0]! : r.stdout);
  return r;
}

/** opm's JSON output: objects one after another, each starting on a new line. */
function parseJsonStream(text: string): unknown[] {
  return text.trimEnd().split(/\n(?=[{[])/).map((x) => JSON.parse(x) as unknown);
}

const PKG = 'smoke-op';
const csv = (modes: string[]) => ({ kind: 'ClusterServiceVersion', spec: { installModes: ['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'].map((type) => ({ type, supported: modes.includes(type) })) } });
const bundle = (version: string, modes: string[], extra: { type: string; value: unknown }[] = []) => ({
  schema: 'olm.bundle',
  package: PKG,
  name: `${PKG}.v${version}`,
  image: `quay.io/smoke/bundle:v${version}`,
  properties: [
    { type: 'olm.package', value: { packageName: PKG, version } },
    { type: 'olm.bundle.object', value: { data: Buffer.from(JSON.stringify(csv(modes))).toString('base64') } },
    ...extra,
  ],
  relatedImages: [
    { name: 'operator', image: `quay.io/smoke/operator:v${version}` },
    { name: '', image: `quay.io/smoke/bundle:v${version}` },
  ],
});
const BLOBS = [
  { schema: 'olm.package', name: PKG, defaultChannel: 'stable' },
  { schema: 'olm.channel', package: PKG, name: 'stable', entries: [{ name: `${PKG}.v1.0.0` }, { name: `${PKG}.v1.1.0`, replaces: `${PKG}.v1.0.0` }] },
  bundle('1.0.0', ['OwnNamespace']),
  bundle('1.1.0', ['OwnNamespace', 'AllNamespaces'], [{ type: 'olm.package.required', value: { packageName: 'cert-manager', versionRange: '>=1.0.0' } }]),
];
const CATALOG_TEXT = BLOBS.map((b) => JSON.stringify(b)).join('\n') + '\n';

let work: { path: string; remove(): Promise<void> };
let cacheDir: string;
let registry: RunningRegistry;
let http: Server;
let https: Server;
let httpBase: string;
let httpsBase: string;
let certDir: string;
let hangingRequests = 0;
let bundleRef: string;
const sources: Record<string, { ref: string; flags: string[]; input?: string }> = {};

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (path === '/hang') {
    hangingRequests++;
    return; // never answers: an interrupted run must not wait for it
  }
  if (path === '/moved') {
    res.writeHead(302, { location: '/catalogs/smoke/all.json' }).end();
    return;
  }
  // catalogd's current and old paths, and a plain file server's.
  if (['/catalogs/smoke/api/v1/all', '/catalogs/smoke/all.json', '/catalog.json'].includes(path)) {
    res.writeHead(200, { 'content-type': path.endsWith('all') ? 'application/jsonl' : 'application/json' }).end(CATALOG_TEXT);
    return;
  }
  res.writeHead(404).end('not found');
}

before(async () => {
  work = await tempDir('smoke');
  cacheDir = join(work.path, 'cache');
  const dir = join(work.path, 'catalog');
  await mkdir(join(dir, PKG), { recursive: true });
  await writeFile(join(dir, PKG, 'catalog.json'), CATALOG_TEXT);
  const ca = await createTestCa(work.path);
  registry = await startRegistry();
  const tls = { cert: await readFile(ca.serverCert), key: await readFile(ca.serverKey) };
  http = createServer(serve).listen(0, '127.0.0.1');
  https = createHttpsServer(tls, serve).listen(0, '127.0.0.1');
  await Promise.all([http, https].map((s) => new Promise((r) => s.once('listening', r))));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const httpsHost = `127.0.0.1:${(https.address() as AddressInfo).port}`;
  httpsBase = `https://${httpsHost}`;
  certDir = await writeCertsDir(join(work.path, 'certs.d'), httpsHost, ca.caCert);

  // The catalog images are built by the CLI itself: catalog build to a registry and to an OCI layout.
  const docker = `docker://${registry.host}/catalogs/smoke:v1`;
  const layout = `oci:${join(work.path, 'layout')}:v1`;
  for (const [target, flags] of [[docker, ['--dest-tls-verify=false']], [layout, []]] as const) {
    const b = await ok(['catalog', 'build', dir, '-t', target, ...flags]);
    assert.match(b.stdout, /@sha256:[0-9a-f]{64}\n$/);
    assert.match(b.stderr, /grpcPodConfig\.extractContent/, 'a scratch build says how it can be served');
  }
  const bundleDir = join(work.path, 'bundle');
  await mkdir(join(bundleDir, 'manifests'), { recursive: true });
  await mkdir(join(bundleDir, 'metadata'), { recursive: true });
  await writeFile(join(bundleDir, 'metadata', 'annotations.yaml'), `annotations:\n  operators.operatorframework.io.bundle.package.v1: ${PKG}\n  operators.operatorframework.io.bundle.channels.v1: stable\n  operators.operatorframework.io.bundle.mediatype.v1: registry+v1\n  operators.operatorframework.io.bundle.manifests.v1: manifests/\n  operators.operatorframework.io.bundle.metadata.v1: metadata/\n`);
  await writeFile(
    join(bundleDir, 'manifests', `${PKG}.clusterserviceversion.yaml`),
    `apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata:\n  name: ${PKG}.v1.2.0\nspec:\n  version: 1.2.0\n  replaces: ${PKG}.v1.1.0\n  installModes:\n  - type: AllNamespaces\n    supported: true\n`,
  );
  await pushImageRaw(registry.url, 'smoke/bundle', 'v1.2.0', await bundleImageFromDir(bundleDir, PKG));
  bundleRef = `${registry.host}/smoke/bundle:v1.2.0`;

  Object.assign(sources, {
    directory: { ref: dir, flags: [] },
    file: { ref: join(dir, PKG, 'catalog.json'), flags: [] },
    stdin: { ref: '-', flags: [], input: CATALOG_TEXT },
    'catalogd /api/v1/all': { ref: `${httpBase}/catalogs/smoke/api/v1/all`, flags: [] },
    'catalogd all.json (redirected)': { ref: `${httpBase}/moved`, flags: [] },
    'https --cert-dir': { ref: `${httpsBase}/catalogs/smoke/api/v1/all`, flags: ['--cert-dir', certDir] },
    'https --tls-verify=false': { ref: `${httpsBase}/catalog.json`, flags: ['--tls-verify=false'] },
    'docker://': { ref: docker, flags: ['--tls-verify=false'] },
    'oci:': { ref: layout, flags: [] },
  });
});

after(async () => {
  http?.closeAllConnections();
  https?.closeAllConnections();
  await Promise.all([registry?.stop(), new Promise((r) => http?.close(r)), new Promise((r) => https?.close(r))]);
  await work?.remove();
});

const FORMATS = {
  query: ['table', 'json', 'yaml'],
  validate: ['text', 'json'],
  render: ['json', 'yaml'],
} as const;

describe('cli/smoke: every catalog command over every kind of source', () => {
  // Formats rotate with the source, so that every command meets every format and every source.
  const SOURCE_NAMES = ['directory', 'file', 'stdin', 'catalogd /api/v1/all', 'catalogd all.json (redirected)', 'https --cert-dir', 'https --tls-verify=false', 'docker://', 'oci:'];
  SOURCE_NAMES.forEach((name, i) => {
    test(`cli/smoke/${name}`, async () => {
      const s = sources[name]!;
      const q = FORMATS.query[i % 3]!;
      const run = (args: string[]) => ok([...args, ...s.flags], s.input);

      const v = await run(['catalog', 'validate', s.ref, '-o', FORMATS.validate[i % 2]!]);
      if (i % 2 === 0) assert.match(v.stdout, /^catalog is valid: 1 package, 1 channel, 2 bundles in 1 file/);
      else assert.equal((JSON.parse(v.stdout) as { passed: boolean }).passed, true);

      const r = await run(['catalog', 'render', s.ref, '-o', FORMATS.render[i % 2]!]);
      assert.match(r.stdout, /smoke-op\.v1\.1\.0/);

      const pk = await run(['catalog', 'list', 'packages', s.ref, '-o', q]);
      assert.match(pk.stdout, q === 'table' ? /^smoke-op +stable +smoke-op\.v1\.1\.0 +1\.1\.0 /m : /smoke-op\.v1\.1\.0/);
      // The index-based listings and the one-bundle view are the same code over every source: a third of them suffices.
      if (i % 3 === 0) {
        const ch = await run(['catalog', 'list', 'channels', s.ref, '-o', FORMATS.query[(i / 3) % 3]!]);
        assert.match(ch.stdout, /stable/);
        const bu = await run(['catalog', 'list', 'bundles', s.ref, '--install-mode', 'allnamespaces', '-o', 'json']);
        assert.deepEqual((JSON.parse(bu.stdout) as { bundle: string }[]).map((b) => b.bundle), ['smoke-op.v1.1.0']);
        const sb = await run(['catalog', 'show', s.ref, PKG, '1.1.0', '-o', FORMATS.query[(i / 3 + 1) % 3]!]);
        assert.match(sb.stdout, /quay\.io\/smoke\/operator:v1\.1\.0/);
        assert.match(sb.stdout, /cert-manager/);
      }
      const ve = await run(['catalog', 'versions', s.ref, PKG, '-o', FORMATS.query[(i + 2) % 3]!]);
      assert.match(ve.stdout, /1\.0\.0[\s\S]*1\.1\.0/);
      const sh = await run(['catalog', 'show', s.ref, PKG, '-o', q]);
      assert.match(sh.stdout, /stable/);
      const g = await run(['catalog', 'graph', s.ref]);
      assert.match(g.stdout, /^graph LR/m);
    });
  });
});

describe('cli/smoke: the rest of the catalog commands, every format', () => {
  test('cli/smoke/show: a bundle as a table with related images and dependencies; --raw gives the blobs as opm writes them', async () => {
    const dir = sources.directory!.ref;
    const t = await ok(['catalog', 'show', dir, PKG, 'smoke-op.v1.1.0']);
    assert.match(t.stdout, /^related images +quay\.io\/smoke\/operator:v1\.1\.0 \(operator\)$/m);
    assert.match(t.stdout, /^dependencies +package cert-manager >=1\.0\.0$/m);
    assert.match(t.stdout, /^install modes +AllNamespaces, OwnNamespace$/m);
    const sb = await ok(['catalog', 'show', dir, PKG, '1.1.0', '-o', 'json']);
    const shown = JSON.parse(sb.stdout) as { relatedImages: { image: string }[]; dependencies: { type: string }[] };
    assert.deepEqual(shown.relatedImages.map((x) => x.image), ['quay.io/smoke/operator:v1.1.0', 'quay.io/smoke/bundle:v1.1.0']);
    assert.deepEqual(shown.dependencies.map((d) => d.type), ['olm.package.required']);
    const raw = await ok(['catalog', 'show', dir, PKG, '--raw']);
    const objects = parseJsonStream(raw.stdout) as { schema: string }[];
    assert.deepEqual(objects.map((o) => o.schema), ['olm.package', 'olm.channel', 'olm.bundle', 'olm.bundle']);
    const one = await ok(['catalog', 'show', dir, PKG, '1.0.0', '--raw', '-o', 'yaml']);
    const blob = parseYaml(one.stdout) as { schema: string; name: string };
    assert.deepEqual([blob.schema, blob.name], ['olm.bundle', 'smoke-op.v1.0.0']);
  });

  test('cli/smoke/render: a bundle image and a catalog image together', async () => {
    const r = await ok(['catalog', 'render', `docker://${bundleRef}`, sources['docker://']!.ref, '--tls-verify=false', '-o', 'json']);
    assert.match(r.stdout, /"name": "smoke-op\.v1\.2\.0"/);
    assert.match(r.stdout, /"name": "smoke-op\.v1\.1\.0"/);
  });

  test('cli/smoke/template: basic and semver templates from a bundle image, json, yaml and mermaid', async () => {
    const semver = join(work.path, 'semver.yaml');
    await writeFile(semver, `schema: olm.semver\nstable:\n  bundles:\n  - image: ${bundleRef}\n`);
    const basic = join(work.path, 'basic.yaml');
    await writeFile(basic, `schema: olm.template.basic\nentries:\n- schema: olm.package\n  name: ${PKG}\n  defaultChannel: stable\n- schema: olm.channel\n  package: ${PKG}\n  name: stable\n  entries:\n  - name: ${PKG}.v1.2.0\n- schema: olm.bundle\n  image: ${bundleRef}\n`);
    const j = await ok(['catalog', 'template', 'semver', semver, '--tls-verify=false', '-o', 'json']);
    assert.match(j.stdout, /"name": "smoke-op\.v1\.2\.0"/);
    const y = await ok(['catalog', 'template', basic, '--tls-verify=false', '-o', 'yaml']);
    assert.match(y.stdout, /^name: smoke-op\.v1\.2\.0$/m);
    const m = await ok(['catalog', 'template', 'basic', '-', '--tls-verify=false', '-o', 'mermaid'], await readFile(basic, 'utf8'));
    assert.match(m.stdout, /^graph LR/m);
  });

  test('cli/smoke/init and generate dockerfile: formats, and a refusal to overwrite that names --force', async () => {
    const j = await ok(['catalog', 'init', PKG, '--default-channel', 'stable', '-o', 'json']);
    assert.equal((JSON.parse(j.stdout) as { defaultChannel: string }).defaultChannel, 'stable');
    const y = await ok(['catalog', 'init', PKG, '-o', 'yaml']);
    assert.match(y.stdout, /^schema: olm\.package$/m);
    const dir = sources.directory!.ref;
    const first = await ok(['catalog', 'generate', 'dockerfile', dir]);
    assert.match(first.stderr, /catalog\.Dockerfile/);
    const again = await gantry(['catalog', 'generate', 'dockerfile', dir, '-i', 'scratch']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^error\[USAGE\]: .*catalog\.Dockerfile already exists\n {2}hint: pass --force to replace it/);
    await ok(['catalog', 'generate', 'dockerfile', dir, '-i', 'scratch', '--force']);
    assert.match(await readFile(`${dir}.Dockerfile`, 'utf8'), /extractContent/);
  });

  test('cli/smoke/migrate: a file that is not an index is a clear error', async () => {
    const r = await gantry(['catalog', 'migrate', sources.file!.ref, join(work.path, 'migrated')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error\[USAGE\]: .* is not a SQLite database\n {2}hint: /);
  });

  test('cli/smoke/inspect and tags: text and json', async () => {
    await pushImageRaw(registry.url, 'smoke/app', 'v1', buildImage({ seed: 'smoke-app', layerSizes: [1000] }));
    const t = await ok(['inspect', `docker://${registry.host}/smoke/app:v1`, '--tls-verify=false']);
    assert.match(t.stdout, /sha256:/);
    const j = await ok(['inspect', `docker://${registry.host}/smoke/app:v1`, '--tls-verify=false', '-o', 'json']);
    assert.match((JSON.parse(j.stdout) as { digest: string }).digest, /^sha256:/);
    const tags = await ok(['tags', `docker://${registry.host}/smoke/app`, '--tls-verify=false', '-o', 'json']);
    assert.deepEqual(JSON.parse(tags.stdout), ['v1']);
  });
});

describe('cli/smoke: usage is checked before any work, errors are not bugs', () => {
  test('cli/smoke/-o: an unknown format is a usage error in every command, before the catalog is read', async () => {
    const missing = join(work.path, 'does-not-exist');
    const commands = [
      ['catalog', 'validate', missing],
      ['catalog', 'render', missing],
      ['catalog', 'list', 'packages', missing],
      ['catalog', 'list', 'channels', missing],
      ['catalog', 'list', 'bundles', missing],
      ['catalog', 'versions', missing, PKG],
      ['catalog', 'show', missing, PKG],
      ['catalog', 'init', PKG],
      ['catalog', 'blueprint', missing],
      ['catalog', 'template', missing],
      ['catalog', 'migrate', missing, missing],
      ['inspect', 'docker://127.0.0.1:1/x:y'],
      ['tags', 'docker://127.0.0.1:1/x'],
    ];
    for (const c of commands) {
      const r = await gantry([...c, '-o', 'xml']);
      assert.equal(r.code, 2, `${c.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', c.join(' '));
      assert.match(r.stderr, /^error\[USAGE\]: option '-o, --output <format>' argument 'xml' is invalid/, c.join(' '));
    }
    // delete checks its -o itself, also before any work (no registry is contacted).
    const del = await gantry(['delete', 'docker://127.0.0.1:1', '-o', 'xml']);
    assert.equal(del.code, 2, del.stderr);
    assert.match(del.stderr, /^error\[USAGE\]: --output must be text or json, not "xml"/);
  });

  test('cli/smoke/--install-mode: an unknown mode is a usage error, not an empty table', async () => {
    const r = await gantry(['catalog', 'list', 'packages', sources.directory!.ref, '--install-mode', 'Bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error\[USAGE\]: .*--install-mode must be one of OwnNamespace, SingleNamespace, MultiNamespace, AllNamespaces/);
  });

  test('cli/smoke/-c: the old -c CATALOG still works on queries, with a deprecation warning on stderr only', async () => {
    const dir = sources.directory!.ref;
    const r = await ok(['catalog', 'versions', PKG, '-c', dir, '-o', 'json']);
    assert.deepEqual((JSON.parse(r.stdout) as { version: string }[]).map((x) => x.version), ['1.0.0', '1.1.0']);
    assert.match(r.stderr, /^warning: -c\/--catalog is deprecated .*; write: gantry catalog versions CATALOG PACKAGE$/m);
    const l = await ok(['catalog', 'list', 'packages', '-c', dir, '-o', 'yaml']);
    assert.match(l.stdout, /package: smoke-op/);
    const twice = await gantry(['catalog', 'list', 'packages', dir, '-c', dir]);
    assert.equal(twice.code, 2);
    const none = await gantry(['catalog', 'list', 'packages']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error\[USAGE\]: missing the catalog argument/);
    const init = await gantry(['catalog', 'init', PKG, '-c', 'stable']);
    assert.equal(init.code, 2, 'catalog init has no -c: it means --config');
  });

  test('cli/smoke/url errors: 404, an unreachable host and an untrusted certificate are errors with a code, not bugs', async () => {
    const missing = await gantry(['catalog', 'validate', `${httpBase}/nothing-here`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error\[NOT_FOUND\]: .*nothing-here answered 404/);
    const closed = await gantry(['catalog', 'list', 'packages', 'http://127.0.0.1:1/catalog.json']);
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /^error\[IO_ERROR\]: cannot read http:\/\/127\.0\.0\.1:1\/catalog\.json: ECONNREFUSED/);
    const untrusted = await gantry(['catalog', 'render', `${httpsBase}/catalog.json`]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /^error\[TLS_ERROR\]: cannot read https:/);
    assert.match(untrusted.stderr, /hint: for a private CA pass --cert-dir DIR \(ca\.crt\); --tls-verify=false skips verification/);
  });

  test('cli/smoke/yaml: a catalog value YAML cannot carry is a catalog problem, not a gantry bug', async () => {
    const text = JSON.stringify({ schema: 'olm.package', name: 'x', defaultChannel: 's', description: 'a\u007fb' }) + '\n';
    const r = await gantry(['catalog', 'render', '-', '-o', 'yaml'], { input: text });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error\[CATALOG_INVALID\]: yaml: control characters are not allowed \(U\+007F\)\n {2}hint: .*write JSON instead/);
  });

  test('cli/smoke/hints: a registry hint names the flags of the command that shows it', async () => {
    // A plain-HTTP registry without --tls-verify=false: the transport's hint names --tls-verify, which copy spells per side.
    const c = await gantry(['copy', `docker://${registry.host}/smoke/app:v1`, `oci:${join(work.path, 'copied')}:v1`, '--retry-times', '0']);
    assert.equal(c.code, 1);
    const hints = c.stderr.split('\n').filter((l) => l.includes('hint:'));
    assert.ok(hints.length > 0, c.stderr);
    for (const h of hints) assert.doesNotMatch(h, /(?<![a-z-])--(tls-verify|cert-dir|creds)\b/, h);
  });

  test('cli/smoke/copy: identical failures of many images are one line with a count', async () => {
    const mapping = join(work.path, 'mapping.txt');
    await writeFile(mapping, ['a', 'b', 'c', 'd'].map((n) => `127.0.0.1:1/smoke/${n}:v1=oci:${join(work.path, 'out')}:${n}`).join('\n') + '\n');
    const r = await gantry(['copy', '--mapping', mapping, '--retry-times', '0', '-q']);
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error['));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /^error\[REGISTRY_UNREACHABLE\]: 4 images \(docker:\/\/127\.0\.0\.1:1\/smoke\/a:v1, docker:\/\/127\.0\.0\.1:1\/smoke\/b:v1, docker:\/\/127\.0\.0\.1:1\/smoke\/c:v1, …\): cannot reach registry 127\.0\.0\.1:1/);
  });

  test('cli/smoke/interrupt: Ctrl-C exits 130, while reading stdin and while waiting for a URL', async () => {
    // Node installs gantry's SIGINT handler within a few hundred ms of start; give it ample time under load.
    const start = Date.now();
    const stdin = await gantry(['catalog', 'validate', '-'], { interruptWhen: () => Date.now() - start > 2000 });
    assert.equal(stdin.code, 130, stdin.stderr);
    const before = hangingRequests;
    const url = await gantry(['catalog', 'list', 'packages', `${httpBase}/hang`], { interruptWhen: () => hangingRequests > before });
    assert.equal(url.code, 130, url.stderr);
    assert.match(url.stderr, /^error\[ABORTED\]/m);
  });
});
