// Hints are written once in the library, where the command that will show them is unknown: this fits the flags a
// hint names to the running command (--tls-verify → --src-tls-verify/--dest-tls-verify), or drops a hint it cannot fit.
import type { Command } from 'commander';

const FLAG = /(--[a-z][a-z0-9-]*)(=[^\s;,)]+)?/g;
const GLOBAL_FLAGS = new Set(['--debug', '--help', '--version']);

/** The long flags of a command and its parents (options of `gantry` itself apply everywhere). */
export function longFlagsOf(cmd: Command): Set<string> {
  const out = new Set(GLOBAL_FLAGS);
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const o of c.options) {
      if (o.long) out.add(o.long);
      if (o.negate && o.long) out.add(o.long.replace(/^--no-/, '--'));
    }
  }
  return out;
}

/**
 * The hint with every flag the command has, or undefined when it names a flag the command lacks and no prefixed
 * spelling fits. Flags of other commands (a hint such as "run gantry delete --generate") are left alone.
 */
export function fitHint(hint: string, flags: ReadonlySet<string>): string | undefined {
  let unfit = false;
  const fitted = hint.replace(FLAG, (whole: string, flag: string, value: string | undefined, offset: number) => {
    if (flags.has(flag) || namesOtherCommand(hint, offset)) return whole;
    const sides = ['src-', 'dest-'].map((p) => `--${p}${flag.slice(2)}${value ?? ''}`).filter((f) => flags.has(f.replace(/=.*$/, '')));
    if (sides.length > 0) return sides.join(' or ');
    unfit = true;
    return whole;
  });
  return unfit ? undefined : fitted;
}

/** "then gantry delete --generate": the flag belongs to the command the hint names, not to the running one. */
function namesOtherCommand(hint: string, offset: number): boolean {
  const clause = hint.slice(0, offset).split(/[;,]|\. /).pop() ?? '';
  return /\bgantry [a-z]/.test(clause);
}
