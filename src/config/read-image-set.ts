// The schema of ImageSetConfiguration / DeleteImageSetConfiguration (reference §2.1, §2.2, §2.3) as field
// tables, and the readers that turn a YAML document into the normalised ImageSetConfig shape.
import type {
  AdditionalImage,
  BlockedImage,
  Helm,
  HelmChart,
  HelmRepository,
  ImageSet,
  OperatorCatalog,
  OperatorChannel,
  OperatorPackage,
  PlatformFilter,
  ReleaseChannel,
  ReleasePlatform,
  StorageConfig,
} from './config-types.js';
import {
  joinPath,
  readBoolean,
  readFields,
  readInteger,
  readList,
  readString,
  readStringList,
  report,
  requireField,
  type FieldTable,
  type ReadContext,
} from './yaml-reader.js';
import { parseCatalogSource } from './catalog-source.js';

// §2.1 (v1alpha2) and §2.2 (v2alpha1): `only` marks fields of one version; the other version accepts them
// with a warning (issue 4: "a v1-only field in a v2 config is a warning with a hint, not a failure").
const TOP_FIELDS: FieldTable = { apiVersion: {}, kind: {}, archiveSize: {}, storageConfig: { only: 'v1' }, mirror: {}, delete: {} };
const STORAGE_FIELDS: FieldTable = { local: {}, registry: {} };
const STORAGE_LOCAL_FIELDS: FieldTable = { path: {} };
const STORAGE_REGISTRY_FIELDS: FieldTable = { imageURL: {}, skipTLS: {} };
// §2.3: blockedImages is listed as absent from `delete:`, but oc-mirror's Delete struct (type_config.go, later
// snapshots) carries it, so it is accepted there too; archiveSize is rejected for a DISC (see readTop).
const IMAGE_SET_FIELDS: FieldTable = { platform: {}, operators: {}, additionalImages: {}, blockedImages: {}, helm: {}, samples: {} };
const PLATFORM_FIELDS: FieldTable = {
  channels: {},
  graph: {},
  architectures: {},
  platforms: { only: 'v2' },
  release: { only: 'v2' },
  kubeVirtContainer: { only: 'v2' },
};
const RELEASE_CHANNEL_FIELDS: FieldTable = { name: {}, type: {}, minVersion: {}, maxVersion: {}, shortestPath: {}, full: {} };
const PLATFORM_FILTER_FIELDS: FieldTable = { os: {}, architecture: {} };
const OPERATOR_FIELDS: FieldTable = {
  catalog: {},
  targetCatalog: {},
  targetTag: {},
  targetName: { only: 'v1', deprecated: 'use targetCatalog (targetName was deprecated in 4.13)' },
  originalRef: { only: 'v1', deprecated: 'remove it: catalogs on disk are written as oci://path in catalog' },
  full: {},
  skipDependencies: {},
  targetCatalogSourceTemplate: { only: 'v2' },
  platforms: { only: 'v2' },
  packages: {},
};
const PACKAGE_FIELDS: FieldTable = {
  name: {},
  channels: {},
  defaultChannel: {},
  minVersion: {},
  maxVersion: {},
  minBundle: { only: 'v1' },
  bundles: { only: 'v2' },
};
const CHANNEL_FIELDS: FieldTable = { name: {}, minVersion: {}, maxVersion: {}, minBundle: { only: 'v1' } };
const NAME_FIELDS: FieldTable = { name: {} };
const ADDITIONAL_IMAGE_FIELDS: FieldTable = { name: {}, targetRepo: { only: 'v2' }, targetTag: { only: 'v2' }, platforms: { only: 'v2' } };
const HELM_FIELDS: FieldTable = { local: {}, repositories: {} };
const HELM_REPOSITORY_FIELDS: FieldTable = { name: {}, url: {}, charts: {} };
const HELM_CHART_FIELDS: FieldTable = { name: {}, version: {}, path: {}, imagePaths: {}, platforms: { only: 'v2' } };

export interface TopLevel {
  archiveSize?: number;
  storageConfig?: StorageConfig;
  imageSet?: ImageSet;
}

