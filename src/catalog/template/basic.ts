// The basic template (`olm.template.basic`): an FBC whose bundles are only image references, expanded by
// rendering each image (OR:alpha/template/basic/basic.go Render, parseSpec, isBundleTemplate).
import { decodeBlob } from '../fbc/decode-blob.js';
import { emptyConfig, type Bundle, type DeclarativeConfig } from '../fbc/types.js';
import { quoteGoString } from '../../semver/index.js';
import { decodeGoValue, keyForField, type GoType } from './go-json-decode.js';
import type { ReadContext } from './read-context.js';
import { renderBundles, type ExpandOptions, type TemplateDeps } from './render-bundles.js';
import { TemplateError } from './template-error.js';

export const BASIC_SCHEMA = 'olm.template.basic';

export interface BasicTemplate {
  schema: typeof BASIC_SCHEMA;
  /** The entries as FBC blobs, each with the template line it came from; bundles are bundle templates. */
  config: DeclarativeConfig;
  /** The template file, for messages. */
  file?: string;
}

// opm's BasicTemplateData, decoded leniently (plain json.Unmarshal: unknown fields are ignored).
const BASIC_TYPE: GoType = {
  kind: 'struct',
  name: 'BasicTemplateData',
  type: 'basic.BasicTemplateData',
  fields: {
    schema: { kind: 'string', type: 'string' },
    entries: { kind: 'slice', type: '[]*declcfg.Meta', of: { kind: 'raw' } },
  },
};

const UNEXPECTED_FIELDS = 'unexpected fields present in basic template bundle';

/**
 * A bundle entry the template may hold: an image, no package, properties or related images (its schema is
 * olm.bundle by construction). opm ignores other fields such as `name`: the rendered bundle replaces the entry.
 */
export function isBundleTemplate(b: Bundle): boolean {
  return b.image !== '' && b.package === '' && (b.properties?.length ?? 0) === 0 && (b.relatedImages?.length ?? 0) === 0;
}

/** Reads a parsed basic template document; problems go to ctx.issues. */
export function readBasicTemplate(value: unknown, ctx: ReadContext): BasicTemplate | undefined {
  const before = ctx.issues.length;
  const { value: decoded, problems } = decodeGoValue(value, BASIC_TYPE, { strict: false });
  for (const p of problems) ctx.fail('template-field-type', `unmarshalling template: ${p.message}`, p.path);
  if (decoded === undefined) return undefined;
  const data = decoded as { schema?: string; entries?: unknown[] };
  if ((data.schema ?? '') !== BASIC_SCHEMA) {
    ctx.fail('template-schema-unknown', `template has unknown schema (${quoteGoString(data.schema ?? '')}), should be ${quoteGoString(BASIC_SCHEMA)}`, [keyForField(value, 'schema')]);
  }

  const config = emptyConfig();
  const entriesKey = keyForField(value, 'entries');
  (data.entries ?? []).forEach((entry, i) => {
    const path = [entriesKey, i];
    if (entry === null || entry === undefined) {
      ctx.fail('parse-error', 'a catalog entry must be an object, not null', path);
      return;
    }
    const decodedBlob = decodeBlob(entry, { file: ctx.file, line: ctx.entryLineOf(path) });
    if ('rule' in decodedBlob) {
      // Issues are rare: look the exact line up even for large texts.
      ctx.fail(decodedBlob.rule, decodedBlob.message, path);
      return;
    }
    switch (decodedBlob.kind) {
      case 'package':
        config.packages.push(decodedBlob.blob);
        break;
      case 'channel':
        config.channels.push(decodedBlob.blob);
        break;
      case 'bundle':
        if (!isBundleTemplate(decodedBlob.blob)) ctx.fail('template-bundle-fields', UNEXPECTED_FIELDS, path);
        config.bundles.push(decodedBlob.blob);
        break;
      case 'deprecation':
        config.deprecations.push(decodedBlob.blob);
        break;
      case 'other':
        config.others.push(decodedBlob.blob);
        break;
    }
  });
  if (ctx.issues.length > before) return undefined;
  return { schema: BASIC_SCHEMA, config, file: ctx.file };
}

/**
 * Expands a basic template: every bundle entry is replaced by the bundle rendered from its image, everything
 * else is kept as written. Throws TemplateError.
 */
export async function expandBasicTemplate(doc: BasicTemplate, deps: TemplateDeps, opts: ExpandOptions = {}): Promise<DeclarativeConfig> {
  const where = (b: Bundle) => ({ ...(b.source ? { file: b.source.file, line: b.source.line } : doc.file ? { file: doc.file } : {}), image: b.image });
  const bad = doc.config.bundles.find((b) => !isBundleTemplate(b));
  if (bad) throw new TemplateError('TEMPLATE_INVALID', UNEXPECTED_FIELDS, where(bad));

  const templates = doc.config.bundles;
  const rendered = await renderBundles(
    templates.map((b) => b.image),
    deps,
    opts,
    // opm returns the renderer's error unchanged.
    (i, cause) => new TemplateError('TEMPLATE_BUNDLE_RENDER_FAILED', (cause as Error)?.message ?? String(cause), { ...where(templates[i]!), cause }),
  );
  return {
    packages: [...doc.config.packages],
    channels: [...doc.config.channels],
    bundles: rendered,
    deprecations: [...doc.config.deprecations],
    others: [...doc.config.others],
  };
}
