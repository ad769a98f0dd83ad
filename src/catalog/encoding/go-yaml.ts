// YAML the way opm writes it (`-o yaml`, reference §1.5): sigs.k8s.io/yaml JSONToYAML, i.e. go-yaml v2
// (go.yaml.in/yaml/v2 v2.4.x) decoding the JSON into generic maps and marshalling them again.

import { GantryError } from '../../errors.js';
import { formatGoFloat, toWellFormed } from './go-json-text.js';
import { GoObject, RawJson, SortedJson } from './go-json-writer.js';
import { emitYamlDocument, YamlMapping, YamlPlain, type YamlValue } from './go-yaml-emitter.js';
import { yamlNumberText } from './go-yaml-resolve.js';
import { compareYamlKeys } from './go-yaml-sort.js';
import { stringEnd } from './indent-json.js';

/*
 * Facts this follows (operator-registry HEAD: sigs.k8s.io/yaml v1.6.0 → go.yaml.in/yaml/v2 v2.4.4, whose code is
 * gopkg.in/yaml.v2 v2.4.0):
 *   - JSONToYAML uses yaml.Unmarshal on the JSON, so numbers are typed by YAML rules (int, then uint, then
 *     float64), every map is map[interface{}]interface{} and yaml.Marshal sorts its keys (sorter.go);
 *   - v2.4.0 restored line wrapping at 80 columns (v2.3.0 had removed it) and neither sigs.k8s.io/yaml nor opm
 *     calls yaml.FutureLineWrap(), so long strings with spaces ARE folded: plain, single- and double-quoted
 *     scalars break at a space once the column passes 80. Real `opm` YAML output shows this.
 */
export interface YamlOptions {
  /** go-yaml's preferred width; 80 is its default (and opm's). Infinity = yaml.FutureLineWrap(). */
  lineWidth?: number;
}

const DEFAULT_WIDTH = 80;

/** sigs.k8s.io/yaml.JSONToYAML of the given JSON text. The result ends with a newline. */
export function jsonToYaml(json: string, opts: YamlOptions = {}): string {
  const parser = new JsonToYamlParser(json);
  const value = parser.parseDocument();
  return emitYamlDocument(value, opts.lineWidth ?? DEFAULT_WIDTH);
}

/**
 * JSONToYAML of the JSON Go would write for `value`: plain JS values (numbers formatted as Go float64s),
 * RawJson text, GoObject and SortedJson parts. Key order does not matter: every map comes out sorted.
 */
export function valueToYaml(value: unknown, opts: YamlOptions = {}): string {
  return emitYamlDocument(toYamlValue(value), opts.lineWidth ?? DEFAULT_WIDTH);
}

/** One document of opm's YAML stream: `---\n` + JSONToYAML(json). */
export function yamlDocument(json: string, opts: YamlOptions = {}): string {
  return '---\n' + jsonToYaml(json, opts);
}

// go-yaml's reader refuses these characters anywhere in its input ("control characters are not allowed"):
// Go's JSON encoder writes them raw, so opm cannot write such a value as YAML either.
const READER_FORBIDDEN = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/;
const UNUSUAL_IN_VALUE = /[\x7f-\x9f\ud800-\udfff\ufffe\uffff]/;

function checkReadable(s: string): void {
  if (READER_FORBIDDEN.test(s)) {
    const c = READER_FORBIDDEN.exec(s)![0].charCodeAt(0);
    // The catalog's content, not a gantry bug: say so, and what still works.
    throw new GantryError('CATALOG_INVALID', `yaml: control characters are not allowed (U+${c.toString(16).toUpperCase().padStart(4, '0')})`, {
      hint: 'a value in the catalog holds a character YAML cannot carry (opm fails the same way); write JSON instead',
    });
  }
}

function mapping(entries: Map<string, YamlValue>): YamlMapping {
  const keys = [...entries.keys()];
  if (keys.length > 1) keys.sort(compareYamlKeys);
  return new YamlMapping(keys.map((k) => [k, entries.get(k)!] as const));
}

const PLAIN_TRUE = new YamlPlain('true');
const PLAIN_FALSE = new YamlPlain('false');
const PLAIN_NULL = new YamlPlain('null');

