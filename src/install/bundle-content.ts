// A registry+v1 bundle's content (BundleContent) read the way OLM v1's loader reads it (operator-controller
// rukpak/bundle/source FromFS): from a bundle directory's FileTree, or from a catalog's olm.bundle.object properties.
import { GantryError, throwIfAborted } from '../errors.js';
import { byteOrder } from '../order.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import type { Bundle } from '../catalog/fbc/types.js';
import { decodeAllDocuments, decodeFirstDocument, type DecodedDocument, DocumentError } from '../catalog/render/decode-document.js';
import { ANNOTATION_PACKAGE } from '../catalog/render/bundle-metadata.js';
import { TYPE_BUNDLE_OBJECT } from '../catalog/render/rendered-property.js';
import type { BundleContent, ManifestObject, ManifestOrigin } from './manifests.js';

/** Names the manifests directory of a registry+v1 bundle (bundle image label and annotations.yaml key). */
export const ANNOTATION_MANIFESTS_DIR = 'operators.operatorframework.io.bundle.manifests.v1';
const ANNOTATIONS_FILE = 'metadata/annotations.yaml';
const PROPERTIES_FILE = 'metadata/properties.yaml';
const PROPERTIES_ANNOTATION = 'olm.properties';

function invalid(message: string, hint?: string): GantryError {
  return new GantryError('MANIFEST_INVALID', message, hint === undefined ? {} : { hint });
}

const decoder = new TextDecoder('utf-8');

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// metadata/annotations.yaml: every annotation as a string (sigs.k8s.io/yaml turns scalars into the Go string field).
function readAnnotations(doc: DecodedDocument, file: string): Record<string, string> {
  if (!isObject(doc.value)) throw invalid(`${file}:${doc.line}: the annotations file is not a mapping`);
  const a = doc.value.annotations;
  if (a === undefined || a === null) return {};
  if (!isObject(a)) throw invalid(`${file}:${doc.line}: annotations is not a mapping`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (v === null || typeof v === 'object') throw invalid(`${file}:${doc.line}: annotation ${k} is not a string`);
    out[k] = String(v);
  }
  return out;
}

/** The manifests directory an annotation names ("manifests/" → "manifests"), "manifests" when unset. */
export function manifestsDirOf(annotations: Record<string, string>): string {
  const dir = (annotations[ANNOTATION_MANIFESTS_DIR] ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return dir === '' ? 'manifests' : dir;
}

// A document becomes an object as kubectl's unstructured decode takes it: a mapping with kind and apiVersion;
// a `kind: List` is flattened into its items (the loader's builder runs with Flatten()).
function objectsOf(doc: DecodedDocument, where: string): ManifestObject[] {
  const v = doc.value;
  if (!isObject(v)) throw invalid(`${where}: not a Kubernetes object (a ${Array.isArray(v) ? 'list' : typeof v})`);
  if (typeof v.kind !== 'string' || v.kind === '') throw invalid(`${where}: Object 'Kind' is missing`);
  if (typeof v.apiVersion !== 'string' || v.apiVersion === '') throw invalid(`${where}: Object 'apiVersion' is missing`);
  if (v.kind === 'List' || (v.kind.endsWith('List') && Array.isArray(v.items))) {
    return (Array.isArray(v.items) ? v.items : []).flatMap((item) => objectsOf({ ...doc, value: item }, where));
  }
  const meta = isObject(v.metadata) ? v.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') throw invalid(`${where}: ${v.kind} has no metadata.name`);
  return [{ ...v, metadata: { ...meta, name: meta.name } } as ManifestObject];
}

// olm.properties on the CSV gets metadata/properties.yaml's entries appended, as OLM v1's loader does
// (copyMetadataPropertiesToCSV); the CSV's annotations reach every Deployment's pod template.
function mergeProperties(csv: ManifestObject, extra: unknown[], csvOrigin: string): ManifestObject {
  const current = csv.metadata.annotations?.[PROPERTIES_ANNOTATION];
  let all: unknown[] = [];
  if (current !== undefined) {
    try {
      const parsed: unknown = JSON.parse(current);
      all = Array.isArray(parsed) ? parsed : [];
    } catch (err) {
      throw invalid(`${csvOrigin}: failed to unmarshal csv.metadata.annotations['olm.properties']: ${(err as Error).message}`);
    }
  }
  all = [...all, ...extra.map((p) => (isObject(p) ? { type: p.type, value: p.value ?? null } : p))];
  // Go's json.Marshal escapes <, > and & inside strings.
  const text = JSON.stringify(all).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return { ...csv, metadata: { ...csv.metadata, annotations: { ...csv.metadata.annotations, [PROPERTIES_ANNOTATION]: text } } };
}

async function readText(tree: FileTree, file: string, signal: AbortSignal | undefined): Promise<string> {
  throwIfAborted(signal);
  return decoder.decode(await tree.read(file, signal ? { signal } : {}));
}

function decodeOr<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof DocumentError) throw invalid(`${file}:${err.line}: ${err.message}`);
    throw err;
  }
}

