// Laying a mirrored catalog's name, namespace and image over a CatalogSource template (parsed and checked in
// config/catalog-source-template.ts), and the key that ties a template to the catalog it was written for.
import type { Reference } from '../oci/reference.js';
import { CATALOG_SOURCE_API_VERSION, CATALOG_SOURCE_KIND, type CatalogSourceTemplate } from '../config/catalog-source-template.js';

/**
 * The key of `CatalogSourceOptions.templates`: the catalog's destination as pushed, `host/path:tag`.
 * Per tag rather than per repository, so a catalog mirrored by an earlier run (still in the accumulated
 * record, no longer in the config) does not take a template written for the one mirrored now.
 */
export function catalogTemplateKey(dest: Reference): string {
  return `${dest.registry}/${dest.repository}:${dest.tag ?? 'latest'}`;
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
