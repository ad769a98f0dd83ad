// Comparing gantry's api.Registry answers with answers recorded from `opm serve` (scripts/record-opm-grpc.mjs):
// the named normalisations, each one a place where opm is non-deterministic or v1.26.5 predates current opm.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../catalog/encoding/index.js';
import { byteOrder } from '../order.js';
import type { CallError, RegistryMethod } from './registry-client.js';

/**
 * Why a recorded answer and gantry's may differ, and what the comparison does about it:
 * - `map-order`: opm streams in Go map order, and v1.26.5 lists a package's channels so too; streams and
 *   GetPackage channels are compared as sorted lists.
 * - `property-json`: property and dependency values are JSON texts; v1.26.5 escapes `<>&` as `\u003c…` in some
 *   (values from YAML files), so they are compared as JSON (parsed and written canonically).
 * - `replaces-tie`: GetBundleThatReplaces picks any of several bundles (map order); the recording holds opm's
 *   answer for every candidate (its GetBundle answer; opm's own pick checked to be among them), and gantry's
 *   must be one of them.
 * - `csv-metadata-property`: v1.26.5 lists olm.csv.metadata among a bundle's properties; current opm leaves it out
 *   (the recording's property is dropped).
 * - `synthesised-csv`: v1.26.5 serves no CSV for a bundle that has only olm.csv.metadata; current opm synthesises
 *   one into csvJson and object (gantry's synthesised CSV is dropped here and checked in unit tests).
 * - `deprecations`: v1.26.5 has no deprecation fields (gantry's are dropped here and checked in unit tests).
 */
export const NORMALISATIONS = ['map-order', 'property-json', 'replaces-tie', 'csv-metadata-property', 'synthesised-csv', 'deprecations'] as const;

export const BUNDLE_METHODS = new Set<RegistryMethod>(['GetBundle', 'GetBundleForChannel', 'GetBundleThatReplaces', 'GetDefaultBundleThatProvides', 'ListBundles']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A recorded call: the request and opm's outcome (`answers` when opm gave several over repeated calls). */
export interface RecordedCall {
  method: RegistryMethod;
  request: Record<string, string>;
  answer?: unknown;
  answers?: unknown[];
  error?: CallError;
}

export interface Recording {
  recordedWith: string;
  catalog: string;
  /** Bundles stored as { csvName, channelName, digest } (the sha256 of the normalised bundle) and channel-entry
   *  streams as { count, digest }, to keep files small. */
  bundleDigests: boolean;
  calls: RecordedCall[];
}

/** Recording side: what current opm would answer where v1.26.5 differs (`csv-metadata-property`). */
export function normaliseRecordedBundle(b: unknown): unknown {
  if (!isObj(b) || !Array.isArray(b.properties)) return b;
  const properties = (b.properties as Obj[]).filter((p) => p.type !== 'olm.csv.metadata');
  const out: Obj = { ...b };
  if (properties.length > 0) out.properties = properties;
  else delete out.properties;
  return out;
}

/**
 * Gantry side: drop what v1.26.5 cannot have said (`synthesised-csv`, `deprecations`). A CSV counts as
 * synthesised when it carries the stub install strategy current opm writes (no deployments).
 */
export function normaliseGantryBundle(b: unknown): unknown {
  if (!isObj(b)) return b;
  const out: Obj = { ...b };
  delete out.deprecation;
  if (typeof out.csvJson === 'string' && isSynthesisedCsv(out.csvJson)) {
    delete out.csvJson;
    if (Array.isArray(out.object) && out.object.length === 1 && out.object[0] === b.csvJson) delete out.object;
  }
  return out;
}

export function isSynthesisedCsv(csvJson: string): boolean {
  try {
    const csv = JSON.parse(csvJson) as { spec?: { install?: { strategy?: string; spec?: { deployments?: unknown } } } };
    return csv.spec?.install?.strategy === 'deployment' && csv.spec.install.spec?.deployments === null;
  } catch {
    return false;
  }
}

export function normaliseGantryOther(v: unknown): unknown {
  if (!isObj(v)) return v;
  const out: Obj = { ...v };
  delete out.deprecation;
  if (Array.isArray(out.channels)) out.channels = out.channels.map((c) => normaliseGantryOther(c));
  return out;
}

export function bundleDigest(b: unknown): { csvName: string; channelName: string; digest: string } {
  const o = isObj(b) ? b : {};
  return {
    csvName: String(o.csvName ?? ''),
    channelName: String(o.channelName ?? ''),
    digest: createHash('sha256').update(canonicalJson(b)).digest('hex').slice(0, 32),
  };
}

/** `map-order`: a stream as a sorted list (by canonical JSON). */
export function sortStream(items: unknown[]): unknown[] {
  return items.map((i) => [canonicalJson(i), i] as const).sort((a, b) => byteOrder(a[0], b[0])).map(([, i]) => i);
}

/** `property-json`: each property and dependency value as canonical JSON. */
function jsonValues(b: unknown): unknown {
  if (!isObj(b)) return b;
  const out: Obj = { ...b };
  for (const key of ['properties', 'dependencies']) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.map((p: Obj) => {
      try {
        return typeof p.value === 'string' ? { ...p, value: canonicalJson(JSON.parse(p.value)) } : p;
      } catch {
        return p;
      }
    });
  }
  return out;
}

/** `map-order` for GetPackage: channels by name. */
function sortChannels(v: unknown): unknown {
  if (!isObj(v) || !Array.isArray(v.channels)) return v;
  return { ...v, channels: [...(v.channels as Obj[])].sort((a, b) => byteOrder(String(a.name), String(b.name))) };
}

/** One answer brought to the form it is stored and compared in. */
export function comparable(method: RegistryMethod, answer: unknown, side: 'recorded' | 'gantry', digests: boolean): unknown {
  const one = (v: unknown) => {
    if (!BUNDLE_METHODS.has(method)) return sortChannels(side === 'gantry' ? normaliseGantryOther(v) : v);
    const n = jsonValues(side === 'recorded' ? normaliseRecordedBundle(v) : normaliseGantryBundle(v));
    return digests ? bundleDigest(n) : n;
  };
  if (!Array.isArray(answer)) return one(answer);
  const sorted = sortStream(answer.map(one));
  // Channel-entry streams of a whole catalog run to thousands of entries: stored as their count and digest.
  if (digests && !BUNDLE_METHODS.has(method) && method !== 'ListPackages') return { count: sorted.length, digest: createHash('sha256').update(canonicalJson(sorted)).digest('hex').slice(0, 32) };
  return sorted;
}