function toYamlValue(v: unknown): YamlValue {
  switch (typeof v) {
    case 'string':
      if (!UNUSUAL_IN_VALUE.test(v)) return v;
      checkReadable(v);
      return toWellFormed(v);
    case 'number':
      return new YamlPlain(yamlNumberText(formatGoFloat(v)));
    case 'boolean':
      return v ? PLAIN_TRUE : PLAIN_FALSE;
    case 'object':
      break;
    default:
      throw new GantryError('INTERNAL', `json: unsupported value of type ${typeof v}`);
  }
  if (v === null) return PLAIN_NULL;
  if (v instanceof RawJson) return v.text.length === 0 ? PLAIN_NULL : new JsonToYamlParser(v.text).parseDocument();
  if (v instanceof SortedJson) return toYamlValue(v.value);
  if (Array.isArray(v)) {
    return v.map((item) => {
      if (item === undefined) throw new GantryError('INTERNAL', 'json: unsupported value of type undefined');
      return toYamlValue(item);
    });
  }
  const entries = new Map<string, YamlValue>();
  const fields: Iterable<readonly [string, unknown]> =
    v instanceof GoObject ? v.fields : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]] as const);
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    checkReadable(key);
    entries.set(toWellFormed(key), toYamlValue(value));
  }
  return mapping(entries);
}

/*
 * A JSON reader that keeps number literals as text (go-yaml types them from the text: `1.0` is a float, `1`
 * an int) and builds the emitter's values directly. Duplicate keys: the last one wins, as in go-yaml's map.
 * Lenient where go-yaml is stricter but Go's JSON encoder never produces the input: `\/` and `\uD83D\uDE00`
 * surrogate escapes are accepted (lone ones become U+FFFD).
 */
// Anything that needs a closer look in a JSON string's raw text: escapes, controls, surrogates, U+FFFE/F.
const UNUSUAL_IN_STRING = /[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\\]/;
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class JsonToYamlParser {
  private i = 0;

  constructor(private readonly text: string) {}

  parseDocument(): YamlValue {
    const v = this.parseValue();
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail('after top-level value');
    return v;
  }

  private fail(what: string): never {
    throw new GantryError('INTERNAL', `json: invalid character at offset ${this.i} ${what}`);
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.i++;
    }
  }

  private parseValue(): YamlValue {
    this.skipWhitespace();
    const t = this.text;
    const c = t.charCodeAt(this.i);
    switch (c) {
      case 0x7b: // {
        return this.parseObject();
      case 0x5b: // [
        return this.parseArray();
      case 0x22: // "
        return this.parseString();
      case 0x74: // t
        return this.literal('true', PLAIN_TRUE);
      case 0x66: // f
        return this.literal('false', PLAIN_FALSE);
      case 0x6e: // n
        return this.literal('null', PLAIN_NULL);
      default:
        return this.parseNumber();
    }
  }

  private literal(word: string, value: YamlPlain): YamlPlain {
    if (!this.text.startsWith(word, this.i)) this.fail('looking for beginning of value');
    this.i += word.length;
    return value;
  }

  private parseNumber(): YamlPlain {
    const m = JSON_NUMBER;
    m.lastIndex = this.i;
    const r = m.exec(this.text);
    if (r === null || r[0] === '') this.fail('looking for beginning of value');
    this.i += r[0].length;
    return new YamlPlain(yamlNumberText(r[0]));
  }

  private parseString(): string {
    const start = this.i;
    const end = stringEnd(this.text, start);
    this.i = end;
    const raw = this.text.slice(start + 1, end - 1);
    if (!UNUSUAL_IN_STRING.test(raw)) return raw;
    checkReadable(raw);
    if (!raw.includes('\\')) {
      if (/[\x00-\x1f]/.test(raw)) this.fail('in string literal');
      return toWellFormed(raw);
    }
    try {
      return toWellFormed(JSON.parse(this.text.slice(start, end)) as string);
    } catch {
      return this.fail('in string literal');
    }
  }

  private parseArray(): YamlValue[] {
    this.i++;
    const items: YamlValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.i++);
      if (c === 0x5d) return items;
      if (c !== 0x2c) this.fail('after array element');
    }
  }

  private parseObject(): YamlMapping {
    this.i++;
    const entries = new Map<string, YamlValue>();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return mapping(entries);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.i) !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.i++) !== 0x3a) this.fail('after object key');
      const value = this.parseValue();
      entries.set(key, value); // a repeated key keeps its last value
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.i++);
      if (c === 0x7d) return mapping(entries);
      if (c !== 0x2c) this.fail('after object key:value pair');
    }
  }
}
