// Package description and icon taken from a bundle's CSV, as the semver template sets them since opm v1.65.0
// (OR:alpha/template/semver/semver.go populatePackageMetadata; pkg/registry/csv.go GetDescription, GetIcons).
import { Buffer } from 'node:buffer';
import type { Bundle, Icon } from '../fbc/types.js';

export interface PackageMetadata {
  description?: string;
  icon?: Icon;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's base64.StdEncoding as encoding/json decodes []byte: CR/LF ignored, padding required. */
function decodeStdBase64(s: string): Buffer | undefined {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) return undefined;
  return Buffer.from(t, 'base64');
}

/**
 * Description and first icon of a CSV, as opm's ClusterServiceVersion.GetDescription / GetIcons read them
 * (exact keys under `spec`; any decoding error drops that piece). Empty ones are left out.
 */
export function packageMetadataFromCsv(csv: unknown): PackageMetadata {
  const out: PackageMetadata = {};
  if (!isObject(csv) || !Object.hasOwn(csv, 'spec')) return out;
  const spec = csv.spec;
  if (spec === null || !isObject(spec)) return out;
  const desc = spec.description;
  if (typeof desc === 'string' && desc !== '') out.description = desc;
  const icons = spec.icon;
  if (Array.isArray(icons) && icons.length > 0) {
    const decoded: Icon[] = [];
    for (const icon of icons) {
      if (icon === null) {
        decoded.push({ base64data: '', mediatype: '' });
        continue;
      }
      if (!isObject(icon)) return out;
      let data = '';
      let mediatype = '';
      for (const [k, v] of Object.entries(icon)) {
        const key = k.toLowerCase();
        if (key === 'base64data' && v !== null) {
          const bytes = typeof v === 'string' ? decodeStdBase64(v) : undefined;
          if (bytes === undefined) return out;
          data = bytes.toString('base64');
        } else if (key === 'mediatype' && v !== null) {
          if (typeof v !== 'string') return out;
          mediatype = v;
        }
      }
      decoded.push({ base64data: data, mediatype });
    }
    out.icon = decoded[0]!;
  }
  return out;
}

/**
 * The CSV of a rendered bundle: its `olm.bundle.object` of kind ClusterServiceVersion. opm keeps the CSV
 * beside the bundle in memory; a bundle rendered with only `olm.csv.metadata` yields its description.
 */
export function csvOfBundle(b: Bundle): unknown {
  for (const p of b.properties ?? []) {
    if (p.type !== 'olm.bundle.object' || !isObject(p.value) || typeof p.value.data !== 'string') continue;
    const bytes = decodeStdBase64(p.value.data);
    if (!bytes) continue;
    try {
      const obj: unknown = JSON.parse(bytes.toString('utf8'));
      if (isObject(obj) && obj.kind === 'ClusterServiceVersion') return obj;
    } catch {
      continue;
    }
  }
  const meta = (b.properties ?? []).find((p) => p.type === 'olm.csv.metadata');
  if (meta && isObject(meta.value) && typeof meta.value.description === 'string') return { spec: { description: meta.value.description } };
  return undefined;
}
