// Properties as rendering produces them: the value as plain JSON data in the key order Go writes it, plus
// the exact JSON text opm holds for it (its json.RawMessage), which is also the key opm sorts by.
import { compactGoJson, type JsonPart } from '../encoding/index.js';
import { byteOrder } from '../../order.js';
import type { Property } from '../fbc/types.js';

/**
 * `ordered: true` tells a writer to keep the value's key order (struct order for opm's own types, the source
 * order for values passed through) instead of sorting keys. `valueText` is the value's JSON text as opm has
 * it: compact, except that a value passed through from a JSON file keeps that file's bytes, and one passed
 * through from YAML keeps json.Marshal's `\u003c \u003e \u0026` escapes. Embedding it re-indented (Go's
 * RawMessage handling) reproduces opm's output byte for byte; '' stands for a nil value, written `null`.
 */
export type RenderedProperty = Property & { ordered: true; valueText: string };

export const TYPE_PACKAGE = 'olm.package';
export const TYPE_PACKAGE_REQUIRED = 'olm.package.required';
export const TYPE_GVK = 'olm.gvk';
export const TYPE_GVK_REQUIRED = 'olm.gvk.required';
export const TYPE_BUNDLE_OBJECT = 'olm.bundle.object';
export const TYPE_CSV_METADATA = 'olm.csv.metadata';

/** A property opm builds from a Go struct (property.Build: an encoder without HTML escaping, compacted). */
export function builtProperty(type: string, value: Record<string, unknown>): RenderedProperty {
  return { type, value, ordered: true, valueText: compactGoJson(value as JsonPart) };
}

/** A property whose value opm passes through as raw JSON text. */
export function rawProperty(type: string, valueText: string): RenderedProperty {
  return { type, value: valueText === '' ? null : JSON.parse(valueText), ordered: true, valueText };
}

/** ObjectsAndPropertiesFromBundle's order: by type, then by the value's text, byte-wise. */
export function compareProperties(a: RenderedProperty, b: RenderedProperty): number {
  return byteOrder(a.type, b.type) || byteOrder(a.valueText, b.valueText);
}

/** render.go moveBundleObjectsToEndOfPropertySlices: a stable partition. */
export function moveObjectsToEnd(props: RenderedProperty[]): RenderedProperty[] {
  const isObject = (p: RenderedProperty) => p.type === TYPE_BUNDLE_OBJECT || p.type === TYPE_CSV_METADATA;
  return [...props.filter((p) => !isObject(p)), ...props.filter(isObject)];
}

/** registry.propertySet: drops repeats of the same (type, value text), keeping the first. */
export function dedupeProperties(props: RenderedProperty[]): RenderedProperty[] {
  const seen = new Set<string>();
  return props.filter((p) => {
    const key = `${p.type}\u0000${p.valueText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
