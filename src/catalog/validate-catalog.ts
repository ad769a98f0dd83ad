// One call for "is this catalog valid?": load from a FileTree, validate, and report every problem with counts.
import { loadCatalog } from './fbc/load.js';
import type { FileTree } from './fbc/file-tree.js';
import type { CatalogIssue, DeclarativeConfig } from './fbc/types.js';
import { hasErrors, validateCatalog } from './model/validate.js';

export interface CatalogReport {
  passed: boolean;
  errors: number;
  warnings: number;
  issues: CatalogIssue[];
  counts: { files: number; packages: number; channels: number; bundles: number; deprecations: number; others: number };
  config: DeclarativeConfig;
}

export async function checkCatalog(tree: FileTree, opts: { signal?: AbortSignal } = {}): Promise<CatalogReport> {
  const loaded = await loadCatalog(tree, opts);
  // Load problems (syntax, undecodable blobs) come first; model checks run on what did load.
  const issues = [...loaded.issues, ...validateCatalog(loaded.config)];
  const c = loaded.config;
  const errors = issues.filter((i) => i.severity !== 'warning').length;
  return {
    passed: !hasErrors(issues),
    errors,
    warnings: issues.length - errors,
    issues,
    counts: {
      files: loaded.files.length,
      packages: c.packages.length,
      channels: c.channels.length,
      bundles: c.bundles.length,
      deprecations: c.deprecations.length,
      others: c.others.length,
    },
    config: c,
  };
}
