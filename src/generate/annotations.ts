// The annotations gantry puts on every cluster resource it generates, in one named place. Deterministic:
// no creation time, so identical inputs give byte-identical files (STYLE.md habit 10).
import { byteOrder } from '../order.js';

/**
 * oc-mirror v2 writes `createdBy: oc-mirror v2`, `createdAt: <time.RFC850 now>` and `oc-mirror_version`
 * (unprefixed keys; `generateOcMirrorAnnotations` in internal/pkg/clusterresources). The reference notes only
 * say "every v2 resource carries oc-mirror annotations", so nothing reads those names. We write our own keys
 * under a DNS prefix, as Kubernetes recommends for tools, and no timestamp: a time would make every run's
 * files differ and hide real changes from `git diff` and GitOps tools.
 */
export const GENERATED_BY_ANNOTATION = 'gantry.io/generated-by';
export const GENERATED_BY_VALUE = 'gantry';
/** gantry's version, only when the caller passes one (the generators are pure: they do not read package.json). */
export const VERSION_ANNOTATION = 'gantry.io/version';
/** Prefix of every annotation gantry owns; on a template's CatalogSource, gantry's replace the template's. */
export const ANNOTATION_PREFIX = 'gantry.io/';

export interface ResourceOptions {
  /** Written as gantry.io/version when given (e.g. "0.1.0"). */
  version?: string;
}

/** gantry's annotations, keys sorted. */
export function generatedAnnotations(opts: ResourceOptions = {}): Record<string, string> {
  const out: Record<string, string> = { [GENERATED_BY_ANNOTATION]: GENERATED_BY_VALUE };
  if (opts.version !== undefined && opts.version !== '') out[VERSION_ANNOTATION] = opts.version;
  return sortKeys(out);
}

/**
 * A template's annotations with gantry's in place of any under gantry.io/ (a stale gantry.io/version copied from a
 * cluster must not survive when this run sets none), keys in byte order. oc-mirror likewise lays its own over.
 */
export function mergeAnnotations(base: Record<string, string> | undefined, opts: ResourceOptions = {}): Record<string, string> {
  const kept = Object.entries(base ?? {}).filter(([k]) => !k.startsWith(ANNOTATION_PREFIX));
  return sortKeys({ ...Object.fromEntries(kept), ...generatedAnnotations(opts) });
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  const keys = Object.keys(m).sort(byteOrder);
  return Object.fromEntries(keys.map((k) => [k, m[k]!]));
}
