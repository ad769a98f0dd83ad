// What users see when something fails: error[CODE]: message, a hint, the cause chain only with --debug,
// and never a credential (tokens, Basic auth, passwords in URLs are masked even in --debug output).
import { GantryError } from '../errors.js';
import { fitHint } from './hint-flags.js';

const SECRET_PATTERNS: [RegExp, string][] = [
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1$2 ***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  [/([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi, '$1***:***@'],
  [/("?(?:password|secret|token|access_token|refresh_token|identitytoken|auth)"?\s*[:=]\s*)"[^"]*"/gi, '$1"***"'],
  // A value, not the next word of a sentence: "--creds / --authfile" in a hint has no credential to mask.
  [/(--(?:src-|dest-)?creds[ =])(?!\/(?:\s|$)|--)\S+/g, '$1***'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** The flags of the command being run (set once by main): hints are fitted to them, see hint-flags.ts. */
let commandFlags: ReadonlySet<string> | undefined;

export function useCommandFlags(flags: ReadonlySet<string> | undefined): void {
  commandFlags = flags;
}

/** `subject` names what failed when the message alone would not (one image of many). */
export function formatError(err: unknown, debug: boolean, subject?: string): string {
  const lines: string[] = [];
  const about = subject ? `${subject}: ` : '';
  if (err instanceof GantryError) {
    lines.push(`error[${err.code}]: ${about}${err.message}`);
    const hint = err.hint && commandFlags ? fitHint(err.hint, commandFlags) : err.hint;
    if (hint) lines.push(`  hint: ${hint}`);
  } else if (hasStableCode(err)) {
    // Library errors with their own stable codes (GraphError, TemplateError, SemverError, Node's ENOENT…).
    lines.push(`error[${err.code}]: ${about}${err.message}`);
  } else {
    lines.push(`error[INTERNAL]: ${about}${(err as Error)?.message ?? String(err)}`);
    if (!debug) lines.push('  hint: this is a bug in gantry; run again with --debug and report the output');
  }
  if (debug) {
    let cause: unknown = err;
    for (let depth = 0; cause && depth < 8; depth++) {
      const e = cause as Error & { code?: string };
      if (depth > 0) lines.push(`  caused by: ${e.name ?? 'Error'}${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(e)}`);
      if (e.stack) lines.push(e.stack.split('\n').slice(1, 6).map((l) => `    ${l.trim()}`).join('\n'));
      cause = e.cause;
    }
  }
  return redact(lines.join('\n'));
}

/**
 * Failures of many images, one line per distinct error: 67 × "cannot reach quay.io" is one line with a count
 * and the first few images, not 67 lines.
 */
export function formatErrorGroups(failures: readonly { error: unknown; subject: string }[], debug: boolean): string[] {
  const groups = new Map<string, { error: unknown; subjects: string[] }>();
  for (const f of failures) {
    const key = formatError(f.error, false);
    const g = groups.get(key) ?? { error: f.error, subjects: [] };
    g.subjects.push(f.subject);
    groups.set(key, g);
  }
  const SHOWN = 3;
  return [...groups.values()].map(({ error, subjects }) => {
    if (subjects.length === 1) return formatError(error, debug, subjects[0]);
    const some = subjects.slice(0, SHOWN).join(', ') + (subjects.length > SHOWN ? ', …' : '');
    return formatError(error, debug, `${subjects.length} images (${some})`);
  });
}

function hasStableCode(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as unknown as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}
