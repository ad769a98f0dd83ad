// The house's layering, as a test: a table of which top-level module may import which (docs/architecture.md draws
// it), pure modules import no I/O, only cli/ touches the process, and nothing imports cli/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(new URL('.', import.meta.url).pathname, '..', '..', 'src');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

const PURE = ['order', 'oci', 'semver', 'catalog', 'config', 'plan', 'generate', 'rbac', 'install', 'release', 'samples'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|tls|http|https|http2|child_process|dgram|dns|process)$|^undici/;

test('architecture/pure modules import no I/O', () => {
  const offenders: string[] = [];
  for (const file of sources(root)) {
    const rel = relative(root, file);
    if (!PURE.includes(rel.split('/')[0]!)) continue;
    for (const spec of imports(file)) if (IO_MODULES.test(spec)) offenders.push(`${rel} imports ${spec}`);
    if (/\bprocess\.(env|argv|exit|stdout|stderr|cwd)/.test(readFileSync(file, 'utf8'))) offenders.push(`${rel} uses process`);
  }
  assert.deepEqual(offenders, []);
});

test('architecture/only cli owns the process and nothing imports cli', () => {
  const offenders: string[] = [];
  for (const file of sources(root)) {
    const rel = relative(root, file);
    const top = rel.split('/')[0]!;
    if (top === 'cli' || top === 'testing') continue;
    for (const spec of imports(file)) if (/(^|\/)cli\//.test(spec)) offenders.push(`${rel} imports ${spec}`);
    if (/\bprocess\.(exit|argv|stdout|stderr)\b/.test(readFileSync(file, 'utf8'))) offenders.push(`${rel} uses the process`);
  }
  assert.deepEqual(offenders, []);
});

/**
 * The allowed imports between top-level modules, lowest floor first (a module may always import itself). A new
 * edge is a design decision: add it here, and to docs/architecture.md, with the reason.
 */
const BASE = ['errors', 'defaults', 'version', 'order'];
const ALLOWED: Record<string, string[]> = {
  errors: [],
  defaults: [],
  version: [],
  order: [],
  oci: ['errors', 'order'],
  semver: ['errors', 'order'],
  content: [...BASE, 'oci'],
  transport: [...BASE, 'oci'],
  registry: [...BASE, 'oci', 'content', 'transport'],
  layout: [...BASE, 'oci', 'content'],
  copy: [...BASE, 'oci', 'content', 'transport'],
  inspect: [...BASE, 'oci', 'content'],
  // Pure: the catalog engine, the configuration, selection and generators read no files and open no sockets.
  catalog: [...BASE, 'oci', 'semver'],
  config: [...BASE, 'oci', 'semver'],
  plan: [...BASE, 'oci', 'semver', 'catalog', 'config'],
  generate: [...BASE, 'oci', 'semver', 'catalog', 'config'],
  // Kubernetes RBAC decisions offline; the RBAC objects themselves are parsed (and typed) in config/.
  rbac: [...BASE, 'config'],
  // OpenShift release selection from update graphs (Cincinnati): pure; the HTTP GET is injected by cli/ (transport/http-get).
  // Payloads: release images read through the Store interface (oci/ for manifests), the store injected by the caller.
  release: [...BASE, 'oci', 'content', 'semver', 'config'],
  // Install planning offline (OLM v1 resolution): pure over the catalog model and the ClusterExtension config;
  // rbac/ for the installer RBAC it generates and checks with the one RBAC rule matcher.
  install: [...BASE, 'oci', 'semver', 'catalog', 'config', 'rbac'],
  // Cluster Samples Operator inputs, selection and plans (issue 12): pure; files arrive as text or a tree.
  samples: [...BASE, 'oci'],
  // The file-system edge: directory trees, atomic writes, the query index cache.
  files: [...BASE, 'oci', 'catalog', 'content'],
  // Catalogs inside images: reading them from layers (whiteouts), building and pushing catalog images.
  // install: a bundle image's content is built by install's (pure) registry+v1 reader, one reading for dirs and images.
  'catalog-image': [...BASE, 'oci', 'semver', 'content', 'transport', 'copy', 'catalog', 'files', 'install'],
  archive: [...BASE, 'oci', 'content', 'layout', 'files'],
  mirror: [...BASE, 'oci', 'semver', 'content', 'layout', 'copy', 'catalog', 'config', 'plan', 'generate', 'files', 'catalog-image', 'archive', 'release'],
  delete: [...BASE, 'oci', 'content', 'copy', 'catalog', 'config', 'plan', 'generate', 'files', 'mirror'],
  // Catalog servers (catalogd HTTP API, opm's gRPC API) over catalogs prepared in memory once: catalog/ to read and
  // encode blobs; the web UI (server/ui) draws upgrade graphs (semver/ for skipRange) and plans installs with install/.
  server: [...BASE, 'oci', 'semver', 'catalog', 'install'],
  // server/ and catalog/: the gRPC registry client (its protos) and the opm-recording comparison, shared by tests, the recording script and bench/.
  testing: [...BASE, 'oci', 'content', 'transport', 'registry', 'layout', 'server', 'catalog'],
};

function moduleOf(rel: string): string {
  return rel.split('/')[0]!.replace(/\.[jt]s$/, '');
}

test('architecture/imports between modules follow the table', () => {
  const offenders: string[] = [];
  const modules = new Set<string>();
  for (const file of sources(root)) {
    const rel = relative(root, file);
    const from = moduleOf(rel);
    modules.add(from);
    if (from === 'cli') continue;
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const to = moduleOf(relative(root, join(file, '..', spec)));
      if (to === from) continue;
      if (!(ALLOWED[from] ?? []).includes(to)) offenders.push(`${rel} imports ${spec} (${from} → ${to} is not in the table)`);
    }
  }
  assert.deepEqual(offenders, []);
  assert.deepEqual([...modules].filter((m) => m !== 'cli' && !(m in ALLOWED)), [], 'every module has a row in the table');
});

test('architecture/the table has no cycle', () => {
  const seen = new Map<string, 'open' | 'done'>();
  const visit = (m: string, path: string[]): void => {
    if (seen.get(m) === 'done') return;
    assert.notEqual(seen.get(m), 'open', `cycle: ${[...path, m].join(' → ')}`);
    seen.set(m, 'open');
    for (const n of ALLOWED[m] ?? []) visit(n, [...path, m]);
    seen.set(m, 'done');
  };
  for (const m of Object.keys(ALLOWED)) visit(m, []);
});

test('architecture/the check sees the source tree', () => {
  assert.ok(sources(root).length > 10);
});
