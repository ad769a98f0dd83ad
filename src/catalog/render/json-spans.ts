// Where values sit inside JSON text, so a value can be kept as the exact bytes Go's json.RawMessage keeps
// (whitespace, key order and escapes untouched): used for properties opm passes through without re-encoding.

/** A value's text is `text.slice(start, end)`. */
export interface JsonSpan {
  start: number;
  end: number;
}

export interface JsonMember extends JsonSpan {
  key: string;
}

// Go's JSON whitespace (scanner.go isSpace): space, tab, CR, LF. Nothing else.
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

function stringEnd(text: string, i: number): number {
  // i is at the opening quote
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/**
 * The end (exclusive) of the value starting at `i` (no leading space), or -1 when the text ends first.
 * Only brackets and strings are tracked: call JSON.parse on the span to know it is valid.
 */
export function jsonValueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = stringEnd(text, j) - 1;
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (isJsonSpace(d) || d === 0x2c || d === 0x5d || d === 0x7d || d === 0x3a) break;
    j++;
  }
  return j > i ? j : -1;
}

/** The members of the valid JSON object at `span`, in text order (duplicates kept, as Go sees them). */
export function jsonObjectMembers(text: string, span: JsonSpan): JsonMember[] {
  const out: JsonMember[] = [];
  let i = skipJsonSpace(text, span.start + 1);
  if (text.charCodeAt(i) === 0x7d) return out;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipJsonSpace(text, keyEnd) + 1; // past ':'
    const start = skipJsonSpace(text, i);
    const end = jsonValueEnd(text, start);
    out.push({ key, start, end });
    i = skipJsonSpace(text, end);
    if (text.charCodeAt(i) !== 0x2c) return out;
    i = skipJsonSpace(text, i + 1);
  }
}

/** The items of the valid JSON array at `span`. */
export function jsonArrayItems(text: string, span: JsonSpan): JsonSpan[] {
  const out: JsonSpan[] = [];
  let i = skipJsonSpace(text, span.start + 1);
  if (text.charCodeAt(i) === 0x5d) return out;
  for (;;) {
    const end = jsonValueEnd(text, i);
    out.push({ start: i, end });
    i = skipJsonSpace(text, end);
    if (text.charCodeAt(i) !== 0x2c) return out;
    i = skipJsonSpace(text, i + 1);
  }
}

/** The first JSON value of `text` (leading space skipped) and whether anything but space follows it. */
export function firstJsonValue(text: string): { span: JsonSpan; value: unknown; rest: boolean } | undefined {
  const start = skipJsonSpace(text, 0);
  if (start >= text.length) return undefined;
  const end = jsonValueEnd(text, start);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch {
    return undefined;
  }
  return { span: { start, end }, value, rest: skipJsonSpace(text, end) < text.length };
}
