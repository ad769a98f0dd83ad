// `opm render <bundle-dir>` for registry+v1 bundle directories (OR:alpha/action/render.go, pkg/registry/
// parse.go, bundle.go, csv.go, registry_to_model.go; reference §3.1): one olm.bundle, plus its graph fields.
import { GantryError, throwIfAborted } from '../../errors.js';
import { byteOrder, type FileTree } from '../fbc/file-tree.js';
import type { Bundle, ChannelEntry, RelatedImage } from '../fbc/types.js';
import { type ApiKey, crdApiKeys, type ManifestObject, groupVersionOf, missingOwnedCrd, providedApis, requiredApis } from './bundle-apis.js';
import { type BundleCsv, csvAnnotation, csvOperatorImages, csvRelatedImages, csvRelease, csvReplaces, csvSkips, csvVersion, readCsv } from './bundle-csv.js';
import { ANNOTATION_CHANNELS, ANNOTATION_DEFAULT_CHANNEL, ANNOTATION_PACKAGE, type BundleAnnotations, decodeAnnotations, type RawEntry, readCsvProperties, readRawEntries } from './bundle-metadata.js';
import { bundleProperties, PropertyParseError } from './bundle-properties.js';
import { buildCsvMetadata } from './csv-metadata.js';
import { decodeFirstDocument, type DecodedDocument, DocumentError } from './decode-document.js';
import { GoDecodeError } from './go-decode.js';
import { collectRelatedImages } from './related-images.js';
import { builtProperty, moveObjectsToEnd, type RenderedProperty, TYPE_BUNDLE_OBJECT, TYPE_CSV_METADATA } from './rendered-property.js';

/**
 * opm's --migrate-level. 'none' (opm's default since v1.46.0) inlines every manifest as olm.bundle.object;
 * 'bundle-object-to-csv-metadata' (and 'all', currently the same) replaces those with one olm.csv.metadata,
 * but, as in opm, only for a bundle that has an image (OR:alpha/action/migrations/000_bundle_object_to_csv_metadata.go
 * returns early when `b.Image == ""`).
 */
export type MigrateLevel = 'none' | 'bundle-object-to-csv-metadata' | 'all';
const MIGRATE_LEVELS: readonly string[] = ['none', 'bundle-object-to-csv-metadata', 'all'];

export interface RenderBundleDirOptions {
  /** The bundle's image reference. opm leaves it empty for a directory (unless --alpha-image-ref-template). */
  image?: string;
  migrateLevel?: MigrateLevel;
  /**
   * opm skips, without a word, manifest files it cannot decode, documents after the first in a file, a second
   * CSV, and unreadable metadata files. By default so does this (each becomes a warning); with `strict` each is
   * an error instead.
   */
  strict?: boolean;
  signal?: AbortSignal;
}

export interface RenderWarning {
  file: string;
  line?: number;
  message: string;
}

/** An olm.bundle as rendering makes it: a Bundle whose properties carry their key order and value text. */
export interface RenderedBundle extends Bundle {
  properties: RenderedProperty[];
  relatedImages: RelatedImage[];
}

export interface BundleDirRender {
  bundle: RenderedBundle;
  /** The bundle's channel-entry fields from its CSV: name, replaces, skips, skipRange (annotation olm.skipRange). */
  graph: ChannelEntry;
  /** CSV annotation olm.substitutesFor, when set. */
  substitutesFor?: string;
  /** From metadata/annotations.yaml: the channels split at "," as opm does (no trimming), the default channel. */
  channels: string[];
  defaultChannel: string;
  warnings: RenderWarning[];
}

const PROPERTIES_ANNOTATION = 'olm.properties';

function invalid(message: string, hint?: string): GantryError {
  return new GantryError('MANIFEST_INVALID', message, hint === undefined ? {} : { hint });
}

