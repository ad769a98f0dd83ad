// CatalogSource templates (ImageSetConfiguration `mirror.operators[].targetCatalogSourceTemplate`, reference §2.2):
// parsing and validation with file:line:column issues, and laying a mirrored catalog's name and image over one.
import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Pair } from 'yaml';
import { findClosestName } from '../config/closest-name.js';
import type { Reference } from '../oci/reference.js';

export const CATALOG_SOURCE_API_VERSION = 'operators.coreos.com/v1alpha1';
export const CATALOG_SOURCE_KIND = 'CatalogSource';

export type CatalogSourceTemplateIssueCode =
  | 'YAML_SYNTAX'
  | 'TEMPLATE_EMPTY'
  | 'TEMPLATE_MULTIPLE_DOCUMENTS'
  | 'NOT_A_MAPPING'
  | 'API_VERSION_INVALID'
  | 'KIND_INVALID'
  | 'SOURCE_TYPE_NOT_GRPC'
  | 'CONFIG_MAP_SET'
  | 'ADDRESS_SET'
  | 'FIELD_TYPE'
  | 'NAME_INVALID'
  | 'FIELD_UNKNOWN'
  | 'FIELD_DROPPED'
  | 'NAME_CONFLICT';

export interface CatalogSourceTemplateIssue {
  code: CatalogSourceTemplateIssueCode;
  severity: 'error' | 'warning';
  /** The template file, as the caller named it. */
  file: string;
  /** 1-based, like editors and compilers print them; the document start when nothing more precise is known. */
  line: number;
  column: number;
  /** Where in the document, e.g. spec.sourceType ('' for the document). */
  path: string;
  message: string;
  hint?: string;
}

/** A validated template: the resource as written, less what the API server owns (status, uid, …). */
export interface CatalogSourceTemplate {
  file: string;
  resource: Record<string, unknown>;
  /** Where metadata.name and metadata.namespace are written, when they are (for later issues, e.g. NAME_CONFLICT). */
  positions: Record<string, { line: number; column: number }>;
}

export interface ParseCatalogSourceTemplateResult {
  /** Absent when any error was found. */
  template?: CatalogSourceTemplate;
  issues: CatalogSourceTemplateIssue[];
}

/**
 * The key of `CatalogSourceOptions.templates`: the catalog's destination as pushed, `host/path:tag`.
 * Per tag rather than per repository, so a catalog mirrored by an earlier run (still in the accumulated
 * record, no longer in the config) does not take a template written for the one mirrored now.
 */
export function catalogTemplateKey(dest: Reference): string {
  return `${dest.registry}/${dest.repository}:${dest.tag ?? 'latest'}`;
}

