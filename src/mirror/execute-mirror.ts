// Mirror to mirror: copies every planned image (one copy run: shared connections, dedupe, limits, retries),
// rebuilds each filtered catalog on its original catalog image, then generates the cluster resources for what
// landed. Failures of single images do not stop the others; they are returned for the errors report.
import { createMemoryTree } from '../catalog/fbc/file-tree.js';
import { writeCatalogFiles } from '../catalog/fbc/write.js';
import { buildCatalogImage } from '../catalog/image/index.js';
import type { CopyEventListener } from '../copy/events.js';
import { createCopyRun, type CopyJob } from '../copy/copy-run.js';
import { generateCatalogSources, generateClusterCatalogs, generateIcsp, generateIdms, generateItms, generateMapping, type GeneratedFile, type MirroredImage } from '../generate/cluster-resources.js';
import { generateBlueprintContainers, generateRegistriesConf } from '../generate/microshift.js';
import { formatReference } from '../oci/reference.js';
import type { RegistryAccess, RegistrySession } from '../registry/registry-session.js';
import type { MirrorPlan, PlannedImage } from './plan-mirror.js';

export interface ExecuteOptions {
  session: RegistrySession;
  srcAccess: RegistryAccess;
  destAccess: RegistryAccess;
  onEvent?: CopyEventListener;
  failFast?: boolean;
  icsp?: boolean;
  signal?: AbortSignal;
}

export interface MirrorResult {
  mirrored: MirroredImage[];
  /** `what` names the source image or the catalog that failed. */
  failed: { what: string; catalog?: string; image?: PlannedImage; error: unknown }[];
  /** Files for DIR/cluster-resources. */
  clusterResources: GeneratedFile[];
  mapping: string;
}

export async function executeMirror(plan: MirrorPlan, opts: ExecuteOptions): Promise<MirrorResult> {
  const { session } = opts;
  const jobs: CopyJob[] = plan.images.map((i) => ({
    source: session.store(i.source.registry, i.source.repository, opts.srcAccess),
    sourceRef: i.source.digest ?? i.source.tag ?? 'latest',
    dest: session.store(i.dest.registry, i.dest.repository, opts.destAccess),
    destRef: i.dest.tag ?? 'latest',
  }));
  const run = createCopyRun({ ...(opts.onEvent ? { onEvent: opts.onEvent } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const results = await run.copyMany(jobs, { failFast: Boolean(opts.failFast) });
  const mirrored: MirroredImage[] = [];
  const failed: MirrorResult['failed'] = [];
  results.forEach((r, n) => {
    const img = plan.images[n]!;
    if (r.ok && r.digest) mirrored.push({ source: img.source, dest: img.dest, digest: r.digest, kind: img.kind });
    else failed.push({ what: `docker://${formatReference(img.source)}`, image: img, error: r.error });
  });

  // A catalog is rebuilt only when every image it needs landed: a catalog pointing at missing images installs nothing.
  for (const c of plan.catalogs) {
    const missing = failed.some((f) => f.image?.reasons.some((r) => 'catalog' in r && r.catalog === c.catalog));
    if (missing) {
      failed.push({ what: c.catalog, catalog: c.catalog, error: new Error('not rebuilt: some of its images failed to mirror') });
      continue;
    }
    try {
      const files = writeCatalogFiles(c.selected);
      const built = await buildCatalogImage({
        catalog: createMemoryTree(Object.fromEntries(files)),
        base: { store: c.store, reference: c.reference },
        dest: session.store(c.dest.registry, c.dest.repository, opts.destAccess),
        tag: c.dest.tag ?? 'latest',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const source = { registry: c.dest.registry, repository: c.dest.repository, ...(c.dest.tag ? { tag: c.dest.tag } : {}) };
      mirrored.push({ source, dest: c.dest, digest: built.digest, kind: 'catalog' });
    } catch (error) {
      failed.push({ what: c.catalog, catalog: c.catalog, error });
    }
  }

  const clusterResources: GeneratedFile[] = [];
  for (const f of [generateIdms(mirrored), generateItms(mirrored), opts.icsp ? generateIcsp(mirrored) : undefined]) if (f) clusterResources.push(f);
  clusterResources.push(...generateCatalogSources(mirrored), ...generateClusterCatalogs(mirrored));
  const nonCatalog = mirrored.filter((m) => m.kind !== 'catalog');
  if (nonCatalog.length > 0) {
    clusterResources.push({ path: 'microshift/99-gantry-mirror.conf', content: generateRegistriesConf(nonCatalog) });
    clusterResources.push({ path: 'microshift/blueprint-containers.toml', content: generateBlueprintContainers(nonCatalog) });
  }
  return { mirrored, failed, clusterResources, mapping: generateMapping(mirrored.filter((m) => m.kind !== 'catalog')) };
}

/** plan.json: every image with why it is included, and every catalog with what was kept and why. */
export function describePlan(plan: MirrorPlan): unknown {
  return {
    images: plan.images.map((i) => ({ source: formatReference(i.source), destination: formatReference(i.dest), kind: i.kind, reasons: i.reasons })),
    catalogs: plan.catalogs.map((c) => ({ catalog: c.catalog, destination: formatReference(c.dest), bundles: c.explanations })),
    blocked: plan.blocked,
    issues: plan.issues,
  };
}

/** mapping.txt for a plan (dry run): sources as the catalog names them, destinations by tag. */
export function planMapping(plan: MirrorPlan): string {
  return plan.images.map((i) => `docker://${formatReference(i.source)}=docker://${formatReference(i.dest)}\n`).join('');
}