function where(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

const decoder = new TextDecoder('utf-8');

// Only the top level of a bundle subdirectory is read (fs.ReadDir), in name order.
function topLevel(paths: string[], dir: string): { file: string; name: string }[] {
  return paths
    .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))
    .map((file) => ({ file, name: file.slice(dir.length + 1) }))
    .sort((a, b) => byteOrder(a.name, b.name));
}

async function readDocument(tree: FileTree, file: string, signal: AbortSignal | undefined): Promise<DecodedDocument> {
  throwIfAborted(signal);
  const bytes = await tree.read(file, signal ? { signal } : {});
  return decodeFirstDocument(decoder.decode(bytes));
}

// Unstructured.UnmarshalJSON: an object with a kind (and a parseable apiVersion), or a decode error.
function manifestObject(doc: DecodedDocument): Record<string, unknown> {
  const v = doc.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new DocumentError(v === null ? "Object 'Kind' is missing in 'null'" : `json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`, doc.line);
  }
  const o = v as Record<string, unknown>;
  if (typeof o.kind !== 'string' || o.kind === '' || groupVersionOf(o) === undefined) throw new DocumentError("Object 'Kind' is missing", doc.line);
  return o;
}

interface Manifests {
  objects: ManifestObject[];
  csv: ManifestObject | undefined;
}

async function readManifests(tree: FileTree, paths: string[], warn: (w: RenderWarning) => void, signal: AbortSignal | undefined): Promise<Manifests> {
  for (const p of paths) {
    if (p.startsWith('manifests/') && p.slice('manifests/'.length).includes('/')) warn({ file: p, message: 'not read: opm reads only the top level of manifests/' });
  }
  const objects: ManifestObject[] = [];
  let csv: ManifestObject | undefined;
  for (const { file, name } of topLevel(paths, 'manifests')) {
    if (name.startsWith('.')) continue;
    let doc: DecodedDocument;
    let value: Record<string, unknown>;
    try {
      doc = await readDocument(tree, file, signal);
      value = manifestObject(doc);
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
      warn({ file, line: err.line, message: `skipped, opm cannot decode it: ${err.message}` });
      continue;
    }
    if (doc.more) warn({ file, line: doc.line, message: 'only the first document is read: opm takes one object per manifest file' });
    const obj = { file, value };
    if (value.kind === 'ClusterServiceVersion') {
      if (csv !== undefined) {
        warn({ file, line: doc.line, message: `skipped: a second ClusterServiceVersion (opm keeps the first, ${csv.file})` });
        continue;
      }
      csv = obj;
    }
    objects.push(obj);
  }
  return { objects, csv };
}

interface Metadata {
  annotations: BundleAnnotations;
  dependencies: RawEntry[];
  properties: RawEntry[];
}

/** addMetadata: every file is tried as each of the three; the first (in name order) that fits each wins. */
/** metadata/annotations.yaml (or .yml, .json): the file a user means as the annotations file. */
function isAnnotationsName(file: string): boolean {
  return /^metadata\/annotations\.(ya?ml|json)$/.test(file);
}

