// What a template reader needs besides the parsed document: the file name, where the document starts, and
// lines of nested fields (looked up lazily, since finding them means parsing the text a second time).
import { createLineLocator, formatFieldPath, type FieldPath } from './line-locator.js';
import type { TemplateIssue } from './template-error.js';

/**
 * Texts up to this size get a line for every entry on the happy path (about a quarter of a second of extra
 * parsing at most); larger ones only where an issue is reported, and the document's line elsewhere.
 */
export const ENTRY_LINES_MAX_TEXT = 256 * 1024;

export interface ReadContext {
  file: string;
  /** The line the template document starts on. */
  docLine: number;
  /** Line of a field, falling back to the document line. */
  lineOf(path: FieldPath): number;
  /** Line of a field when that is cheap (small text), else the document line. */
  entryLineOf(path: FieldPath): number;
  issues: TemplateIssue[];
  /** Records an error at `path`. */
  fail(rule: string, message: string, path: FieldPath): void;
}

export function createReadContext(text: string, file: string, docLine: number, issues: TemplateIssue[]): ReadContext {
  const locator = createLineLocator(text);
  const lineOf = (path: FieldPath) => locator.lineOf(path) ?? docLine;
  const cheap = text.length <= ENTRY_LINES_MAX_TEXT;
  return {
    file,
    docLine,
    lineOf,
    entryLineOf: (path) => (cheap ? lineOf(path) : docLine),
    issues,
    fail(rule, message, path) {
      const issue: TemplateIssue = { rule, message, severity: 'error', file, line: lineOf(path) };
      if (path.length > 0) issue.path = formatFieldPath(path);
      issues.push(issue);
    },
  };
}
