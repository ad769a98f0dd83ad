// One catalog bundle in one channel as opm's api.Bundle (OR:pkg/api/model_to_api.go, reference §4.3): APIs,
// dependencies and properties as JSON strings, the CSV from olm.bundle.object or synthesised from olm.csv.metadata.
import { parse as parseYaml } from 'yaml';
import { canonicalJson, quoteGoString } from '../../catalog/encoding/index.js';
import type { Bundle, ChannelEntry, Package } from '../../catalog/fbc/types.js';

export interface ApiGvk {
  group: string;
  version: string;
  kind: string;
  plural?: string;
}

export interface ApiDeprecation {
  message: string;
}

/** api.Bundle with opm's field names (the proto is written with them, so these objects go on the wire as-is). */
export interface ApiBundle {
  csvName: string;
  packageName: string;
  channelName: string;
  csvJson: string;
  object: string[];
  bundlePath: string;
  providedApis: ApiGvk[];
  requiredApis: ApiGvk[];
  version: string;
  skipRange: string;
  dependencies: { type: string; value: string }[];
  properties: { type: string; value: string }[];
  replaces: string;
  skips: string[];
  deprecation?: ApiDeprecation;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function gvkOf(value: unknown): ApiGvk {
  const v = isObj(value) ? value : {};
  return { group: str(v.group), version: str(v.version), kind: str(v.kind) };
}

/**
 * The objects of olm.bundle.object properties as opm loads them: base64 data, YAML or JSON, turned into compact
 * JSON by sigs.k8s.io/yaml's ToJSON, which keeps the document's key order. Data that does not parse is left
 * out (opm would refuse the catalog).
 */
export function bundleObjects(b: Bundle): string[] {
  const out: string[] = [];
  for (const p of b.properties ?? []) {
    if (p.type !== 'olm.bundle.object' || !isObj(p.value) || typeof p.value.data !== 'string') continue;
    const text = Buffer.from(p.value.data, 'base64').toString('utf8');
    try {
      out.push(JSON.stringify(parseYaml(text)));
    } catch {
      // not YAML or JSON: no object
    }
  }
  return out;
}

const isCsv = (json: string): boolean => {
  try {
    return (JSON.parse(json) as { kind?: unknown }).kind === 'ClusterServiceVersion';
  } catch {
    return false;
  }
};

/** Facts of a bundle that do not depend on the channel it is listed in: computed once per bundle. */
export interface BundleFacts {
  version: string;
  providedApis: ApiGvk[];
  requiredApis: ApiGvk[];
  dependencies: { type: string; value: string }[];
  properties: { type: string; value: string }[];
  /** The one olm.csv.metadata value, when there is exactly one (current opm synthesises a CSV from it). */
  csvMetadata?: Obj;
}

export function bundleFacts(b: Bundle): BundleFacts {
  let version = '';
  const providedApis: ApiGvk[] = [];
  const requiredApis: ApiGvk[] = [];
  const dependencies: { type: string; value: string }[] = [];
  const properties: { type: string; value: string }[] = [];
  const metadatas: Obj[] = [];
  for (const p of b.properties ?? []) {
    switch (p.type) {
      case 'olm.package':
        if (isObj(p.value)) version = str(p.value.version);
        break;
      case 'olm.gvk':
        providedApis.push(gvkOf(p.value));
        break;
      case 'olm.gvk.required':
        requiredApis.push(gvkOf(p.value));
        dependencies.push({ type: 'olm.gvk', value: canonicalJson(p.value) });
        break;
      case 'olm.package.required': {
        // Rebuilt as an olm.package value (property.MustBuildPackage): {packageName, version}, `<>&` kept raw.
        const v = isObj(p.value) ? p.value : {};
        dependencies.push({ type: 'olm.package', value: `{"packageName":${quoteGoString(str(v.packageName))},"version":${quoteGoString(str(v.versionRange))}}` });
        break;
      }
      case 'olm.csv.metadata':
        if (isObj(p.value)) metadatas.push(p.value);
        break;
    }
    // Current opm leaves out both: objects would double a CSV projected from properties, and the metadata
    // is served as the synthesised CSV instead (v1.26.5 still listed olm.csv.metadata here). Values are the
    // loaded blob's re-encoding: sorted keys, compact (opm escapes `<>&` only when the file was YAML).
    if (p.type !== 'olm.bundle.object' && p.type !== 'olm.csv.metadata') properties.push({ type: p.type, value: canonicalJson(p.value) });
  }
  return { version, providedApis, requiredApis, dependencies, properties, ...(metadatas.length === 1 ? { csvMetadata: metadatas[0] } : {}) };
}

/**
 * The CSV current opm synthesises from olm.csv.metadata (csvMetadataToCsv): the metadata fields in a
 * ClusterServiceVersion, its name, the package icon, a stub `deployment` install strategy (OLM's package
 * server needs one), the version, relatedImages, and the package description when the CSV has none.
 * Key order follows Go's struct order; fields the metadata carries are copied as they were loaded.
 */
export function synthesiseCsv(b: Bundle, pkg: Package | undefined, version: string, m: Obj): string {
  const metadata: Obj = { name: b.name, creationTimestamp: null };
  if (isObj(m.labels) && Object.keys(m.labels).length > 0) metadata.labels = m.labels;
  if (isObj(m.annotations) && Object.keys(m.annotations).length > 0) metadata.annotations = m.annotations;
  const spec: Obj = { install: { strategy: 'deployment', spec: { deployments: null } } };
  const put = (key: string, v: unknown) => {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return;
    spec[key] = v;
  };
  put('version', version);
  put('maturity', m.maturity);
  spec.customresourcedefinitions = isObj(m.crdDescriptions) ? m.crdDescriptions : {};
  spec.apiservicedefinitions = isObj(m.apiServiceDefinitions) ? m.apiServiceDefinitions : {};
  put('nativeAPIs', m.nativeAPIs);
  put('minKubeVersion', m.minKubeVersion);
  spec.displayName = str(m.displayName);
  put('description', str(m.description) || (pkg?.description ?? ''));
  put('keywords', m.keywords);
  put('maintainers', m.maintainers);
  spec.provider = isObj(m.provider) ? m.provider : {};
  put('links', m.links);
  if (pkg?.icon) spec.icon = [{ base64data: pkg.icon.base64data, mediatype: pkg.icon.mediatype }];
  put('installModes', m.installModes);
  spec.cleanup = { enabled: false };
  put('relatedImages', (b.relatedImages ?? []).map((r) => ({ name: r.name, image: r.image })));
  return JSON.stringify({ kind: 'ClusterServiceVersion', apiVersion: 'operators.coreos.com/v1alpha1', metadata, spec, status: { cleanup: {} } });
}

/** The CSV text and objects of a bundle (the same in every channel). */
export function bundleCsv(b: Bundle, pkg: Package | undefined, facts: BundleFacts): { csvJson: string; object: string[] } {
  const object = bundleObjects(b);
  let csvJson = object.find(isCsv) ?? '';
  if (csvJson === '' && facts.csvMetadata) {
    csvJson = synthesiseCsv(b, pkg, facts.version, facts.csvMetadata);
    if (object.length === 0) object.push(csvJson);
  }
  return { csvJson, object };
}

export interface ApiBundleInput {
  bundle: Bundle;
  entry: ChannelEntry;
  channel: string;
  facts: BundleFacts;
  /** Leave out csvJson and object (ListBundles for a bundle with an image), sparing their cost. */
  csv?: { csvJson: string; object: string[] };
  deprecation?: string;
}

export function toApiBundle(i: ApiBundleInput): ApiBundle {
  return {
    csvName: i.bundle.name,
    packageName: i.bundle.package,
    channelName: i.channel,
    csvJson: i.csv?.csvJson ?? '',
    object: i.csv?.object ?? [],
    bundlePath: i.bundle.image,
    providedApis: i.facts.providedApis,
    requiredApis: i.facts.requiredApis,
    version: i.facts.version,
    skipRange: i.entry.skipRange ?? '',
    dependencies: i.facts.dependencies,
    properties: i.facts.properties,
    replaces: i.entry.replaces ?? '',
    skips: i.entry.skips ?? [],
    ...(i.deprecation !== undefined ? { deprecation: { message: i.deprecation } } : {}),
  };
}