async function readMetadata(tree: FileTree, paths: string[], warn: (w: RenderWarning) => void, signal: AbortSignal | undefined): Promise<Metadata> {
  let annotations: BundleAnnotations | undefined;
  let dependencies: RawEntry[] | undefined;
  let properties: RawEntry[] | undefined;
  // Why the annotations file (by name) did not count, for a better word than opm's "Could not find".
  let annotationsProblem: string | undefined;
  for (const { file } of topLevel(paths, 'metadata')) {
    let doc: DecodedDocument;
    try {
      doc = await readDocument(tree, file, signal);
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
      if (isAnnotationsName(file)) annotationsProblem ??= `${where(file, err.line)}: invalid annotations file: ${err.message}`;
      warn({ file, line: err.line, message: `skipped, opm cannot decode it: ${err.message}` });
      continue;
    }
    if (annotations === undefined) {
      try {
        annotations = decodeAnnotations(doc);
      } catch (err) {
        if (!(err instanceof GoDecodeError)) throw err;
        if (isAnnotationsName(file)) annotationsProblem ??= `${where(file, doc.line)}: invalid annotations file: ${err.message}`;
      }
      if (annotations === undefined && isAnnotationsName(file)) {
        annotationsProblem ??= `${where(file, doc.line)}: the annotations file has none of ${ANNOTATION_PACKAGE}, ${ANNOTATION_CHANNELS}, ${ANNOTATION_DEFAULT_CHANNEL}`;
      }
    }
    for (const key of ['dependencies', 'properties'] as const) {
      if (key === 'dependencies' ? dependencies !== undefined : properties !== undefined) continue;
      let entries: RawEntry[];
      try {
        entries = readRawEntries(doc, key);
      } catch (err) {
        if (!(err instanceof GoDecodeError)) throw err;
        // Not a dependencies (properties) file; worth a word only when it says it is one.
        const top = doc.value !== null && typeof doc.value === 'object' && !Array.isArray(doc.value) ? (doc.value as Record<string, unknown>) : {};
        if (Object.keys(top).some((k) => k.toLowerCase() === key)) warn({ file, line: doc.line, message: `${key} ignored, opm cannot decode them: ${err.message}` });
        continue;
      }
      if (entries.length === 0) continue;
      if (key === 'dependencies') dependencies = entries;
      else properties = entries;
    }
  }
  if (annotations === undefined) {
    const hint = 'metadata/annotations.yaml needs annotations.operators.operatorframework.io.bundle.package.v1';
    throw invalid(annotationsProblem ?? 'Could not find annotations file', hint);
  }
  return { annotations, dependencies: dependencies ?? [], properties: properties ?? [] };
}

function goDecode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof GoDecodeError) throw invalid(`${what}: ${err.message}`);
    throw err;
  }
}

// The graph fields are not part of `opm render`; a malformed one is a warning here, not a failure.
function readGraph(csv: BundleCsv, name: string, warn: (w: RenderWarning) => void): ChannelEntry {
  const entry: ChannelEntry = { name };
  const attempt = <T>(field: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof GoDecodeError)) throw err;
      warn({ file: csv.file, message: `spec.${field} ignored: ${err.message}` });
      return undefined;
    }
  };
  const replaces = attempt('replaces', () => csvReplaces(csv));
  if (replaces) entry.replaces = replaces;
  const skips = attempt('skips', () => csvSkips(csv));
  if (skips && skips.length > 0) entry.skips = skips;
  const skipRange = csvAnnotation(csv, 'olm.skipRange');
  if (skipRange) entry.skipRange = skipRange;
  return entry;
}

/**
 * Renders a registry+v1 bundle directory (a tree holding manifests/ and metadata/) into the olm.bundle
 * `opm render` writes for it, with the CSV's channel-graph fields and the channels from the annotations.
 * Failures opm fails on are GantryError MANIFEST_INVALID; what opm silently skips is listed in `warnings`.
 */
