// The image config of a catalog image (OCI image-spec config.md): the base image's config with the catalog layer
// appended, opm's label, entrypoint and command, a history entry and a fixed creation time. Pure.
import { GantryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { Platform } from '../oci/platform.js';
import { byteOrder } from '../order.js';
import { CACHE_LABEL, CACHE_LABEL_VALUE, CATALOG_CMD, CATALOG_ENTRYPOINT, CONFIGS_DIR, CONFIGS_LABEL } from '../catalog/image-defaults.js';

export interface CatalogConfigInput {
  /** The base image's config document as parsed JSON; undefined for `scratch`. */
  base?: Record<string, unknown>;
  /** The number of layers the base manifest lists (checked against the base config's diff IDs). */
  baseLayerCount?: number;
  /** For `scratch`: the platform to declare. With a base, the base config's own os/architecture win. */
  platform: Platform;
  layerDiffId: Digest;
  /** Seconds since the Unix epoch for `created` and the history entry. */
  sourceDateEpoch: number;
  /** Extra labels (like `opm generate dockerfile -l`); they cannot change the catalog's own labels. */
  labels?: Record<string, string>;
}

/**
 * What an image built on a base runs and says about itself: the catalog's (opm serve) by default, the graph-data
 * image's (a shell copy) for the UpdateService. `entrypoint: null` clears a base's ENTRYPOINT so CMD runs alone.
 */
export interface RunSettings {
  entrypoint: readonly string[] | null;
  cmd: readonly string[];
  /** Labels the builder sets; extra labels cannot change them. */
  labels: Readonly<Record<string, string>>;
  /** The history entry: what was done, and a comment. */
  createdBy: string;
  comment: string;
}

/** The labels every catalog image gets: where the FBC is, and that no serve cache is inside. */
export const CATALOG_LABELS: Readonly<Record<string, string>> = {
  [CONFIGS_LABEL]: CONFIGS_DIR,
  [CACHE_LABEL]: CACHE_LABEL_VALUE,
};

/** RFC 3339 in UTC without fractional seconds, as Go's time.Time marshals a whole second. */
export function formatCreated(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Rejects extra labels that would contradict the catalog labels (the image would point OLM elsewhere). */
export function checkExtraLabels(labels: Record<string, string> | undefined, own: Readonly<Record<string, string>> = CATALOG_LABELS): void {
  const clashes = Object.entries(labels ?? {}).filter(([k, v]) => k in own && own[k] !== v);
  if (clashes.length > 0) {
    throw new GantryError('USAGE', `labels ${clashes.map(([k]) => k).join(', ')} are set by the catalog image builder and cannot be changed`);
  }
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k === '' || typeof v !== 'string') throw new GantryError('USAGE', `invalid label "${k}"`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function sorted(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => byteOrder(a, b)));
}

/**
 * The base config's diff IDs. `layerCount` is the number of layers the base manifest lists: a config that
 * disagrees would give an image no runtime can unpack, so it is refused here rather than pushed.
 */
export function baseDiffIds(base: Record<string, unknown> | undefined, layerCount: number): Digest[] {
  if (base === undefined) return [];
  const rootfs = base.rootfs;
  const ids: unknown = isRecord(rootfs) ? rootfs.diff_ids : undefined;
  if (!Array.isArray(ids) || !ids.every((d): d is Digest => typeof d === 'string') || ids.length !== layerCount) {
    const n = Array.isArray(ids) ? ids.length : 'no';
    throw new GantryError('MANIFEST_INVALID', `base image config lists ${n} diff IDs for ${layerCount} layers`);
  }
  return ids;
}

/** The platform a config declares (os, architecture, variant, os.version, os.features), or undefined. */
export function configPlatform(config: Record<string, unknown>): Platform | undefined {
  if (typeof config.os !== 'string' || typeof config.architecture !== 'string') return undefined;
  const p: Platform = { os: config.os, architecture: config.architecture };
  if (typeof config.variant === 'string' && config.variant !== '') p.variant = config.variant;
  if (typeof config['os.version'] === 'string') p['os.version'] = config['os.version'];
  if (Array.isArray(config['os.features'])) p['os.features'] = config['os.features'].filter((f): f is string => typeof f === 'string');
  return p;
}

/**
 * The config document. Fields are written in the image-spec's order so the bytes depend only on the inputs;
 * everything under the base's `config` (Env, User, WorkingDir, ExposedPorts, …) is kept as the base wrote it,
 * as a Dockerfile `FROM` keeps it. Docker-only leftovers (container_config, docker_version, id, parent) are
 * dropped: they describe the base's build, not this image.
 */
export function catalogImageConfig(input: CatalogConfigInput): Record<string, unknown> {
  return imageConfig(input, CATALOG_RUN);
}

/** The catalog image's run settings: opm's entrypoint and command, the catalog labels. */
export const CATALOG_RUN: RunSettings = {
  entrypoint: CATALOG_ENTRYPOINT,
  cmd: CATALOG_CMD,
  labels: CATALOG_LABELS,
  createdBy: `gantry catalog image: COPY catalog ${CONFIGS_DIR}; ENTRYPOINT ${JSON.stringify(CATALOG_ENTRYPOINT)}; CMD ${JSON.stringify(CATALOG_CMD)}`,
  comment: 'file-based catalog; no pre-built opm serve cache (opm builds it at start)',
};

/** The config document of an image of one added layer on a base (or scratch), with `run`'s command and labels. */
export function imageConfig(input: CatalogConfigInput, run: RunSettings): Record<string, unknown> {
  const { base } = input;
  checkExtraLabels(input.labels, run.labels);
  const created = formatCreated(input.sourceDateEpoch);
  const platform = (base && configPlatform(base)) ?? input.platform;
  const baseRun = base && isRecord(base.config) ? base.config : {};
  const { Entrypoint: _baseEntrypoint, ...baseRest } = baseRun;
  const runConfig: Record<string, unknown> = {
    ...(run.entrypoint === null ? baseRest : baseRun),
    ...(run.entrypoint === null ? {} : { Entrypoint: [...run.entrypoint] }),
    Cmd: [...run.cmd],
    Labels: sorted({ ...stringRecord(baseRun.Labels), ...(input.labels ?? {}), ...run.labels }),
  };
  const history = base && Array.isArray(base.history) ? base.history : [];
  return {
    created,
    ...(base && typeof base.author === 'string' ? { author: base.author } : {}),
    architecture: platform.architecture,
    os: platform.os,
    ...(platform['os.version'] ? { 'os.version': platform['os.version'] } : {}),
    ...(platform['os.features'] ? { 'os.features': platform['os.features'] } : {}),
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [...baseDiffIds(base, input.baseLayerCount ?? 0), input.layerDiffId] },
    history: [
      ...history,
      { created, created_by: run.createdBy, comment: run.comment },
    ],
  };
}
