// Catalog locations as oc-mirror accepts them: an image reference (optionally docker://) or an OCI image
// layout on disk written oci://path (§2.1 "image ref or oci://path"; v2 IsFBCOCI checks the prefix).
import { isGantryError } from '../errors.js';
import { parseReference } from '../oci/reference.js';
import type { CatalogSource } from './config-types.js';

/** The parsed source, or a message saying why the text is not one. */
export function parseCatalogSource(text: string): CatalogSource | string {
  if (text.startsWith('oci://')) {
    const path = text.slice('oci://'.length);
    if (path.length === 0) return `catalog "${text}" names no path after oci://`;
    return { transport: 'oci', path };
  }
  return parseImageName(text);
}

/** A docker reference with an optional docker:// prefix; the tag defaults to latest (§2.1 additionalImages). */
export function parseImageName(text: string): CatalogSource | string {
  const bare = text.startsWith('docker://') ? text.slice('docker://'.length) : text;
  try {
    return { transport: 'docker', reference: parseReference(bare) };
  } catch (err) {
    if (isGantryError(err)) return err.message;
    throw err;
  }
}
