// Go's json.Indent for text that is already JSON: lets a writer embed raw values (json.RawMessage) in
// indented output with their key order untouched. One pass over the characters, strings copied verbatim.

import { GantryError } from '../../errors.js';

const newlineCache = new Map<string, string[]>();

/** `'\n' + indent.repeat(level)`, cached per indent unit. */
export function newlineAt(level: number, indent: string): string {
  let lines = newlineCache.get(indent);
  if (lines === undefined) {
    lines = [];
    newlineCache.set(indent, lines);
  }
  let nl = lines[level];
  if (nl === undefined) {
    nl = '\n' + indent.repeat(level);
    lines[level] = nl;
  }
  return nl;
}

const C = {
  Quote: 0x22,
  Backslash: 0x5c,
  Comma: 0x2c,
  Colon: 0x3a,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
  OpenBracket: 0x5b,
  CloseBracket: 0x5d,
  Space: 0x20,
  Tab: 0x09,
  Lf: 0x0a,
  Cr: 0x0d,
} as const;

/**
 * Reproduces Go's `json.Indent(dst, src, "", indent)` (what `Encoder.SetIndent("", indent)` applies) for a value
 * that sits at nesting depth `depth` of the document: the first character is written where the caller is, and
 * every new line is indented `indent.repeat(depth + n)`. Empty objects and arrays stay `{}` / `[]`; `:` gets one
 * space after it; strings, numbers and literals are copied as they are (no re-escaping). Whitespace outside
 * strings is dropped, so already-indented input is re-indented (Go keeps whitespace trailing the top-level
 * value; this function drops it). The input is not validated beyond finding where strings end.
 */
export function indentJson(compact: string, depth: number, indent = '    '): string {
  const n = compact.length;
  let out = '';
  let level = depth;
  let pendingOpen = false; // Go's needIndent: '{' or '[' written, newline delayed so empties stay `{}`/`[]`
  let i = 0;
  while (i < n) {
    const c = compact.charCodeAt(i);
    switch (c) {
      case C.Space:
      case C.Tab:
      case C.Lf:
      case C.Cr:
        i++;
        continue;
      case C.OpenBrace:
      case C.OpenBracket:
        if (pendingOpen) out += newlineAt(++level, indent);
        out += c === C.OpenBrace ? '{' : '[';
        pendingOpen = true;
        i++;
        continue;
      case C.CloseBrace:
      case C.CloseBracket:
        if (pendingOpen) pendingOpen = false;
        else out += newlineAt(--level, indent);
        out += c === C.CloseBrace ? '}' : ']';
        i++;
        continue;
      case C.Comma:
        out += ',' + newlineAt(level, indent);
        i++;
        continue;
      case C.Colon:
        out += ': ';
        i++;
        continue;
    }
    if (pendingOpen) {
      out += newlineAt(++level, indent);
      pendingOpen = false;
    }
    let end: number;
    if (c === C.Quote) end = stringEnd(compact, i);
    else {
      end = i + 1;
      while (end < n && !isDelimiter(compact.charCodeAt(end))) end++;
    }
    out += compact.slice(i, end);
    i = end;
  }
  return out;
}

function isDelimiter(c: number): boolean {
  return c === C.Comma || c === C.CloseBrace || c === C.CloseBracket || c === C.Colon || c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab;
}

/** Index just past the closing quote of the string starting at `start` (which holds `"`). */
export function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) throw new GantryError('INTERNAL', `json: unterminated string at offset ${start}`);
    let backslashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === C.Backslash; j--) backslashes++;
    if ((backslashes & 1) === 0) return q + 1;
    from = q + 1;
  }
}
