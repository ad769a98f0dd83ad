// What a destination's cluster needs, from the mirror records of everything mirrored there: IDMS/ITMS (and ICSP on
// request), CatalogSources and ClusterCatalogs, MicroShift's registries.conf drop-in and blueprint entries, mapping.txt.
import { buildCatalogSources, generateClusterCatalogs, generateIcsp, generateIdms, generateItms, generateMapping, type CatalogSourceTemplateText, type GeneratedFile, type MirroredImage } from '../generate/cluster-resources.js';
import type { CatalogSourceTemplateIssue } from '../config/catalog-source-template.js';
import { generateBlueprintContainers, generateRegistriesConf, type BlueprintOptions } from '../generate/microshift.js';
import { generateUpdateService } from '../generate/update-service.js';

export interface ClusterOutputOptions {
  icsp?: boolean;
  /** CatalogSource templates by catalogTemplateKey(destination). */
  templates?: ReadonlyMap<string, CatalogSourceTemplateText>;
  /** Recorded in the resources' annotations. */
  version?: string;
  /** MicroShift blueprint: architectures left out, and the per-architecture digests of multi-platform images. */
  blueprint?: BlueprintOptions;
}

/** Files for DIR/cluster-resources (paths relative to it). */
export function clusterResourceFiles(mirrored: MirroredImage[], opts: ClusterOutputOptions = {}): { files: GeneratedFile[]; issues: CatalogSourceTemplateIssue[] } {
  const files: GeneratedFile[] = [];
  const v = opts.version ? { version: opts.version } : {};
  for (const f of [generateIdms(mirrored, v), generateItms(mirrored, v), opts.icsp ? generateIcsp(mirrored, v) : undefined]) if (f) files.push(f);
  const sources = buildCatalogSources(mirrored, { ...v, ...(opts.templates ? { templates: opts.templates } : {}) });
  files.push(...sources.files, ...generateClusterCatalogs(mirrored, v));
  const updateService = generateUpdateService(mirrored, v);
  if (updateService) files.push(updateService);
  // Built images (catalogs, the graph image) are named by their resources, not mapped from a source.
  const nonCatalog = mirrored.filter((m) => m.kind !== 'catalog' && m.kind !== 'graph');
  if (nonCatalog.length > 0) {
    files.push({ path: 'microshift/99-gantry-mirror.conf', content: generateRegistriesConf(nonCatalog) });
    // The blueprint includes the catalogs: a device must find the catalog image its CatalogSource names.
    files.push({ path: 'microshift/blueprint-containers.toml', content: generateBlueprintContainers(mirrored.filter((m) => m.kind !== 'graph'), opts.blueprint ?? {}) });
  }
  return { files, issues: sources.issues };
}

/** mapping.txt: one docker://source=docker://mirror line per mirrored image (catalogs are rebuilt, not mapped). */
export function mappingFile(mirrored: MirroredImage[]): string {
  return generateMapping(mirrored.filter((m) => m.kind !== 'catalog' && m.kind !== 'graph'));
}
