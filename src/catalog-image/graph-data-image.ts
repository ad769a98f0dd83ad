// The graph-data image OpenShift Update Service (OSUS) reads its update graph from: the cincinnati-graph-data files
// at /var/lib/cincinnati-graph-data on a base with a shell, whose command copies them into the operand's volume.
import { GantryError } from '../errors.js';
import type { Store } from '../content/store.js';
import type { Platform } from '../oci/platform.js';
import type { RetryPolicy } from '../transport/retry.js';
import type { FileTree } from '../catalog/fbc/file-tree.js';
import { buildCatalogImage, type CatalogImageResult, type ImageProfile } from './build-catalog-image.js';
import type { RunSettings } from './catalog-config.js';

/** Where the files live in the image (cincinnati-operator dev/Dockerfile; oc-mirror release/const.go buildGraphDataDir). */
export const GRAPH_DATA_DIR = '/var/lib/cincinnati-graph-data';
/** The operand's emptyDir the init container fills and graph-builder reads (cincinnati-operator controllers/new.go). */
export const GRAPH_DATA_MOUNT = '/var/lib/cincinnati/graph-data';

/**
 * The init container gets no command from the operator (newGraphDataInitContainer sets only image and mount, in every
 * release from v0.0.1 to v5.0.3): the image's own CMD must copy the files, so the base needs a shell and `cp`. Since
 * operator v5.0.2 a by-tag graphDataImage is also run as `/bin/sh -c -- "sleep 300;"` to resolve its digest, so
 * /bin/sh it is (oc-mirror writes /bin/bash, which ubi9 also has). ENTRYPOINT is cleared: a base's would prefix it.
 */
export const GRAPH_DATA_CMD: readonly string[] = ['/bin/sh', '-c', `exec cp -rp ${GRAPH_DATA_DIR}/* ${GRAPH_DATA_MOUNT}`];

export const GRAPH_DATA_RUN: RunSettings = {
  entrypoint: null,
  cmd: GRAPH_DATA_CMD,
  labels: {},
  createdBy: `gantry graph-data image: COPY cincinnati-graph-data ${GRAPH_DATA_DIR}; CMD ${JSON.stringify(GRAPH_DATA_CMD)}`,
  comment: 'OpenShift Update Service graph data (channels, blocked-edges, raw metadata) for its graph-data init container',
};

const PROFILE: ImageProfile = { root: GRAPH_DATA_DIR, opaque: false, run: GRAPH_DATA_RUN };

export interface GraphDataImageOptions {
  /** The graph-data files (channels/…, blocked-edges/…, raw/metadata.json, version, LICENSE), relative paths. */
  files: FileTree;
  /** A base image with /bin/sh and cp, in any Store; `scratch` cannot run the copy and is refused. */
  base: { store: Store; reference: string };
  dest: Store;
  tag: string;
  /** Only these platforms of a multi-platform base (default: all of them, as oc-mirror builds it). */
  platforms?: Platform[];
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

/** Builds the graph-data image with the catalog image builder (same reproducibility: fixed times, owners, modes). */
export async function buildGraphDataImage(opts: GraphDataImageOptions): Promise<CatalogImageResult> {
  if ((opts.base as unknown) === 'scratch') {
    throw new GantryError('USAGE', 'the graph-data image cannot be built on scratch: its command copies the files with /bin/sh and cp', {
      hint: 'give a base image with a shell, e.g. registry.access.redhat.com/ubi9/ubi-minimal:latest',
    });
  }
  return buildCatalogImage({
    catalog: opts.files,
    base: opts.base,
    dest: opts.dest,
    tag: opts.tag,
    profile: PROFILE,
    ...(opts.platforms ? { platforms: opts.platforms } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