// CatalogSourceSpec of operators.coreos.com/v1alpha1 (operator-framework/api catalogsource_types.go), with the JSON
// type each field must have so that the API server accepts it.
type FieldType = 'string' | 'integer' | 'boolean' | 'mapping' | 'string-list';
const SPEC_FIELDS: Record<string, FieldType> = {
  sourceType: 'string',
  priority: 'integer',
  configMap: 'string',
  address: 'string',
  image: 'string',
  grpcPodConfig: 'mapping',
  updateStrategy: 'mapping',
  secrets: 'string-list',
  runAsRoot: 'boolean',
  displayName: 'string',
  description: 'string',
  publisher: 'string',
  icon: 'mapping',
};
const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations', 'generateName', 'finalizers', 'ownerReferences'];
/** Set by the API server; a template copied from `oc get catalogsource -o yaml` has them, and `oc apply` of a new
 * object with resourceVersion fails, so they are dropped (with a warning) rather than carried. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];
/** DNS-1123 label: OLM names the catalog's Service and pods after the CatalogSource, so 63 characters at most. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Never throws: whatever the text, the answer is a list of issues (and the template when there is no error). */
export function parseCatalogSourceTemplate(text: string, file: string): ParseCatalogSourceTemplateResult {
  const lines = new LineCounter();
  const issues: CatalogSourceTemplateIssue[] = [];
  const at = (node: unknown): { line: number; column: number } => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (!range) return { line: 1, column: 1 };
    const p = lines.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  const add = (code: CatalogSourceTemplateIssueCode, path: string, node: unknown, message: string, hint?: string, severity: 'error' | 'warning' = 'error') => {
    issues.push({ code, severity, file, ...at(node), path, message, ...(hint !== undefined ? { hint } : {}) });
  };
  const done = (template?: CatalogSourceTemplate): ParseCatalogSourceTemplateResult => {
    const sorted = issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return !template || sorted.some((i) => i.severity === 'error') ? { issues: sorted } : { template, issues: sorted };
  };

  // YAML 1.1, as the Go side reads Kubernetes YAML (sigs.k8s.io/yaml → go-yaml): `yes` is a boolean.
  const all = parseAllDocuments(text, { lineCounter: lines, version: '1.1', prettyErrors: false, uniqueKeys: true });
  const docs = (all as Document.Parsed[]).filter((d) => d.contents !== null || d.errors.length > 0);
  for (const d of docs) {
    for (const e of d.errors) {
      const p = lines.linePos(e.pos[0]);
      issues.push({ code: 'YAML_SYNTAX', severity: 'error', file, line: p.line, column: p.col, path: '', message: e.message.split('\n')[0]! });
    }
  }
  if (issues.length > 0) return done();
  if (docs.length === 0) {
    add('TEMPLATE_EMPTY', '', undefined, 'the template is empty', `write one CatalogSource (apiVersion: ${CATALOG_SOURCE_API_VERSION}, kind: ${CATALOG_SOURCE_KIND})`);
    return done();
  }
  if (docs.length > 1) {
    add('TEMPLATE_MULTIPLE_DOCUMENTS', '', docs[1]!.contents, `the template holds ${docs.length} YAML documents; it must hold one CatalogSource`, 'one template file per catalog');
    return done();
  }
  const doc = docs[0]!;
  const root = doc.contents;
  if (!isMap(root)) {
    add('NOT_A_MAPPING', '', root, 'the template is not a CatalogSource: expected a YAML mapping with apiVersion, kind, metadata and spec');
    return done();
  }
  const pair = (map: unknown, key: string): Pair<unknown, unknown> | undefined =>
    isMap(map) ? (map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair<unknown, unknown> | undefined) : undefined;
  let resource: Record<string, unknown>;
  try {
    resource = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (err) {
    // An alias bomb (aliases of aliases, billions of nodes once expanded) is refused by the YAML reader's cap.
    add('YAML_SYNTAX', '', root, `the template cannot be read: ${(err as Error).message}`, 'write the CatalogSource without YAML aliases (*name)');
    return done();
  }
  const positions: CatalogSourceTemplate['positions'] = {};

  // apiVersion and kind, as oc-mirror's catalogSourceContentFromTemplate checks them.
  const api = pair(root, 'apiVersion');
  if (resource.apiVersion !== CATALOG_SOURCE_API_VERSION) {
    add('API_VERSION_INVALID', 'apiVersion', api?.value ?? root, api ? `apiVersion is "${String(resource.apiVersion)}", not ${CATALOG_SOURCE_API_VERSION}` : 'apiVersion is missing', `apiVersion: ${CATALOG_SOURCE_API_VERSION}`);
  }
  const kind = pair(root, 'kind');
  if (resource.kind !== CATALOG_SOURCE_KIND) {
    add('KIND_INVALID', 'kind', kind?.value ?? root, kind ? `kind is "${String(resource.kind)}", not ${CATALOG_SOURCE_KIND}` : 'kind is missing', `kind: ${CATALOG_SOURCE_KIND}`);
  }
  for (const p of root.items) {
    const key = isScalar(p.key) ? String(p.key.value) : undefined;
    if (key === undefined || TOP_FIELDS.includes(key)) continue;
    add('FIELD_UNKNOWN', key, p.key, `unknown field "${key}" (kept as written)`, hintFor(key, TOP_FIELDS), 'warning');
  }
  const status = pair(root, 'status');
  if (status) {
    add('FIELD_DROPPED', 'status', status.key, 'status is set by the cluster; left out of the generated CatalogSource', undefined, 'warning');
    delete resource.status;
  }

  // metadata: name and namespace win over gantry's when set, so they must be valid names.
  const meta = pair(root, 'metadata');
  if (meta && !isNull(meta.value) && !isMap(meta.value)) {
    add('FIELD_TYPE', 'metadata', meta.value, 'metadata must be a mapping');
  } else if (meta && isMap(meta.value)) {
    const m = resource.metadata as Record<string, unknown>;
    for (const name of ['name', 'namespace'] as const) {
      const p = pair(meta.value, name);
      const v = m[name];
      if (!p || v === null) continue;
      positions[`metadata.${name}`] = at(p.value ?? p.key);
      if (typeof v !== 'string' || !DNS_LABEL.test(v) || v.length > 63) {
        add('NAME_INVALID', `metadata.${name}`, p.value ?? p.key, `metadata.${name} "${String(v)}" is not a DNS-1123 label`, 'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
      }
    }
    for (const field of ['labels', 'annotations'] as const) {
      const p = pair(meta.value, field);
      if (!p || isNull(p.value)) continue;
      if (!isMap(p.value)) {
        add('FIELD_TYPE', `metadata.${field}`, p.value, `metadata.${field} must be a mapping of strings`);
        continue;
      }
      for (const item of p.value.items) {
        const key = isScalar(item.key) ? String(item.key.value) : '?';
        const v = isScalar(item.value) ? item.value.value : item.value;
        if (typeof v !== 'string') {
          add('FIELD_TYPE', `metadata.${field}.${key}`, item.value ?? item.key, `metadata.${field}.${key} must be a string`, 'quote the value: YAML reads 1, true, yes or on unquoted as a number or boolean');
        }
      }
    }
    for (const item of meta.value.items) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key === undefined) continue;
      if (SERVER_METADATA.includes(key)) {
        add('FIELD_DROPPED', `metadata.${key}`, item.key, `metadata.${key} is set by the cluster; left out of the generated CatalogSource`, undefined, 'warning');
        delete m[key];
      } else if (!METADATA_FIELDS.includes(key)) {
        add('FIELD_UNKNOWN', `metadata.${key}`, item.key, `unknown field "metadata.${key}" (kept as written)`, hintFor(key, METADATA_FIELDS), 'warning');
      }
    }
  }

  // spec: gantry sets image and sourceType; a template may not point OLM anywhere else (configMap, address).
  const spec = pair(root, 'spec');
  if (spec && !isNull(spec.value) && !isMap(spec.value)) {
    add('FIELD_TYPE', 'spec', spec.value, 'spec must be a mapping');
  } else if (spec && isMap(spec.value)) {
    const s = resource.spec as Record<string, unknown>;
    for (const item of spec.value.items) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key === undefined) continue;
      const value = s[key];
      const path = `spec.${key}`;
      if (key === 'sourceType') {
        // oc-mirror: `SourceType != "" && SourceType != "grpc"` is refused; gantry writes grpc either way.
        if (value !== null && value !== '' && value !== 'grpc') add('SOURCE_TYPE_NOT_GRPC', path, item.value, `sourceType is "${String(value)}"; a mirrored catalog is served over grpc from its image`, 'remove sourceType or write sourceType: grpc');
        continue;
      }
      if (key === 'configMap') {
        add('CONFIG_MAP_SET', path, item.key, 'a template may not set spec.configMap: the catalog is served from the mirrored image', 'remove spec.configMap');
        continue;
      }
      if (key === 'address') {
        add('ADDRESS_SET', path, item.key, 'a template may not set spec.address: OLM would use that address instead of the mirrored catalog image', 'remove spec.address');
        continue;
      }
      const type = SPEC_FIELDS[key];
      if (type === undefined) {
        add('FIELD_UNKNOWN', path, item.key, `unknown field "${path}" (kept as written)`, hintFor(key, Object.keys(SPEC_FIELDS)), 'warning');
      } else if (value !== null && key !== 'image' && !hasType(value, type)) {
        add('FIELD_TYPE', path, item.value, `${path} must be ${describe(type)}`);
      }
    }
  }
  return done({ file, resource, positions });
}

