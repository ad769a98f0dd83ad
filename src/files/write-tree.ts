// Writing a set of files under a directory safely: everything goes to a temporary sibling directory first,
// then replaces the target in one rename, so a failure never leaves a half-written catalog at the final path.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GantryError } from '../errors.js';

export async function writeFileTree(target: string, files: Map<string, string | Uint8Array>, opts: { replace?: boolean } = {}): Promise<void> {
  const root = resolve(target);
  const staging = join(dirname(root), `.${randomBytes(6).toString('hex')}.tmp-gantry`);
  try {
    await mkdir(staging, { recursive: true });
    for (const [path, content] of files) {
      const p = join(staging, path);
      // Paths come from catalog content (package names): none may leave the directory being written.
      const rel = relative(staging, p);
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) {
        throw new GantryError('CATALOG_INVALID', `refusing to write ${JSON.stringify(path)}: it is outside ${root}`);
      }
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
    }
    await placeStagedTree(staging, root, opts);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Renames a complete staging directory to its final path (replacing what is there only if asked). */
export async function placeStagedTree(staging: string, root: string, opts: { replace?: boolean } = {}): Promise<void> {
  if (opts.replace) await rm(root, { recursive: true, force: true });
  await rename(staging, root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') {
      throw new GantryError('USAGE', `${root} already exists and is not empty`, { hint: 'choose a new directory, or pass --force to replace it' });
    }
    throw err;
  });
}

/** A single file written to a temporary name and renamed into place. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp-gantry`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
