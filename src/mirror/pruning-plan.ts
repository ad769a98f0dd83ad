// oc-mirror v1's pruning plan: which images earlier runs mirrored to a destination (its record) a new plan no
// longer selects, as {registry, repositories: [{name, manifests}]}; a mirror-to-mirror dry run writes it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { byteOrder } from '../order.js';
import { GantryError } from '../errors.js';
import { writeFileAtomic } from '../files/write-tree.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { MirrorTarget } from '../generate/destination.js';
import { mirroredKey } from '../generate/mirrored-record.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { formatReference } from '../oci/reference.js';
import { readMirrored, recordFile } from './destination-records.js';
import type { MirrorPlan } from './plan-mirror.js';

/** The name oc-mirror v1 gives it (v1/pkg/cli/mirror/prune.go); users and scripts look for this file. */
export const PRUNING_PLAN_FILE = 'pruning-plan.json';

export interface PruningPlan {
  registry: string;
  repositories: { name: string; manifests: Digest[] }[];
}

export interface Pruning {
  plan: PruningPlan;
  /** The recorded images the plan no longer selects. */
  dropped: MirroredImage[];
}

/**
 * The recorded images whose destination the new plan does not name, by repository and digest. A digest another
 * kept image of the same repository still uses is left out: deleting a manifest removes it for every tag.
 */
export function planPruning(recorded: readonly MirroredImage[], plan: MirrorPlan, target: MirrorTarget): Pruning {
  const selected = new Set([...plan.images, ...plan.catalogs].flatMap((i) => (i.dest ? [formatReference(i.dest)] : [])));
  const dropped = recorded.filter((r) => !selected.has(mirroredKey(r)));
  const kept = new Set(recorded.filter((r) => selected.has(mirroredKey(r))).map((r) => `${r.dest.repository}@${r.digest}`));
  const byRepo = new Map<string, Set<Digest>>();
  for (const d of dropped) {
    if (kept.has(`${d.dest.repository}@${d.digest}`)) continue;
    const set = byRepo.get(d.dest.repository) ?? new Set<Digest>();
    set.add(d.digest);
    byRepo.set(d.dest.repository, set);
  }
  const repositories = [...byRepo.keys()].sort(byteOrder).map((name) => ({ name, manifests: [...byRepo.get(name)!].sort(byteOrder) }));
  return { plan: { registry: target.registry, repositories }, dropped };
}

export function formatPruningPlan(plan: PruningPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Reads a pruning plan (ours or oc-mirror v1's): the registry and each repository's manifest digests. */
export function parsePruningPlan(text: string, file: string): PruningPlan {
  const bad = (why: string) => new GantryError('CONFIG_INVALID', `${file}: ${why}`, { hint: 'a pruning plan is {"registry": "HOST", "repositories": [{"name": "REPO", "manifests": ["sha256:…"]}]}' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw bad(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const o = doc as { registry?: unknown; repositories?: unknown };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad('not a JSON object');
  if (typeof o.registry !== 'string' || o.registry === '') throw bad('"registry" must be a host name');
  if (!Array.isArray(o.repositories)) throw bad('"repositories" must be a list');
  const repositories = o.repositories.map((r: unknown, n) => {
    const repo = r as { name?: unknown; manifests?: unknown };
    if (typeof repo !== 'object' || repo === null || typeof repo.name !== 'string' || repo.name === '') throw bad(`repositories[${n}].name must be a repository path`);
    if (!Array.isArray(repo.manifests)) throw bad(`repositories[${n}].manifests must be a list of digests`);
    repo.manifests.forEach((m, k) => {
      if (typeof m !== 'string' || !isDigest(m)) throw bad(`repositories[${n}].manifests[${k}] is not a digest`);
    });
    return { name: repo.name, manifests: repo.manifests as Digest[] };
  });
  return { registry: o.registry, repositories };
}

/**
 * Compares the destination's record with a new plan; writes WORKSPACE/pruning-plan.json when something would be
 * pruned (as oc-mirror v1 does) and removes an older one otherwise, so a stale plan is never read as current.
 */
export async function writePruningPlan(workspace: string, target: MirrorTarget, plan: MirrorPlan): Promise<Pruning & { file?: string }> {
  const pruning = planPruning(await readMirrored(recordFile(workspace, target)), plan, target);
  const file = join(workspace, PRUNING_PLAN_FILE);
  if (pruning.plan.repositories.length === 0) {
    await rm(file, { force: true });
    return pruning;
  }
  await writeFileAtomic(file, formatPruningPlan(pruning.plan));
  return { ...pruning, file };
}
