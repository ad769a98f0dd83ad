// What `oc adm catalog mirror` writes in its manifests-<index>-<id>/ directory: mapping.txt (oc image mirror's
// SRC=DST lines, no transports), imageContentSourcePolicy.yaml and catalogSource.yaml. Pure: names in, text out.
import { stringify } from 'yaml';
import { byteOrder } from '../order.js';
import { formatReference, type Reference } from '../oci/reference.js';
import { repositoryMirrors } from './cluster-resources.js';

export const OC_MAPPING_FILE = 'mapping.txt';
export const OC_ICSP_FILE = 'imageContentSourcePolicy.yaml';
export const OC_CATALOG_SOURCE_FILE = 'catalogSource.yaml';

export interface OcMappingEntry {
  source: Reference;
  /** The destination as oc image mirror reads it: HOST/REPO:TAG, or file://DIR/KEY. */
  dest: string;
}

export interface OcCatalogManifests {
  /** The index's name: the last component of its repository (oc's reference Name). */
  name: string;
  mapping: OcMappingEntry[];
  /** Registry destinations only (oc writes no ICSP or CatalogSource for file://): each image and where it went. */
  mirrored?: { images: { source: Reference; dest: Reference }[]; catalogImage?: string };
}

/** The last component of a repository path: `catalogs/demo-index` → `demo-index`. */
export function indexName(ref: Reference): string {
  return ref.repository.split('/').pop()!;
}

// oc marshals with sigs.k8s.io/yaml (go-yaml v2: sorted keys, lists not indented under their key);
// YAML 1.1 because `oc apply` reads unquoted yes/no as booleans.
function yamlDoc(obj: unknown): string {
  return stringify(obj, { sortMapEntries: true, lineWidth: 0, indentSeq: false, version: '1.1' });
}

export function formatOcMapping(entries: readonly OcMappingEntry[]): string {
  return entries
    .map((e) => `${formatReference(e.source)}=${e.dest}\n`)
    .sort(byteOrder)
    .join('');
}

/**
 * One repositoryDigestMirrors entry per source repository, as oc's default --icsp-scope=repository. Only images
 * pulled by digest: an ICSP mirrors digest pulls, and oc leaves tag-only references out too.
 */
export function generateOcIcsp(name: string, images: readonly { source: Reference; dest: Reference }[]): string {
  const repositoryDigestMirrors = repositoryMirrors(images.filter((i) => i.source.digest)).map((e) => ({ mirrors: e.mirrors, source: e.source }));
  return yamlDoc({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name }, spec: { repositoryDigestMirrors } });
}

export function generateOcCatalogSource(name: string, image: string): string {
  return yamlDoc({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: { name, namespace: 'openshift-marketplace' }, spec: { image, sourceType: 'grpc' } });
}

/** The directory's files by name. */
export function ocCatalogManifestFiles(m: OcCatalogManifests): Map<string, string> {
  const files = new Map<string, string>([[OC_MAPPING_FILE, formatOcMapping(m.mapping)]]);
  if (m.mirrored) {
    files.set(OC_ICSP_FILE, generateOcIcsp(m.name, m.mirrored.images));
    if (m.mirrored.catalogImage) files.set(OC_CATALOG_SOURCE_FILE, generateOcCatalogSource(m.name, m.mirrored.catalogImage));
  }
  return files;
}
