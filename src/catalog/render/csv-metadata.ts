// The olm.csv.metadata value (OR:alpha/property/property.go CSVMetadata, MustBuildCSVMetadata) built from a
// CSV the way opm's migration does: the CSV decoded into operator-framework/api v1alpha1 types, then encoded.
import { parseVersionTolerant } from '../../semver/index.js';
import { byteOrder } from '../../order.js';
import { GoDecodeError, goBool, goField, goInt32, goSlice, goString, goStringMap, goStruct } from './go-decode.js';

type Obj = Record<string, unknown>;

/*
 * Key order is Go's struct field order (API:pkg/operators/v1alpha1/clusterserviceversion_types.go); `?` fields
 * are omitempty and left out when empty. Struct-typed fields (apiServiceDefinitions, crdDescriptions,
 * provider) are always written, `{}` when empty: omitempty never applies to a struct.
 */

function put(out: Obj, key: string, value: unknown): void {
  if (value === undefined || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value;
}

function sortedMap(m: Record<string, string> | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  const keys = Object.keys(m).sort(byteOrder);
  if (keys.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = m[k]!;
  return out;
}

// A json.RawMessage taken from CsvJSON, which json.Marshal wrote with sorted keys.
function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (v === null || typeof v !== 'object') return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort(byteOrder)) out[k] = sortedCopy((v as Obj)[k]);
  return out;
}

const field = (o: Obj | undefined, name: string): unknown => (o === undefined ? undefined : goField(o, name));
const str = (o: Obj | undefined, name: string, ctx: string) => goString(field(o, name), `${ctx}.${name}`);
const strings = (o: Obj | undefined, name: string, ctx: string) => goSlice(field(o, name), '[]string', `${ctx}.${name}`, (x) => goString(x, `${ctx}.${name}`));

function resources(o: Obj | undefined, ctx: string): Obj[] {
  return goSlice(field(o, 'resources'), '[]v1alpha1.APIResourceReference', `${ctx}.resources`, (x) => {
    const r = goStruct(x, 'v1alpha1.APIResourceReference');
    return { name: str(r, 'name', 'APIResourceReference'), kind: str(r, 'kind', 'APIResourceReference'), version: str(r, 'version', 'APIResourceReference') };
  });
}

function descriptors(o: Obj | undefined, key: string, goType: string): Obj[] {
  return goSlice(field(o, key), `[]v1alpha1.${goType}`, key, (x) => {
    const d = goStruct(x, `v1alpha1.${goType}`);
    const out: Obj = { path: str(d, 'path', goType) };
    put(out, 'displayName', str(d, 'displayName', goType));
    put(out, 'description', str(d, 'description', goType));
    put(out, 'x-descriptors', strings(d, 'x-descriptors', goType));
    // json.RawMessage: present (even as null) means written.
    const value = field(d, 'value');
    if (value !== undefined) out.value = sortedCopy(value);
    return out;
  });
}

function describedFields(out: Obj, o: Obj | undefined, ctx: string): Obj {
  put(out, 'displayName', str(o, 'displayName', ctx));
  put(out, 'description', str(o, 'description', ctx));
  put(out, 'resources', resources(o, ctx));
  put(out, 'statusDescriptors', descriptors(o, 'statusDescriptors', 'StatusDescriptor'));
  put(out, 'specDescriptors', descriptors(o, 'specDescriptors', 'SpecDescriptor'));
  put(out, 'actionDescriptors', descriptors(o, 'actionDescriptors', 'ActionDescriptor'));
  return out;
}

function crdDescription(x: unknown): Obj {
  const o = goStruct(x, 'v1alpha1.CRDDescription');
  const ctx = 'CRDDescription';
  return describedFields({ name: str(o, 'name', ctx), version: str(o, 'version', ctx), kind: str(o, 'kind', ctx) }, o, ctx);
}

function apiServiceDescription(x: unknown): Obj {
  const o = goStruct(x, 'v1alpha1.APIServiceDescription');
  const ctx = 'APIServiceDescription';
  const out: Obj = { name: str(o, 'name', ctx), group: str(o, 'group', ctx), version: str(o, 'version', ctx), kind: str(o, 'kind', ctx) };
  put(out, 'deploymentName', str(o, 'deploymentName', ctx));
  put(out, 'containerPort', goInt32(field(o, 'containerPort'), `${ctx}.containerPort`));
  return describedFields(out, o, ctx);
}

function ownedRequired(v: unknown, goType: string, item: (x: unknown) => Obj): Obj {
  const o = goStruct(v, goType);
  const out: Obj = {};
  put(out, 'owned', goSlice(field(o, 'owned'), '[]', `${goType}.owned`, item));
  put(out, 'required', goSlice(field(o, 'required'), '[]', `${goType}.required`, item));
  return out;
}

