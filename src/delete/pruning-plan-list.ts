// Delete phase 1 from an oc-mirror v1 pruning plan: its manifests become a DeleteImageList for review, named by
// the sources the destination's record knows, written to WORKSPACE/delete/ as --generate writes a planned list.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors.js';
import { formatDeleteImageList, sortDeleteItems, type DeleteItem } from '../config/delete-image-list.js';
import { writeFileAtomic } from '../files/write-tree.js';
import type { MirroredImage } from '../generate/cluster-resources.js';
import type { MirrorTarget } from '../generate/destination.js';
import { formatReference } from '../oci/reference.js';
import { readMirrored, recordFile } from '../mirror/destination-records.js';
import { formatPruningPlan, parsePruningPlan, type PruningPlan } from '../mirror/pruning-plan.js';

/**
 * One item per manifest. The plan carries no source names: the record gives them (and the tag) where it has the
 * manifest; otherwise the item is named by its destination.
 */
export function deleteItemsFromPruningPlan(plan: PruningPlan, target: MirrorTarget, recorded: readonly MirroredImage[], file = 'pruning plan'): DeleteItem[] {
  if (plan.registry !== target.registry) {
    throw new GantryError('USAGE', `${file} prunes ${plan.registry}, not ${target.registry}`, { hint: 'give the destination the dry run was made for' });
  }
  const ns = target.namespace?.replace(/^\/+|\/+$/g, '');
  const known = new Map(recorded.map((r) => [`${r.dest.repository}@${r.digest}`, r]));
  const items: DeleteItem[] = [];
  for (const repo of plan.repositories) {
    if (ns && repo.name !== ns && !repo.name.startsWith(`${ns}/`)) {
      throw new GantryError('USAGE', `${file}: repository ${repo.name} is outside the destination ${target.registry}/${ns}`, { hint: 'give the destination the dry run was made for' });
    }
    for (const digest of repo.manifests) {
      const r = known.get(`${repo.name}@${digest}`);
      const at = `${plan.registry}/${repo.name}@${digest}`;
      items.push({ imageName: r ? formatReference(r.source) : at, imageReference: `docker://${at}`, ...(r?.dest.tag ? { tag: r.dest.tag } : {}) });
    }
  }
  return sortDeleteItems(items);
}

export interface PruningPlanListOptions {
  planFile: string;
  target: MirrorTarget;
  /** The workspace of the mirror runs (its record names the sources); the list goes to WORKSPACE/delete/. */
  workspace: string;
  deleteId?: string;
}

export interface PruningPlanList {
  items: DeleteItem[];
  written: { listFile: string; configFile: string };
}

/** Writes delete-images[-ID].yaml and, beside it for review, the pruning plan it came from. */
export async function writeDeleteListFromPruningPlan(opts: PruningPlanListOptions): Promise<PruningPlanList> {
  const text = await readFile(opts.planFile, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${opts.planFile}`, { cause: err });
  });
  const plan = parsePruningPlan(text, opts.planFile);
  const items = deleteItemsFromPruningPlan(plan, opts.target, await readMirrored(recordFile(opts.workspace, opts.target)), opts.planFile);
  const dir = join(opts.workspace, 'delete');
  const suffix = opts.deleteId ? `-${opts.deleteId}` : '';
  const written = { listFile: join(dir, `delete-images${suffix}.yaml`), configFile: join(dir, `delete-pruning-plan${suffix}.json`) };
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(written.listFile, formatDeleteImageList(items));
  await writeFileAtomic(written.configFile, formatPruningPlan(plan));
  return { items, written };
}
