// The basic template as opm v1.26.5 read it: a plain file-based catalog (every document, no olm.template.basic
// wrapper) whose bundles are image references (OR@v1.26.5:alpha/template/basic/basic.go Render, LoadReader).
import { decodeBlob } from '../fbc/decode-blob.js';
import { emptyConfig, type Source } from '../fbc/types.js';
import { BASIC_SCHEMA, isBundleTemplate, type BasicTemplate } from './basic.js';
import type { TemplateIssue } from './template-error.js';

/** The catalog schemas that mark a document as this older form when the template type is detected. */
const FBC_SCHEMAS = new Set(['olm.package', 'olm.channel', 'olm.bundle', 'olm.deprecations']);
/** Template schemas: a file that names one is a template of that kind, never the older basic form. */
const TEMPLATE_SCHEMAS = new Set([BASIC_SCHEMA, 'olm.semver', 'olm.template.substitutes']);

/**
 * Whether the documents are the older form: with the type given as basic, a first document whose schema names
 * no template; when detecting, a first document of a catalog schema (where newer opm answers "unknown template
 * schema").
 */
export function isLegacyBasicTemplate(first: unknown, forced: 'basic' | 'semver' | undefined): boolean {
  if (forced === 'semver' || first === null || typeof first !== 'object' || Array.isArray(first)) return false;
  const schema = (first as { schema?: unknown }).schema;
  if (forced === 'basic') return typeof schema === 'string' && !TEMPLATE_SCHEMAS.has(schema);
  return typeof schema === 'string' && FBC_SCHEMAS.has(schema);
}

/** Reads every document as a catalog blob; bundles must be templates (schema and image only). */
export function readLegacyBasicTemplate(docs: { value: unknown; source: Source }[], file: string, issues: TemplateIssue[]): BasicTemplate | undefined {
  const before = issues.filter((i) => i.severity !== 'warning').length;
  const config = emptyConfig();
  for (const { value, source } of docs) {
    const d = decodeBlob(value, source);
    if ('rule' in d) {
      issues.push({ ...d, severity: 'error' });
      continue;
    }
    switch (d.kind) {
      case 'package':
        config.packages.push(d.blob);
        break;
      case 'channel':
        config.channels.push(d.blob);
        break;
      case 'bundle':
        if (!isBundleTemplate(d.blob)) issues.push({ rule: 'template-bundle-fields', message: 'unexpected fields present in basic template bundle', severity: 'error', file, line: source.line });
        config.bundles.push(d.blob);
        break;
      case 'deprecation':
        config.deprecations.push(d.blob);
        break;
      case 'other':
        config.others.push(d.blob);
        break;
    }
  }
  if (issues.filter((i) => i.severity !== 'warning').length > before) return undefined;
  return { schema: BASIC_SCHEMA, config, file };
}