function assemble(objects: ManifestObject[], origins: ManifestOrigin[], where: string, pkg: string, annotations: Record<string, string>): BundleContent {
  // With two CSVs the loader keeps the last one it read; no CSV stays among the other objects, as there.
  let csvAt = -1;
  for (let j = 0; j < objects.length; j++) if (objects[j]!.kind === 'ClusterServiceVersion') csvAt = j;
  if (csvAt === -1) throw invalid(`no ClusterServiceVersion found in ${where}`, 'a registry+v1 bundle needs a ClusterServiceVersion manifest');
  const others = objects.map((o, j) => ({ o, origin: origins[j]! })).filter(({ o }) => o.kind !== 'ClusterServiceVersion');
  return {
    package: pkg,
    csv: objects[csvAt]!,
    csvOrigin: origins[csvAt]!,
    objects: others.map((x) => x.o),
    origins: others.map((x) => x.origin),
    annotations,
  };
}

/**
 * Reads a registry+v1 bundle directory: metadata/annotations.yaml (required), every file of the manifests
 * directory (every document of each, multi-document files allowed as in OLM v1; subdirectories refused) and
 * metadata/properties.yaml. Errors are MANIFEST_INVALID and name file:line.
 */
export interface ReadBundleContentOptions {
  signal?: AbortSignal;
  /** Annotations to use when metadata/annotations.yaml is absent (a bundle image's labels carry the same keys). */
  fallbackAnnotations?: Record<string, string>;
}

export async function readBundleContent(tree: FileTree, opts: ReadBundleContentOptions = {}): Promise<BundleContent> {
  const { signal } = opts;
  const paths = await tree.list(signal ? { signal } : {});
  let annotations: Record<string, string>;
  if (paths.includes(ANNOTATIONS_FILE)) {
    const annotationsText = await readText(tree, ANNOTATIONS_FILE, signal);
    annotations = readAnnotations(decodeOr(ANNOTATIONS_FILE, () => decodeFirstDocument(annotationsText)), ANNOTATIONS_FILE);
  } else if (opts.fallbackAnnotations !== undefined) {
    annotations = opts.fallbackAnnotations;
  } else {
    throw invalid(`${ANNOTATIONS_FILE} not found`, 'a registry+v1 bundle directory holds manifests/ and metadata/annotations.yaml');
  }
  const dir = manifestsDirOf(annotations);
  const files = paths.filter((p) => p.startsWith(`${dir}/`)).sort(byteOrder);
  if (files.length === 0) throw invalid(`no manifests found in ${dir}/`, `a registry+v1 bundle keeps its ClusterServiceVersion and CRDs in ${dir}/`);
  const objects: ManifestObject[] = [];
  const origins: ManifestOrigin[] = [];
  for (const file of files) {
    const rest = file.slice(dir.length + 1);
    if (rest.includes('/')) throw invalid(`subdirectories are not allowed within the "${dir}" directory of the bundle: found "${dir}/${rest.split('/')[0]}"`);
    const text = await readText(tree, file, signal);
    for (const doc of decodeOr(file, () => decodeAllDocuments(text))) {
      const where = `${file}:${doc.line}`;
      for (const o of objectsOf(doc, where)) {
        objects.push(o);
        origins.push(where);
      }
    }
  }
  const content = assemble(objects, origins, `${dir}/`, annotations[ANNOTATION_PACKAGE] ?? '', annotations);
  if (paths.includes(PROPERTIES_FILE)) {
    const text = await readText(tree, PROPERTIES_FILE, signal);
    const doc = decodeOr(PROPERTIES_FILE, () => decodeFirstDocument(text));
    const list = isObject(doc.value) ? doc.value.properties : undefined;
    if (list !== undefined && list !== null && !Array.isArray(list)) throw invalid(`${PROPERTIES_FILE}:${doc.line}: properties is not a list`);
    if (Array.isArray(list) && list.length > 0) {
      content.csv = mergeProperties(content.csv, list, content.csvOrigin);
    }
  }
  return content;
}

function decodeBase64(data: string): string {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}

/**
 * A catalog bundle's content from its olm.bundle.object properties (base64 `data` of each manifest, in
 * property order). Null when it has none (a catalog migrated to olm.csv.metadata): read the bundle image then.
 */
export function bundleContentFromCatalog(bundle: Bundle, where = `bundle ${bundle.name}`): BundleContent | null {
  const objects: ManifestObject[] = [];
  const origins: ManifestOrigin[] = [];
  for (const [i, p] of (bundle.properties ?? []).entries()) {
    if (p.type !== TYPE_BUNDLE_OBJECT) continue;
    const origin = `${where} property ${i}`;
    const data = isObject(p.value) ? p.value.data : undefined;
    if (typeof data !== 'string') throw invalid(`${origin}: ${TYPE_BUNDLE_OBJECT} has no base64 data`);
    let value: unknown;
    try {
      value = JSON.parse(decodeBase64(data));
    } catch (err) {
      throw invalid(`${origin}: ${TYPE_BUNDLE_OBJECT} data is not base64 JSON: ${(err as Error).message}`);
    }
    for (const o of objectsOf({ value, line: 1, more: false }, origin)) {
      objects.push(o);
      origins.push(origin);
    }
  }
  if (objects.length === 0) return null;
  return assemble(objects, origins, where, bundle.package, {});
}
