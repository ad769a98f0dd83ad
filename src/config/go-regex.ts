// Compiles the regular expressions users write for blockedImages (Go RE2 syntax in oc-mirror, §2.2) with
// JavaScript's engine: leading inline flags (?i) (?s) (?m) and named groups (?P<n>…) are translated.

/** The compiled expression, or the reason it does not compile. */
export function compileGoRegex(source: string): RegExp | { error: string } {
  let body = source;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1]!)].join('');
    body = body.slice(inline[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
