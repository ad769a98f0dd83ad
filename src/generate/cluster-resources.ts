// Cluster resources for what was mirrored (reference §4.4): ImageDigestMirrorSet and ImageTagMirrorSet (and
// ImageContentSourcePolicy for clusters before 4.13), CatalogSource and ClusterCatalog per catalog image.
// Pure: data in, YAML text out, sorted so identical inputs give identical files.
import { stringify } from 'yaml';
import { byteOrder } from '../catalog/fbc/file-tree.js';
import { digestHex, type Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';

export type ImageKind = 'operator' | 'generic' | 'release' | 'catalog';

export interface MirroredImage {
  source: Reference;
  dest: Reference;
  /** The manifest digest that was mirrored. */
  digest: Digest;
  kind: ImageKind;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

const repo = (r: Reference) => `${r.registry}/${r.repository}`;

function yamlDoc(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, sortMapEntries: false });
}

/** source repository → mirror repositories, sorted; catalogs are left out (CatalogSources name them directly). */
function mirrorsByRepository(images: MirroredImage[], pick: (i: MirroredImage) => boolean): { source: string; mirrors: string[] }[] {
  const map = new Map<string, Set<string>>();
  for (const i of images) {
    if (i.kind === 'catalog' || !pick(i)) continue;
    const key = repo(i.source);
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(repo(i.dest));
  }
  return [...map.keys()].sort(byteOrder).map((source) => ({ source, mirrors: [...map.get(source)!].sort(byteOrder) }));
}

function byKind(images: MirroredImage[]): Map<ImageKind, MirroredImage[]> {
  const m = new Map<ImageKind, MirroredImage[]>();
  for (const i of images) m.set(i.kind, [...(m.get(i.kind) ?? []), i]);
  return m;
}

interface MirrorSetKind {
  apiVersion: string;
  kind: string;
  /** The spec list field: imageDigestMirrors, imageTagMirrors, repositoryDigestMirrors. */
  field: string;
  name: (imageKind: ImageKind) => string;
  path: string;
  pick?: (i: MirroredImage) => boolean;
}

/** One object per kind of image (generic, operator, release), each listing source → mirror repositories. */
function generateMirrorSets(images: MirroredImage[], set: MirrorSetKind): GeneratedFile | undefined {
  const docs: string[] = [];
  const kinds = byKind(images);
  for (const kind of ['generic', 'operator', 'release'] as const) {
    const entries = mirrorsByRepository(kinds.get(kind) ?? [], set.pick ?? (() => true));
    if (entries.length === 0) continue;
    docs.push(
      yamlDoc({
        apiVersion: set.apiVersion,
        kind: set.kind,
        metadata: { name: set.name(kind) },
        spec: { [set.field]: entries.map((e) => ({ mirrors: e.mirrors, source: e.source })) },
      }),
    );
  }
  return docs.length ? { path: set.path, content: docs.map((d) => `---\n${d}`).join('') } : undefined;
}

/** One ImageDigestMirrorSet per kind of image (idms-operator-0, idms-generic-0, idms-release-0). */
export function generateIdms(images: MirroredImage[]): GeneratedFile | undefined {
  return generateMirrorSets(images, { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', field: 'imageDigestMirrors', name: (k) => `idms-${k}-0`, path: 'idms-oc-mirror.yaml' });
}

/** ImageTagMirrorSet, only for images that were referenced by tag (a digest pull needs the IDMS instead). */
export function generateItms(images: MirroredImage[]): GeneratedFile | undefined {
  return generateMirrorSets(images, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageTagMirrorSet',
    field: 'imageTagMirrors',
    name: (k) => `itms-${k}-0`,
    path: 'itms-oc-mirror.yaml',
    pick: (i) => i.source.tag !== undefined && i.source.digest === undefined,
  });
}

/** ImageContentSourcePolicy (operator.openshift.io/v1alpha1) for clusters before OpenShift 4.13. */
export function generateIcsp(images: MirroredImage[]): GeneratedFile | undefined {
  return generateMirrorSets(images, { apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', field: 'repositoryDigestMirrors', name: (k) => `${k}-0`, path: 'imageContentSourcePolicy.yaml' });
}

/** A DNS-1123 name from parts: lower case, [a-z0-9-], at most 63 characters, no leading/trailing dash. */
export function resourceName(...parts: string[]): string {
  const name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return name.slice(0, 63).replace(/-$/, '');
}

function catalogSuffix(i: MirroredImage): string {
  return i.dest.tag ?? digestHex(i.digest).slice(0, 12);
}

export interface CatalogSourceOptions {
  /** Merged into the CatalogSource (e.g. spec.updateStrategy, spec.grpcPodConfig), like oc-mirror's template. */
  template?: Record<string, unknown>;
  namespace?: string;
}

/** A CatalogSource per catalog image, pointing at the mirrored catalog by digest. */
export function generateCatalogSources(images: MirroredImage[], opts: CatalogSourceOptions = {}): GeneratedFile[] {
  return images
    .filter((i) => i.kind === 'catalog')
    .sort((a, b) => byteOrder(repo(a.dest), repo(b.dest)))
    .map((i) => {
      const last = i.dest.repository.slice(i.dest.repository.lastIndexOf('/') + 1);
      const name = resourceName('cs', last, catalogSuffix(i));
      const tmplSpec = (opts.template?.spec ?? {}) as Record<string, unknown>;
      const doc = {
        apiVersion: 'operators.coreos.com/v1alpha1',
        kind: 'CatalogSource',
        metadata: { name, namespace: opts.namespace ?? 'openshift-marketplace' },
        spec: { ...tmplSpec, image: `${repo(i.dest)}@${i.digest}`, sourceType: 'grpc' },
      };
      return { path: `${name}.yaml`, content: yamlDoc(doc) };
    });
}

/** A ClusterCatalog (OLM v1) per catalog image, by digest. */
export function generateClusterCatalogs(images: MirroredImage[]): GeneratedFile[] {
  return images
    .filter((i) => i.kind === 'catalog')
    .sort((a, b) => byteOrder(repo(a.dest), repo(b.dest)))
    .map((i) => {
      const last = i.dest.repository.slice(i.dest.repository.lastIndexOf('/') + 1);
      const name = resourceName('cc', last, catalogSuffix(i));
      const doc = {
        apiVersion: 'olm.operatorframework.io/v1',
        kind: 'ClusterCatalog',
        metadata: { name },
        spec: { source: { type: 'Image', image: { ref: `${repo(i.dest)}@${i.digest}` } } },
      };
      return { path: `${name}.yaml`, content: yamlDoc(doc) };
    });
}

/** oc-mirror v2's mapping.txt: docker://SRC=docker://DST per line, sources pulled by digest, sorted. */
export function generateMapping(images: MirroredImage[]): string {
  const lines = images.map((i) => `docker://${repo(i.source)}@${i.digest}=docker://${repo(i.dest)}:${i.dest.tag ?? 'latest'}`);
  return lines.sort(byteOrder).map((l) => `${l}\n`).join('');
}
