// Package names as directory names: `render --output-dir` and `migrate` write <package>/catalog.json, so a name
// that is not one plain path element (`../../x`, `a/b`, `..`) is an input error, reported where the blob is.
import type { CatalogIssue, DeclarativeConfig, Source } from './types.js';

const ROOT_FILES = new Set(['catalog.json', 'catalog.yaml']);

/** Whether `name` can be a directory of its own inside the output directory. */
export function isPackageDirName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** Whether a package name needs checkPackageDirs: not a plain path element, or a root file's name when one is written. */
export function mayCollideAsPackageDir(name: string, hasRootFile: boolean): boolean {
  return !isPackageDirName(name) || (hasRootFile && ROOT_FILES.has(name));
}

/** One issue per package name that cannot be a directory, at the first blob that names it. */
export function checkPackageDirs(config: DeclarativeConfig): CatalogIssue[] {
  const first = new Map<string, Source | undefined>();
  const note = (name: string | undefined, source: Source | undefined) => {
    if (name === undefined || name === '' || isPackageDirName(name) || first.has(name)) return;
    first.set(name, source);
  };
  for (const p of config.packages) note(p.name, p.source);
  for (const c of config.channels) note(c.package, c.source);
  for (const b of config.bundles) note(b.package, b.source);
  for (const d of config.deprecations) note(d.package, d.source);
  for (const o of config.others) note(o.package, o.source);
  const issues: CatalogIssue[] = [...first].map(([name, source]) => ({
    rule: 'package-dir-name',
    message: `package name ${JSON.stringify(name)} cannot be a directory name: it must be a single path element`,
    package: name,
    ...(source ? { file: source.file, line: source.line } : {}),
  }));
  // Blobs of no package go to the root's catalog.json (or .yaml): a package directory of that name would collide.
  if (config.others.some((o) => o.package === undefined || o.package === '')) {
    for (const p of config.packages) {
      if (!ROOT_FILES.has(p.name)) continue;
      issues.push({
        rule: 'package-dir-name',
        message: `package name ${JSON.stringify(p.name)} cannot be a directory name: the file for blobs of no package has that name`,
        package: p.name,
        ...(p.source ? { file: p.source.file, line: p.source.line } : {}),
      });
    }
  }
  return issues;
}
