// The CLI form of a layout location, oci:PATH[:REF], parsed the way skopeo and containers/image parse it
// (oci/internal/oci_util.go, non-Windows): the path ends at the FIRST colon, so a path can hold no colon.
import { GantryError } from '../errors.js';
import { isDigest } from '../oci/digest.js';
import { isValidRefName } from './layout-index.js';

export interface LayoutReference {
  path: string;
  /** A ref name (org.opencontainers.image.ref.name) or a manifest digest; absent for "oci:PATH". */
  reference?: string;
}

const PREFIX = 'oci:';

function invalid(text: string, why: string, hint?: string): never {
  throw new GantryError('REF_INVALID', `invalid OCI layout reference "${text}": ${why}`, hint === undefined ? {} : { hint });
}

/**
 * "oci:PATH[:REF]" → { path, reference? }.
 *
 * Rule: everything after "oci:" up to the first ":" is the path, the rest is the reference. Since the
 * reference grammar allows ":" and "@", "oci:dir:app:v1" names ref "app:v1" and "oci:dir:sha256:<hex>" a
 * digest. A path cannot contain ":" (skopeo rejects that too); an empty reference ("oci:dir" or "oci:dir:")
 * is absent. skopeo's "oci:dir:@N" (manifest by position) is not supported. Windows drive letters are not
 * handled.
 */
export function parseLayoutReference(text: string): LayoutReference {
  if (!text.startsWith(PREFIX)) invalid(text, `it does not start with "${PREFIX}"`);
  const rest = text.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  const path = colon < 0 ? rest : rest.slice(0, colon);
  const reference = colon < 0 ? '' : rest.slice(colon + 1);
  if (path === '') invalid(text, 'the path is empty');
  const at = /@(sha256|sha512)$/.exec(path);
  if (at) {
    invalid(text, 'a digest follows "@"', `select a manifest by digest with a colon: oci:${path.slice(0, at.index)}:${at[1]}:<hex>`);
  }
  if (reference === '') return { path };
  if (reference.startsWith('@')) invalid(text, 'selecting a manifest by position (":@N") is not supported', 'name it by tag or digest');
  if (!isDigest(reference) && !isValidRefName(reference)) {
    invalid(text, `"${reference}" is not a valid reference name`, 'names are letters and digits separated by one of - . _ : @ + or --, in /-separated components');
  }
  return { path, reference };
}

/** { path, reference? } → "oci:PATH[:REF]"; parseLayoutReference reads it back. */
export function formatLayoutReference(ref: LayoutReference): string {
  if (ref.path === '' || ref.path.includes(':')) {
    throw new GantryError('REF_INVALID', `OCI layout path "${ref.path}" cannot be written as oci:PATH (it is empty or holds a colon)`);
  }
  return ref.reference === undefined ? `${PREFIX}${ref.path}` : `${PREFIX}${ref.path}:${ref.reference}`;
}
