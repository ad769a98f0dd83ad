// The mapping file format oc-mirror writes (mapping.txt): one SRC=DST pair per line, with transports
// (docker://src=docker://dst). Blank lines and # comments are allowed. Errors name the file and line.
import { GantryError, quoteValue } from '../errors.js';

export interface MappingEntry {
  source: string;
  dest: string;
  line: number;
}

export function parseMappingFile(text: string, file: string): MappingEntry[] {
  const entries: MappingEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // References and paths cannot contain "=" before a transport prefix, so split at the "=" that starts DST.
    const m = /^(.+?)=((?:docker|oci|file):.*)$/.exec(line) ?? /^([^=]+)=(.+)$/.exec(line);
    if (!m || !m[1]!.trim() || !m[2]!.trim()) {
      problems.push(`${file}:${i + 1}: expected SRC=DST, got ${quoteValue(line)}`);
      return;
    }
    // No reference holds "=": a second one means a malformed line (a=b=c), not a destination "b=c".
    if (m[1]!.includes('=') || m[2]!.includes('=')) {
      problems.push(`${file}:${i + 1}: expected one "=" between SRC and DST, got ${quoteValue(line)}`);
      return;
    }
    entries.push({ source: m[1]!.trim(), dest: m[2]!.trim(), line: i + 1 });
  });
  if (problems.length > 0) {
    throw new GantryError('MAPPING_INVALID', problems.join('\n'), { hint: 'each line is docker://SRC=docker://DST (or oci:PATH:TAG)' });
  }
  return entries;
}
