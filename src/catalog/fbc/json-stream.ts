// Splits a stream of concatenated JSON values (opm's output: objects one after another) into single values,
// remembering where each starts, so errors can name a line. One pass over the text, no copy of its content.

export interface JsonChunk {
  /** Offset of the value's first character in the text. */
  start: number;
  end: number;
}

export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/**
 * Finds the top-level values of `text`. Only objects are accepted at the top level (a catalog is a stream of
 * blobs); a bare value, an unterminated object or stray characters are errors with the offset where they are.
 */
export function splitJsonStream(text: string): JsonChunk[] {
  const chunks: JsonChunk[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c < 128 && WS[c] === 1) {
      i++;
      continue;
    }
    if (c === 0xfeff && i === 0) {
      i++;
      continue;
    }
    if (c !== 0x7b /* { */) {
      throw new JsonStreamError(`expected "{" to start a catalog object, found ${describeChar(text, i)}`, i);
    }
    const start = i;
    let depth = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c === 0x22 /* " */) {
        // Skip the string: find the closing quote that is not escaped.
        i++;
        for (; i < n; i++) {
          const s = text.charCodeAt(i);
          if (s === 0x5c /* \ */) i++;
          else if (s === 0x22) break;
        }
        if (i >= n) throw new JsonStreamError('unterminated string', start);
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) throw new JsonStreamError('unterminated object (missing "}")', start);
    chunks.push({ start, end: i });
  }
  return chunks;
}

function describeChar(text: string, i: number): string {
  const snippet = text.slice(i, i + 20).split('\n')[0]!;
  return `"${snippet}"`;
}

/**
 * The fast path for indented streams (opm's output): a top-level object ends with "}" at the start of a line,
 * and only there, since JSON strings cannot hold raw newlines and nested braces are indented. Returns undefined
 * when the text does not look like that; the caller must still parse each chunk and fall back to
 * splitJsonStream if one fails (an unindented nested object would have been cut in the wrong place).
 */
export function splitIndentedStream(text: string): JsonChunk[] | undefined {
  return splitIndented(text, (from, to) => text.slice(from, to).trim() === '');
}

/** ASCII whitespace as String.prototype.trim sees it (space, \t, \n, \v, \f, \r). */
const isAsciiSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * splitIndentedStream on UTF-8 bytes, with byte offsets, so each object can be decoded on its own. Only ASCII
 * whitespace may stand between objects; anything else there (a BOM, other Unicode spaces) gives undefined and
 * the caller takes the text path, so where both accept a file they cut it at the same places.
 */
export function splitIndentedBytes(bytes: Uint8Array): JsonChunk[] | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return splitIndented(buf, (from, to) => {
    for (let i = from; i < to; i++) if (!isAsciiSpace(buf[i]!)) return false;
    return true;
  });
}

/** Both of the above: one search over a string or a Buffer ("{" and "\n}" are the same single bytes in UTF-8). */
function splitIndented(src: { indexOf(s: string, from?: number): number; length: number }, blank: (from: number, to: number) => boolean): JsonChunk[] | undefined {
  const chunks: JsonChunk[] = [];
  let start = src.indexOf('{');
  if (start === -1 || !blank(0, start)) return undefined;
  while (start !== -1) {
    let close = src.indexOf('\n}', start);
    if (close === -1) return undefined;
    close += 2;
    chunks.push({ start, end: close });
    const next = src.indexOf('{', close);
    if (next === -1) {
      if (!blank(close, src.length)) return undefined;
      break;
    }
    if (!blank(close, next)) return undefined;
    start = next;
  }
  return chunks;
}

/** 1-based line of an offset (counted only when an error needs it). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}
