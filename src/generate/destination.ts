// Where a mirrored image goes, as oc-mirror names it (reference §4.7): the source path without its registry
// host under the destination (and namespace), digest-only sources tagged sha256-<hex>, optional path folding.
import { GantryError } from '../errors.js';
import { digestHex, type Digest } from '../oci/digest.js';
import type { Reference } from '../oci/reference.js';

export interface MirrorTarget {
  /** Destination registry host[:port]. */
  registry: string;
  /** Optional namespace under it ("mirror/ocp"). */
  namespace?: string;
}

export interface DestinationOptions {
  /** Fold the path after the host to at most N components (Quay/GitLab depth limits); 0 = unlimited. */
  maxNestedPaths?: number;
  /** Replace the repository path (additionalImages targetRepo, operators targetCatalog). */
  targetRepo?: string;
  /** Replace the tag (targetTag). */
  targetTag?: string;
}

/** `a/b/c/d` with N=2 → `a/b-c-d`: the first N-1 components kept, the rest joined with "-". */
export function foldPath(path: string, maxNestedPaths: number): string {
  if (!maxNestedPaths || maxNestedPaths <= 0) return path;
  const parts = path.split('/');
  if (parts.length <= maxNestedPaths) return path;
  const keep = parts.slice(0, maxNestedPaths - 1);
  return [...keep, parts.slice(maxNestedPaths - 1).join('-')].join('/');
}

/** The tag oc-mirror gives a digest-only source: sha256-<hex>. */
export function digestTag(digest: Digest): string {
  return `${digest.slice(0, digest.indexOf(':'))}-${digestHex(digest)}`;
}

/** The destination reference for a source; it always carries a tag (so the mirror has something to list). */
export function mirrorDestination(source: Reference, target: MirrorTarget, opts: DestinationOptions = {}): Reference {
  const ns = (target.namespace ?? '').replace(/^\/+|\/+$/g, '');
  const repoPath = opts.targetRepo ?? source.repository;
  if (repoPath === '') throw new GantryError('REF_INVALID', 'empty target repository');
  const path = foldPath(ns ? `${ns}/${repoPath}` : repoPath, opts.maxNestedPaths ?? 0);
  const tag = opts.targetTag ?? source.tag ?? (source.digest ? digestTag(source.digest) : 'latest');
  return { registry: target.registry, repository: path, tag };
}