function appLink(x: unknown, ctx: string): Obj {
  const o = goStruct(x, 'v1alpha1.AppLink', ctx);
  const out: Obj = {};
  put(out, 'name', str(o, 'name', 'AppLink'));
  put(out, 'url', str(o, 'url', 'AppLink'));
  return out;
}

// blang NewPRVersion, for OperatorRelease.UnmarshalJSON.
function checkPrereleasePart(s: string): void {
  if (s === '') throw new GoDecodeError('Prerelease is empty');
  if (/^[0-9]+$/.test(s)) {
    if (s.length > 1 && s.startsWith('0')) throw new GoDecodeError(`Numeric PreRelease version must not contain leading zeroes "${s}"`);
    if (BigInt(s) > 18446744073709551615n) throw new GoDecodeError(`strconv.ParseUint: parsing "${s}": value out of range`);
  } else if (!/^[0-9A-Za-z-]+$/.test(s)) {
    throw new GoDecodeError(`Invalid character(s) found in prerelease "${s}"`);
  }
}

/**
 * The olm.csv.metadata value for a CSV object, fields in Go's order. Throws GoDecodeError where decoding the
 * CSV into v1alpha1.ClusterServiceVersion fails for the fields it reads (and spec.version / spec.release, whose
 * decoders parse them as semver). Errors elsewhere in the CSV that Go's full decode would hit are not seen.
 */
export function buildCsvMetadata(csv: Obj): Obj {
  const meta = goStruct(goField(csv, 'metadata'), 'v1.ObjectMeta', 'metadata');
  const spec = goStruct(goField(csv, 'spec'), 'v1alpha1.ClusterServiceVersionSpec', 'spec');
  const version = field(spec, 'version');
  if (version !== undefined) {
    try {
      parseVersionTolerant(goString(version, 'ClusterServiceVersionSpec.spec.version'));
    } catch (err) {
      throw new GoDecodeError(version === null || version === '' ? 'Version string empty' : (err as Error).message);
    }
  }
  const release = field(spec, 'release');
  if (release !== undefined) for (const part of goString(release, 'ClusterServiceVersionSpec.spec.release').split('.')) checkPrereleasePart(part);

  const ctx = 'ClusterServiceVersionSpec';
  const out: Obj = {};
  put(out, 'annotations', sortedMap(goStringMap(field(meta, 'annotations'), 'ObjectMeta.metadata.annotations')));
  out.apiServiceDefinitions = ownedRequired(field(spec, 'apiservicedefinitions'), 'v1alpha1.APIServiceDefinitions', apiServiceDescription);
  out.crdDescriptions = ownedRequired(field(spec, 'customresourcedefinitions'), 'v1alpha1.CustomResourceDefinitions', crdDescription);
  put(out, 'description', str(spec, 'description', ctx));
  put(out, 'displayName', str(spec, 'displayName', ctx));
  put(
    out,
    'installModes',
    goSlice(field(spec, 'installModes'), '[]v1alpha1.InstallMode', `${ctx}.installModes`, (x) => {
      const o = goStruct(x, 'v1alpha1.InstallMode');
      return { type: str(o, 'type', 'InstallMode'), supported: goBool(field(o, 'supported'), 'InstallMode.supported') };
    }),
  );
  put(out, 'keywords', strings(spec, 'keywords', ctx));
  put(out, 'labels', sortedMap(goStringMap(field(meta, 'labels'), 'ObjectMeta.metadata.labels')));
  put(out, 'links', goSlice(field(spec, 'links'), '[]v1alpha1.AppLink', `${ctx}.links`, (x) => appLink(x, `${ctx}.links`)));
  put(
    out,
    'maintainers',
    goSlice(field(spec, 'maintainers'), '[]v1alpha1.Maintainer', `${ctx}.maintainers`, (x) => {
      const o = goStruct(x, 'v1alpha1.Maintainer');
      const m: Obj = {};
      put(m, 'name', str(o, 'name', 'Maintainer'));
      put(m, 'email', str(o, 'email', 'Maintainer'));
      return m;
    }),
  );
  put(out, 'maturity', str(spec, 'maturity', ctx));
  put(out, 'minKubeVersion', str(spec, 'minKubeVersion', ctx));
  put(
    out,
    'nativeAPIs',
    goSlice(field(spec, 'nativeAPIs'), '[]v1.GroupVersionKind', `${ctx}.nativeAPIs`, (x) => {
      const o = goStruct(x, 'v1.GroupVersionKind');
      return { group: str(o, 'group', 'GroupVersionKind'), version: str(o, 'version', 'GroupVersionKind'), kind: str(o, 'kind', 'GroupVersionKind') };
    }),
  );
  out.provider = appLink(field(spec, 'provider'), `${ctx}.provider`);
  return out;
}
