// TemplateError and TemplateIssue: what goes wrong reading or expanding a catalog template. Messages are opm's
// text (alpha/template/*), codes and file/line/path are gantry's, so callers can point at the template line.
import type { CatalogIssue } from '../fbc/types.js';

/** A problem found while reading a template; collected, never thrown. `path` is like `stable.bundles[2].image`. */
export interface TemplateIssue extends CatalogIssue {
  path?: string;
}

export type TemplateErrorCode =
  /** The template itself is invalid (parseTemplate would have reported it). */
  | 'TEMPLATE_INVALID'
  /** The injected bundle renderer failed for an image. */
  | 'TEMPLATE_BUNDLE_RENDER_FAILED'
  /** A rendered bundle cannot be used: no version, another package, a duplicate name or version. */
  | 'TEMPLATE_BUNDLE_INVALID'
  /** Nothing to render: no bundle images at all. */
  | 'TEMPLATE_EMPTY';

export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly path: string | undefined;
  /** The image being rendered or checked, when there is one. */
  readonly image: string | undefined;

  constructor(code: TemplateErrorCode, message: string, opts: { file?: string; line?: number; path?: string; image?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TemplateError';
    this.code = code;
    this.file = opts.file;
    this.line = opts.line;
    this.path = opts.path;
    this.image = opts.image;
  }
}
