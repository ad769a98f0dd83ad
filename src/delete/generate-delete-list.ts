// Delete phase 1 as one operation: plan what a DeleteImageSetConfiguration selects, look each image up at the
// destination, and write WORKSPACE/delete/delete-images[-ID].yaml with a copy of the configuration beside it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDeleteImageList } from '../config/index.js';
import { writeFileAtomic } from '../files/write-tree.js';
import { planDelete, type DeletePlan, type PlanDeleteOptions } from './plan-delete.js';
import { withDirectoryLock } from '../mirror/index.js';

export interface GenerateDeleteListOptions extends PlanDeleteOptions {
  /** The DeleteImageSetConfiguration as written; kept beside the list for review. */
  configText: string;
  /** The list goes to WORKSPACE/delete/. */
  workspace: string;
  /** Suffix of the file names (delete-images-ID.yaml), to keep several lists. */
  deleteId?: string;
}

export interface GeneratedDeleteList extends DeletePlan {
  /** Undefined when nothing was written: the selection had errors, or a lookup failed. */
  written?: { listFile: string; configFile: string };
}

/**
 * Locks the workspace for the run, as mirroring does: a list looked up while a mirror run of the same workspace is
 * pushing could miss what lands after it, and two lists written at once could mix.
 */
export async function generateDeleteList(opts: GenerateDeleteListOptions): Promise<GeneratedDeleteList> {
  return withDirectoryLock(opts.workspace, 'delete --generate', () => generateUnlocked(opts));
}

async function generateUnlocked(opts: GenerateDeleteListOptions): Promise<GeneratedDeleteList> {
  const { configText, workspace, deleteId, ...planOpts } = opts;
  const result = await planDelete(planOpts);
  // A partial list would read as complete on review: with a selection error or any lookup failed, nothing is written.
  if (result.plan.issues.some((i) => i.severity === 'error') || result.failed.length > 0) return result;
  const dir = join(workspace, 'delete');
  const suffix = deleteId ? `-${deleteId}` : '';
  const written = { listFile: join(dir, `delete-images${suffix}.yaml`), configFile: join(dir, `delete-imageset-config${suffix}.yaml`) };
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(written.listFile, formatDeleteImageList(result.items));
  await writeFileAtomic(written.configFile, configText);
  return { ...result, written };
}
