// A ClusterExtension document (OLM v1, olm.operatorframework.io/v1 and the v1alpha1 shape OpenShift 4.16/4.17
// documents) read into what resolution needs, with file:line issues. Pure: text in, spec and issues out.
import { isMap, isScalar } from 'yaml';
import type { ConfigIssue } from './config-types.js';
import { readSelector, type LabelSelector } from './rbac-objects.js';
import { joinPath, positionOf, readYamlDocument, readFields, readString, readStringList, report, requireField, type FieldTable, type ReadContext } from './yaml-reader.js';

export const CLUSTER_EXTENSION_V1 = 'olm.operatorframework.io/v1';
export const CLUSTER_EXTENSION_V1ALPHA1 = 'olm.operatorframework.io/v1alpha1';
const KIND = 'ClusterExtension';
const POLICIES = ['CatalogProvided', 'SelfCertified'] as const;

export interface ClusterExtensionSpec {
  apiVersion: typeof CLUSTER_EXTENSION_V1 | typeof CLUSTER_EXTENSION_V1ALPHA1;
  name: string;
  packageName: string;
  channels: string[];
  /** The Masterminds range as written ('' when absent); the line it sits on, for errors about it. */
  version: string;
  versionLine?: number;
  upgradeConstraintPolicy: (typeof POLICIES)[number];
  /** spec.source.catalog.selector (v1): which ClusterCatalogs resolution considers; absent: all of them. */
  selector?: LabelSelector;
  namespace?: string;
  serviceAccount?: string;
}

export interface ParseClusterExtensionResult {
  /** Absent when any error was found. */
  spec?: ClusterExtensionSpec;
  issues: ConfigIssue[];
}

// metadata and status are the cluster's business: read for the name only, any field accepted.
const TOP: FieldTable = { apiVersion: {}, kind: {}, metadata: {}, spec: {}, status: {} };
const SPEC_V1: FieldTable = { namespace: {}, serviceAccount: {}, source: {}, install: {}, config: {}, progressDeadlineMinutes: {} };
const SOURCE: FieldTable = { sourceType: {}, catalog: {} };
const CATALOG: FieldTable = { packageName: {}, version: {}, channels: {}, selector: {}, upgradeConstraintPolicy: {} };
const SPEC_V1ALPHA1: FieldTable = { packageName: {}, channel: {}, version: {}, installNamespace: {}, serviceAccount: {}, upgradeConstraintPolicy: {} };
const SERVICE_ACCOUNT: FieldTable = { name: {} };

/** Never throws. */
export function parseClusterExtension(text: string, file: string): ParseClusterExtensionResult {
  const issues: ConfigIssue[] = [];
  // The reader's kind only matters for ImageSetConfiguration fields; none of these tables use it.
  const ctx = readYamlDocument(text, file, 'ImageSetConfiguration', issues);
  if (!ctx) return { issues };
  const { doc } = ctx;
  if (!isMap(doc.contents)) {
    report(ctx, { code: 'NOT_A_MAPPING', path: '', at: positionOf(ctx, doc.contents), message: `expected a ${KIND} mapping (apiVersion, kind, metadata, spec)` });
    return { issues };
  }
  const top = readFields(ctx, doc.contents, '', TOP);
  if (!top) return { issues };
  const kind = requireField(ctx, readString(ctx, top.get('kind'), 'kind'), top, 'kind', '');
  if (kind !== undefined && kind !== KIND) report(ctx, { code: 'KIND_UNSUPPORTED', path: 'kind', message: `kind is "${kind}", not ${KIND}`, hint: kind === 'Subscription' ? 'install plan -f reads a Subscription as OLM v0 when its top-level kind line says so' : `set kind: ${KIND}` });
  const api = requireField(ctx, readString(ctx, top.get('apiVersion'), 'apiVersion'), top, 'apiVersion', '');
  if (api !== undefined && api !== CLUSTER_EXTENSION_V1 && api !== CLUSTER_EXTENSION_V1ALPHA1) {
    report(ctx, { code: 'API_VERSION_UNSUPPORTED', path: 'apiVersion', message: `unsupported apiVersion "${api}" for ${KIND}`, hint: `use ${CLUSTER_EXTENSION_V1} (or ${CLUSTER_EXTENSION_V1ALPHA1})` });
    return { issues };
  }
  const metadata = top.get('metadata');
  const nameNode = isMap(metadata) ? metadata.get('name', true) : undefined;
  const name = nameNode === undefined ? '' : (readString(ctx, nameNode, 'metadata.name') ?? '');
  const specNode = top.get('spec');
  if (specNode === undefined) {
    report(ctx, { code: 'FIELD_REQUIRED', path: 'spec', message: 'spec is required' });
    return { issues };
  }
  const body = api === CLUSTER_EXTENSION_V1ALPHA1 ? readV1alpha1(ctx, specNode) : readV1(ctx, specNode);
  if (!body || api === undefined || issues.some((i) => i.severity === 'error')) return { issues };
  return { spec: { apiVersion: api, name, ...body }, issues };
}

