// A registry+v1 bundle's properties, in the two steps opm takes: bundleParser.derivedProperties
// (OR:pkg/registry/parse.go) and ObjectsAndPropertiesFromBundle (OR:pkg/registry/registry_to_model.go).
import { canonicalJsonGoHtml } from '../encoding/index.js';
import type { ApiKey } from './bundle-apis.js';
import type { RawEntry } from './bundle-metadata.js';
import { GoDecodeError, goField, goString, goStruct } from './go-decode.js';
import {
  builtProperty,
  compareProperties,
  dedupeProperties,
  rawProperty,
  type RenderedProperty,
  TYPE_BUNDLE_OBJECT,
  TYPE_GVK,
  TYPE_GVK_REQUIRED,
  TYPE_PACKAGE,
  TYPE_PACKAGE_REQUIRED,
} from './rendered-property.js';

export interface PropertySources {
  packageName: string;
  version: string;
  release: string;
  /** metadata/properties.yaml, in file order. */
  propertiesFile: RawEntry[];
  /** The CSV's `olm.properties` annotation. */
  csvProperties: RawEntry[];
  /** metadata/dependencies.yaml, in file order. */
  dependencies: RawEntry[];
  provided: Iterable<ApiKey>;
  required: Iterable<ApiKey>;
  /** Every manifest object, in bundle order. */
  objects: Record<string, unknown>[];
}

/** property.Package; `release` is omitzero. */
export function packageProperty(packageName: string, version: string, release: string): RenderedProperty {
  return builtProperty(TYPE_PACKAGE, release === '' ? { packageName, version } : { packageName, version, release });
}

const gvkValue = (group: string, kind: string, version: string) => ({ group, kind, version });

/** property.BundleObject: base64 of json.Marshal(object) (sorted keys, `<>&` escaped, no newline). */
export function bundleObjectProperty(object: Record<string, unknown>): RenderedProperty {
  return builtProperty(TYPE_BUNDLE_OBJECT, { data: Buffer.from(canonicalJsonGoHtml(object), 'utf8').toString('base64') });
}

export class PropertyParseError extends Error {}

// json.Unmarshal of a property value into a struct of string fields.
function decodeFields(p: RenderedProperty, index: number, goType: string, names: string[]): string[] {
  try {
    if (p.valueText === '') throw new GoDecodeError('unexpected end of JSON input');
    const o = goStruct(p.value, goType);
    return names.map((n) => goString(o && goField(o, n), `${goType.split('.')[1]}.${n}`));
  } catch (err) {
    if (!(err instanceof GoDecodeError)) throw err;
    throw new PropertyParseError(`parse property[${index}] of type "${p.type}": ${err.message}`);
  }
}

/**
 * The sorted property list of a bundle (before render moves objects to the end). Throws PropertyParseError
 * where opm fails to read an olm.gvk or olm.package value.
 */
export function bundleProperties(src: PropertySources): RenderedProperty[] {
  // derivedProperties: CSV annotation properties, the package property in front, a gvk per provided API.
  let derived = src.csvProperties.map((e) => rawProperty(e.type, e.text));
  if (src.packageName !== '') derived = [packageProperty(src.packageName, src.version, src.release), ...derived];
  for (const k of src.provided) derived.push(builtProperty(TYPE_GVK, gvkValue(k.group, k.kind, k.version)));
  const bundleProps = dedupeProperties([...src.propertiesFile.map((e) => rawProperty(e.type, e.text)), ...dedupeProperties(derived)]);

  // ObjectsAndPropertiesFromBundle: gvks become a set, the last olm.package wins, the rest pass through.
  const provided = new Map<string, RenderedProperty>();
  const required = new Map<string, RenderedProperty>();
  const addGvk = (set: Map<string, RenderedProperty>, type: string, group: string, kind: string, version: string) => {
    const p = builtProperty(type, gvkValue(group, kind, version));
    set.set(p.valueText, p);
  };
  let pkg: RenderedProperty | undefined;
  const others: RenderedProperty[] = [];
  bundleProps.forEach((p, i) => {
    if (p.type === TYPE_GVK) {
      const [group, kind, version] = decodeFields(p, i, 'property.GVK', ['group', 'kind', 'version']);
      addGvk(provided, TYPE_GVK, group!, kind!, version!);
    } else if (p.type === TYPE_PACKAGE) {
      const [name, version, release] = decodeFields(p, i, 'property.Package', ['packageName', 'version', 'release']);
      pkg = packageProperty(name!, version!, release!);
    } else {
      others.push(p);
    }
  });
  const packageRequired: RenderedProperty[] = [];
  src.dependencies.forEach((d, i) => {
    const p = rawProperty(d.type, d.text);
    if (d.type === TYPE_GVK) {
      const [group, kind, version] = decodeFields(p, i, 'property.GVK', ['group', 'kind', 'version']);
      addGvk(required, TYPE_GVK_REQUIRED, group!, kind!, version!);
    } else if (d.type === TYPE_PACKAGE) {
      // A package dependency's `version` is a range: olm.package.required {packageName, versionRange}.
      const [name, version] = decodeFields(p, i, 'property.Package', ['packageName', 'version']);
      packageRequired.push(builtProperty(TYPE_PACKAGE_REQUIRED, { packageName: name!, versionRange: version! }));
    } else {
      others.push(p);
    }
  });
  for (const k of src.provided) addGvk(provided, TYPE_GVK, k.group, k.kind, k.version);
  for (const k of src.required) addGvk(required, TYPE_GVK_REQUIRED, k.group, k.kind, k.version);

  const props = [
    ...src.objects.map(bundleObjectProperty),
    pkg ?? packageProperty(src.packageName, src.version, src.release),
    ...provided.values(),
    ...required.values(),
    ...packageRequired,
    ...others,
  ];
  return props.sort(compareProperties);
}
