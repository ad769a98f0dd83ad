// Reading a catalog template file: JSON or YAML, the kind taken from the first document's `schema` (opm's
// alpha/template/schema.go detectSchema, registry.go) or forced by the caller, every problem with file and line.
import { parseCatalogText } from '../fbc/load.js';
import type { Source } from '../fbc/types.js';
import { quoteGoString } from '../semver/index.js';
import { BASIC_SCHEMA, expandBasicTemplate, readBasicTemplate, type BasicTemplate } from './basic.js';
import { isLegacyBasicTemplate, readLegacyBasicTemplate } from './basic-legacy.js';
import { decodeGoValue } from './go-json-decode.js';
import { createReadContext } from './read-context.js';
import type { ExpandOptions, TemplateDeps } from './render-bundles.js';
import { expandSemverTemplate, readSemverTemplate, SEMVER_SCHEMA, type SemverTemplate } from './semver.js';
import type { TemplateIssue } from './template-error.js';
import type { DeclarativeConfig } from '../fbc/types.js';

export type Template = BasicTemplate | SemverTemplate;

/** opm's template types (the last part of the schema). */
export type TemplateType = 'basic' | 'semver';

export interface ParseTemplateOptions {
  /** `opm alpha render-template <type>`: read as this type instead of detecting it from `schema`. */
  type?: TemplateType;
}

export interface ParseTemplateResult {
  /** Undefined when any issue is an error. */
  template: Template | undefined;
  issues: TemplateIssue[];
}

const SUBSTITUTES_SCHEMA = 'olm.template.substitutes';

/**
 * Parses a template. Like opm, only the first document is read (later ones are reported as a warning), except
 * in the older basic form (a plain catalog, as opm v1.26.5 read it), where every document is an entry.
 * Messages are opm's (e.g. `json: unknown field "x"` wrapped as sigs.k8s.io/yaml wraps it).
 */
export function parseTemplate(text: string, file: string, opts: ParseTemplateOptions = {}): ParseTemplateResult {
  const issues: TemplateIssue[] = [];
  const docs: { value: unknown; source: Source }[] = [];
  parseCatalogText(text, file, (value, source) => docs.push({ value, source }), issues);
  if (issues.some((i) => i.severity !== 'warning')) return { template: undefined, issues };
  const first = docs[0];
  if (first === undefined) {
    issues.push({ rule: 'template-empty', message: 'decoding template input: EOF', severity: 'error', file, line: 1 });
    return { template: undefined, issues };
  }
  if (isLegacyBasicTemplate(first.value, opts.type)) return { template: readLegacyBasicTemplate(docs, file, issues), issues };
  if (docs.length > 1) {
    issues.push({
      rule: 'template-extra-documents',
      message: `only the first document of a template is read; ${docs.length - 1} more ignored`,
      severity: 'warning',
      file,
      line: docs[1]!.source.line,
    });
  }

  const ctx = createReadContext(text, file, first.source.line, issues);
  let type = opts.type;
  if (type === undefined) {
    const detected = detectSchema(first.value);
    if ('message' in detected) {
      ctx.fail(detected.rule, detected.message, detected.rule === 'template-schema-missing' ? [] : ['schema']);
      return { template: undefined, issues };
    }
    type = detected.type;
  }
  if (type === 'semver') refuseDuplicateKeys(issues);
  const template = type === 'basic' ? readBasicTemplate(first.value, ctx) : readSemverTemplate(first.value, ctx);
  const failed = issues.some((i) => i.severity !== 'warning');
  return { template: failed ? undefined : template, issues };
}

/**
 * opm reads a semver template with yaml.UnmarshalStrict, which refuses a key repeated in a mapping; catalogs and
 * basic templates go through a lenient decoder, where the last value wins (a warning here).
 */
function refuseDuplicateKeys(issues: TemplateIssue[]): void {
  for (const i of issues) {
    if (i.rule !== 'duplicate-key') continue;
    i.severity = 'error';
    i.message = `${i.message.replace(/: the last value is used.*$/, '')}: a semver template is read strictly, as opm reads it`;
  }
}

function detectSchema(value: unknown): { type: TemplateType } | { rule: string; message: string } {
  // opm decodes the first document into struct{ Schema string `json:"schema"` } (leniently).
  const { value: decoded, problems } = decodeGoValue(
    value,
    { kind: 'struct', name: '', type: 'struct { Schema string "json:\\"schema\\"" }', fields: { schema: { kind: 'string', type: 'string' } } },
    { strict: false },
  );
  if (problems.length > 0) return { rule: 'template-field-type', message: `unmarshalling template schema: ${problems[0]!.message}` };
  const schema = (decoded as { schema?: string } | undefined)?.schema ?? '';
  switch (schema) {
    case '':
      return { rule: 'template-schema-missing', message: "template input missing required 'schema' field" };
    case BASIC_SCHEMA:
      return { type: 'basic' };
    case SEMVER_SCHEMA:
      return { type: 'semver' };
    case SUBSTITUTES_SCHEMA:
      return { rule: 'template-schema-unsupported', message: `template schema ${quoteGoString(schema)} is not supported yet` };
    default:
      return { rule: 'template-schema-unknown', message: `unknown template schema: ${schema}` };
  }
}

/** Expands a parsed template with the caller's bundle renderer. Throws TemplateError. */
export function renderTemplate(template: Template, deps: TemplateDeps, opts: ExpandOptions = {}): Promise<DeclarativeConfig> {
  return template.schema === BASIC_SCHEMA ? expandBasicTemplate(template, deps, opts) : expandSemverTemplate(template, deps, opts);
}
