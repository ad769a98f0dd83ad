// parseImageSetConfig: YAML text → typed ImageSetConfig + every issue found (syntax, schema, §2.4 rules),
// each with file, line and column. Pure: the caller reads the file and prints the issues.
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { findClosestName } from './closest-name.js';
import { API_V1, API_V2, type ApiVersion, type ConfigIssue, type ConfigKind, type ImageSetConfig, type ParseImageSetConfigResult } from './config-types.js';
import { readTop } from './read-image-set.js';
import { validateImageSet } from './validate-image-set.js';
import { positionOf, type ReadContext } from './yaml-reader.js';

const API_VERSIONS: readonly ApiVersion[] = [API_V1, API_V2];
const KINDS: readonly ConfigKind[] = ['ImageSetConfiguration', 'DeleteImageSetConfiguration'];

/** Never throws: whatever the text, the answer is a list of issues (and the config when there is no error). */
export function parseImageSetConfig(text: string, file: string): ParseImageSetConfigResult {
  const lines = new LineCounter();
  const issues: ConfigIssue[] = [];
  // YAML 1.1 as oc-mirror reads it (sigs.k8s.io/yaml → go-yaml v2): yes/no are booleans, 1.10 is a float.
  const doc = parseDocument(text, { lineCounter: lines, version: '1.1', prettyErrors: false, uniqueKeys: true });
  for (const [severity, list] of [['error', doc.errors], ['warning', doc.warnings]] as const) {
    for (const e of list) {
      const at = lines.linePos(e.pos[0]);
      issues.push({
        code: severity === 'error' ? 'YAML_SYNTAX' : 'YAML_WARNING',
        severity,
        message: e.message.split('\n')[0]!,
        file,
        line: at.line,
        column: at.col,
        path: '',
      });
    }
  }
  if (doc.errors.length > 0) return { issues: sortIssues(issues) };
  const ctx: ReadContext = { file, text, doc: doc as Document, lines, version: 'v2', kind: 'ImageSetConfiguration', issues, positions: new Map() };
  const root = doc.contents;
  if (!isMap(root)) {
    issues.push({ code: 'NOT_A_MAPPING', severity: 'error', message: 'the file is not an ImageSetConfiguration: expected a YAML mapping with apiVersion, kind and mirror', file, ...pos(ctx, root), path: '', hint: `start with apiVersion: ${API_V2} and kind: ImageSetConfiguration` });
    return { issues: sortIssues(issues) };
  }
  const header = readHeader(ctx, root);
  if (!header) return { issues: sortIssues(issues) };
  ctx.version = header.apiVersion === API_V1 ? 'v1' : 'v2';
  ctx.kind = header.kind;
  const top = readTop(ctx, root);
  const stanza = header.kind === 'DeleteImageSetConfiguration' ? 'delete' : 'mirror';
  if (top.imageSet) validateImageSet(ctx, top.imageSet, stanza);
  const sorted = sortIssues(issues);
  if (sorted.some((i) => i.severity === 'error') || !top.imageSet) return { issues: sorted };
  const config: ImageSetConfig = { apiVersion: header.apiVersion, kind: header.kind };
  if (top.archiveSize !== undefined) config.archiveSize = top.archiveSize;
  if (top.storageConfig !== undefined) config.storageConfig = top.storageConfig;
  config[stanza] = top.imageSet;
  return { config, issues: sorted };
}

function pos(ctx: ReadContext, node: unknown): { line: number; column: number } {
  return positionOf(ctx, node);
}

function readHeader(ctx: ReadContext, root: import('yaml').YAMLMap): { apiVersion: ApiVersion; kind: ConfigKind } | undefined {
  const find = (name: string) => root.items.find((p) => isScalar(p.key) && p.key.value === name);
  const issue = (code: ConfigIssue['code'], path: string, node: unknown, message: string, hint: string): void => {
    ctx.issues.push({ code, severity: 'error', message, file: ctx.file, ...pos(ctx, node), path, hint });
  };
  const api = find('apiVersion');
  const kind = find('kind');
  const apiValue = isScalar(api?.value) ? api.value.value : undefined;
  const kindValue = isScalar(kind?.value) ? kind.value.value : undefined;
  const supported = `supported: ${API_VERSIONS.join(', ')}`;
  let ok = true;
  if (!api) {
    issue('API_VERSION_MISSING', 'apiVersion', root, 'apiVersion is missing', `add apiVersion: ${API_V2} (${supported})`);
    ok = false;
  } else if (!API_VERSIONS.includes(apiValue as ApiVersion)) {
    // oc-mirror v2 does not check the value (§2.2); we do, since the two versions differ in fields.
    issue('API_VERSION_UNSUPPORTED', 'apiVersion', api.value ?? api.key, `unsupported apiVersion "${String(apiValue ?? '')}"`, supported);
    ok = false;
  }
  if (!kind) {
    issue('KIND_MISSING', 'kind', root, 'kind is missing', `add kind: ImageSetConfiguration (supported: ${KINDS.join(', ')})`);
    ok = false;
  } else if (!KINDS.includes(kindValue as ConfigKind)) {
    const guess = typeof kindValue === 'string' ? findClosestName(kindValue, KINDS) : undefined;
    issue('KIND_UNSUPPORTED', 'kind', kind.value ?? kind.key, `unsupported kind "${String(kindValue ?? '')}"`, `${guess ? `did you mean "${guess}"? ` : ''}supported: ${KINDS.join(', ')}`);
    ok = false;
  } else if (kindValue === 'DeleteImageSetConfiguration' && apiValue === API_V1) {
    // §2.3: DeleteImageSetConfiguration exists only in v2alpha1.
    issue('KIND_NOT_IN_VERSION', 'kind', kind.value, `DeleteImageSetConfiguration is not part of ${API_V1}`, `set apiVersion: ${API_V2}`);
    ok = false;
  }
  return ok ? { apiVersion: apiValue as ApiVersion, kind: kindValue as ConfigKind } : undefined;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.i - b.i).map((x) => x.issue);
}
