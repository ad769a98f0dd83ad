// Validation of generated samples resources against the published schemas stored in test/fixtures/samples-schemas
// (openshift/api facts), with ajv. Unknown fields are refused: a structural CRD would prune them silently.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const DIR = join(new URL('.', import.meta.url).pathname, '..', '..', '..', 'test', 'fixtures', 'samples-schemas');

const FILES: Record<string, string> = {
  'samples.operator.openshift.io/v1 Config': 'samples-config.schema.json',
  'config.openshift.io/v1 Image': 'image-config.schema.json',
  'v1 ConfigMap': 'configmap.schema.json',
  'image.openshift.io/v1 ImageStream': 'imagestream.schema.json',
};

/** Every object schema with properties gets additionalProperties: false unless it says otherwise (metadata is opaque). */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // Kubernetes OpenAPI uses formats (int32, byte, date-time) and x-kubernetes-* keywords ajv does not know.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  validators = new Map();
  for (const [kind, file] of Object.entries(FILES)) {
    const schema = closeObjects(JSON.parse(readFileSync(join(DIR, file), 'utf8'))) as Record<string, unknown>;
    // ObjectMeta is large and not what these tests are about: the name/namespace shape is enough.
    const defs = schema.definitions as Record<string, unknown> | undefined;
    if (defs?.['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] = { type: 'object' };
    validators.set(kind, ajv.compile(schema));
  }
  return validators;
}

/** Schema errors of one resource ("" when valid); throws for a kind with no stored schema. */
export function validateSamplesResource(resource: { apiVersion?: unknown; kind?: unknown; [field: string]: unknown }): string {
  const key = `${String(resource.apiVersion)} ${String(resource.kind)}`;
  const validate = load().get(key);
  if (!validate) throw new Error(`no stored schema for ${key}`);
  return validate(resource) ? '' : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');
}

export const SAMPLES_SCHEMA_KINDS = Object.keys(FILES);
