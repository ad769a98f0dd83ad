// Cluster resources for what was mirrored (reference §4.4): ImageDigestMirrorSet and ImageTagMirrorSet (and
// ImageContentSourcePolicy for clusters before 4.13), CatalogSource and ClusterCatalog per catalog image.
// Pure: data in, YAML text out, sorted so identical inputs give identical files.
import { stringify } from 'yaml';
import { byteOrder } from '../order.js';
import { digestHex, type Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';
import { generatedAnnotations, mergeAnnotations, type ResourceOptions } from './annotations.js';
import { applyCatalogSourceTemplate, catalogTemplateKey } from './catalog-source-template.js';
import { parseCatalogSourceTemplate, type CatalogSourceTemplate, type CatalogSourceTemplateIssue } from '../config/catalog-source-template.js';

export type { ResourceOptions } from './annotations.js';

/** graph: the graph-data image built for platform.graph (no IDMS entry, as oc-mirror; the UpdateService names it). */
export type ImageKind = 'operator' | 'generic' | 'release' | 'catalog' | 'graph';

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

// Written for YAML 1.1 readers: `oc apply` reads with sigs.k8s.io/yaml (go-yaml), where unquoted yes/no/on/off/y/n
// are booleans. A template's `enabled: "yes"` must stay quoted, or the API server gets a bool for a string field.
function yamlDoc(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, sortMapEntries: false, version: '1.1' });
}

/** source repository → mirror repositories, each list sorted: the spec of every mirror set and ICSP. */
export function repositoryMirrors(images: readonly { source: Reference; dest: Reference }[]): { source: string; mirrors: string[] }[] {
  const map = new Map<string, Set<string>>();
  for (const i of images) {
    const key = repo(i.source);
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(repo(i.dest));
  }
  return [...map.keys()].sort(byteOrder).map((source) => ({ source, mirrors: [...map.get(source)!].sort(byteOrder) }));
}