/** Reads everything but apiVersion and kind (already checked by the caller). */
export function readTop(ctx: ReadContext, root: unknown): TopLevel {
  const stanza = ctx.kind === 'DeleteImageSetConfiguration' ? 'delete' : 'mirror';
  const other = stanza === 'delete' ? 'mirror' : 'delete';
  const fields = readFields(ctx, root, '', TOP_FIELDS);
  const out: TopLevel = {};
  if (!fields) return out;
  // internal/pkg/config/load.go: an ISC needs `mirror:` and no `delete:`, a DISC the reverse (§2.2).
  if (fields.has(other) || ctx.positions.has(other)) {
    report(ctx, {
      code: 'STANZA_NOT_ALLOWED',
      path: other,
      message: `a ${ctx.kind} has no "${other}:" section`,
      hint: stanza === 'delete' ? 'deletions go under "delete:"' : 'to delete images, write a DeleteImageSetConfiguration (apiVersion mirror.openshift.io/v2alpha1)',
    });
  }
  if (fields.has('archiveSize')) {
    if (ctx.kind === 'DeleteImageSetConfiguration') {
      report(ctx, { code: 'FIELD_UNKNOWN', path: 'archiveSize', message: 'a DeleteImageSetConfiguration has no archiveSize', hint: 'remove it (§2.3)' });
    } else {
      const size = readInteger(ctx, fields.get('archiveSize'), 'archiveSize');
      // §2.1: archiveSize is a whole number of GiB; 0 means "the default" in oc-mirror, we ask for a positive one.
      if (size !== undefined && size <= 0) {
        report(ctx, { code: 'ARCHIVE_SIZE_INVALID', path: 'archiveSize', message: `archiveSize must be a positive number of GiB, not ${size}`, hint: 'leave it out for the default (500 GiB per archive file)' });
      } else if (size !== undefined) out.archiveSize = size;
    }
  }
  if (fields.has('storageConfig')) {
    const sc = readStorageConfig(ctx, fields.get('storageConfig'), 'storageConfig');
    if (sc) out.storageConfig = sc;
    // A field a user wrote is never dropped in silence: oc-mirror v1 keeps its metadata there, gantry does not.
    report(ctx, {
      code: 'STORAGE_CONFIG_NOT_USED',
      severity: 'warning',
      path: 'storageConfig',
      message: 'storageConfig is not used: gantry keeps what it mirrored in the workspace (.gantry/) or the archive directory, not in a storage backend',
      hint: 'remove it, or keep it for oc-mirror v1; --workspace (mirror to mirror) and file://DIR (archives) play its part',
    });
  }
  if (!fields.has(stanza)) {
    report(ctx, { code: 'STANZA_MISSING', path: stanza, message: `a ${ctx.kind} needs a "${stanza}:" section`, hint: stanza === 'mirror' ? 'list what to mirror under mirror: (operators, additionalImages, platform, helm)' : 'list what to delete under delete:' });
  } else {
    const set = readImageSet(ctx, fields.get(stanza), stanza);
    if (set) out.imageSet = set;
  }
  return out;
}

function readStorageConfig(ctx: ReadContext, node: unknown, path: string): StorageConfig | undefined {
  const f = readFields(ctx, node, path, STORAGE_FIELDS);
  if (!f) return undefined;
  const out: StorageConfig = {};
  if (f.has('local')) {
    const lf = readFields(ctx, f.get('local'), joinPath(path, 'local'), STORAGE_LOCAL_FIELDS);
    const p = lf && readString(ctx, lf.get('path'), joinPath(path, 'local.path'));
    if (lf && requireField(ctx, p, lf, 'path', joinPath(path, 'local')) !== undefined) out.local = { path: p! };
  }
  if (f.has('registry')) {
    const rp = joinPath(path, 'registry');
    const rf = readFields(ctx, f.get('registry'), rp, STORAGE_REGISTRY_FIELDS);
    const url = rf && readString(ctx, rf.get('imageURL'), joinPath(rp, 'imageURL'));
    if (rf && requireField(ctx, url, rf, 'imageURL', rp) !== undefined) {
      out.registry = { imageURL: url!, skipTLS: readBoolean(ctx, rf.get('skipTLS'), joinPath(rp, 'skipTLS')) ?? false };
    }
  }
  return out;
}

function readImageSet(ctx: ReadContext, node: unknown, path: string): ImageSet | undefined {
  const f = readFields(ctx, node, path, IMAGE_SET_FIELDS);
  if (!f) return undefined;
  const set: ImageSet = {
    operators: readList(ctx, f.get('operators'), joinPath(path, 'operators'), (n, p) => readOperator(ctx, n, p)),
    additionalImages: readList(ctx, f.get('additionalImages'), joinPath(path, 'additionalImages'), (n, p) => readAdditionalImage(ctx, n, p)),
    blockedImages: readList(ctx, f.get('blockedImages'), joinPath(path, 'blockedImages'), (n, p) => readNamed(ctx, n, p)),
    samples: readList(ctx, f.get('samples'), joinPath(path, 'samples'), (n, p) => readNamed(ctx, n, p)),
  };
  if (f.has('platform')) {
    const platform = readPlatform(ctx, f.get('platform'), joinPath(path, 'platform'));
    if (platform) set.platform = platform;
  }
  if (f.has('helm')) {
    const helm = readHelm(ctx, f.get('helm'), joinPath(path, 'helm'));
    if (helm) set.helm = helm;
  }
  return set;
}

