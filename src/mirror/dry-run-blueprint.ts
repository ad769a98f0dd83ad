// The MicroShift blueprint a dry run writes from the plan alone (DIR/blueprint-containers.toml): every planned image
// under its source name, read from its source for digests and platforms, since nothing is at the mirror yet.
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-tree.js';
import { formatBlueprintToml, planBlueprint, withExtraImages, type BlueprintImage } from '../generate/microshift-blueprint.js';
import { planBlueprintImages } from './plan-blueprint.js';
import type { MirrorPlan } from './plan-mirror.js';
import type { StoreResolver } from './store-resolver.js';

export const DRY_RUN_BLUEPRINT = 'blueprint-containers.toml';

/** The MicroShift blueprint settings every mirror operation takes. */
export interface BlueprintSettings {
  /** Leave out images named for these architectures, or whose index has no other (ppc64le, s390x). */
  excludeArchitectures?: string[];
  /** Pull from the sources (default) or the mirror; stored under the source names either way. */
  blueprintSource?: 'source' | 'mirror';
  /** Images listed besides the mirrored ones (MicroShift's own, from release-<arch>.json). */
  blueprintExtra?: BlueprintImage[];
}

export interface DryRunBlueprint {
  file: string;
  containers: number;
  excluded: number;
  /** Images referenced by tag, not digest (an install from the blueprint fails on them). */
  byTag: string[];
  unreadable: { image: string; error: string }[];
  /** Catalogs rebuilt by the real run: their digest is not known yet. */
  pendingCatalogs: string[];
  /** The blueprint asked to pull from the mirror, but an archive's destination is not chosen yet. */
  mirrorUnknown: boolean;
}

export async function writeDryRunBlueprint(
  plan: MirrorPlan,
  dir: string,
  opts: BlueprintSettings & { source: StoreResolver; destinationKnown: boolean; signal?: AbortSignal },
): Promise<DryRunBlueprint> {
  const location = opts.blueprintSource ?? 'source';
  const planned = await planBlueprintImages(plan, {
    sourceStore: (i) => opts.source(i.source),
    withMirror: opts.destinationKnown && location === 'mirror',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const bp = planBlueprint(withExtraImages(planned.images, opts.blueprintExtra ?? []), { ...(opts.excludeArchitectures ? { excludeArchitectures: opts.excludeArchitectures } : {}), location });
  const file = join(dir, DRY_RUN_BLUEPRINT);
  await writeFileAtomic(file, formatBlueprintToml(bp));
  return {
    file,
    containers: bp.containers.length,
    excluded: bp.excluded.length,
    byTag: [...bp.byTag],
    unreadable: planned.unreadable.map((u) => ({ image: u.image, error: u.error })),
    pendingCatalogs: planned.pendingCatalogs,
    mirrorUnknown: location === 'mirror' && !opts.destinationKnown,
  };
}

/** Just the blueprint settings of a run's options, absent ones left out. */
export function blueprintSettings(opts: BlueprintSettings): BlueprintSettings {
  return {
    ...(opts.excludeArchitectures?.length ? { excludeArchitectures: opts.excludeArchitectures } : {}),
    ...(opts.blueprintSource ? { blueprintSource: opts.blueprintSource } : {}),
    ...(opts.blueprintExtra?.length ? { blueprintExtra: opts.blueprintExtra } : {}),
  };
}
