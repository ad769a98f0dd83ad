// A port of the parts of go-yaml v2's emitter (emitterc.go) that yaml.Marshal of a decoded JSON value uses:
// block mappings and sequences, `{}`/`[]` for empty ones, and the five scalar styles with their quirks.

import { isBase60Float, resolvesAsNonString } from './go-yaml-resolve.js';

/** A scalar go-yaml's encoder asks to write plain: a number, a bool or null (already formatted). */
export class YamlPlain {
  constructor(readonly text: string) {}
}

/** A mapping whose entries are already in output order. */
export class YamlMapping {
  constructor(readonly entries: readonly (readonly [string, YamlValue])[]) {}
}

/** A JS string is a string scalar, styled the way encode.go stringv() and the emitter decide. */
export type YamlValue = string | YamlPlain | YamlMapping | readonly YamlValue[];

type Style = 'plain' | 'single' | 'double' | 'literal';

const BEST_INDENT = 2;

/** What yaml_emitter_analyze_scalar finds out about a scalar (flow-context flags are never needed here). */
interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

// yamlprivateh.go is_printable, on code points: astral characters are not "printable" for go-yaml v2, so
// a string holding one is double-quoted with \U escapes.
function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

const LINE_SEPARATOR = /[\u2028\u2029\r\u0085]/;

/** Index of the next break character at or after `from`, or the length; `onlyLf` when the value has no
 *  other break characters. */
function nextBreak(value: string, from: number, onlyLf: boolean): number {
  if (onlyLf) {
    const nl = value.indexOf('\n', from);
    return nl < 0 ? value.length : nl;
  }
  for (let i = from; i < value.length; i++) if (isBreak(value.charCodeAt(i))) return i;
  return value.length;
}

function isBlankz(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x00 || isBreak(c);
}

/** UTF-8 length, which go-yaml's 128-byte simple-key limit counts. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : c < 0x800 ? 1 : 0;
  }
  return n;
}

const EMPTY_ANALYSIS: Analysis = { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
const SIMPLE_PLAIN: Analysis = { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
const SIMPLE_INDICATED: Analysis = { multiline: false, blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: true };
const SPECIAL_SINGLE_LINE: Analysis = { multiline: false, blockPlainAllowed: false, singleQuotedAllowed: false, blockAllowed: false };
const SPECIAL_MULTILINE: Analysis = { multiline: true, blockPlainAllowed: false, singleQuotedAllowed: false, blockAllowed: false };

const SIMPLE_ASCII = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const NOT_PRINTABLE = /[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
// Without special characters the only blank is ' ' and the only breaks are \n, U+2028 and U+2029.
const BREAK = /[\n\u2028\u2029]/;
const BREAK_SPACE = /[\n\u2028\u2029] /;
const SPACE_BREAK = / [\n\u2028\u2029]/;
const COLON_BLANK = /:(?: |$)/;
const BLANK_HASH = /[ \n\u2028\u2029]#/;

/*
 * yaml_emitter_analyze_scalar, as a few regular-expression scans (a character loop is several times slower
 * in V8). Only block-context facts are kept: this emitter never writes a scalar in flow context.
 *   special (a character that is not "printable": controls, tab, U+0085, surrogates i.e. anything astral,
 *   U+FEFF, U+FFFE/F) rules out plain, single-quoted and literal; a break rules out plain and makes the
 *   scalar multiline; leading/trailing space or break rules out plain; a trailing space rules out literal;
 *   a space after a break rules out plain and single-quoted; a space before a break rules out all but
 *   double-quoted; indicators (`---`/`...` start, a leading indicator character, `: `/`:` at the end, ` #`)
 *   rule out plain.
 */
