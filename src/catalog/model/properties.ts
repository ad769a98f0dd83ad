// Typed views of bundle properties (operator-registry alpha/property): olm.package, olm.gvk, olm.gvk.required,
// olm.package.required, olm.csv.metadata; parse errors in opm's words.

export interface PackageProperty {
  packageName: string;
  version: string;
  release?: string;
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface PackageRequired {
  packageName: string;
  versionRange: string;
}

function goTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Decodes a property value into a struct of string fields, like Go's json.Unmarshal into that struct. */
function decodeStruct<T>(value: unknown, goType: string, fields: string[]): T {
  if (value === undefined) throw new Error('unexpected end of JSON input');
  if (value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`json: cannot unmarshal ${goTypeOf(value)} into Go value of type ${goType}`);
  }
  const o = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const key = Object.hasOwn(o, f) ? f : Object.keys(o).find((k) => k.toLowerCase() === f.toLowerCase());
    if (key === undefined) continue;
    const v = o[key];
    if (v === null) continue;
    if (typeof v !== 'string') {
      throw new Error(`json: cannot unmarshal ${goTypeOf(v)} into Go struct field ${goType.split('.')[1]}.${f} of type string`);
    }
    out[f] = v;
  }
  return out as T;
}

export function decodePackageProperty(value: unknown): PackageProperty {
  const p = decodeStruct<PackageProperty>(value, 'property.Package', ['packageName', 'version', 'release']);
  return { packageName: p.packageName ?? '', version: p.version ?? '', ...(p.release ? { release: p.release } : {}) };
}

export function decodeGvk(value: unknown, goType = 'property.GVK'): Gvk {
  const g = decodeStruct<Gvk>(value, goType, ['group', 'kind', 'version']);
  return { group: g.group ?? '', version: g.version ?? '', kind: g.kind ?? '' };
}

export function decodePackageRequired(value: unknown): PackageRequired {
  const r = decodeStruct<PackageRequired>(value, 'property.PackageRequired', ['packageName', 'versionRange']);
  return { packageName: r.packageName ?? '', versionRange: r.versionRange ?? '' };
}

/** Checks the known property types of a bundle; returns opm's message for the first bad one. */
export function checkProperties(props: { type: string; value: unknown }[]): string | undefined {
  for (const [i, p] of props.entries()) {
    try {
      switch (p.type) {
        case 'olm.package':
          decodePackageProperty(p.value);
          break;
        case 'olm.gvk':
          decodeGvk(p.value);
          break;
        case 'olm.gvk.required':
          decodeGvk(p.value, 'property.GVKRequired');
          break;
        case 'olm.package.required':
          decodePackageRequired(p.value);
          break;
        default:
          if (p.value === undefined) throw new Error('unexpected end of JSON input');
      }
    } catch (err) {
      return `parse property[${i}] of type "${p.type}": ${(err as Error).message}`;
    }
  }
  return undefined;
}
