// The typed pieces opm takes from bundle files (OR:pkg/registry/parse.go addMetadata, types.go): the
// annotations file, the dependencies and properties lists, and the CSV's `olm.properties` annotation.
import { canonicalJsonGoHtml } from '../encoding/index.js';
import type { DecodedDocument } from './decode-document.js';
import { GoDecodeError, goField, goString, goStruct } from './go-decode.js';
import { firstJsonValue, jsonArrayItems, jsonObjectMembers, type JsonSpan } from './json-spans.js';

type Obj = Record<string, unknown>;

export const ANNOTATION_PACKAGE = 'operators.operatorframework.io.bundle.package.v1';
export const ANNOTATION_CHANNELS = 'operators.operatorframework.io.bundle.channels.v1';
export const ANNOTATION_DEFAULT_CHANNEL = 'operators.operatorframework.io.bundle.channel.default.v1';

export interface BundleAnnotations {
  packageName: string;
  channels: string;
  defaultChannel: string;
}

/** A `{type, value}` entry with the value as Go's json.RawMessage text ('' when the value is absent). */
export interface RawEntry {
  type: string;
  text: string;
}

/*
 * sigs.k8s.io/yaml converts a YAML scalar to a string when the Go field it lands in is a string, so
 * `package.v1: 1.0` reads as "1". A JSON document gets no such help: a number there is a type error.
 */
function lenientString(v: unknown, yaml: boolean, field: string): string {
  if (yaml && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
  return goString(v, field);
}

/**
 * AnnotationsFile as Go decodes it: GoDecodeError where Go's decode fails, undefined when none of the three keys
 * is set (opm then tries the next file).
 */
export function decodeAnnotations(doc: DecodedDocument): BundleAnnotations | undefined {
  const top = goStruct(doc.value, 'registry.AnnotationsFile');
  const a = goStruct(top && goField(top, 'annotations'), 'registry.Annotations', 'annotations');
  const yaml = doc.json === undefined;
  const out = {
    packageName: lenientString(a && goField(a, ANNOTATION_PACKAGE), yaml, 'Annotations.annotations.' + ANNOTATION_PACKAGE),
    channels: lenientString(a && goField(a, ANNOTATION_CHANNELS), yaml, 'Annotations.annotations.' + ANNOTATION_CHANNELS),
    defaultChannel: lenientString(a && goField(a, ANNOTATION_DEFAULT_CHANNEL), yaml, 'Annotations.annotations.' + ANNOTATION_DEFAULT_CHANNEL),
  };
  // `decoded != (AnnotationsFile{})`: a file with none of the three is not the annotations file.
  return out.packageName === '' && out.channels === '' && out.defaultChannel === '' ? undefined : out;
}

// The member a Go struct field takes from JSON text: the last key matching it (exactly or ignoring case).
function memberSpan(text: string, span: JsonSpan, name: string): JsonSpan | undefined {
  let found: JsonSpan | undefined;
  for (const m of jsonObjectMembers(text, span)) if (m.key.toLowerCase() === name.toLowerCase()) found = m;
  return found;
}

/**
 * DependenciesFile.dependencies or PropertiesFile.properties: the `{type, value}` list, values kept as the
 * bytes Go keeps. From JSON text those are the file's own bytes; from YAML they are json.Marshal's output
 * (keys sorted, HTML characters escaped), as sigs.k8s.io/yaml produces JSON with it. Throws GoDecodeError
 * where Go's decode fails; an empty list where the key is missing or null.
 */
export function readRawEntries(doc: DecodedDocument, listKey: 'dependencies' | 'properties'): RawEntry[] {
  const top = goStruct(doc.value, `registry.${listKey === 'dependencies' ? 'DependenciesFile' : 'PropertiesFile'}`);
  const list = top && goField(top, listKey);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new GoDecodeError(`json: cannot unmarshal ${typeof list} into Go struct field .${listKey} of type []registry.Property`);
  const yaml = doc.json === undefined;
  const spans = doc.json ? jsonArrayItems(doc.json.text, memberSpan(doc.json.text, doc.json.span, listKey)!) : [];
  return list.map((item, i) => {
    const o = goStruct(item, 'registry.Property', listKey);
    const type = lenientString(o && goField(o, 'type'), yaml, `Property.${listKey}.type`);
    const value = o && goField(o, 'value');
    if (value === undefined) return { type, text: '' };
    if (doc.json) {
      const valueSpan = memberSpan(doc.json.text, spans[i]!, 'value')!;
      return { type, text: doc.json.text.slice(valueSpan.start, valueSpan.end) };
    }
    return { type, text: canonicalJsonGoHtml(value) };
  });
}

/**
 * The CSV annotation `olm.properties`: a JSON array of properties, values kept as the annotation's own
 * bytes. Go's json.Unmarshal keeps whatever it decoded before a type error (a non-object entry becomes an
 * empty property), so `problem` is reported alongside the entries; invalid JSON yields nothing.
 */
export function readCsvProperties(text: string): { entries: RawEntry[]; problem?: string } {
  const first = firstJsonValue(text);
  if (first === undefined || first.rest) return { entries: [], problem: 'not valid JSON' };
  if (!Array.isArray(first.value)) return { entries: [], problem: 'json: cannot unmarshal into Go value of type []registry.Property' };
  let problem: string | undefined;
  const items = jsonArrayItems(text, first.span);
  const entries = first.value.map((item, i): RawEntry => {
    if (item === null) return { type: '', text: '' };
    if (typeof item !== 'object' || Array.isArray(item)) {
      problem ??= 'json: cannot unmarshal into Go value of type registry.Property';
      return { type: '', text: '' };
    }
    const t = goField(item as Obj, 'type');
    let type = '';
    if (typeof t === 'string') type = t;
    else if (t !== undefined && t !== null) problem ??= 'json: cannot unmarshal into Go struct field Property.type of type string';
    const valueSpan = goField(item as Obj, 'value') === undefined ? undefined : memberSpan(text, items[i]!, 'value');
    return { type, text: valueSpan ? text.slice(valueSpan.start, valueSpan.end) : '' };
  });
  return problem === undefined ? { entries } : { entries, problem };
}
