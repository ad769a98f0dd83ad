// The ClusterServiceVersion as opm's registry package reads it (OR:pkg/registry/csv.go): name and
// annotations from metadata, then spec fields looked up one by one in the raw spec, each with Go's types.
import { formatGoFloatG } from '../encoding/go-yaml-resolve.js';
import { GoDecodeError, goField, goSlice, goString, goStringMap, goStruct } from './go-decode.js';

type Obj = Record<string, unknown>;

export interface DefinitionKey {
  group: string;
  kind: string;
  name: string;
  version: string;
}

export interface Definitions {
  owned: DefinitionKey[];
  required: DefinitionKey[];
}

export interface CsvRelatedImage {
  name: string;
  image: string;
}

export interface BundleCsv {
  /** The object as decoded (for olm.bundle.object and olm.csv.metadata). */
  object: Obj;
  file: string;
  name: string;
  annotations: Record<string, string> | undefined;
  labels: Record<string, string> | undefined;
  /** The raw `spec` (exact key, as registry.ClusterServiceVersion.UnmarshalSpec takes it). */
  spec: unknown;
}

/** registry.ClusterServiceVersion.UnmarshalJSON: the metadata part goes through metav1.ObjectMeta's types. */
export function readCsv(object: Obj, file: string): BundleCsv {
  const meta = goStruct(goField(object, 'metadata'), 'v1.ObjectMeta', 'metadata');
  return {
    object,
    file,
    name: goString(meta && goField(meta, 'name'), 'ObjectMeta.metadata.name'),
    annotations: goStringMap(meta && goField(meta, 'annotations'), 'ObjectMeta.metadata.annotations'),
    labels: goStringMap(meta && goField(meta, 'labels'), 'ObjectMeta.metadata.labels'),
    spec: object.spec,
  };
}

// Every getter starts with json.Unmarshal(csv.Spec, &map[string]*json.RawMessage): a CSV without spec fails
// there (Spec is empty), a null spec reads as an empty map.
function specMap(csv: BundleCsv): Obj {
  if (csv.spec === undefined) throw new GoDecodeError('unexpected end of JSON input');
  if (csv.spec === null) return {};
  if (typeof csv.spec !== 'object' || Array.isArray(csv.spec)) {
    throw new GoDecodeError(`json: cannot unmarshal ${Array.isArray(csv.spec) ? 'array' : typeof csv.spec} into Go value of type map[string]*json.RawMessage`);
  }
  return csv.spec as Obj;
}

// The map lookup is exact (a Go map, not a struct); a JSON null counts as absent.
function specValue(csv: BundleCsv, key: string): unknown {
  const v = specMap(csv)[key];
  return v === null ? undefined : v;
}

export function csvVersion(csv: BundleCsv): string {
  return goString(specValue(csv, 'version'));
}

/** GetRelease: a string, or a number written as an integer (%d) or with %g. */
export function csvRelease(csv: BundleCsv): string {
  const v = specValue(csv, 'release');
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : formatGoFloatG(v);
  throw new GoDecodeError('release field must be a string or number');
}

export function csvReplaces(csv: BundleCsv): string {
  return goString(specValue(csv, 'replaces'));
}

export function csvSkips(csv: BundleCsv): string[] {
  return goSlice(specValue(csv, 'skips'), '[]string', '', (x) => goString(x));
}

export function csvAnnotation(csv: BundleCsv, key: string): string {
  return csv.annotations?.[key] ?? '';
}

function definitionKey(x: unknown): DefinitionKey {
  const o = goStruct(x, 'registry.DefinitionKey');
  return {
    group: goString(o && goField(o, 'group'), 'DefinitionKey.group'),
    kind: goString(o && goField(o, 'kind'), 'DefinitionKey.kind'),
    name: goString(o && goField(o, 'name'), 'DefinitionKey.name'),
    version: goString(o && goField(o, 'version'), 'DefinitionKey.version'),
  };
}

/** GetCustomResourceDefintions / GetApiServiceDefinitions: owned and required definition keys. */
export function csvDefinitions(csv: BundleCsv, key: 'customresourcedefinitions' | 'apiservicedefinitions'): Definitions {
  const o = goStruct(specValue(csv, key), 'struct');
  return {
    owned: goSlice(o && goField(o, 'owned'), '[]*registry.DefinitionKey', '.owned', definitionKey),
    required: goSlice(o && goField(o, 'required'), '[]*registry.DefinitionKey', '.required', definitionKey),
  };
}

/** render.go getRelatedImages: spec.relatedImages as []declcfg.RelatedImage, duplicates and all. */
export function csvRelatedImages(csv: BundleCsv): CsvRelatedImage[] {
  return goSlice(specValue(csv, 'relatedImages'), '[]declcfg.RelatedImage', '', (x) => {
    const o = goStruct(x, 'declcfg.RelatedImage');
    return { name: goString(o && goField(o, 'name'), 'RelatedImage.name'), image: goString(o && goField(o, 'image'), 'RelatedImage.image') };
  });
}

function containerImages(podSpec: Obj | undefined, key: string): string[] {
  return goSlice(podSpec && goField(podSpec, key), '[]v1.Container', `PodSpec.${key}`, (c) => {
    const o = goStruct(c, 'v1.Container');
    return goString(o && goField(o, 'image'), 'Container.image');
  });
}

/**
 * GetOperatorImages: every containers[].image and initContainers[].image of the install strategy's
 * deployments (an absent image counts, as ""), only when the strategy is "deployment". The whole spec goes
 * through Go types on the way; only the fields on this path are type-checked here.
 */
export function csvOperatorImages(csv: BundleCsv): Set<string> {
  const spec = specMap(csv);
  const install = goStruct(goField(spec, 'Install'), 'registry.strategy', 'install');
  const strategy = goString(install && goField(install, 'strategy'), 'strategy.install.strategy');
  const details = goStruct(install && goField(install, 'spec'), 'registry.strategySpec', 'install.spec');
  const images = new Set<string>();
  const deployments = goSlice(details && goField(details, 'Deployments'), '[]registry.dep', 'install.spec.deployments', (d) => {
    const dep = goStruct(d, 'registry.dep');
    const depSpec = goStruct(dep && goField(dep, 'Spec'), 'v1.DeploymentSpec', 'dep.Spec');
    const template = goStruct(depSpec && goField(depSpec, 'template'), 'v1.PodTemplateSpec', 'DeploymentSpec.template');
    const podSpec = goStruct(template && goField(template, 'spec'), 'v1.PodSpec', 'PodTemplateSpec.spec');
    return [...containerImages(podSpec, 'containers'), ...containerImages(podSpec, 'initContainers')];
  });
  if (strategy !== 'deployment') return images;
  for (const list of deployments) for (const img of list) images.add(img);
  return images;
}
