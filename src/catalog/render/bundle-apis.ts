// The APIs a bundle provides and requires (OR:pkg/registry/bundle.go ProvidedAPIs, RequiredAPIs,
// AllProvidedAPIsInBundle): CRD versions in the manifests, owned/required CRDs and APIServices in the CSV.
import { type BundleCsv, csvDefinitions, type DefinitionKey } from './bundle-csv.js';
import { GoDecodeError } from './go-decode.js';

type Obj = Record<string, unknown>;

/** registry.APIKey: the plural is part of the identity, though properties drop it. */
export interface ApiKey {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/** APIKey.String(), also the set key. */
export function apiKeyText(k: ApiKey): string {
  return `${k.group}/${k.version}/${k.kind} (${k.plural})`;
}

export interface ManifestObject {
  file: string;
  value: Obj;
}

/** schema.ParseGroupVersion on apiVersion, as Unstructured.GroupVersionKind does (empty on a bad value). */
export function groupVersionOf(obj: Obj): { group: string; version: string } | undefined {
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  if (av === '' || av === '/') return { group: '', version: '' };
  const parts = av.split('/');
  if (parts.length === 1) return { group: '', version: av };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

// The CRD decode (k8s serializer, case-sensitive keys) of just the fields ProvidedAPIs reads.
function crdString(o: Obj | undefined, key: string, path: string): string {
  const v = o?.[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new GoDecodeError(`json: cannot unmarshal ${typeof v} into Go struct field ${path} of type string`);
  return v;
}

function crdObject(v: unknown, path: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new GoDecodeError(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field ${path}`);
  return v as Obj;
}

/** The keys one CRD manifest provides, or undefined when the object is not a CRD opm decodes. */
export function crdApiKeys(obj: ManifestObject): ApiKey[] | undefined {
  const o = obj.value;
  if (o.kind !== 'CustomResourceDefinition') return undefined;
  const gv = groupVersionOf(o);
  if (gv === undefined || (gv.version !== 'v1' && gv.version !== 'v1beta1')) return undefined;
  // bundle.cache decodes through a scheme that knows only apiextensions.k8s.io.
  if (gv.group !== 'apiextensions.k8s.io') {
    throw new GoDecodeError(`error decoding ${gv.version} CRD: no kind "CustomResourceDefinition" is registered for version "${o.apiVersion as string}"`);
  }
  const spec = crdObject(o.spec, 'CustomResourceDefinition.spec');
  const names = crdObject(spec?.names, 'CustomResourceDefinitionSpec.names');
  const group = crdString(spec, 'group', 'CustomResourceDefinitionSpec.spec.group');
  const kind = crdString(names, 'kind', 'CustomResourceDefinitionNames.names.kind');
  const plural = crdString(names, 'plural', 'CustomResourceDefinitionNames.names.plural');
  const versions = spec?.versions;
  if (versions !== undefined && versions !== null && !Array.isArray(versions)) {
    throw new GoDecodeError(`json: cannot unmarshal ${typeof versions} into Go struct field CustomResourceDefinitionSpec.spec.versions`);
  }
  const keys: ApiKey[] = [];
  for (const v of (versions as unknown[] | null | undefined) ?? []) {
    const vo = crdObject(v, 'CustomResourceDefinitionSpec.spec.versions');
    keys.push({ group, version: crdString(vo, 'name', 'CustomResourceDefinitionVersion.spec.versions.name'), kind, plural });
  }
  // v1beta1 also had a single spec.version.
  if (gv.version === 'v1beta1') {
    const single = crdString(spec, 'version', 'CustomResourceDefinitionSpec.spec.version');
    if (single !== '') keys.push({ group, version: single, kind, plural });
  }
  return keys;
}

function addKey(set: Map<string, ApiKey>, k: ApiKey): void {
  set.set(apiKeyText(k), k);
}

/** Bundle.ProvidedAPIs: every CRD version, and every APIService the CSV owns (the name as plural). */
export function providedApis(crdKeys: ApiKey[], csv: BundleCsv): Map<string, ApiKey> {
  const set = new Map<string, ApiKey>();
  for (const k of crdKeys) addKey(set, k);
  for (const d of csvDefinitions(csv, 'apiservicedefinitions').owned) addKey(set, { group: d.group, version: d.version, kind: d.kind, plural: d.name });
  return set;
}

// A CRD definition's name is "<plural>.<group>".
function crdDefinitionKey(d: DefinitionKey): ApiKey {
  const dot = d.name.indexOf('.');
  if (dot < 0) throw new GoDecodeError(`couldn't parse plural.group from crd name: ${d.name}`);
  return { group: d.name.slice(dot + 1), version: d.version, kind: d.kind, plural: d.name.slice(0, dot) };
}

/** Bundle.RequiredAPIs: the CSV's required CRDs and APIServices. */
export function requiredApis(csv: BundleCsv): Map<string, ApiKey> {
  const set = new Map<string, ApiKey>();
  for (const d of csvDefinitions(csv, 'customresourcedefinitions').required) addKey(set, crdDefinitionKey(d));
  for (const d of csvDefinitions(csv, 'apiservicedefinitions').required) addKey(set, { group: d.group, version: d.version, kind: d.kind, plural: d.name });
  return set;
}

/**
 * Bundle.AllProvidedAPIsInBundle: each CRD the CSV owns must be in the bundle, same plural, group, version
 * and kind. Returns the message opm fails with, or undefined. (Go reports whichever key its map yields
 * first; this reports the first in CSV order.)
 */
export function missingOwnedCrd(provided: Map<string, ApiKey>, csv: BundleCsv): string | undefined {
  for (const d of csvDefinitions(csv, 'customresourcedefinitions').owned) {
    const key = crdDefinitionKey(d);
    if (!provided.has(apiKeyText(key))) {
      // fmt prints the found set as a map with sorted struct keys.
      const found = [...provided.values()]
        .sort((a, b) => cmp(a.group, b.group) || cmp(a.version, b.version) || cmp(a.kind, b.kind) || cmp(a.plural, b.plural))
        .map((k) => `${apiKeyText(k)}:{}`);
      return `couldn't find ${apiKeyText(key)} in bundle. found: map[${found.join(' ')}]`;
    }
  }
  return undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
