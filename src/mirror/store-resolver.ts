// How the mirror operations reach content: injected resolvers from a repository to a Store, so the CLI passes
// registry sessions and unit tests pass memory stores. src/mirror never opens a registry session itself.
import type { Store } from '../content/store.js';
import { createLayoutStore } from '../layout/index.js';

/** The store of one repository (registry host and path; tag or digest are the caller's). */
export type StoreResolver = (repo: { registry: string; repository: string }) => Store;

/** Where a planned catalog image is read from: a repository, or an OCI layout directory (oci:// catalogs). */
export interface CatalogOrigin {
  registry: string;
  repository: string;
  /** The tag or digest in that repository (or in the layout). */
  reference: string;
  /** Path of an OCI image layout, for oci:// catalogs: read from disk, not through the resolver. */
  layout?: string;
}

export function openCatalogOrigin(origin: CatalogOrigin, source: StoreResolver): Store {
  return origin.layout !== undefined ? createLayoutStore({ path: origin.layout }) : source(origin);
}
