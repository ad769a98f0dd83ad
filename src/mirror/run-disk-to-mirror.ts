// Disk to mirror as one operation: check every archive part in DIR, push the newest sequence's images to the
// destination (or, on a dry run, write where each would go), then the destination's record and cluster resources.
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-tree.js';
import type { MirrorTarget } from '../generate/destination.js';
import { formatReference } from '../oci/reference.js';
import { diskToMirror, type DiskToMirrorResult } from './disk-to-mirror.js';
import { throwIfInterrupted, type RunOptions } from './run-common.js';
import type { StoreResolver } from './store-resolver.js';
import { withDirectoryLock } from './workspace-lock.js';
import { landedReleases, releaseSignatureResources } from './release-signatures.js';
import { blueprintSettings, type BlueprintSettings } from './dry-run-blueprint.js';
import { MAPPING_FILE, writeClusterResources, writeErrorsReport, type ClusterOutput } from './workspace-files.js';

export interface DiskToMirrorRunOptions extends RunOptions, BlueprintSettings {
  /** The archive directory; its records and cluster-resources/ are written there too; locked for the run. */
  dir: string;
  target: MirrorTarget;
  destination: StoreResolver;
  maxNestedPaths?: number;
  /** Check the archive and write mapping.txt; push nothing. */
  dryRun?: boolean;
  icsp?: boolean;
}

export type DiskToMirrorRunResult =
  | ({ dryRun: true; mappingFile: string } & DiskToMirrorResult)
  | ({ dryRun: false; cluster: ClusterOutput; errorsReport?: string } & DiskToMirrorResult);

export async function runDiskToMirror(opts: DiskToMirrorRunOptions): Promise<DiskToMirrorRunResult> {
  return withDirectoryLock(opts.dir, 'disk to mirror', () => diskToMirrorLocked(opts));
}

async function diskToMirrorLocked(opts: DiskToMirrorRunOptions): Promise<DiskToMirrorRunResult> {
  const { dir, target, onEvent, signal } = opts;
  // The key (when one is given) is read before the archive is checked: a wrong path fails at once.
  const policy = opts.releaseSignatures;
  const releaseKeys = policy?.mode === 'verify' && policy.readKeys ? await policy.readKeys() : undefined;
  onEvent?.({ type: 'archive-check-start', dir });
  const result = await diskToMirror({
    dir,
    target,
    ...(opts.maxNestedPaths ? { maxNestedPaths: opts.maxNestedPaths } : {}),
    destination: opts.destination,
    ...(onEvent
      ? {
          onEvent,
          onVerifyBytes: (file: string, done: number, total: number) => onEvent({ type: 'part-bytes', step: 'checking', file, done, total }),
          onVerified: (p: { file: string; bytes: number }) => onEvent({ type: 'part-verified', file: p.file, bytes: p.bytes }),
        }
      : {}),
    ...(opts.failFast ? { failFast: true } : {}),
    ...(opts.removeSignatures ? { removeSignatures: true } : {}),
    dryRun: Boolean(opts.dryRun),
    ...(releaseKeys ? { releaseKeys } : {}),
    ...(signal ? { signal } : {}),
  });
  for (const b of result.blocked) onEvent?.({ type: 'blocked', ...b });
  if (opts.dryRun) {
    const mappingFile = join(dir, MAPPING_FILE);
    await writeFileAtomic(mappingFile, result.planned.map((p) => `file://${dir}/${p.key}=docker://${formatReference(p.dest)}\n`).join(''));
    return { dryRun: true, mappingFile, ...result };
  }
  const cluster = await writeClusterResources(dir, target, result.mirrored, {
    ...(opts.icsp ? { icsp: true } : {}),
    templates: result.templates,
    ...blueprintSettings(opts),
    destination: opts.destination,
    version: opts.version,
    extraFiles: await releaseSignatureResources(dir, target, landedReleases(result.releaseSignatures.signed, result.mirrored), { anyRelease: result.mirrored.some((m) => m.kind === 'release') }),
    ...(signal ? { signal } : {}),
  });
  for (const issue of cluster.issues) onEvent?.({ type: 'template-issue', issue });
  throwIfInterrupted(signal);
  const errorsReport = await writeErrorsReport(dir, result.failed, opts.redact);
  return { dryRun: false, ...result, cluster, ...(errorsReport ? { errorsReport } : {}) };
}
