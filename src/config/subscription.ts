// An OLM v0 Subscription document (operators.coreos.com/v1alpha1) read into what offline resolution needs,
// with file:line issues. Pure: text in, spec and issues out; the CRD's required fields are errors here too.
import { isMap, parseDocument } from 'yaml';
import type { ConfigIssue } from './config-types.js';
import { positionOf, readFields, readString, readYamlDocument, report, requireField, type FieldTable, type ReadContext } from './yaml-reader.js';

export const SUBSCRIPTION_API_VERSION = 'operators.coreos.com/v1alpha1';
export const SUBSCRIPTION_KIND = 'Subscription';
const APPROVALS = ['Automatic', 'Manual'] as const;

export type InstallPlanApproval = (typeof APPROVALS)[number];

export interface SubscriptionSpec {
  /** metadata.name ('' when absent). */
  name: string;
  /** metadata.namespace, when the file sets it. */
  namespace?: string;
  /** spec.name: the package. */
  package: string;
  /** spec.channel; absent: OLM prefers the package's default channel. */
  channel?: string;
  startingCSV?: string;
  installPlanApproval: InstallPlanApproval;
  /** spec.source: the CatalogSource name, matched against the catalogs' names offline. */
  source: string;
  /** The line spec.source sits on, for the error when no catalog carries that name. */
  sourceLine: number;
  sourceNamespace: string;
}

export interface ParseSubscriptionResult {
  /** Absent when any error was found. */
  spec?: SubscriptionSpec;
  issues: ConfigIssue[];
}

// metadata and status belong to the cluster: only name and namespace are read, any other field is accepted.
const TOP: FieldTable = { apiVersion: {}, kind: {}, metadata: {}, spec: {}, status: {} };
// config (env, resources, selectors for the operator's pod) does not change what resolves; it is accepted unread.
const SPEC: FieldTable = { name: {}, channel: {}, startingCSV: {}, installPlanApproval: {}, source: {}, sourceNamespace: {}, config: {} };

/** Never throws. */
export function parseSubscription(text: string, file: string): ParseSubscriptionResult {
  const issues: ConfigIssue[] = [];
  // The reader's kind only matters for ImageSetConfiguration fields; this table does not use it.
  const ctx = readYamlDocument(text, file, 'ImageSetConfiguration', issues);
  if (!ctx) return { issues };
  const { doc } = ctx;
  if (!isMap(doc.contents)) {
    report(ctx, { code: 'NOT_A_MAPPING', path: '', at: positionOf(ctx, doc.contents), message: `expected a ${SUBSCRIPTION_KIND} mapping (apiVersion, kind, metadata, spec)` });
    return { issues };
  }
  const top = readFields(ctx, doc.contents, '', TOP);
  if (!top) return { issues };
  const kind = requireField(ctx, readString(ctx, top.get('kind'), 'kind'), top, 'kind', '');
  if (kind !== undefined && kind !== SUBSCRIPTION_KIND) report(ctx, { code: 'KIND_UNSUPPORTED', path: 'kind', message: `kind is "${kind}", not ${SUBSCRIPTION_KIND}`, hint: `set kind: ${SUBSCRIPTION_KIND}` });
  const api = requireField(ctx, readString(ctx, top.get('apiVersion'), 'apiVersion'), top, 'apiVersion', '');
  if (api !== undefined && api !== SUBSCRIPTION_API_VERSION) {
    report(ctx, { code: 'API_VERSION_UNSUPPORTED', path: 'apiVersion', message: `unsupported apiVersion "${api}" for ${SUBSCRIPTION_KIND}`, hint: `use ${SUBSCRIPTION_API_VERSION}, the only version OLM v0 serves` });
    return { issues };
  }
  const meta = readMetadata(ctx, top.get('metadata'));
  const specNode = top.get('spec');
  if (specNode === undefined) {
    report(ctx, { code: 'FIELD_REQUIRED', path: 'spec', message: 'spec is required' });
    return { issues };
  }
  const body = readSpec(ctx, specNode);
  if (!body || issues.some((i) => i.severity === 'error')) return { issues };
  return { spec: { ...meta, ...body }, issues };
}

function readMetadata(ctx: ReadContext, node: unknown): { name: string; namespace?: string } {
  if (!isMap(node)) return { name: '' };
  const name = node.get('name', true);
  const namespace = node.get('namespace', true);
  const ns = namespace === undefined ? undefined : readString(ctx, namespace, 'metadata.namespace');
  return { name: name === undefined ? '' : (readString(ctx, name, 'metadata.name') ?? ''), ...(ns !== undefined ? { namespace: ns } : {}) };
}

type Body = Omit<SubscriptionSpec, 'name' | 'namespace'>;

function readSpec(ctx: ReadContext, node: unknown): Body | undefined {
  const spec = readFields(ctx, node, 'spec', SPEC);
  if (!spec) return undefined;
  // The CRD requires name, source and sourceNamespace: the API server refuses a Subscription without them.
  const pkg = requireField(ctx, readString(ctx, spec.get('name'), 'spec.name'), spec, 'name', 'spec');
  const source = requireField(ctx, readString(ctx, spec.get('source'), 'spec.source'), spec, 'source', 'spec');
  const sourceNamespace = requireField(ctx, readString(ctx, spec.get('sourceNamespace'), 'spec.sourceNamespace'), spec, 'sourceNamespace', 'spec');
  const channel = readString(ctx, spec.get('channel'), 'spec.channel');
  const startingCSV = readString(ctx, spec.get('startingCSV'), 'spec.startingCSV');
  const approval = readApproval(ctx, spec.get('installPlanApproval'));
  if (pkg === undefined || source === undefined || sourceNamespace === undefined) return undefined;
  return {
    package: pkg,
    // An empty channel is what OLM sees when the field is absent.
    ...(channel ? { channel } : {}),
    ...(startingCSV ? { startingCSV } : {}),
    installPlanApproval: approval,
    source,
    sourceLine: positionOf(ctx, spec.get('source')).line,
    sourceNamespace,
  };
}

function readApproval(ctx: ReadContext, node: unknown): InstallPlanApproval {
  const value = readString(ctx, node, 'spec.installPlanApproval');
  if (value === undefined) return 'Automatic';
  if ((APPROVALS as readonly string[]).includes(value)) return value as InstallPlanApproval;
  report(ctx, { code: 'VALUE_INVALID', path: 'spec.installPlanApproval', message: `spec.installPlanApproval is "${value}"; it must be one of ${APPROVALS.join(', ')}` });
  return 'Automatic';
}

/** The top-level kind a YAML or JSON document declares (undefined when it does not parse or has none), to pick its parser. */
export function peekKind(text: string): string | undefined {
  try {
    const kind = (parseDocument(text).toJS() as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined; // the parser chosen then reports the error with its line
  }
}
