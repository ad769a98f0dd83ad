// What a destination's cluster needs, from the mirror records of everything mirrored there: IDMS/ITMS (and ICSP on
// request), CatalogSources and ClusterCatalogs, MicroShift's registries.conf drop-in and blueprint entries, mapping.txt.
import { generateCatalogSources, generateClusterCatalogs, generateIcsp, generateIdms, generateItms, generateMapping, type GeneratedFile, type MirroredImage } from '../generate/cluster-resources.js';
import { generateBlueprintContainers, generateRegistriesConf } from '../generate/microshift.js';

export interface ClusterOutputOptions {
  icsp?: boolean;
}

/** Files for DIR/cluster-resources (paths relative to it). */
export function clusterResourceFiles(mirrored: MirroredImage[], opts: ClusterOutputOptions = {}): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const f of [generateIdms(mirrored), generateItms(mirrored), opts.icsp ? generateIcsp(mirrored) : undefined]) if (f) files.push(f);
  files.push(...generateCatalogSources(mirrored), ...generateClusterCatalogs(mirrored));
  const nonCatalog = mirrored.filter((m) => m.kind !== 'catalog');
  if (nonCatalog.length > 0) {
    files.push({ path: 'microshift/99-gantry-mirror.conf', content: generateRegistriesConf(nonCatalog) });
    files.push({ path: 'microshift/blueprint-containers.toml', content: generateBlueprintContainers(nonCatalog) });
  }
  return files;
}

/** mapping.txt: one docker://source=docker://mirror line per mirrored image (catalogs are rebuilt, not mapped). */
export function mappingFile(mirrored: MirroredImage[]): string {
  return generateMapping(mirrored.filter((m) => m.kind !== 'catalog'));
}