export function analyzeScalar(value: string): Analysis {
  const n = value.length;
  if (n === 0) return EMPTY_ANALYSIS;
  let blockIndicators = n >= 3 && (value.startsWith('---') || value.startsWith('...'));
  const c1 = n > 1 ? value.charCodeAt(1) : -1;
  const firstFollowedByWhitespace = n === 1 || c1 === 0x20 || c1 === 0x09;
  switch (value.charCodeAt(0)) {
    case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a: // # , [ ] { } & *
    case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60: // ! | > ' " % @ `
      blockIndicators = true;
      break;
    case 0x3f: case 0x3a: case 0x2d: // ? : - (only before a blank)
      if (firstFollowedByWhitespace) blockIndicators = true;
      break;
  }
  // Most catalog strings are printable ASCII with no space at either end: only `: ` and ` #` can matter.
  if (SIMPLE_ASCII.test(value)) {
    if (!blockIndicators && (COLON_BLANK.test(value) || BLANK_HASH.test(value))) blockIndicators = true;
    return blockIndicators ? SIMPLE_INDICATED : SIMPLE_PLAIN;
  }
  if (NOT_PRINTABLE.test(value)) {
    const multiline = /[\n\r\x85\u2028\u2029]/.test(value);
    return multiline ? SPECIAL_MULTILINE : SPECIAL_SINGLE_LINE;
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  const lineBreaks = BREAK.test(value);
  const trailingSpace = last === 0x20;
  const edges = first === 0x20 || trailingSpace || isBreak(first) || isBreak(last);
  const breakSpace = lineBreaks && BREAK_SPACE.test(value);
  const spaceBreak = lineBreaks && SPACE_BREAK.test(value);
  if (!blockIndicators && (COLON_BLANK.test(value) || BLANK_HASH.test(value))) blockIndicators = true;
  return {
    multiline: lineBreaks,
    blockPlainAllowed: !(edges || breakSpace || spaceBreak || lineBreaks || blockIndicators),
    singleQuotedAllowed: !(breakSpace || spaceBreak),
    blockAllowed: !(trailingSpace || spaceBreak),
  };
}

/** encode.go stringv(): the style go-yaml's encoder requests for a string (the emitter may override it). */
export function requestedStringStyle(s: string): Style {
  if (s.includes('\n')) return 'literal';
  return resolvesAsNonString(s) || isBase60Float(s) ? 'double' : 'plain';
}

/**
 * Emits one document the way yaml.Marshal does (stream start, implicit document start, the node, implicit
 * document end): no `---`, no `...`, output ends with a newline. `bestWidth` is go-yaml's preferred line width
 * (80 by default; the FutureLineWrap() setting corresponds to Infinity).
 */
export function emitYamlDocument(root: YamlValue, bestWidth: number): string {
  const e = new Emitter(bestWidth);
  e.emitNode(root, false, false);
  e.writeIndent(); // document end
  return e.out;
}

// Keys repeat all over a catalog; their simple-key form (with the `:`) is cached, bounded.
const KEY_CACHE_LIMIT = 4096;
const simpleKeys = new Map<string, string | null>();

/**
 * yaml_emitter_check_simple_key (single line, at most 128 bytes) and, if so, the key as written in simple-key
 * context followed by `:`; undefined for a key written the long way (`? key` / `: value`).
 */
function simpleKeyText(key: string): string | undefined {
  let text = simpleKeys.get(key);
  if (text === undefined) {
    if (analyzeScalar(key).multiline || utf8Length(key) > 128) text = null;
    else {
      const e = new Emitter(Infinity);
      e.emitNode(key, true, true);
      text = e.out + ':';
    }
    if (simpleKeys.size >= KEY_CACHE_LIMIT) simpleKeys.clear();
    simpleKeys.set(key, text);
  }
  return text ?? undefined;
}

class Emitter {
  out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private mappingContext = false;
  private simpleKeyContext = false;

  constructor(private readonly bestWidth: number) {}

  // root_context and sequence_context are not tracked: they only feed open_ended (`...`), which yaml.Marshal
  // clears before the stream ends.
  emitNode(node: YamlValue, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (typeof node === 'string') this.emitScalar(node, requestedStringStyle(node));
    else if (node instanceof YamlPlain) this.emitScalar(node.text, 'plain');
    else if (node instanceof YamlMapping) {
      if (node.entries.length === 0) this.emitEmptyFlow('{', '}');
      else this.emitBlockMapping(node.entries);
    } else if (node.length === 0) this.emitEmptyFlow('[', ']');
    else this.emitBlockSequence(node);
  }

  private emitEmptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.indent = this.indents.pop()!;
    this.writeIndicator(close, false, false, false);
  }

  private emitBlockSequence(items: readonly YamlValue[]): void {
    // A sequence that is a mapping value, written right after `key:`, is not indented (`key:\n- item`).
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, false, false);
    }
    this.indent = this.indents.pop()!;
  }

  private emitBlockMapping(entries: readonly (readonly [string, YamlValue])[]): void {
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      const simple = simpleKeyText(key);
      if (simple !== undefined) {
        // Right after write_indent (whitespace set), a simple key comes out the same wherever it is.
        this.out += simple;
        this.column += simple.length;
        this.whitespace = false;
        this.indention = false;
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(key, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, true, false);
    }
    this.indent = this.indents.pop()!;
  }

  private emitScalar(value: string, requested: Style): void {
    const a = analyzeScalar(value);
    let style = requested;
    // yaml_emitter_select_scalar_style, with flow_level always 0.
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (value.length === 0 && this.simpleKeyContext) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.simpleKeyContext)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (style) {
      case 'plain':
        this.writePlain(value, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(value, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(value, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(value);
        break;
    }
    this.indent = this.indents.pop()!;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out += ' '.repeat(indent - this.column);
      this.column = indent;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out += indicator;
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  // write_break: '\n' becomes a line break; other break characters are copied and end the line too.
  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out += String.fromCharCode(c);
      this.column = 0;
    }
  }

  // write_plain_scalar. A plain scalar has no breaks and only BMP characters (anything else is not allowed
  // plain), so the characters between spaces are copied as runs, one column each.
  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    const n = value.length;
    let pos = 0; // next character to account for
    let run = 0; // start of the characters counted in `column` but not yet appended to `out`
    while (pos < n) {
      let sp = value.indexOf(' ', pos);
      if (sp < 0) sp = n;
      if (sp > pos) {
        this.column += sp - pos;
        spaces = false;
        this.indention = false;
      }
      if (sp === n) break;
      if (allowBreaks && !spaces && this.column > this.bestWidth && value.charCodeAt(sp + 1) !== 0x20) {
        this.out += value.slice(run, sp);
        this.writeIndent();
        run = sp + 1;
      } else this.column++;
      spaces = true;
      pos = sp + 1;
    }
    this.out += run === 0 ? value : value.slice(run);
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const n = value.length;
    for (let i = 0; i < n; ) {
      const c = value.codePointAt(i)!;
      const w = c > 0xffff ? 2 : 1;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < n - 1 && value.charCodeAt(i + 1) !== 0x20) {
          this.writeIndent();
        } else this.put(' ');
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.out += value.slice(i, i + w);
        this.column++;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
      i += w;
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    // is_bom(value, i) looks at the start of the value, not at i: a value starting with U+FEFF is escaped whole.
    const bom = value.charCodeAt(0) === 0xfeff;
    const n = value.length;
    let run = 0;
    for (let i = 0; i < n; ) {
      const c = value.codePointAt(i)!;
      const w = c > 0xffff ? 2 : 1;
      if (bom || !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.out += value.slice(run, i);
        const escaped = escapeDoubleQuoted(c);
        this.out += escaped;
        this.column += escaped.length;
        spaces = false;
        i += w;
        run = i;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < n - 1) {
          this.out += value.slice(run, i);
          this.writeIndent();
          if (value.charCodeAt(i + 1) === 0x20) this.put('\\');
          i++;
          run = i;
        } else {
          this.column++;
          i++;
        }
        spaces = true;
      } else {
        this.column++;
        i += w;
        spaces = false;
      }
    }
    this.out += value.slice(run);
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  // write_literal_scalar. Literal style is only chosen for text without special characters, so every
  // character is in the BMP; break characters other than '\n' can only be U+2028/U+2029.
  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    const n = value.length;
    const onlyLf = !LINE_SEPARATOR.test(value);
    for (let i = 0; i < n; ) {
      const br = nextBreak(value, i, onlyLf);
      if (br > i) {
        if (breaks) this.writeIndent();
        this.out += value.slice(i, br);
        this.column += br - i;
        this.indention = false;
        breaks = false;
      }
      if (br === n) break;
      this.writeBreak(value.charCodeAt(br));
      this.indention = true;
      breaks = true;
      i = br + 1;
    }
  }

  // yaml_emitter_write_block_scalar_hints: an indentation hint when the text starts with a space or break;
  // `-` (strip) without a final break, nothing (clip) for exactly one, `+` (keep) for more or for only one.
  private writeBlockScalarHints(value: string): void {
    const first = value.charCodeAt(0);
    if (first === 0x20 || isBreak(first)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const n = value.length;
    let chomp = '';
    if (n === 0 || !isBreak(value.charCodeAt(n - 1))) chomp = '-';
    else if (n === 1) chomp = '+';
    else if (isBreak(value.charCodeAt(n - 2))) chomp = '+';
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
  }
}

const SHORT_ESCAPES: Record<number, string> = {
  0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r',
  0x1b: '\\e', 0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0xa0: '\\_', 0x2028: '\\L', 0x2029: '\\P',
};

/** go-yaml's double-quoted escapes: named ones, else \xXX, \uXXXX or \UXXXXXXXX in upper-case hex. */
function escapeDoubleQuoted(c: number): string {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (c <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}