function readNamed(ctx: ReadContext, node: unknown, path: string): BlockedImage | undefined {
  const f = readFields(ctx, node, path, NAME_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  return name === undefined ? undefined : { name };
}

function readPlatformFilters(ctx: ReadContext, node: unknown, path: string): PlatformFilter[] {
  return readList(ctx, node, path, (n, p) => {
    const f = readFields(ctx, n, p, PLATFORM_FILTER_FIELDS);
    if (!f) return undefined;
    const os = requireField(ctx, readString(ctx, f.get('os'), joinPath(p, 'os')), f, 'os', p);
    const architecture = requireField(ctx, readString(ctx, f.get('architecture'), joinPath(p, 'architecture')), f, 'architecture', p);
    return os === undefined || architecture === undefined ? undefined : { os, architecture };
  });
}

function readPlatform(ctx: ReadContext, node: unknown, path: string): ReleasePlatform | undefined {
  const f = readFields(ctx, node, path, PLATFORM_FIELDS);
  if (!f) return undefined;
  const out: ReleasePlatform = {
    channels: readList(ctx, f.get('channels'), joinPath(path, 'channels'), (n, p) => readReleaseChannel(ctx, n, p)),
    graph: readBoolean(ctx, f.get('graph'), joinPath(path, 'graph')) ?? false,
    kubeVirtContainer: readBoolean(ctx, f.get('kubeVirtContainer'), joinPath(path, 'kubeVirtContainer')) ?? false,
  };
  if (f.has('architectures')) out.architectures = readStringList(ctx, f.get('architectures'), joinPath(path, 'architectures'));
  if (f.has('platforms')) out.platforms = readPlatformFilters(ctx, f.get('platforms'), joinPath(path, 'platforms'));
  const release = readString(ctx, f.get('release'), joinPath(path, 'release'));
  if (release !== undefined) out.release = release;
  return out;
}

function readReleaseChannel(ctx: ReadContext, node: unknown, path: string): ReleaseChannel | undefined {
  const f = readFields(ctx, node, path, RELEASE_CHANNEL_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const type = readString(ctx, f.get('type'), joinPath(path, 'type'));
  // §2.1: type is `ocp` (the default) or `okd`.
  if (type !== undefined && type !== 'ocp' && type !== 'okd') {
    report(ctx, { code: 'VALUE_INVALID', path: joinPath(path, 'type'), message: `release channel type must be "ocp" or "okd", not "${type}"` });
  }
  if (name === undefined) return undefined;
  const out: ReleaseChannel = {
    name,
    type: type === 'okd' ? 'okd' : 'ocp',
    shortestPath: readBoolean(ctx, f.get('shortestPath'), joinPath(path, 'shortestPath')) ?? false,
    full: readBoolean(ctx, f.get('full'), joinPath(path, 'full')) ?? false,
  };
  const min = readString(ctx, f.get('minVersion'), joinPath(path, 'minVersion'));
  const max = readString(ctx, f.get('maxVersion'), joinPath(path, 'maxVersion'));
  if (min !== undefined) out.minVersion = min;
  if (max !== undefined) out.maxVersion = max;
  return out;
}

function readOperator(ctx: ReadContext, node: unknown, path: string): OperatorCatalog | undefined {
  const f = readFields(ctx, node, path, OPERATOR_FIELDS, (name) =>
    name === 'defaultChannel' ? 'defaultChannel belongs to a package: packages: [{name: …, defaultChannel: …}]' : undefined,
  );
  if (!f) return undefined;
  const catalogPath = joinPath(path, 'catalog');
  const catalog = requireField(ctx, readString(ctx, f.get('catalog'), catalogPath), f, 'catalog', path);
  const out: Omit<OperatorCatalog, 'catalog' | 'source'> = {
    full: readBoolean(ctx, f.get('full'), joinPath(path, 'full')) ?? false,
    skipDependencies: readBoolean(ctx, f.get('skipDependencies'), joinPath(path, 'skipDependencies')) ?? false,
    packages: readList(ctx, f.get('packages'), joinPath(path, 'packages'), (n, p) => readPackage(ctx, n, p)),
  };
  for (const key of ['targetCatalog', 'targetTag', 'targetName', 'originalRef', 'targetCatalogSourceTemplate'] as const) {
    const v = readString(ctx, f.get(key), joinPath(path, key));
    if (v !== undefined) out[key] = v;
  }
  if (f.has('platforms')) out.platforms = readPlatformFilters(ctx, f.get('platforms'), joinPath(path, 'platforms'));
  if (catalog === undefined) return undefined;
  const source = parseCatalogSource(catalog);
  if (typeof source === 'string') {
    // §2.1: `catalog` is an image reference or oci://path; an unparseable one fails GetUniqueName in oc-mirror.
    report(ctx, { code: 'CATALOG_REF_INVALID', path: catalogPath, message: source, hint: 'write a registry reference (registry.example.com/ns/index:v4.18) or oci:///absolute/path/to/layout' });
    return undefined;
  }
  return { catalog, source, ...out };
}

function readVersionFilter(ctx: ReadContext, f: Map<string, unknown>, path: string, into: { minVersion?: string; maxVersion?: string; minBundle?: string }): void {
  for (const key of ['minVersion', 'maxVersion', 'minBundle'] as const) {
    const v = readString(ctx, f.get(key), joinPath(path, key));
    if (v !== undefined) into[key] = v;
  }
}

function readPackage(ctx: ReadContext, node: unknown, path: string): OperatorPackage | undefined {
  const f = readFields(ctx, node, path, PACKAGE_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const channels = readList(ctx, f.get('channels'), joinPath(path, 'channels'), (n, p) => readChannel(ctx, n, p));
  if (name === undefined) return undefined;
  const out: OperatorPackage = { name, channels };
  const dc = readString(ctx, f.get('defaultChannel'), joinPath(path, 'defaultChannel'));
  if (dc !== undefined) out.defaultChannel = dc;
  readVersionFilter(ctx, f, path, out);
  if (f.has('bundles')) out.bundles = readList(ctx, f.get('bundles'), joinPath(path, 'bundles'), (n, p) => readNamed(ctx, n, p));
  return out;
}

function readChannel(ctx: ReadContext, node: unknown, path: string): OperatorChannel | undefined {
  const f = readFields(ctx, node, path, CHANNEL_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  if (name === undefined) return undefined;
  const out: OperatorChannel = { name };
  readVersionFilter(ctx, f, path, out);
  return out;
}

function readAdditionalImage(ctx: ReadContext, node: unknown, path: string): AdditionalImage | undefined {
  const f = readFields(ctx, node, path, ADDITIONAL_IMAGE_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  if (name === undefined) return undefined;
  const out: AdditionalImage = { name };
  for (const key of ['targetRepo', 'targetTag'] as const) {
    const v = readString(ctx, f.get(key), joinPath(path, key));
    if (v !== undefined) out[key] = v;
  }
  if (f.has('platforms')) out.platforms = readPlatformFilters(ctx, f.get('platforms'), joinPath(path, 'platforms'));
  return out;
}

function readHelm(ctx: ReadContext, node: unknown, path: string): Helm | undefined {
  const f = readFields(ctx, node, path, HELM_FIELDS);
  if (!f) return undefined;
  return {
    local: readList(ctx, f.get('local'), joinPath(path, 'local'), (n, p) => readChart(ctx, n, p, true)),
    repositories: readList(ctx, f.get('repositories'), joinPath(path, 'repositories'), (n, p) => readRepository(ctx, n, p)),
  };
}

function readRepository(ctx: ReadContext, node: unknown, path: string): HelmRepository | undefined {
  const f = readFields(ctx, node, path, HELM_REPOSITORY_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const url = requireField(ctx, readString(ctx, f.get('url'), joinPath(path, 'url')), f, 'url', path);
  const charts = readList(ctx, f.get('charts'), joinPath(path, 'charts'), (n, p) => readChart(ctx, n, p, false));
  return name === undefined || url === undefined ? undefined : { name, url, charts };
}

function readChart(ctx: ReadContext, node: unknown, path: string, local: boolean): HelmChart | undefined {
  const f = readFields(ctx, node, path, HELM_CHART_FIELDS);
  if (!f) return undefined;
  const name = requireField(ctx, readString(ctx, f.get('name'), joinPath(path, 'name')), f, 'name', path);
  const out: Partial<HelmChart> = {};
  for (const key of ['version', 'path'] as const) {
    const v = readString(ctx, f.get(key), joinPath(path, key));
    if (v !== undefined) out[key] = v;
  }
  // §2.1: a local chart is found by its path on disk.
  if (local) requireField(ctx, out.path, f, 'path', path);
  if (f.has('imagePaths')) out.imagePaths = readStringList(ctx, f.get('imagePaths'), joinPath(path, 'imagePaths'));
  if (f.has('platforms')) out.platforms = readPlatformFilters(ctx, f.get('platforms'), joinPath(path, 'platforms'));
  return name === undefined ? undefined : { name, ...out };
}
