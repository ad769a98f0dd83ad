// Loading only the listed packages and what could satisfy their dependencies gives exactly the selection the
// whole catalog gives: checked on the 7,014-bundle real-world catalog, with packages that pull in dependencies.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclarativeConfig } from '../src/catalog/fbc/types.js';
import { loadCatalog } from '../src/catalog/fbc/load.js';
import { createDirectoryTree } from '../src/files/dir-tree.js';
import { selectOperators } from '../src/plan/index.js';
import { filesOf, neededPackages, scanDependencies, type PackageDependencies } from '../src/plan/needed-packages.js';
import type { FileTree } from '../src/catalog/fbc/file-tree.js';
import { largeCatalog } from './corpus.js';

let tree: FileTree;
let full: DeclarativeConfig;
let deps: Map<string, PackageDependencies>;
before(async () => {
  tree = await createDirectoryTree(await largeCatalog());
  full = (await loadCatalog(tree)).config;
  deps = await scanDependencies(tree);
});

for (const listed of [['kuadrant-operator'], ['eclipse-che', 'dbaas-operator'], ['assisted-service-operator', 'argocd-operator'], ['cert-manager'], ['no-such-package']]) {
  test(`selection-slice/${listed.join('+')}: the slice selects exactly what the whole catalog does`, async () => {
    const needed = neededPackages(listed, deps);
    const slice = (await loadCatalog(tree, { keepPackage: (n) => needed.has(n), keepFile: filesOf(needed, deps) })).config;
    assert.ok(slice.bundles.length < full.bundles.length / 5, `a slice: ${slice.bundles.length} of ${full.bundles.length} bundles`);
    const filter = { packages: listed.map((name) => ({ name })) };
    const a = selectOperators(full, filter);
    const b = selectOperators(slice, filter);
    assert.deepEqual(JSON.parse(JSON.stringify(b.catalog)), JSON.parse(JSON.stringify(a.catalog)));
    assert.deepEqual(b.issues, a.issues);
    assert.deepEqual(b.explanations, a.explanations);
  });
}

test('selection-slice/dependencies are followed: kuadrant-operator needs other packages, and they are in the slice', () => {
  const needed = neededPackages(['kuadrant-operator'], deps);
  assert.ok(needed.size > 1, [...needed].join());
  const a = selectOperators(full, { packages: [{ name: 'kuadrant-operator' }] });
  for (const p of a.catalog.packages) assert.ok(needed.has(p.name), `${p.name} selected as a dependency is in the slice`);
  assert.ok(a.catalog.packages.length > 1, 'the selection itself pulled in a dependency');
});