type Body = Omit<ClusterExtensionSpec, 'apiVersion' | 'name'>;

function readV1(ctx: ReadContext, node: unknown): Body | undefined {
  const spec = readFields(ctx, node, 'spec', SPEC_V1);
  if (!spec) return undefined;
  const namespace = requireField(ctx, readString(ctx, spec.get('namespace'), 'spec.namespace'), spec, 'namespace', 'spec');
  const serviceAccount = readServiceAccount(ctx, spec.get('serviceAccount'));
  const source = requireField(ctx, readFields(ctx, spec.get('source') ?? null, 'spec.source', SOURCE), spec, 'source', 'spec');
  if (!source) return undefined;
  const sourceType = requireField(ctx, readString(ctx, source.get('sourceType'), 'spec.source.sourceType'), source, 'sourceType', 'spec.source');
  if (sourceType !== undefined && sourceType !== 'Catalog') report(ctx, { code: 'VALUE_INVALID', path: 'spec.source.sourceType', message: `spec.source.sourceType is "${sourceType}"; only Catalog is supported` });
  const catalog = requireField(ctx, readFields(ctx, source.get('catalog') ?? null, 'spec.source.catalog', CATALOG), source, 'catalog', 'spec.source');
  if (!catalog) return undefined;
  const path = 'spec.source.catalog';
  const packageName = requireField(ctx, readString(ctx, catalog.get('packageName'), `${path}.packageName`), catalog, 'packageName', path);
  const channels = readStringList(ctx, catalog.get('channels'), `${path}.channels`);
  const version = readString(ctx, catalog.get('version'), `${path}.version`) ?? '';
  // A null selector is an absent one, as the API server reads it; operator-controller treats both as "every catalog".
  const selectorNode = catalog.get('selector');
  const selector = selectorNode === undefined || selectorNode === null || isNullScalar(selectorNode) ? undefined : readSelector(ctx, selectorNode, `${path}.selector`);
  const policy = readPolicy(ctx, catalog.get('upgradeConstraintPolicy'), `${path}.upgradeConstraintPolicy`);
  if (packageName === undefined) return undefined;
  return { packageName, channels, version, ...versionLine(ctx, catalog.get('version')), upgradeConstraintPolicy: policy, ...(selector ? { selector } : {}), ...(namespace !== undefined ? { namespace } : {}), ...(serviceAccount !== undefined ? { serviceAccount } : {}) };
}

function readV1alpha1(ctx: ReadContext, node: unknown): Body | undefined {
  const spec = readFields(ctx, node, 'spec', SPEC_V1ALPHA1);
  if (!spec) return undefined;
  const packageName = requireField(ctx, readString(ctx, spec.get('packageName'), 'spec.packageName'), spec, 'packageName', 'spec');
  const channel = readString(ctx, spec.get('channel'), 'spec.channel');
  const version = readString(ctx, spec.get('version'), 'spec.version') ?? '';
  const namespace = readString(ctx, spec.get('installNamespace'), 'spec.installNamespace');
  const serviceAccount = readServiceAccount(ctx, spec.get('serviceAccount'));
  const policy = readPolicy(ctx, spec.get('upgradeConstraintPolicy'), 'spec.upgradeConstraintPolicy');
  if (packageName === undefined) return undefined;
  return { packageName, channels: channel ? [channel] : [], version, ...versionLine(ctx, spec.get('version')), upgradeConstraintPolicy: policy, ...(namespace !== undefined ? { namespace } : {}), ...(serviceAccount !== undefined ? { serviceAccount } : {}) };
}

function readServiceAccount(ctx: ReadContext, node: unknown): string | undefined {
  if (node === undefined) return undefined;
  const f = readFields(ctx, node, 'spec.serviceAccount', SERVICE_ACCOUNT);
  return f ? readString(ctx, f.get('name'), joinPath('spec.serviceAccount', 'name')) : undefined;
}

function readPolicy(ctx: ReadContext, node: unknown, path: string): ClusterExtensionSpec['upgradeConstraintPolicy'] {
  const value = readString(ctx, node, path);
  if (value === undefined) return 'CatalogProvided';
  if ((POLICIES as readonly string[]).includes(value)) return value as ClusterExtensionSpec['upgradeConstraintPolicy'];
  report(ctx, { code: 'VALUE_INVALID', path, message: `${path} is "${value}"; it must be one of ${POLICIES.join(', ')}` });
  return 'CatalogProvided';
}

function versionLine(ctx: ReadContext, node: unknown): { versionLine?: number } {
  return node === undefined ? {} : { versionLine: positionOf(ctx, node).line };
}

const isNullScalar = (node: unknown) => isScalar(node) && node.value === null;