export interface CatalogSourceFill {
  /** Used when the template sets no metadata.name. */
  name: string;
  /** Used when the template sets no metadata.namespace. */
  namespace: string;
  /** The mirrored catalog, by digest: always replaces the template's spec.image. */
  image: string;
  /** Laid over the template's annotations (the caller decides which keys win). */
  annotations: Record<string, string>;
}

/**
 * The CatalogSource for one mirrored catalog (apiVersion, kind, metadata.name, metadata.namespace and spec first,
 * then the template's fields in its order). Everything the template says is kept except:
 * spec.image and spec.sourceType (always the mirrored digest and grpc), and metadata.annotations (the caller's
 * merged set). metadata.name and metadata.namespace are the template's when it sets them, else `fill`'s.
 * oc-mirror v2 always overwrites both (cs-<repo>-<tag>, openshift-marketplace); keeping the template's lets a
 * site replace the default `redhat-operators` source in place or use its own namespace.
 */
export function applyCatalogSourceTemplate(template: CatalogSourceTemplate | undefined, fill: CatalogSourceFill): Record<string, unknown> {
  const t = structuredClone(template?.resource ?? {});
  const meta = isRecord(t.metadata) ? t.metadata : {};
  const spec = isRecord(t.spec) ? t.spec : {};
  const { name, namespace, annotations: _a, ...restMeta } = meta;
  const { image: _i, sourceType: _s, ...restSpec } = spec;
  const { apiVersion: _v, kind: _k, metadata: _m, spec: _sp, ...restTop } = t;
  return {
    apiVersion: CATALOG_SOURCE_API_VERSION,
    kind: CATALOG_SOURCE_KIND,
    metadata: {
      name: typeof name === 'string' ? name : fill.name,
      namespace: typeof namespace === 'string' ? namespace : fill.namespace,
      ...restMeta,
      annotations: fill.annotations,
    },
    spec: { ...restSpec, image: fill.image, sourceType: 'grpc' },
    ...restTop,
  };
}

/** `key:` with nothing after it, or `key: null` / `~`: the Go side reads an absent field. */
function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'mapping':
      return isRecord(v);
    case 'string-list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

function describe(t: FieldType): string {
  return { string: 'a string', integer: 'an integer', boolean: 'true or false', mapping: 'a mapping', 'string-list': 'a list of strings' }[t];
}

function hintFor(key: string, known: readonly string[]): string | undefined {
  const near = findClosestName(key, known);
  return near === undefined ? undefined : `did you mean "${near}"?`;
}