/** The same for mirrored images that `pick` keeps; catalogs are left out (CatalogSources name them directly). */
function mirrorsByRepository(images: MirroredImage[], pick: (i: MirroredImage) => boolean): { source: string; mirrors: string[] }[] {
  return repositoryMirrors(images.filter((i) => i.kind !== 'catalog' && pick(i)));
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
function generateMirrorSets(images: MirroredImage[], set: MirrorSetKind, opts: ResourceOptions): GeneratedFile | undefined {
  const docs: string[] = [];
  const kinds = byKind(images);
  for (const kind of ['generic', 'operator', 'release'] as const) {
    const entries = mirrorsByRepository(kinds.get(kind) ?? [], set.pick ?? (() => true));
    if (entries.length === 0) continue;
    docs.push(
      yamlDoc({
        apiVersion: set.apiVersion,
        kind: set.kind,
        metadata: { name: set.name(kind), annotations: generatedAnnotations(opts) },
        spec: { [set.field]: entries.map((e) => ({ mirrors: e.mirrors, source: e.source })) },
      }),
    );
  }
  return docs.length ? { path: set.path, content: docs.map((d) => `---\n${d}`).join('') } : undefined;
}

/** One ImageDigestMirrorSet per kind of image (idms-operator-0, idms-generic-0, idms-release-0). */
export function generateIdms(images: MirroredImage[], opts: ResourceOptions = {}): GeneratedFile | undefined {
  return generateMirrorSets(images, { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', field: 'imageDigestMirrors', name: (k) => `idms-${k}-0`, path: 'idms-oc-mirror.yaml' }, opts);
}

/** ImageTagMirrorSet, only for images that were referenced by tag (a digest pull needs the IDMS instead). */
export function generateItms(images: MirroredImage[], opts: ResourceOptions = {}): GeneratedFile | undefined {
  return generateMirrorSets(
    images,
    {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageTagMirrorSet',
    field: 'imageTagMirrors',
    name: (k) => `itms-${k}-0`,
    path: 'itms-oc-mirror.yaml',
      pick: (i) => i.source.tag !== undefined && i.source.digest === undefined,
    },
    opts,
  );
}

/** ImageContentSourcePolicy (operator.openshift.io/v1alpha1) for clusters before OpenShift 4.13. */
export function generateIcsp(images: MirroredImage[], opts: ResourceOptions = {}): GeneratedFile | undefined {
  return generateMirrorSets(images, { apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', field: 'repositoryDigestMirrors', name: (k) => `${k}-0`, path: 'imageContentSourcePolicy.yaml' }, opts);
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

/** A template as the caller read it; gantry parses and validates it (parseCatalogSourceTemplate). */
export interface CatalogSourceTemplateText {
  text: string;
  /** The file name, for issues (file:line:column). */
  file: string;
}

export interface CatalogSourceOptions extends ResourceOptions {
  /**
   * Per catalog, by catalogTemplateKey(dest) = `host/path:tag` of the mirrored catalog. Like oc-mirror's
   * targetCatalogSourceTemplate: everything in it is kept; see applyCatalogSourceTemplate for what gantry sets.
   */
  templates?: ReadonlyMap<string, CatalogSourceTemplateText>;
  /** Namespace when the template names none (default openshift-marketplace, as oc-mirror writes). */
  namespace?: string;
}

export interface CatalogSourcesResult {
  files: GeneratedFile[];
  /**
   * Template issues met while generating: an invalid template's (that catalog then gets the plain CatalogSource,
   * as oc-mirror falls back; validate templates with parseCatalogSourceTemplate before copying to avoid it) and
   * NAME_CONFLICT warnings (two catalogs' templates give the same namespace/name: those fall back to cs-…).
   */
  issues: CatalogSourceTemplateIssue[];
}

/** A CatalogSource per catalog image, pointing at the mirrored catalog by digest, with its template if any. */
export function buildCatalogSources(images: MirroredImage[], opts: CatalogSourceOptions = {}): CatalogSourcesResult {
  const issues: CatalogSourceTemplateIssue[] = [];
  // Parsed once per file (one template may serve several catalogs), so its issues are reported once.
  const parsed = new Map<string, CatalogSourceTemplate | undefined>();
  const templateFor = (dest: Reference): CatalogSourceTemplate | undefined => {
    const source = opts.templates?.get(catalogTemplateKey(dest));
    if (!source) return undefined;
    const id = `${source.file}\0${source.text}`;
    if (!parsed.has(id)) {
      const r = parseCatalogSourceTemplate(source.text, source.file);
      issues.push(...r.issues.filter((i) => i.severity === 'error'));
      parsed.set(id, r.template);
    }
    return parsed.get(id);
  };
  const namespace = opts.namespace ?? 'openshift-marketplace';
  const annotations = (t: CatalogSourceTemplate | undefined) => {
    const meta = t?.resource.metadata as { annotations?: Record<string, string> } | undefined;
    return mergeAnnotations(meta?.annotations ?? undefined, opts);
  };
  const entries = catalogs(images).map((i) => {
    const name = catalogResourceName('cs', i);
    const template = templateFor(i.dest);
    const fill = { name, namespace, image: `${repo(i.dest)}@${i.digest}`, annotations: annotations(template) };
    return { name, dest: i.dest, template, fill, doc: applyCatalogSourceTemplate(template, fill) };
  });

  // A name taken from a template can repeat (one template file for two catalogs, or for two tags of one); two
  // CatalogSources with one name would silently replace each other on apply, so those fall back to cs-….
  const key = (doc: Record<string, unknown>) => {
    const m = doc.metadata as { name: string; namespace: string };
    return `${m.namespace}/${m.name}`;
  };
  const count = new Map<string, number>();
  for (const e of entries) count.set(key(e.doc), (count.get(key(e.doc)) ?? 0) + 1);
  for (const e of entries) {
    const k = key(e.doc);
    if ((count.get(k) ?? 0) < 2 || !e.template?.positions['metadata.name']) continue;
    issues.push({
      code: 'NAME_CONFLICT',
      severity: 'warning',
      file: e.template.file,
      ...e.template.positions['metadata.name'],
      path: 'metadata.name',
      message: `CatalogSource ${k} would be generated for more than one catalog; ${catalogTemplateKey(e.dest)} gets ${e.name} instead`,
      hint: 'give each catalog its own template, or leave metadata.name out of the template',
    });
    e.doc = applyCatalogSourceTemplate(withoutName(e.template), e.fill);
  }
  return { files: entries.map((e) => ({ path: `${e.name}.yaml`, content: yamlDoc(e.doc) })), issues };
}

/** The files of buildCatalogSources (its issues are for callers that validate templates late). */
export function generateCatalogSources(images: MirroredImage[], opts: CatalogSourceOptions = {}): GeneratedFile[] {
  return buildCatalogSources(images, opts).files;
}

function withoutName(t: CatalogSourceTemplate): CatalogSourceTemplate {
  const meta = { ...(t.resource.metadata as Record<string, unknown>) };
  delete meta.name;
  return { ...t, resource: { ...t.resource, metadata: meta } };
}

function catalogs(images: MirroredImage[]): MirroredImage[] {
  return images.filter((i) => i.kind === 'catalog').sort((a, b) => byteOrder(repo(a.dest), repo(b.dest)) || byteOrder(catalogSuffix(a), catalogSuffix(b)));
}

/** cs-/cc-<last path component>-<tag or 12 hex of the digest>, as oc-mirror v2 names them. */
function catalogResourceName(prefix: string, i: MirroredImage): string {
  const last = i.dest.repository.slice(i.dest.repository.lastIndexOf('/') + 1);
  return resourceName(prefix, last, catalogSuffix(i));
}

/** A ClusterCatalog (OLM v1) per catalog image, by digest. */
export function generateClusterCatalogs(images: MirroredImage[], opts: ResourceOptions = {}): GeneratedFile[] {
  return catalogs(images).map((i) => {
    const name = catalogResourceName('cc', i);
    const doc = {
      apiVersion: 'olm.operatorframework.io/v1',
      kind: 'ClusterCatalog',
      metadata: { name, annotations: generatedAnnotations(opts) },
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
