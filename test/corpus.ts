// The shared test corpus (../shared/corpus): the 7,014-bundle catalog unpacked once per machine into a cache
// directory (never into shared/, which is read-only), and paths to the real v4.20 catalog and bundle dirs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { runTool } from '../src/testing/tools.js';

const REPO = join(new URL('.', import.meta.url).pathname, '..', '..');

/**
 * Where shared/corpus is: $GANTRY_CORPUS, else beside this checkout (../shared, as CI lays it out), else beside
 * the checkout this one was cloned from (a fresh `git clone . /tmp/fresh` for a clean run).
 */
function findCorpus(): string {
  const beside = (repo: string) => join(repo, '..', 'shared', 'corpus');
  if (process.env.GANTRY_CORPUS) return process.env.GANTRY_CORPUS;
  if (existsSync(beside(REPO))) return beside(REPO);
  try {
    const origin = execFileSync('git', ['-C', REPO, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const local = origin.startsWith('file://') ? origin.slice('file://'.length) : origin;
    if (isAbsolute(local) && existsSync(beside(local))) return beside(local);
  } catch {
    // Not a git checkout, or no origin: fall through to the default place.
  }
  return beside(REPO);
}

export const CORPUS = findCorpus();
export const REAL_CATALOG = join(CORPUS, 'fbc-real', 'community-operators-prod-v4.20');

/** Unpacks community-operators-prod-all.tar.xz (207 MB) into $TMPDIR/gantry-corpus once; later calls reuse it. */
export async function largeCatalog(): Promise<string> {
  const root = join(tmpdir(), 'gantry-corpus');
  const dir = join(root, 'community-operators-prod-all');
  if (existsSync(join(dir, 'zookeeper-operator'))) return dir;
  await mkdir(root, { recursive: true });
  const staging = join(root, `.unpack-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  const r = await runTool('tar', ['-xJf', join(CORPUS, 'fbc-derived', 'community-operators-prod-all.tar.xz'), '-C', staging], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`unpacking the corpus failed: ${r.stderr}`);
  // Another test process may have finished first; either copy is complete, so losing the race is fine.
  await rename(join(staging, 'community-operators-prod-all'), dir).catch(() => undefined);
  await rm(staging, { recursive: true, force: true });
  return dir;
}
