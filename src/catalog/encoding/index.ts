// The catalog encoders: Go-compatible JSON (canonical, indented, struct-ordered) and go-yaml v2 style YAML,
// byte-for-byte like opm. Explicit export list.

export { canonicalJson, canonicalJsonGoHtml, sortedKeys } from './canonical-json.js';
export { indentJson } from './indent-json.js';
export {
  compactGoJson,
  encodeGoBlob,
  encodeGoIndented,
  goObject,
  GoObject,
  omitEmpty,
  rawJson,
  RawJson,
  sortedJson,
  SortedJson,
  writeGoJson,
  type GoField,
  type JsonPart,
} from './go-json-writer.js';
export { compareUtf8, formatGoFloat, quoteGoString } from './go-json-text.js';
export { jsonToYaml, valueToYaml, yamlDocument, type YamlOptions } from './go-yaml.js';
