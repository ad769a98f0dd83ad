// The catalog engine on real data: the community operators' published v4.20 catalog (YAML) and the
// 7,014-bundle catalog derived from their repository (JSON, 207 MB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { checkCatalog } from '../src/catalog/validate-catalog.js';
import { REAL_CATALOG, largeCatalog } from './corpus.js';

test('corpus/the published v4.20 catalog loads and validates clean', async () => {
  const r = await checkCatalog(await createDirectoryTree(REAL_CATALOG));
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.counts, { files: 37, packages: 37, channels: 85, bundles: 803, deprecations: 0, others: 0 });
  assert.equal(r.passed, true);
});

test('corpus/the 7,014-bundle catalog loads; validation finds exactly its real problems', async () => {
  const r = await checkCatalog(await createDirectoryTree(await largeCatalog()));
  assert.deepEqual(r.counts, { files: 332, packages: 332, channels: 653, bundles: 7014, deprecations: 0, others: 0 });
  // Invalid pull specs that opm ≥ 1.64 rejects too: oci:// URLs (kuadrant) and a dangling "@" (sosivio).
  const errors = r.issues.filter((i) => i.severity !== 'warning');
  assert.deepEqual(
    [...new Set(errors.map((e) => `${e.rule} ${e.package}`))],
    ['image-invalid kuadrant-operator', 'image-invalid sosivio'],
  );
  assert.equal(errors.length, 15);
  assert.ok(errors.every((e) => e.file === `${e.package}/catalog.json` && (e.line ?? 0) > 1));
  // skipRanges with a "v" (<v2.3.1) that OLM cannot parse and ignores: warnings.
  const warnings = r.issues.filter((i) => i.severity === 'warning');
  assert.equal(warnings.length, 31);
  assert.ok(warnings.every((w) => w.rule === 'skip-range-invalid'));
});

test('corpus/the 7,014-bundle catalog round-trips byte for byte through load → write', async () => {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { loadCatalog } = await import('../src/catalog/fbc/load.js');
  const { writeCatalogFiles } = await import('../src/catalog/fbc/write.js');
  const dir = await largeCatalog();
  const { config, issues } = await loadCatalog(await createDirectoryTree(dir));
  assert.deepEqual(issues, []);
  const files = writeCatalogFiles(config);
  assert.equal(files.size, 332);
  const differing: string[] = [];
  for (const [path, text] of files) if ((await readFile(join(dir, path), 'utf8')) !== text) differing.push(path);
  assert.deepEqual(differing, []);
});

test('corpus/the YAML v4.20 catalog written as JSON loads back to the same catalog', async () => {
  const { loadCatalog } = await import('../src/catalog/fbc/load.js');
  const { writeCatalogJson } = await import('../src/catalog/fbc/write.js');
  const { createMemoryTree } = await import('../src/catalog/fbc/file-tree.js');
  const first = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  const json = writeCatalogJson(first.config);
  const second = await loadCatalog(createMemoryTree({ 'all.json': json }));
  const strip = <T extends { source?: unknown }>(xs: T[]) => xs.map(({ source: _s, ...rest }) => rest);
  assert.deepEqual(strip(second.config.bundles), strip([...first.config.bundles].sort((a, b) => (a.package + a.name < b.package + b.name ? -1 : 1))).sort((a, b) => (a.package + a.name < b.package + b.name ? -1 : 1)));
  assert.equal(writeCatalogJson(second.config), json, 'writing is stable');
});

test('corpus/opm\'s YAML catalog is written back byte for byte as YAML', async () => {
  const { readFile, readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { loadCatalog } = await import('../src/catalog/fbc/load.js');
  const { writeCatalogYamlFiles } = await import('../src/catalog/fbc/write.js');
  const { config } = await loadCatalog(await createDirectoryTree(REAL_CATALOG));
  const written = writeCatalogYamlFiles(config);
  // The published catalog keeps each package in a directory that may be named differently (konflux/ holds konflux-operator).
  const originals = new Map<string, string>();
  for (const dir of await readdir(REAL_CATALOG)) {
    const text = await readFile(join(REAL_CATALOG, dir, 'catalog.yaml'), 'utf8');
    const pkg = config.packages.find((p) => p.source?.file === `${dir}/catalog.yaml`)?.name ?? dir;
    originals.set(`${pkg}/catalog.yaml`, text);
  }
  assert.equal(written.size, 37);
  const differing = [...written].filter(([path, text]) => originals.get(path) !== text).map(([p]) => p);
  assert.deepEqual(differing, []);
});
