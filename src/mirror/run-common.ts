// What the three mirror operations share: options every run takes, reporting a plan's issues before it is used,
// and checking that a destination answers before a dry run measures hundreds of images against it.
import { GantryError, abortError, isGantryError } from '../errors.js';
import { formatReference } from '../oci/reference.js';
import type { Digest } from '../oci/digest.js';
import { loadMirrorInputs, type MirrorInputs } from './load-config.js';
import type { MirrorEventListener } from './mirror-events.js';
import type { MirrorPlan } from './plan-mirror.js';
import type { StoreResolver } from './store-resolver.js';
import type { GraphReader } from './plan-releases.js';
import type { ReleaseSignaturePolicy } from './release-signatures.js';
import type { GraphDataReader, GraphImageSettings } from './plan-graph-image.js';

export interface RunOptions {
  onEvent?: MirrorEventListener;
  failFast?: boolean;
  /** Applied to the errors report before it is written (the CLI masks credentials). */
  redact?: (text: string) => string;
  /** Recorded in archives and generated resources. */
  version: string;
  /** Leave cosign signatures, attestations, SBOMs and OCI referrers behind (--remove-signatures). */
  removeSignatures?: boolean;
  /** One signal for the whole run: every step stops when it aborts. */
  signal?: AbortSignal;
  /** Reads the update graphs mirror.platform needs (releases are planned only where the configuration has them). */
  readGraph?: GraphReader;
  /** How release signatures are checked (needed only when the plan has releases): verify, or --ignore-release-signature. */
  releaseSignatures?: ReleaseSignaturePolicy;
  /** platform.graph: reads the graph-data tarball (http(s) or a file), and where it is and the base image. */
  readGraphData?: GraphDataReader;
  graphImage?: GraphImageSettings;
}

/** The inputs of a run: given, or read from the configuration file (its issues reported as events). */
export type InputsOption = { inputs: MirrorInputs } | { configFile: string };

export function resolveInputs(opts: InputsOption & { onEvent?: MirrorEventListener }): Promise<MirrorInputs> {
  if ('inputs' in opts) return Promise.resolve(opts.inputs);
  return loadMirrorInputs(opts.configFile, (issue) => opts.onEvent?.({ type: 'input-issue', issue }));
}

/** Reports the plan's issues and blocked images; true when the selection has errors. */
export function reportPlan(plan: MirrorPlan, onEvent: MirrorEventListener | undefined): boolean {
  for (const issue of plan.issues) onEvent?.({ type: 'plan-issue', issue });
  for (const b of plan.blocked) onEvent?.({ type: 'blocked', ...b });
  return plan.issues.some((i) => i.severity === 'error');
}

export function selectionError(plan: MirrorPlan, planFile: string): GantryError {
  const errors = plan.issues.filter((i) => i.severity === 'error').length;
  return new GantryError('CONFIG_INVALID', `${errors} problem${errors === 1 ? '' : 's'} in the selection; nothing was copied`, { hint: `details in ${planFile}` });
}

/** The digest of zero bytes: asking for it costs one HEAD and tells whether the registry answers at all. */
const EMPTY_BLOB = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' as Digest;

/**
 * Asks the destination once before a dry run measures every image against it: an unreachable destination is one
 * clear error, not "could not be read" on each image after each one's retries.
 */
export async function checkDestination(plan: MirrorPlan, destination: StoreResolver, signal?: AbortSignal): Promise<void> {
  const first = plan.images.find((i) => i.dest)?.dest ?? plan.catalogs.find((c) => c.dest)?.dest;
  if (!first) return;
  try {
    await destination(first).statBlob(EMPTY_BLOB, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    const where = formatReference({ registry: first.registry, repository: first.repository });
    const code = isGantryError(err) ? err.code : 'REGISTRY_UNREACHABLE';
    throw new GantryError(code, `the destination ${first.registry} cannot be reached (${where}): ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
      hint: 'check the address and the --dest-* flags; a dry run measures what is missing there, so it needs the destination',
    });
  }
}

/** After the records of what landed are written: an interrupted run ends as interrupted, not as failures. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
