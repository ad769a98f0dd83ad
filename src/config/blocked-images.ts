// blockedImages as one matcher: each pattern compiled once (Go RE2 syntax, go-regex.ts) and asked of every name an
// image goes by. Planning asks with the source and the destination, disk to mirror with the destination it chose.
import { compileGoRegex } from './go-regex.js';

export interface BlockedImages {
  /** The first pattern that matches any of the names, or undefined when the image is not blocked. */
  match(...names: string[]): string | undefined;
}

/**
 * Patterns that do not compile are left out here: the configuration's validator reports them with file:line,
 * and an archive that carries one is refused before anything is pushed (check-archived-images.ts).
 */
export function compileBlockedImages(patterns: readonly string[]): BlockedImages {
  const compiled = patterns.flatMap((pattern) => {
    const re = compileGoRegex(pattern);
    return re instanceof RegExp ? [{ pattern, re }] : [];
  });
  return {
    match: (...names) => compiled.find(({ re }) => names.some((n) => re.test(n)))?.pattern,
  };
}