export async function renderBundleDirDetailed(tree: FileTree, opts: RenderBundleDirOptions = {}): Promise<BundleDirRender> {
  const { signal } = opts;
  const image = opts.image ?? '';
  const level = opts.migrateLevel ?? 'none';
  if (!MIGRATE_LEVELS.includes(level)) throw new GantryError('USAGE', `unknown migration level "${level as string}"`, { hint: `use one of ${MIGRATE_LEVELS.join(', ')}` });
  const warnings: RenderWarning[] = [];
  const warn = (w: RenderWarning) => {
    if (opts.strict) throw invalid(`${where(w.file, w.line)}: ${w.message}`, 'opm would skip this silently; drop `strict` to do the same');
    warnings.push(w);
  };
  const paths = await tree.list(signal ? { signal } : {});

  // addManifests
  const { objects, csv: csvObject } = await readManifests(tree, paths, warn, signal);
  if (objects.length === 0) throw invalid('no bundle objects found', 'a bundle directory needs manifests/ with a ClusterServiceVersion');
  if (csvObject === undefined) throw invalid('no csv in bundle', 'manifests/ needs a ClusterServiceVersion');
  const csv = goDecode(csvObject.file, () => readCsv(csvObject.value, csvObject.file));
  const crdKeys: ApiKey[] = [];
  for (const o of objects) crdKeys.push(...(goDecode(o.file, () => crdApiKeys(o)) ?? []));
  const name = csv.name;
  const provided = goDecode(csv.file, () => providedApis(crdKeys, csv));
  const missing = goDecode(csv.file, () => missingOwnedCrd(provided, csv));
  if (missing !== undefined) {
    throw invalid(`error checking provided apis in bundle ${name}: ${missing}`, 'every CRD in the CSV spec.customresourcedefinitions.owned needs a CRD manifest with that name, version and kind');
  }

  // addMetadata, then derivedProperties and ObjectsAndPropertiesFromBundle
  const metadata = await readMetadata(tree, paths, warn, signal);
  const packageName = metadata.annotations.packageName;
  const version = goDecode(`failed to derive properties: ${csv.file}: spec.version`, () => csvVersion(csv));
  const release = goDecode(`failed to derive properties: ${csv.file}: spec.release`, () => csvRelease(csv));
  let csvProperties: RawEntry[] = [];
  const propertiesText = csv.annotations?.[PROPERTIES_ANNOTATION];
  if (propertiesText !== undefined) {
    const r = readCsvProperties(propertiesText);
    if (r.problem !== undefined) warn({ file: csv.file, message: `annotation ${PROPERTIES_ANNOTATION}: ${r.problem}` });
    csvProperties = r.entries;
  }
  const required = goDecode(csv.file, () => requiredApis(csv));
  let properties: RenderedProperty[];
  try {
    properties = bundleProperties({
      packageName,
      version,
      release,
      propertiesFile: metadata.properties,
      csvProperties,
      dependencies: metadata.dependencies,
      provided: provided.values(),
      required: required.values(),
      objects: objects.map((o) => o.value),
    });
  } catch (err) {
    if (err instanceof PropertyParseError) throw invalid(`get properties for bundle "${name}": ${err.message}`);
    throw err;
  }
  properties = moveObjectsToEnd(properties);

  const relatedImages = goDecode(`get related images for bundle "${name}": ${csv.file}`, () =>
    collectRelatedImages(csvRelatedImages(csv), image, csvOperatorImages(csv)),
  );

  if (level !== 'none' && image !== '' && !properties.some((p) => p.type === TYPE_CSV_METADATA)) {
    const metadataValue = goDecode(`migrate: ${csv.file}`, () => buildCsvMetadata(csv.object));
    properties = [...properties.filter((p) => p.type !== TYPE_BUNDLE_OBJECT), builtProperty(TYPE_CSV_METADATA, metadataValue)];
  }

  const bundle: RenderedBundle = { schema: 'olm.bundle', name, package: packageName, image, properties, relatedImages };
  const result: BundleDirRender = {
    bundle,
    graph: readGraph(csv, name, warn),
    channels: metadata.annotations.channels === '' ? [] : metadata.annotations.channels.split(','),
    defaultChannel: metadata.annotations.defaultChannel,
    warnings,
  };
  const substitutesFor = csvAnnotation(csv, 'olm.substitutesFor');
  if (substitutesFor) result.substitutesFor = substitutesFor;
  return result;
}

/** The olm.bundle of `opm render <bundle-dir>`; see renderBundleDirDetailed for the graph and warnings. */
export async function renderBundleDir(tree: FileTree, opts: RenderBundleDirOptions = {}): Promise<RenderedBundle> {
  return (await renderBundleDirDetailed(tree, opts)).bundle;
}
